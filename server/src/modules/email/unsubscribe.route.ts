import type http from 'node:http';
import type { AppServices } from '../../context.js';
import { notificationKind, setChannel } from '../notifications/index.js';
import { EMAIL_SETTINGS_PATH, setEmailDigest } from './digest.js';
import { escapeHtml } from './email-layout.js';
import { NOTIFICATION_SETTINGS_PATH } from './notification-mail.js';
import { signingSecret, UNSUBSCRIBE_PATH, type UnsubscribeScope, verifyUnsubscribeLink } from './unsubscribe-links.js';

// /email/unsubscribe?u=<user>&s=<scope>&sig=<hmac>: the link in every notification and digest
// email, and their List-Unsubscribe header. It works without signing in (the signature is the
// proof) and takes no CSRF header:
//   GET  shows what the link turns off and a button (link scanners open links; they must not unsubscribe);
//   POST turns it off: the button, and the RFC 8058 one-click POST a mail client sends
//        ("List-Unsubscribe=One-Click" in the body). Repeating it changes nothing.
// app.ts mounts it; a wrong or tampered link gets the same 400 whatever is wrong with it.

const MAX_BODY_BYTES = 16 * 1024;

/** Whether this request is for the unsubscribe route. */
export function matchUnsubscribe(method: string | undefined, pathname: string): boolean {
  return pathname === UNSUBSCRIBE_PATH && (method === 'GET' || method === 'HEAD' || method === 'POST');
}

function describeScope(scope: UnsubscribeScope): string | null {
  if (scope.kind === 'digest') return 'your Guildhall digest emails';
  const definition = notificationKind(scope.notificationKind);
  return definition ? `emails about “${definition.label}”` : null;
}

export async function serveUnsubscribe(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  services: Pick<AppServices, 'db' | 'env'>,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (req.method === 'POST') await drain(req);
  const link = verifyUnsubscribeLink(await signingSecret(services.db, services.env), url.searchParams);
  const what = link && describeScope(link.scope);
  const user = link && (await services.db.user.findUnique({ where: { id: link.userId }, select: { id: true } }));
  if (!link || !what || !user) {
    return page(res, 400, req.method, {
      title: 'This unsubscribe link does not work',
      paragraphs: ['The link may have been cut short or changed. Open it again from the email, or sign in to choose.'],
      settings: new URL(NOTIFICATION_SETTINGS_PATH, services.env.PUBLIC_ORIGIN).toString(),
    });
  }
  const settingsUrl = new URL(
    link.scope.kind === 'digest' ? EMAIL_SETTINGS_PATH : NOTIFICATION_SETTINGS_PATH,
    services.env.PUBLIC_ORIGIN,
  ).toString();

  if (req.method !== 'POST') {
    return page(res, 200, req.method, {
      title: 'Unsubscribe',
      paragraphs: [`Stop ${what}?`],
      // Posts back to this same signed address.
      form: { action: `${UNSUBSCRIBE_PATH}${url.search}`, button: 'Unsubscribe' },
      settings: settingsUrl,
    });
  }

  if (link.scope.kind === 'digest') {
    await services.db.$transaction((tx) => setEmailDigest(tx, user.id, 'OFF'));
  } else {
    await setChannel(services.db, user.id, link.scope.notificationKind, 'email', false);
  }
  return page(res, 200, req.method, {
    title: 'You are unsubscribed',
    paragraphs: [`You will no longer get ${what}.`, 'You can turn them on again in your settings at any time.'],
    settings: settingsUrl,
  });
}

async function drain(req: http.IncomingMessage): Promise<void> {
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) break; // the body says nothing we need; stop reading a flood
  }
}

function page(
  res: http.ServerResponse,
  status: number,
  method: string | undefined,
  content: { title: string; paragraphs: string[]; form?: { action: string; button: string }; settings: string },
): void {
  const form = content.form
    ? `<form method="post" action="${escapeHtml(content.form.action)}">` +
      `<input type="hidden" name="List-Unsubscribe" value="One-Click">` +
      `<button type="submit" style="font:inherit;padding:8px 16px;border-radius:6px;border:0;background:#3b4fd8;` +
      `color:#fff;cursor:pointer">${escapeHtml(content.form.button)}</button></form>`
    : '';
  const body =
    `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">` +
    `<title>${escapeHtml(content.title)} · Guildhall</title></head>` +
    `<body style="margin:0;background:#f6f6f8;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;` +
    `color:#1d1d1f"><main style="max-width:480px;margin:48px auto;padding:24px;background:#fff;border-radius:8px">` +
    `<h1 style="font-size:22px;margin:0 0 16px">${escapeHtml(content.title)}</h1>` +
    content.paragraphs.map((text) => `<p>${escapeHtml(text)}</p>`).join('') +
    form +
    `<p style="margin-top:24px;font-size:14px"><a href="${escapeHtml(content.settings)}">Your settings</a></p>` +
    `</main></body></html>`;
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    // The address holds the signature: keep it out of Referer headers.
    'referrer-policy': 'no-referrer',
  });
  res.end(method === 'HEAD' ? undefined : body);
}
