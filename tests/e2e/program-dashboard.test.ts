import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_LOGIN, seedDemoData } from '../../server/src/seed/demo-data.js';
import { launchBrowser, screenshotPath } from '../support/browser.js';
import { repoRoot } from '../support/paths.js';
import { startServer, type TestServer } from '../support/server.js';

// The program dashboard in the browser, on the demo data: Ada co-runs the mentoring program and
// opens its dashboard from the group page (figures, charts, the table, weeks or months); the chart
// library arrives with that page only; a program with nothing yet says so; a member of the program
// finds no link and, going to the address, is told who the dashboard is for.

let server: TestServer;
let browser: Browser;
let closeBrowser: () => Promise<void>;
const contexts: BrowserContext[] = [];
const LIVE = { timeout: 15_000 };
const PROGRAM = 'guildhall-mentoring-program';
const CHARTS_CHUNK = /\/assets\/program-charts-[\w-]+\.js$/;

beforeAll(async () => {
  server = await startServer();
  await seedDemoData(server.app.services.db);
  ({ browser, close: closeBrowser } = await launchBrowser());
});
afterAll(async () => {
  for (const context of contexts) await context.close();
  await closeBrowser?.();
  await server?.stop();
});

/** A demo member signed in through the API in their own context; `scripts` lists every script loaded. */
async function demoMember(email: string): Promise<{ page: Page; scripts: string[]; context: BrowserContext }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
  contexts.push(context);
  const response = await context.request.post(`${server.url}/graphql`, {
    headers: { 'content-type': 'application/json', 'x-graphql-yoga-csrf': '1' },
    data: {
      query: 'mutation($input: SignInInput!) { signIn(input: $input) { __typename } }',
      variables: { input: { email, password: DEMO_LOGIN.password } },
    },
  });
  expect(((await response.json()) as { data: { signIn: { __typename: string } } }).data.signIn.__typename).toBe(
    'AuthPayload',
  );
  const page = await context.newPage();
  const scripts: string[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
  });
  page.on('console', (message) => {
    if (message.type() === 'error') console.log(`[${email}] ${message.text()}`);
  });
  return { page, scripts, context };
}

describe('program dashboard', () => {
  it('builds the chart library into its own chunk, not the entry bundle', () => {
    const dist = path.join(repoRoot, 'web/dist');
    const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
    const entries = [...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map((match) => match[1]!);
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) expect(fs.readFileSync(path.join(dist, entry), 'utf8')).not.toContain('recharts');
    const chunks = fs.readdirSync(path.join(dist, 'assets')).filter((name) => /^program-charts-.*\.js$/.test(name));
    expect(chunks).toHaveLength(1);
    expect(fs.readFileSync(path.join(dist, 'assets', chunks[0]!), 'utf8')).toContain('recharts');
  });

  it('shows Ada the program’s figures, charts and table, loading the charts only on that page', async () => {
    const { page, scripts } = await demoMember(DEMO_LOGIN.email);
    await page.goto(`${server.url}/groups/${PROGRAM}`);
    await page.getByRole('heading', { level: 1, name: 'Guildhall Mentoring Program' }).waitFor(LIVE);
    expect(scripts.filter((script) => CHARTS_CHUNK.test(script))).toEqual([]);

    await page.getByRole('link', { name: 'Mentoring dashboard' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mentoring dashboard' }).waitFor(LIVE);
    const figures = page.getByRole('region', { name: 'In this period' });
    await figures.getByText('Acceptance rate').waitFor(LIVE);
    await expect(figures.getByText('Average feedback').count()).resolves.toBe(1);
    // Twelve months, one row each (and the header), in a table anyone can read.
    const table = page.getByRole('table');
    await table.getByRole('columnheader', { name: 'Kept' }).waitFor(LIVE);
    await expect(table.getByRole('row').count()).resolves.toBe(13);
    // The five charts, drawn by the lazily loaded chunk.
    const charts = page.getByRole('region', { name: 'Over time' });
    await charts.getByRole('figure', { name: /Agreed check-ins kept/ }).waitFor(LIVE);
    await page.locator('.recharts-surface').nth(4).waitFor(LIVE);
    await expect(page.locator('.metrics-chart').count()).resolves.toBe(5);
    expect(scripts.filter((script) => CHARTS_CHUNK.test(script))).toHaveLength(1);
    // Words people wrote never show: only numbers.
    await expect(page.getByText('Kick-off').count()).resolves.toBe(0);
    await page.screenshot({ path: screenshotPath('program-dashboard'), fullPage: true });

    await page.getByLabel('Period', { exact: true }).selectOption('3');
    await page.getByLabel('Group figures').selectOption('WEEK');
    await page.getByRole('heading', { name: 'Week by week' }).waitFor(LIVE);
    await expect(table.getByRole('row').count()).resolves.toBeGreaterThanOrEqual(10);
  });

  it('says so when a program has no mentoring yet', async () => {
    const { page, context } = await demoMember(DEMO_LOGIN.email);
    const created = await context.request.post(`${server.url}/graphql`, {
      headers: { 'content-type': 'application/json', 'x-graphql-yoga-csrf': '1' },
      data: {
        query:
          'mutation($input: CreateGroupInput!) { createGroup(input: $input) { __typename ... on GroupPayload { group { slug } } } }',
        variables: { input: { name: 'Autumn Mentoring Pilot', kind: 'PROGRAM', visibility: 'PRIVATE' } },
      },
    });
    const slug = ((await created.json()) as { data: { createGroup: { group: { slug: string } } } }).data.createGroup
      .group.slug;
    await page.goto(`${server.url}/groups/${slug}/mentoring`);
    await page.getByRole('heading', { name: 'No mentoring in this period yet' }).waitFor(LIVE);
    await expect(page.getByRole('table').count()).resolves.toBe(0);
  });

  it('offers a member of the program no link, and tells them who the dashboard is for', async () => {
    const { page, scripts } = await demoMember('finn@guildhall.dev');
    await page.goto(`${server.url}/groups/${PROGRAM}`);
    await page.getByRole('heading', { level: 1, name: 'Guildhall Mentoring Program' }).waitFor(LIVE);
    await expect(page.getByRole('link', { name: 'Mentoring dashboard' }).count()).resolves.toBe(0);
    await page.goto(`${server.url}/groups/${PROGRAM}/mentoring`);
    await page.getByText('The mentoring dashboard is for the owners and admins of this program.').waitFor(LIVE);
    expect(scripts.filter((script) => CHARTS_CHUNK.test(script))).toEqual([]);
  });
});
