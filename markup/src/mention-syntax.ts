import type { Code, Construct, Effects, Extension, State, TokenizeContext } from 'micromark-util-types';

// The one piece of chat syntax CommonMark lacks: a mention, written `@[Display Name](<Person global id>)`
// by the web composer. The name is only for reading the source; the id decides who is notified.
// As a micromark construct it is parsed where CommonMark parses text, so a mention in a code span,
// a code block or behind a backslash is just characters, on the server that notifies and in the
// browser that renders alike.

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    mention: 'mention';
    mentionMarker: 'mentionMarker';
    mentionName: 'mentionName';
    mentionId: 'mentionId';
  }
}

export const MAX_MENTION_NAME = 100;
export const MAX_MENTION_ID = 200;

const AT = 64;
const LEFT_BRACKET = 91;
const RIGHT_BRACKET = 93;
const LEFT_PAREN = 40;
const RIGHT_PAREN = 41;

/** A character of a global id: letters, digits and `+ / = _ -` (base64 and base64url). */
function isIdCode(code: Code): boolean {
  return (
    code !== null &&
    ((code >= 48 && code <= 57) ||
      (code >= 65 && code <= 90) ||
      (code >= 97 && code <= 122) ||
      code === 43 ||
      code === 47 ||
      code === 61 ||
      code === 95 ||
      code === 45)
  );
}

function tokenizeMention(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  let size = 0;

  const marker = (code: Code, next: State): State | undefined => {
    effects.enter('mentionMarker');
    effects.consume(code);
    effects.exit('mentionMarker');
    return next;
  };

  const idClose = (code: Code): State | undefined => {
    if (code !== RIGHT_PAREN) return nok(code);
    const after = marker(code, ok);
    effects.exit('mention');
    return after;
  };

  const id = (code: Code): State | undefined => {
    if (isIdCode(code) && size < MAX_MENTION_ID) {
      size += 1;
      effects.consume(code);
      return id;
    }
    if (size === 0) return nok(code);
    effects.exit('mentionId');
    return idClose(code);
  };

  const idOpen = (code: Code): State | undefined => {
    if (code !== LEFT_PAREN) return nok(code);
    return marker(code, (next) => {
      size = 0;
      effects.enter('mentionId');
      return id(next);
    });
  };

  // Any character but `]` and line endings (negative codes are line endings, tabs and EOF's null).
  const name = (code: Code): State | undefined => {
    if (code === RIGHT_BRACKET && size > 0) {
      effects.exit('mentionName');
      return marker(code, idOpen);
    }
    if (code === null || code < 0 || code === RIGHT_BRACKET || size >= MAX_MENTION_NAME) return nok(code);
    size += 1;
    effects.consume(code);
    return name;
  };

  const nameOpen = (code: Code): State | undefined => {
    if (code !== LEFT_BRACKET) return nok(code);
    return marker(code, (next) => {
      effects.enter('mentionName');
      return name(next);
    });
  };

  return (code: Code) => {
    effects.enter('mention');
    return marker(code, nameOpen);
  };
}

const mention: Construct = { name: 'mention', tokenize: tokenizeMention };

/** The micromark extension: a mention starts at `@`, wherever text is parsed. */
export function mentionSyntax(): Extension {
  return { text: { [AT]: mention } };
}
