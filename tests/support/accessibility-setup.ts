import { afterEach } from 'vitest';
import { FAILING_IMPACTS, formatFindings, takeFindings } from './accessibility.js';

// Every test that drives a browser through launchBrowser() fails on a serious or critical axe finding on
// any page it visited (see accessibility.ts). Tests without a browser find nothing and pay nothing.
afterEach(async () => {
  const findings = (await takeFindings()).filter((finding) => FAILING_IMPACTS.includes(finding.impact));
  if (findings.length > 0) {
    throw new Error(`axe-core found serious or critical accessibility violations:\n${formatFindings(findings)}`);
  }
});
