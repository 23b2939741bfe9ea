import { parseMessage } from '@guildhall/markup';
import type { ListItem, Nodes, Root } from 'mdast';
import { Fragment, useMemo, type ReactNode } from 'react';

// Renders the mdast of @guildhall/markup's parser (the one the server reads mentions with) as React
// elements: fixed tags and attributes only, and React escapes every string, so nothing a message
// says becomes HTML. Raw HTML is not parsed at all (it reads as text), and links reach here only
// with an http, https or mailto address (the parser turns any other back into the text written).

export interface MarkdownRenderOptions {
  // How a mention looks; chat renders a router link to the person, tests a plain element.
  mention(personId: string, name: string, key: string): ReactNode;
}

// A fence's info string as a language label, when it looks like one ("ts", "c++", "objective-c").
const LANGUAGE = /^[\w+#.-]{1,30}$/;

// A soft line break is a line break in chat, as people type them.
function textWithBreaks(value: string, key: string): ReactNode {
  if (!value.includes('\n')) return value;
  // Each line is known by where it starts in the text node, which is known by its path.
  let start = 0;
  const lines = value.split('\n').map((line) => {
    const part = { line, start };
    start += line.length + 1;
    return part;
  });
  return (
    <Fragment key={key}>
      {lines.map(({ line, start: at }) => (
        <Fragment key={`${key}@${at}`}>
          {at > 0 && <br />}
          {line}
        </Fragment>
      ))}
    </Fragment>
  );
}

function renderChildren(nodes: readonly Nodes[], options: MarkdownRenderOptions, prefix: string): ReactNode[] {
  return nodes.map((node, index) => renderNode(node, options, `${prefix}.${index}`));
}

// A tight list's items hold their text without paragraph spacing, as before.
function renderItem(item: ListItem, tight: boolean, options: MarkdownRenderOptions, key: string): ReactNode {
  const children = item.children.map((child, index) =>
    tight && child.type === 'paragraph'
      ? renderChildren(child.children, options, `${key}.${index}`)
      : renderNode(child, options, `${key}.${index}`),
  );
  return <li key={key}>{children}</li>;
}

function renderNode(node: Nodes, options: MarkdownRenderOptions, key: string): ReactNode {
  switch (node.type) {
    case 'root':
      return renderChildren(node.children, options, key);
    case 'paragraph':
      return <p key={key}>{renderChildren(node.children, options, key)}</p>;
    case 'text':
      return textWithBreaks(node.value, key);
    case 'break':
      return <br key={key} />;
    case 'inlineCode':
      return <code key={key}>{node.value}</code>;
    case 'code':
      return (
        <pre
          key={key}
          className="md-code-block"
          data-language={node.lang && LANGUAGE.test(node.lang) ? node.lang : undefined}
        >
          <code>{node.value}</code>
        </pre>
      );
    case 'strong':
      return <strong key={key}>{renderChildren(node.children, options, key)}</strong>;
    case 'emphasis':
      return <em key={key}>{renderChildren(node.children, options, key)}</em>;
    case 'link':
      return (
        <a key={key} href={node.url} target="_blank" rel="noopener noreferrer nofollow">
          {renderChildren(node.children, options, key)}
        </a>
      );
    case 'mention':
      return options.mention(node.personId, node.value, key);
    case 'list': {
      const tight = node.spread !== true && node.children.every((item) => item.spread !== true);
      const items = node.children.map((item, index) => renderItem(item, tight, options, `${key}.${index}`));
      return node.ordered ? (
        <ol key={key} start={node.start == null || node.start === 1 ? undefined : node.start}>
          {items}
        </ol>
      ) : (
        <ul key={key}>{items}</ul>
      );
    }
    case 'listItem':
      return renderItem(node, false, options, key);
    default:
      // The parser has the constructs that make other nodes (HTML, headings, images, tables…) turned
      // off; should one appear anyway, its text is shown, never its markup.
      return 'children' in node ? (
        <Fragment key={key}>{renderChildren(node.children, options, key)}</Fragment>
      ) : 'value' in node ? (
        <Fragment key={key}>{node.value}</Fragment>
      ) : null;
  }
}

/** A parsed message as React elements. */
export function renderMarkdown(tree: Root, options: MarkdownRenderOptions): ReactNode[] {
  return renderChildren(tree.children, options, 'm');
}

export function MarkdownView({
  source,
  options,
  className,
}: {
  source: string;
  options: MarkdownRenderOptions;
  className?: string;
}) {
  const tree = useMemo(() => parseMessage(source), [source]);
  return <div className={['md', className].filter(Boolean).join(' ')}>{renderMarkdown(tree, options)}</div>;
}
