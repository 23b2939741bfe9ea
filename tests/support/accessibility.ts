import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

// axe-core on every page the browser tests visit. launchBrowser() watches each page it opens; once a page
// settles on a new path, axe runs there (once per path and viewport class per test, so a test that clicks
// about on one page pays once). tests/support/accessibility-setup.ts fails the test on a serious or
// critical finding, listing each one.

export type Impact = 'minor' | 'moderate' | 'serious' | 'critical';

export interface Finding {
  rule: string;
  impact: Impact;
  help: string;
  /** Where: the page's path and, on a phone-sized window, "(phone)". */
  page: string;
  /** CSS selectors of the offending elements (the first few). */
  targets: string[];
}

export const FAILING_IMPACTS: readonly Impact[] = ['serious', 'critical'];
export const ALL_IMPACTS: readonly Impact[] = ['minor', 'moderate', 'serious', 'critical'];

const require = createRequire(import.meta.url);
let axeSource: string | undefined;
const axeScript = () => {
  axeSource ??= fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  return axeSource;
};

// A page counts as settled when its first paint of data is in: no "Loading…" and no busy region.
const SETTLED = () =>
  document.readyState === 'complete' &&
  document.querySelector('main h1, h1') !== null &&
  document.querySelector('.loading, [aria-busy="true"]') === null;

const phoneWidth = 600;
const settleTimeout = 5_000;
const axeTimeout = 20_000;

function whereOf(page: Page, url = page.url()): string | null {
  if (!url.startsWith('http')) return null;
  const width = page.viewportSize()?.width ?? 1280;
  return `${new URL(url).pathname}${width < phoneWidth ? ' (phone)' : ''}`;
}

/** Runs axe on the page as it is now and returns every violation at or above the given impacts. */
export async function auditPage(page: Page, impacts: readonly Impact[] = FAILING_IMPACTS): Promise<Finding[]> {
  const where = whereOf(page) ?? page.url();
  // Evaluated as a script, so a Content-Security-Policy on the page does not stop it.
  const hasAxe = await page.evaluate(() => 'axe' in window);
  if (!hasAxe) await page.evaluate(axeScript());
  const violations = await page.evaluate(async () => {
    type Result = {
      id: string;
      impact: string | null;
      help: string;
      nodes: { target: unknown[] }[];
    };
    const axe = (
      window as unknown as { axe?: { run(context: Document, options: object): Promise<{ violations: Result[] }> } }
    ).axe;
    // A navigation between injecting axe and running it leaves a new document without it.
    if (!axe) return null;
    const result = await axe.run(document, { restoreScroll: true, resultTypes: ['violations'] });
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      targets: violation.nodes.map((node) => node.target.map(String).join(' ')),
    }));
  });
  if (violations === null) throw new Error('navigated while axe was being injected');
  return violations
    .filter((violation) => impacts.includes(violation.impact as Impact))
    .map((violation) => ({
      rule: violation.id,
      impact: violation.impact as Impact,
      help: violation.help,
      page: where,
      targets: violation.targets,
    }));
}

export function formatFindings(findings: readonly Finding[]): string {
  return findings
    .map(
      (finding) =>
        `  [${finding.impact}] ${finding.rule} on ${finding.page}: ${finding.help}\n` +
        finding.targets
          .slice(0, 5)
          .map((target) => `      ${target}`)
          .join('\n') +
        (finding.targets.length > 5 ? `\n      … and ${finding.targets.length - 5} more` : ''),
    )
    .join('\n');
}

// What the watcher found in the current test, and what it has already looked at.
const findings: Finding[] = [];
const audited = new Set<string>();
const touched = new Set<Page>();
const watched = new WeakSet<Page>();
const running = new Map<Page, { done: Promise<void>; again: boolean }>();

const gone = (error: unknown) =>
  error instanceof Error && /closed|destroyed|detached|navigat|Target page|crashed|Timeout/iu.test(error.message);

async function settleAndAudit(page: Page): Promise<void> {
  const url = page.url();
  const where = whereOf(page, url);
  if (!where || audited.has(where) || page.isClosed()) return;
  await page.waitForFunction(SETTLED, undefined, { timeout: settleTimeout, polling: 100 }).catch(() => undefined);
  // A little longer for the live data that follows the first paint.
  await page.waitForTimeout(200).catch(() => undefined);
  if (page.isClosed() || page.url() !== url || audited.has(where)) return;
  audited.add(where);
  try {
    const found = await Promise.race([
      auditPage(page, ALL_IMPACTS),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('Timeout: axe')), axeTimeout)),
    ]);
    // Left mid-audit: the next page's audit covers what is there now; this path gets another chance.
    if (page.url() !== url) audited.delete(where);
    else findings.push(...found);
  } catch (error) {
    audited.delete(where);
    if (!gone(error)) throw error;
  }
}

function schedule(page: Page): void {
  touched.add(page);
  const current = running.get(page);
  if (current) {
    current.again = true;
    return;
  }
  const state = { again: false, done: Promise.resolve() };
  state.done = (async () => {
    do {
      state.again = false;
      await settleAndAudit(page).catch((error: unknown) => {
        if (!gone(error)) throw error;
      });
    } while (state.again && !page.isClosed());
  })().finally(() => running.delete(page));
  running.set(page, state);
}

/** Audits every page this page navigates to (called by launchBrowser for each new page). */
export function watchPage(page: Page): void {
  if (watched.has(page) || process.env.AXE === 'off') return;
  watched.add(page);
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) schedule(page);
  });
  page.on('close', () => touched.delete(page));
}

/**
 * Waits for the audits under way, audits where each page used in this test stands now (if that path is
 * not done yet), and returns the findings of the test (of every impact), starting afresh for the next one.
 */
export async function takeFindings(): Promise<Finding[]> {
  for (const page of touched) {
    if (page.isClosed()) continue;
    const state = running.get(page);
    if (state) await state.done.catch(() => undefined);
    await settleAndAudit(page).catch((error: unknown) => {
      if (!gone(error)) throw error;
    });
  }
  const result = findings.splice(0);
  audited.clear();
  touched.clear();
  return result;
}

/** The pages this test has used that are still open (for describing a failure). */
export function pagesInUse(): Page[] {
  return [...touched].filter((page) => !page.isClosed());
}

/** Waits until the page's current path has been audited (for tests that visit pages only to audit them). */
export async function settledAudit(page: Page): Promise<void> {
  touched.add(page);
  const state = running.get(page);
  if (state) await state.done.catch(() => undefined);
  await settleAndAudit(page);
}
