import './surface.css';

// Generated avatar: initials on a colour derived from the name, so people are easy to tell apart.
const HUES = [220, 160, 12, 280, 32, 195, 340, 100];

export function Avatar({ name, initials, size = 'md' }: { name: string; initials: string; size?: 'sm' | 'md' | 'lg' }) {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  const hue = HUES[hash % HUES.length] ?? 220;
  return (
    <span className={`avatar avatar--${size}`} style={{ background: `hsl(${hue} 55% 36%)` }} aria-hidden="true">
      {initials}
    </span>
  );
}
