import { useMemo, type ReactNode } from 'react';
import { parseMarkdown, unreachable, type BlockNode, type InlineNode } from './markdown';

export interface MarkdownRenderOptions {
  // How a mention looks; chat renders a router link to the person, tests a plain element.
  mention(personId: string, name: string, key: string): ReactNode;
}

// Only React elements with fixed tags and attributes: React escapes every string, and the one
// attribute that carries user input (href) was checked by safeHref when the tree was parsed.
function renderInline(nodes: InlineNode[], options: MarkdownRenderOptions, prefix: string): ReactNode[] {
  return nodes.map((node, index) => {
    const key = `${prefix}.${index}`;
    switch (node.type) {
      case 'text':
        return node.text;
      case 'break':
        return <br key={key} />;
      case 'code':
        return <code key={key}>{node.text}</code>;
      case 'strong':
        return <strong key={key}>{renderInline(node.children, options, key)}</strong>;
      case 'em':
        return <em key={key}>{renderInline(node.children, options, key)}</em>;
      case 'link':
        return (
          <a key={key} href={node.href} target="_blank" rel="noopener noreferrer nofollow">
            {renderInline(node.children, options, key)}
          </a>
        );
      case 'mention':
        return options.mention(node.personId, node.name, key);
      default:
        return unreachable(node);
    }
  });
}

export function renderBlocks(blocks: BlockNode[], options: MarkdownRenderOptions): ReactNode[] {
  return blocks.map((block, index) => {
    const key = String(index);
    switch (block.type) {
      case 'paragraph':
        return <p key={key}>{renderInline(block.children, options, key)}</p>;
      case 'code-block':
        return (
          <pre key={key} className="md-code-block" data-language={block.language ?? undefined}>
            <code>{block.text}</code>
          </pre>
        );
      case 'list': {
        // Like every node of a parsed message, an item is known by its path in the tree.
        const items = block.items.map((item, itemIndex) => {
          const itemKey = `${key}.${itemIndex}`;
          return <li key={itemKey}>{renderInline(item, options, itemKey)}</li>;
        });
        return block.ordered ? (
          <ol key={key} start={block.start === 1 ? undefined : block.start}>
            {items}
          </ol>
        ) : (
          <ul key={key}>{items}</ul>
        );
      }
      default:
        return unreachable(block);
    }
  });
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
  const blocks = useMemo(() => parseMarkdown(source), [source]);
  return <div className={['md', className].filter(Boolean).join(' ')}>{renderBlocks(blocks, options)}</div>;
}
