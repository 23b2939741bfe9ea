const ALLOWED_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/** The address to link to, or null when it is not an absolute http, https or mailto URL. */
export function safeHref(raw: string): string | null {
  const candidate = raw.trim();
  // Control characters and spaces are never part of an address we link; browsers strip some of them
  // (e.g. "java\tscript:"), which is exactly how scheme filters are fooled.
  if (candidate === '' || /[\u0000-\u0020\u007f-\u009f]/.test(candidate)) return null;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return null;
  }
  if (!ALLOWED_PROTOCOLS.has(url.protocol)) return null;
  return url.href;
}
