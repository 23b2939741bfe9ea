import fs from 'node:fs';
import { buildSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { printedSchema, schemaFile } from './print.js';

describe('server/schema.graphql', () => {
  it('matches the schema the code builds (run `pnpm generate` after changing the API)', () => {
    expect(fs.readFileSync(schemaFile, 'utf8')).toBe(printedSchema());
  });

  it('is sorted, so diffs show real changes only', () => {
    const file = fs.readFileSync(schemaFile, 'utf8');
    expect(`${printSchema(lexicographicSortSchema(buildSchema(file)))}\n`).toBe(file);
  });
});
