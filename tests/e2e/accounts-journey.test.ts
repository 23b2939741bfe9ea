import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { uniqueEmail } from '../support/graphql.js';
import { launchBrowser, screenshotPath } from '../support/browser.js';
import { startServer, type TestServer } from '../support/server.js';

let server: TestServer;
let browser: Browser;
let closeBrowser: () => Promise<void>;

beforeAll(async () => {
  server = await startServer();
  ({ browser, close: closeBrowser } = await launchBrowser());
});
afterAll(async () => {
  await closeBrowser?.();
  await server?.stop();
});

describe('a member in the browser', () => {
  it('signs up, signs out, signs in again and sees their name', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const email = uniqueEmail('browser');
    const password = 'a long browser password';

    await page.goto(server.url);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toMatch(/IT career/i);
    await page.getByRole('link', { name: 'Create account' }).first().click();
    await page.getByLabel('Name').fill('Margaret Hamilton');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();

    const menu = page.getByRole('button', { name: /Margaret Hamilton/ });
    await menu.waitFor();
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

  it('shows the server’s typed errors next to the right field', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 812 } });
    const page = await context.newPage();
    const email = uniqueEmail('taken');
    const first = await browser.newContext();
    // Someone already has this email.
    await (await first.newPage()).request.post(`${server.url}/graphql`, {
      data: {
        query: 'mutation($input: SignUpInput!) { signUp(input: $input) { __typename } }',
        variables: { input: { email, password: 'long enough password', name: 'First' } },
      },
    });
    await first.close();

    await page.goto(`${server.url}/sign-up`);
    await page.getByLabel('Name').fill('Second');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('long enough password');
    await page.getByRole('button', { name: 'Create account' }).click();
    const emailField = page.getByLabel('Email');
    await page.getByText(/already exists/i).waitFor();
    await expect(emailField.getAttribute('aria-invalid')).resolves.toBe('true');
    const describedBy = (await emailField.getAttribute('aria-describedby')) ?? '';
    const descriptions = await Promise.all(
      describedBy
        .split(' ')
        .filter(Boolean)
        .map((id) => page.locator(`[id="${id}"]`).textContent()),
    );
    expect(descriptions.join(' ')).toMatch(/already exists/i);
    await page.screenshot({ path: screenshotPath('accounts-email-taken-phone'), fullPage: true });
    await context.close();
  });
});
