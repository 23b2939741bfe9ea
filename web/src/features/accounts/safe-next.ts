// `?next=` comes from the address bar, so anyone can craft it: only same-site paths are followed, never
// another origin ("//evil.example", "https://…", "/\\evil.example") or a scheme like "javascript:".
export function safeNextPath(next: string | null | undefined, fallback = '/'): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  try {
    const base = window.location.origin;
    const url = new URL(next, base);
    if (url.origin !== base) return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}

// Where the sign-in and sign-up links should bring the member back to.
export function nextParamFor(pathname: string, search: string): string {
  if (pathname === '/' || pathname === '/sign-in' || pathname === '/sign-up') return '';
  return `?${new URLSearchParams({ next: `${pathname}${search}` }).toString()}`;
}
