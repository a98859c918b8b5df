import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../src/stack.js';

interface ReferenceDocs {
  DOCS_COMMAND: string;
  renderReferenceDocs: () => Record<string, string>;
  configurationVariables: () => Array<{ name: string; readBy: string[] }>;
}
const reference = (await import(pathToFileURL(join(REPO_ROOT, 'scripts/lib/reference-docs.mjs')).href)) as ReferenceDocs;

describe('the generated reference (.env.example, configuration, errors, the lifecycle and metrics tables)', () => {
  const files = Object.entries(reference.renderReferenceDocs());

  it('covers every generated file', () => {
    expect(files.map(([file]) => file).sort()).toEqual([
      '.env.example',
      'docs/architecture.md',
      'docs/asyncapi.json',
      'docs/configuration.md',
      'docs/errors.md',
      'docs/openapi.json',
      'docs/operations.md',
      'docs/people.md',
    ]);
  });

  it.each(files)('%s is what the schemas and the error catalog say', (file, text) => {
    const committed = readFileSync(join(REPO_ROOT, file), 'utf8');
    expect(committed === text, `${file} is stale: run \`${reference.DOCS_COMMAND}\` and commit the result`).toBe(true);
  });

  it('lists every variable once, with who reads it', () => {
    const variables = reference.configurationVariables();
    expect(new Set(variables.map((v) => v.name)).size).toBe(variables.length);
    expect(variables.find((v) => v.name === 'PROCESSOR_BATCH_ROWS')?.readBy).toEqual(['processor']);
    expect(variables.find((v) => v.name === 'DATABASE_URL')?.readBy).toEqual(['gateway', 'ingest', 'processor']);
  });
});
