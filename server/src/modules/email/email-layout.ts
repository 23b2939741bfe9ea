// The one layout every email shares: a template says what to write (plain strings and links), this
// file turns it into the text part and the HTML part. All text is escaped here, so a template never
// writes markup and a name like `<script>` or `Tom & Jerry` shows as written. nodemailer builds the
// MIME message from the two parts.

export interface EmailLink {
  label: string;
  url: string;
}

export interface EmailContent {
  subject: string;
  /** "Hello Ada," */
  greeting?: string;
  /** Plain-text paragraphs before the action. */
  paragraphs: readonly string[];
  /** The one button of the email. */
  action?: EmailLink;
  /** A list of links (the digest's notifications). */
  items?: readonly EmailLink[];
  /** Plain-text paragraphs after the action. */
  closing?: readonly string[];
}

export interface EmailFooter {
  /** Why the member gets this email, e.g. "You get this because …". */
  reason?: string;
  unsubscribeUrl?: string;
  settingsUrl?: string;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text for an HTML element or a quoted attribute value. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character]!);
}

/** Only absolute http(s) links go into an email (never javascript: or a relative path). */
export function checkedUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error(`not an http(s) link: ${url}`);
  return parsed.toString();
}

// A subject is one header line: no line breaks, bounded length.
function subjectLine(subject: string): string {
  const single = subject.replace(/\s+/g, ' ').trim();
  return single.length > 150 ? `${single.slice(0, 149)}…` : single;
}

export function renderEmail(content: EmailContent, footer: EmailFooter = {}): RenderedEmail {
  const subject = subjectLine(content.subject);
  const action = content.action && { label: content.action.label, url: checkedUrl(content.action.url) };
  const items = (content.items ?? []).map((item) => ({ label: item.label, url: checkedUrl(item.url) }));
  const unsubscribeUrl = footer.unsubscribeUrl && checkedUrl(footer.unsubscribeUrl);
  const settingsUrl = footer.settingsUrl && checkedUrl(footer.settingsUrl);
  const closing = content.closing ?? [];

  const text: string[] = [];
  if (content.greeting) text.push(content.greeting);
  text.push(...content.paragraphs);
  if (action) text.push(`${action.label}:\n${action.url}`);
  if (items.length > 0) text.push(items.map((item) => `- ${item.label}\n  ${item.url}`).join('\n'));
  text.push(...closing);
  const footerText: string[] = [];
  if (footer.reason) footerText.push(footer.reason);
  if (settingsUrl) footerText.push(`Notification settings: ${settingsUrl}`);
  if (unsubscribeUrl) footerText.push(`Unsubscribe: ${unsubscribeUrl}`);
  if (footerText.length > 0) text.push(`--\n${footerText.join('\n')}`);

  const paragraph = (value: string) => `<p style="margin:0 0 16px">${escapeHtml(value).replace(/\n/g, '<br>')}</p>`;
  const html: string[] = [];
  if (content.greeting) html.push(paragraph(content.greeting));
  html.push(...content.paragraphs.map(paragraph));
  if (action) {
    html.push(
      `<p style="margin:24px 0"><a href="${escapeHtml(action.url)}" style="background:#3b4fd8;color:#ffffff;` +
        `padding:10px 18px;border-radius:6px;text-decoration:none;display:inline-block">${escapeHtml(action.label)}</a></p>`,
    );
  }
  if (items.length > 0) {
    const list = items
      .map((item) => `<li style="margin:0 0 8px"><a href="${escapeHtml(item.url)}">${escapeHtml(item.label)}</a></li>`)
      .join('');
    html.push(`<ul style="margin:0 0 16px;padding-left:20px">${list}</ul>`);
  }
  html.push(...closing.map(paragraph));
  const footerHtml: string[] = [];
  if (footer.reason) footerHtml.push(escapeHtml(footer.reason));
  const footerLinks: string[] = [];
  if (settingsUrl)
    footerLinks.push(`<a href="${escapeHtml(settingsUrl)}" style="color:#666666">Notification settings</a>`);
  if (unsubscribeUrl) footerLinks.push(`<a href="${escapeHtml(unsubscribeUrl)}" style="color:#666666">Unsubscribe</a>`);
  if (footerLinks.length > 0) footerHtml.push(footerLinks.join(' · '));
  if (footerHtml.length > 0) {
    html.push(
      `<hr style="border:none;border-top:1px solid #dddddd;margin:24px 0 12px">` +
        `<p style="margin:0;font-size:12px;color:#666666">${footerHtml.join('<br>')}</p>`,
    );
  }

  return {
    subject,
    text: `${text.join('\n\n')}\n`,
    html:
      `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
      `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(subject)}</title></head>` +
      `<body style="margin:0;padding:0;background:#f6f6f8"><div style="max-width:560px;margin:0 auto;padding:24px;` +
      `background:#ffffff;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:15px;` +
      `line-height:1.5;color:#1d1d1f">${html.join('')}</div></body></html>`,
  };
}
