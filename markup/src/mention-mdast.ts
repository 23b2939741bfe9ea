import type { Extension as FromMarkdownExtension, Token } from 'mdast-util-from-markdown';
import type { Literal } from 'mdast';

/** A mention in the tree: the person it names and the name the author saw when picking them. */
export interface Mention extends Literal {
  type: 'mention';
  /** The display name as written (for reading; the id decides who it is). */
  value: string;
  /** The Person global id. */
  personId: string;
}

declare module 'mdast' {
  interface PhrasingContentMap {
    mention: Mention;
  }
  interface RootContentMap {
    mention: Mention;
  }
}

/** The mdast-util-from-markdown extension turning the mention tokens into `mention` nodes. */
export function mentionFromMarkdown(): FromMarkdownExtension {
  return {
    enter: {
      mention(token: Token) {
        this.enter({ type: 'mention', value: '', personId: '' }, token);
      },
    },
    exit: {
      mentionName(token: Token) {
        const node = this.stack.at(-1);
        if (node?.type === 'mention') node.value = this.sliceSerialize(token);
      },
      mentionId(token: Token) {
        const node = this.stack.at(-1);
        if (node?.type === 'mention') node.personId = this.sliceSerialize(token);
      },
      mention(token: Token) {
        this.exit(token);
      },
    },
  };
}
