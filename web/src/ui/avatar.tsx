import './surface.css';

// Generated avatar: initials on a colour derived from the name, so people are easy to tell apart. Each hue
// has its own lightness: white initials need ≥ 4.5:1 (WCAG AA), and greens and cyans are far lighter than
// blues at the same HSL lightness (at 36 % the greens gave 4.0:1). Every pair here gives 5.2:1 or more.
const COLOURS: readonly (readonly [hue: number, lightness: number])[] = [
  [220, 36],
  [160, 30],
  [12, 36],
  [280, 36],
  [32, 34],
  [195, 33],
  [340, 36],
  [100, 30],
];

export function Avatar({ name, initials, size = 'md' }: { name: string; initials: string; size?: 'sm' | 'md' | 'lg' }) {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  const [hue, lightness] = COLOURS[hash % COLOURS.length] ?? [220, 36];
  return (
    <span
      className={`avatar avatar--${size}`}
      style={{ background: `hsl(${hue} 55% ${lightness}%)` }}
      aria-hidden="true"
    >
      {initials}
    </span>
  );
}
