import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshotPath } from '../support/browser.js';
import { gql, SIGN_IN, signUpMember, uniqueEmail } from '../support/graphql.js';
import { startServer, type TestServer } from '../support/server.js';
import {
  freePort,
  hrefsIn,
  linksIn,
  type ReceivedMail,
  startSmtpServer,
  type TestSmtpServer,
} from '../support/smtp.js';

// Accounts in Chromium: sign-up finishes through the emailed link (a taken address gets the very same
// page, and its owner an email instead), sign in and out, a forgotten password reset through the email,
// and a password change in the settings. The server's job runner sends the emails to a real SMTP
// server in this process; the tests open their links as a person would.

let smtp: TestSmtpServer;
let server: TestServer;
let browser: Browser;
let closeBrowser: () => Promise<void>;
let origin: string;

beforeAll(async () => {
  smtp = await startSmtpServer();
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  server = await startServer({ env: { SMTP_URL: smtp.url, PORT: String(port), PUBLIC_ORIGIN: origin } });
  ({ browser, close: closeBrowser } = await launchBrowser());
});
afterAll(async () => {
  await closeBrowser?.();
  await server?.stop();
  await smtp?.close();
});

/** The first email to `address` with this subject, waiting for it to arrive. */
async function mailTo(address: string, subject: string): Promise<ReceivedMail> {
  for (;;) {
    const found = smtp.messages.find((mail) => mail.envelope.to.includes(address) && mail.parsed.subject === subject);
    if (found) return found;
    await smtp.waitForMessages(smtp.messages.length + 1);
  }
}

function linkIn(mail: ReceivedMail): string {
  const [link] = linksIn(mail.parsed.text!);
  expect(hrefsIn(mail.parsed.html as string)).toContain(link);
  return link!;
}

async function fillSignUp(page: Page, input: { name: string; email: string; password: string }) {
  await page.getByLabel('Name').fill(input.name);
  await page.getByLabel('Email').fill(input.email);
  await page.getByLabel('Password').fill(input.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { level: 1, name: 'Check your email' }).waitFor();
}

describe('a member in the browser', () => {
  it('signs up through the emailed link (in the browser’s time zone), signs out, signs in again and sees their name', async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      timezoneId: 'Pacific/Auckland',
    });
    const page = await context.newPage();
    const email = uniqueEmail('browser');
    const password = 'a long browser password';

    await page.goto(origin);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toMatch(/IT career/i);
    await page.getByRole('link', { name: 'Create account' }).first().click();
    await fillSignUp(page, { name: 'Margaret Hamilton', email, password });
    await page.getByText(`We sent an email to ${email}`).waitFor();
    // Not signed in yet: the account exists only once the link is followed.
    await expect(page.getByRole('button', { name: /Margaret Hamilton/ }).count()).resolves.toBe(0);
    await page.screenshot({ path: screenshotPath('accounts-check-email'), fullPage: true });

    const link = new URL(linkIn(await mailTo(email, 'Finish creating your Guildhall account')));
    expect(link.origin + link.pathname).toBe(`${origin}/sign-up/confirm`);
    await page.goto(link.toString());
    await page.getByRole('heading', { level: 1, name: 'Finish creating your account' }).waitFor();
    await page.getByLabel('Password').fill('not the password I chose');
    await page.getByRole('button', { name: 'Create my account' }).click();
    await page.getByText('That is not the password you chose when you signed up.').waitFor();
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Create my account' }).click();

    const menu = page.getByRole('button', { name: /Margaret Hamilton/ });
    await menu.waitFor();
    // The sign-up page sent the browser's zone: the account starts in it, not in UTC.
    const account = await server.app.services.db.user.findUniqueOrThrow({
      where: { email },
      select: { timeZone: true },
    });
    expect(account.timeZone).toBe('Pacific/Auckland');
    await page.screenshot({ path: screenshotPath('accounts-signed-up'), fullPage: true });

    // The session lives in an HttpOnly cookie that page scripts cannot read.
    const cookies = await context.cookies();
    expect(cookies.find((cookie) => cookie.name === 'gh_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    expect(await page.evaluate(() => document.cookie)).not.toContain('gh_session');

    await menu.click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: 'Sign in' }).first().waitFor();
    await expect(menu.count()).resolves.toBe(0);

    await page.getByRole('link', { name: 'Sign in' }).first().click();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('not my password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Email or password is incorrect').waitFor();
    await page.screenshot({ path: screenshotPath('accounts-wrong-password'), fullPage: true });

    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: /Margaret Hamilton/ }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');

    // A reload keeps the member signed in (the cookie, not page state).
    await page.reload();
    await page.getByRole('button', { name: /Margaret Hamilton/ }).waitFor();
    await page.screenshot({ path: screenshotPath('accounts-signed-in'), fullPage: true });
    await context.close();
  });

  it('shows a taken address the very page a new one gets, and emails its owner instead', async () => {
    const owner = await signUpMember(server.graphqlUrl, { name: 'Olive Owner' });
    const context = await browser.newContext({ viewport: { width: 375, height: 812 } });
    const page = await context.newPage();
    const card = page.locator('.auth-card');

    await page.goto(`${origin}/sign-up`);
    await fillSignUp(page, { name: 'Someone Else', email: owner.email, password: 'long enough password' });
    const takenText = (await card.textContent())!.replace(owner.email, '<address>');
    await page.screenshot({ path: screenshotPath('accounts-sign-up-taken-phone'), fullPage: true });

    const fresh = uniqueEmail('fresh');
    await page.goto(`${origin}/sign-up`);
    await fillSignUp(page, { name: 'Someone Else', email: fresh, password: 'long enough password' });
    expect((await card.textContent())!.replace(fresh, '<address>')).toBe(takenText);

    const notice = await mailTo(owner.email, 'Someone tried to sign up with your address');
    expect(linksIn(notice.parsed.text!).map((link) => new URL(link).pathname)).toEqual([
      '/sign-in',
      '/forgot-password',
    ]);
    await context.close();
  });

  it('resets a forgotten password from the emailed link, then changes it in the settings', async () => {
    const member = await signUpMember(server.graphqlUrl, { name: 'Frances Forgetful' });
    const otherDevice = (
      await gql(server.graphqlUrl, SIGN_IN, { input: { email: member.email, password: member.password } })
    ).body.data!.signIn.token as string;
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();

    await page.goto(`${origin}/sign-in`);
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    // The sign-in page stays up while the next page's code loads, and it has an Email field too.
    await page.getByRole('heading', { name: 'Reset your password' }).waitFor();
    await page.getByLabel('Email').fill(member.email);
    await page.getByRole('button', { name: 'Email me a link' }).click();
    await page.getByText(`If ${member.email} has an account, we sent it a link`).waitFor();
    await page.screenshot({ path: screenshotPath('accounts-reset-requested'), fullPage: true });

    const link = new URL(linkIn(await mailTo(member.email, 'Reset your Guildhall password')));
    expect(link.origin + link.pathname).toBe(`${origin}/reset-password`);
    await page.goto(link.toString());
    await page.getByLabel('New password').fill('a fresh start password');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your password is changed' }).waitFor();
    // Every session ended, the other device's too.
    expect(
      (await gql(server.graphqlUrl, '{ viewer { id } }', {}, { token: otherDevice })).body.data!.viewer,
    ).toBeNull();
    await page.screenshot({ path: screenshotPath('accounts-reset-done'), fullPage: true });

    // The link works once.
    await page.goto(link.toString());
    await page.getByLabel('New password').fill('a second new password');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.getByText('This link was used already').waitFor();

    await page.goto(`${origin}/sign-in`);
    await page.getByLabel('Email').fill(member.email);
    await page.getByLabel('Password').fill('a fresh start password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const menu = page.getByRole('button', { name: /Frances Forgetful/ });
    await menu.waitFor();

    const laptop = (
      await gql(server.graphqlUrl, SIGN_IN, { input: { email: member.email, password: 'a fresh start password' } })
    ).body.data!.signIn.token as string;
    await menu.click();
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('heading', { level: 1, name: 'Change your password' }).waitFor();
    // The server's typed error lands next to the field it is about.
    await page.getByLabel('Current password').fill('not my password');
    await page.getByLabel('New password').fill('my final password');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('That is not your current password.').waitFor();
    const current = page.getByLabel('Current password');
    await expect(current.getAttribute('aria-invalid')).resolves.toBe('true');

    await current.fill('a fresh start password');
    await page.getByLabel('New password').fill('my final password');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('One other device was signed out.').waitFor();
    await page.screenshot({ path: screenshotPath('accounts-password-changed'), fullPage: true });
    expect((await gql(server.graphqlUrl, '{ viewer { id } }', {}, { token: laptop })).body.data!.viewer).toBeNull();
    // This browser stays signed in.
    await page.reload();
    await menu.waitFor();
    await context.close();
  });
});
