import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshotPath } from '../support/browser.js';
import { signUpMember } from '../support/graphql.js';
import { createGroup } from '../support/groups.js';
import { startServer, type TestServer } from '../support/server.js';
import { freePort, hrefsIn, linksIn, startSmtpServer, type TestSmtpServer } from '../support/smtp.js';

// Address verification end to end in Chromium: a member whose address is on an organisation's
// domain cannot join its PROGRAM group until the address is confirmed; they ask for a link, the
// email really arrives (SMTP, delivered by the server's job runner), and opening its link — in a
// browser that is not signed in, as from a mail app — confirms the address after signing in.
// Then the group admits them.

let smtp: TestSmtpServer;
let server: TestServer;
let browser: Browser;
let closeBrowser: () => Promise<void>;
let origin: string;

beforeAll(async () => {
  smtp = await startSmtpServer();
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  // The job runner is on, as in production: it delivers the email a moment after the request.
  server = await startServer({ env: { SMTP_URL: smtp.url, PORT: String(port), PUBLIC_ORIGIN: origin } });
  ({ browser, close: closeBrowser } = await launchBrowser());
});
afterAll(async () => {
  await closeBrowser?.();
  await server?.stop();
  await smtp?.close();
});

describe('confirming an email address in the browser', () => {
  it('lets a member join a domain-restricted PROGRAM group once the emailed link confirmed their address', async () => {
    const tag = Date.now().toString(36);
    const domain = `acme-${tag}.test`;
    const owner = await signUpMember(server.graphqlUrl, { name: 'Olive Owner' });
    const program = await createGroup(server.graphqlUrl, owner, {
      name: `Acme mentoring ${tag}`,
      kind: 'PROGRAM',
      allowedEmailDomain: domain,
    });
    const email = `grace-${tag}@${domain}`;
    const password = 'a long browser password';

    // An account whose address is not confirmed yet (one made before sign-up confirmed addresses by
    // its emailed link; signUpMember makes such accounts).
    await signUpMember(server.graphqlUrl, { name: 'Grace Hopper', email, password });

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${origin}/sign-in`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: /Grace Hopper/ }).waitFor();

    // Not confirmed yet: the group refuses.
    await page.goto(`${origin}/groups/${program.slug}`);
    await page.getByRole('button', { name: 'Join group' }).click();
    await page.getByText('verified email address at its organisation').waitFor();

    // The refusal leads to the email settings, where the member asks for a link.
    await page.getByRole('link', { name: 'Confirm your email address' }).click();
    await page.getByRole('heading', { level: 1, name: 'Email settings' }).waitFor();
    // The member menu leads there too.
    await page.getByRole('button', { name: /Grace Hopper/ }).click();
    await page.getByRole('button', { name: 'Email settings' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByText(`${email} is not confirmed yet`, { exact: false }).waitFor();
    const before = smtp.messages.length;
    await page.getByRole('button', { name: 'Email me a confirmation link' }).click();
    await page.getByText(`We sent a link to ${email}`).waitFor();
    await page.screenshot({ path: screenshotPath('email-verification-sent'), fullPage: true });

    const [mail] = (await smtp.waitForMessages(before + 1)).slice(before);
    expect(mail!.envelope.to).toEqual([email]);
    expect(mail!.raw).not.toContain(owner.email);
    expect(mail!.parsed.subject).toBe('Confirm your email address for Guildhall');
    const [link] = linksIn(mail!.parsed.text!);
    expect(hrefsIn(mail!.parsed.html as string)).toEqual([link]);
    expect(new URL(link!).origin).toBe(origin);
    expect(new URL(link!).pathname).toBe('/verify-email');

    // Opened from a mail app: a browser that is not signed in. Sign in, and the link does its work.
    const mailApp = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const opened = await mailApp.newPage();
    await opened.goto(link!);
    await opened.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await opened.getByLabel('Email').fill(email);
    await opened.getByLabel('Password').fill(password);
    await opened.getByRole('button', { name: 'Sign in' }).click();
    await opened.getByText('Your email address is confirmed').waitFor();
    expect(new URL(opened.url()).pathname).toBe('/verify-email');
    // The used token is no longer in the address bar.
    expect(new URL(opened.url()).search).toBe('');
    await opened.screenshot({ path: screenshotPath('email-verification-confirmed'), fullPage: true });

    // Opening the same link again changes nothing and says so.
    await opened.goto(link!);
    await opened.getByText('Your email address is confirmed').waitFor();

    // Back in the first browser: the settings show it confirmed, and the group admits them now.
    await page.reload();
    await page.getByText(`${email} is confirmed.`).waitFor();
    await page.goto(`${origin}/groups/${program.slug}`);
    await page.getByRole('button', { name: 'Join group' }).click();
    await page.getByRole('button', { name: 'Leave group' }).waitFor();
    await page.screenshot({ path: screenshotPath('email-verification-joined'), fullPage: true });

    await mailApp.close();
    await context.close();
  });
});
