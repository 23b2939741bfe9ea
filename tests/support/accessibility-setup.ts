import { afterEach } from 'vitest';
import { FAILING_IMPACTS, formatFindings, pagesInUse, takeFindings } from './accessibility.js';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './paths.js';

// Every test that drives a browser through launchBrowser() fails on a serious or critical axe finding on
// any page it visited (see accessibility.ts). Tests without a browser find nothing and pay nothing.
afterEach(async (context) => {
  // A failed browser test says where each of its pages stood (CI keeps only the log), with a screenshot.
  if (context.task.result?.state === 'fail') await describePages(context.task.name);
  const findings = (await takeFindings()).filter((finding) => FAILING_IMPACTS.includes(finding.impact));
  if (findings.length > 0) {
    throw new Error(`axe-core found serious or critical accessibility violations:\n${formatFindings(findings)}`);
  }
});

async function describePages(testName: string): Promise<void> {
  const slug = testName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 60);
  for (const [index, page] of pagesInUse().entries()) {
    try {
      const text = await page.evaluate(() => (document.querySelector('main') ?? document.body).textContent ?? '');
      // Not browser.ts's screenshotPath: importing it would load Playwright into every test file.
      const dir = path.join(repoRoot, 'tests/artifacts');
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `failed-${slug}-${index}.png`);
      await page.screenshot({ path: file, fullPage: true });
      console.error(
        `page ${index} at ${page.url()} when "${testName}" failed (screenshot ${file}):\n${text.replace(/\s+/g, ' ').slice(0, 600)}`,
      );
    } catch (error) {
      console.error(`page ${index} at ${page.url()} could not be described: ${String(error)}`);
    }
  }
}
