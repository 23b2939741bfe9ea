import { Link } from 'react-router';
import type { ChatMessage } from './chat-types';

// A message a module posted with structured content (chat.cards.ts on the server): a title, lines,
// an optional progress bar and a link inside the app. Generic: chat knows nothing of what it reports.

type Card = NonNullable<ChatMessage['card']>;

function progressLabel(progress: NonNullable<Card['progress']>): string {
  const unit = progress.unit ? ` ${progress.unit}` : '';
  return `${progress.value} of ${progress.target}${unit}`;
}

/** 0–1 from 0 towards the target (a card shows where a value stands against its target). */
function fraction(progress: NonNullable<Card['progress']>): number {
  if (progress.target === 0) return progress.value === 0 ? 1 : 0;
  return Math.min(1, Math.max(0, progress.value / progress.target));
}

export function MessageCard({ card }: { card: Card }) {
  const title = card.href ? (
    <Link to={card.href} className="message-card__title-link">
      {card.title}
    </Link>
  ) : (
    card.title
  );
  return (
    <section className={`message-card message-card--${card.tone.toLowerCase()}`} aria-label={card.title}>
      <p className="message-card__title">{title}</p>
      {card.lines.length > 0 && (
        <ul className="message-card__lines">
          {card.lines.map((line, index) => (
            // Lines are plain text in a fixed order; the same line may appear twice.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above.
            <li key={index}>{line}</li>
          ))}
        </ul>
      )}
      {card.progress && (
        <div className="message-card__progress">
          <progress max={1} value={fraction(card.progress)} aria-label={progressLabel(card.progress)} />
          <span className="muted">{progressLabel(card.progress)}</span>
        </div>
      )}
    </section>
  );
}
