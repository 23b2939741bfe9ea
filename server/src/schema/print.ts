import fs from 'node:fs';
import path from 'node:path';
import { printSchema } from 'graphql';
import { schema } from './index.js';

// `pnpm generate` writes the reviewed, committed SDL; a test fails when it is stale.
export const schemaFile = path.resolve(import.meta.dirname, '../../schema.graphql');

export function printedSchema(): string {
  return `${printSchema(schema)}\n`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  fs.writeFileSync(schemaFile, printedSchema());
  console.log(`wrote ${path.relative(process.cwd(), schemaFile)}`);
}
