import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_LOGIN, seedDemoData } from '../../server/src/seed/demo-data.js';
import { FAILING_IMPACTS, formatFindings, settledAudit, takeFindings } from '../support/accessibility.js';
import { launchBrowser } from '../support/browser.js';
import { repoRoot } from '../support/paths.js';
import { startServer, type TestServer } from '../support/server.js';

// axe-core on every route of the web app (web/src/app/router.tsx): signed in as the demo's Ada, who owns
// groups, co-runs the mentoring program, mentors and is mentored, and signed out on the public ones. Pages
// are found by following the app's own links from the first ones, one address per route; the few that
// nothing links to (an invite, the email links) are opened directly.

// Every route of the router, as written there ('*' is the not-found page).
const ROUTES = [
  '',
  'sign-in',
  'sign-up',
  'sign-up/confirm',
  'forgot-password',
  'reset-password',
  'settings/password',
  'verify-email',
  'settings/email',
  'people',
  'people/:id',
  'profile',
  'groups',
  'groups/new',
  'groups/:slug',
  'groups/:slug/admin',
  'groups/:slug/mentoring',
  'groups/:slug/moderation',
  'groups/:slug/moderation/log',
  'moderation',
  'moderation/log',
  'settings/mentoring',
  'mentors/:personId/request',
  'mentorship/requests',
  'mentorships',
  'mentorships/:id',
  'groups/:slug/pairings',
  'mentors',
  'settings/blocked',
  'groups/:slug/events/new',
  'events',
  'events/:id',
  'invites/:token',
  'notifications',
  'office-hours/:hostId',
  'office-hours/slots/:slotId',
  'bookings',
  'settings/calendar',
  'chat',
  'chat/:conversationId',
  'office-hours/manage',
  'office-hours/new',
  'office-hours/:id/edit',
  'people/:id/introduce',
  'introductions',
  'introductions/:id',
  '*',
];
// Open to a signed-out visitor (the others send them to sign in).
const PUBLIC_ROUTES = [
  '',
  'sign-in',
  'sign-up',
  'sign-up/confirm',
  'forgot-password',
  'reset-password',
  'office-hours/:hostId',
  'office-hours/slots/:slotId',
  '*',
];

// The route a path opens, as React Router ranks them: static segments win over dynamic ones.
function routeOf(pathname: string): string {
  const segments = pathname.split('/').filter(Boolean);
  let best: { route: string; score: number } | null = null;
  for (const route of ROUTES) {
    if (route === '*') continue;
    const parts = route.split('/').filter(Boolean);
    if (parts.length !== segments.length) continue;
    if (!parts.every((part, i) => part.startsWith(':') || part === segments[i])) continue;
    const score = parts.filter((part) => !part.startsWith(':')).length;
    if (!best || score > best.score) best = { route, score };
  }
  return best?.route ?? '*';
}

let server: TestServer;
let browser: Browser;
let closeBrowser: () => Promise<void>;
const contexts: BrowserContext[] = [];
// Ada's office-hours page and one of its slots: found signed in, opened signed out.
let publicPaths: string[] = [];

beforeAll(async () => {
  server = await startServer({ env: { ADMIN_EMAILS: DEMO_LOGIN.email } });
  await seedDemoData(server.app.services.db);
  ({ browser, close: closeBrowser } = await launchBrowser());
  // Seeding the whole demo takes a while on a busy machine.
}, 400_000);
afterAll(async () => {
  for (const context of contexts) await context.close();
  await closeBrowser?.();
  await server?.stop();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    timezoneId: 'Europe/Berlin',
    locale: 'en-GB',
  });
  contexts.push(context);
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') console.log(`[console] ${page.url()}: ${message.text()}`);
  });
  return page;
}

async function gql<T>(page: Page, query: string, variables?: Record<string, unknown>): Promise<T> {
  const response = await page.context().request.post(`${server.url}/graphql`, {
    headers: { 'content-type': 'application/json', 'x-graphql-yoga-csrf': '1' },
    data: { query, variables },
  });
  const body = (await response.json()) as { data?: T; errors?: unknown };
  if (body.errors || !body.data) throw new Error(`GraphQL failed: ${JSON.stringify(body)}`);
  return body.data;
}

/** Opens each address, lets the watcher audit it, and follows links to routes not seen yet. */
async function crawl(page: Page, start: string[], follow: boolean): Promise<Map<string, string>> {
  const seen = new Map<string, string>(); // route → the path that showed it
  const queue = [...start];
  while (queue.length > 0) {
    const next = queue.shift()!;
    const route = routeOf(new URL(next, server.url).pathname);
    if (seen.has(route)) continue;
    await page.goto(new URL(next, server.url).href);
    await settledAudit(page);
    const landed = new URL(page.url()).pathname;
    // A route that moves on at once (a slot opens its host's page) counts as visited; so does the route shown.
    seen.set(route, new URL(next, server.url).pathname);
    if (!seen.has(routeOf(landed))) seen.set(routeOf(landed), landed);
    if (!follow) continue;
    const links = await page.$$eval('a[href]', (anchors) =>
      anchors.map((anchor) => (anchor as HTMLAnchorElement).href),
    );
    for (const link of links) {
      const url = new URL(link);
      if (url.origin !== new URL(server.url).origin || url.pathname.startsWith('/api')) continue;
      if (url.pathname.endsWith('.ics') || url.pathname.startsWith('/graphql')) continue;
      if (!seen.has(routeOf(url.pathname))) queue.push(url.pathname + url.search);
    }
  }
  return seen;
}

function report(seen: Map<string, string>, findings: Awaited<ReturnType<typeof takeFindings>>) {
  console.log(
    `axe-core ran on ${seen.size} routes:\n${[...seen].map(([route, at]) => `  /${route} at ${at}`).join('\n')}`,
  );
  const lesser = findings.filter((finding) => !FAILING_IMPACTS.includes(finding.impact));
  if (lesser.length > 0) console.log(`minor and moderate findings (not failing):\n${formatFindings(lesser)}`);
  const failing = findings.filter((finding) => FAILING_IMPACTS.includes(finding.impact));
  expect(failing, formatFindings(failing)).toEqual([]);
}

describe('accessibility of every page (axe-core)', () => {
  it('lists every route of the router', () => {
    // A new route must be added here, so this test visits it.
    const source = fs.readFileSync(path.join(repoRoot, 'web/src/app/router.tsx'), 'utf8');
    const written = [
      ...[...source.matchAll(/path: '([^']+)'/gu)].map((match) => match[1]!),
      ...[...source.matchAll(/\['([^']+)', </gu)].map((match) => match[1]!),
    ];
    expect(written.length).toBeGreaterThan(30);
    expect(written.filter((route) => !ROUTES.includes(route))).toEqual([]);
  });

  it('finds no serious or critical violation on any page a signed-in member opens', { timeout: 400_000 }, async () => {
    const page = await newPage();
    const signIn = await gql<{ signIn: { __typename: string } }>(
      page,
      'mutation($input: SignInInput!) { signIn(input: $input) { __typename } }',
      { input: DEMO_LOGIN },
    );
    expect(signIn.signIn.__typename).toBe('AuthPayload');
    // Ada owns the bootcamp's alumni group and co-runs the mentoring program: their admin pages show
    // everything. An invite link to open as it arrives, and a slot of her office hours (notifications link there).
    const alumni = await gql<{ group: { id: string } }>(
      page,
      'query { group(slug: "launchpad-bootcamp-alumni") { id } }',
    );
    const link = await gql<{ createInviteLink: { url: string } }>(
      page,
      'mutation($input: CreateInviteLinkInput!) { createInviteLink(input: $input) { ... on InviteLinkPayload { url } } }',
      { input: { groupId: alumni.group.id } },
    );
    const hosted = await gql<{
      viewer: { id: string };
      hostedOfficeHours: { audience: string; nextSlots: { id: string }[] }[];
    }>(page, '{ viewer { id } hostedOfficeHours { audience nextSlots(first: 1) { id } } }');
    const slotId = hosted.hostedOfficeHours.find((series) => series.audience === 'PUBLIC')?.nextSlots[0]?.id;
    if (!slotId) throw new Error('the demo has no public office hours of Ada with a slot ahead');
    publicPaths = [
      `/office-hours/${encodeURIComponent(hosted.viewer.id)}`,
      `/office-hours/slots/${encodeURIComponent(slotId)}`,
    ];

    const start = [
      '/',
      '/groups/launchpad-bootcamp-alumni/admin',
      '/groups/guildhall-mentoring-program',
      '/groups/guildhall-mentoring-program/mentoring',
      '/groups/guildhall-mentoring-program/pairings',
      ...ROUTES.filter((route) => !route.includes(':') && route !== '*' && route !== '').map((route) => `/${route}`),
      link.createInviteLink.url,
      publicPaths[1]!,
      '/no-such-page',
    ];
    const seen = await crawl(page, start, true);
    // Asking for an introduction is offered only on some profiles: open it for the first person seen.
    const person = seen.get('people/:id');
    if (person && !seen.has('people/:id/introduce')) {
      for (const [route, at] of await crawl(page, [`${person}/introduce`], false)) seen.set(route, at);
    }
    // The email links (verify-email, sign-up/confirm, reset-password) open without a token too; the
    // office-hours slot link comes from notifications.
    const missing = ROUTES.filter((route) => !seen.has(route));
    expect(missing, `routes no link led to: ${missing.join(', ')}`).toEqual([]);
    report(seen, await takeFindings());
  });

  it('finds no serious or critical violation on the pages open to a signed-out visitor', {
    timeout: 120_000,
  }, async () => {
    const page = await newPage();
    const start = [
      '/',
      '/sign-in',
      '/sign-up',
      '/sign-up/confirm',
      '/forgot-password',
      '/reset-password',
      ...publicPaths,
      '/no-such-page',
    ];
    const seen = await crawl(page, start, false);
    expect(PUBLIC_ROUTES.filter((route) => !seen.has(route))).toEqual([]);
    report(seen, await takeFindings());
  });
});
