import type { ServerResponse } from 'node:http';

/** Headers every response carries; the CSP keeps injected markup from running scripts. */
export function setSecurityHeaders(res: ServerResponse, options: { contentSecurityPolicy: boolean }): void {
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'same-origin');
  res.setHeader('x-frame-options', 'DENY');
  if (!options.contentSecurityPolicy) return;
  res.setHeader(
    'content-security-policy',
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
      "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  );
}
