import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { prepareTemplates } from './templates.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgresTemplate: string;
  }
}

export default async function setup(project: TestProject) {
  // Servers spawned under tsx load @guildhall/markup's dist (in-process ones its source): build it
  // from the current source, so no test runs an older parser.
  const root = path.resolve(import.meta.dirname, '../..');
  execFileSync(path.join(root, 'node_modules/.bin/tsc'), ['-p', 'markup/tsconfig.build.json'], { cwd: root });
  const templates = await prepareTemplates();
  project.provide('pgliteTemplate', templates.pgliteTemplate);
  project.provide('postgresTemplate', templates.postgresTemplate);
  return templates.cleanup;
}
