import { describe, expect, it } from 'vitest';
import { parseImportArgs, UsageError } from '../src/import-args.js';
import { readImportConfig } from '../src/config.js';

describe('parseImportArgs', () => {
  it('turns options into the upload form fields, in the order they are sent', () => {
    const parsed = parseImportArgs(
      ['orders.csv', '--template', 'orders', '--on-duplicate', 'last', '--dry-run', '--mapping', '{"E-mail":"email"}'],
      false,
    );
    expect(parsed).toEqual({
      command: 'import',
      file: 'orders.csv',
      fields: [
        ['template', 'orders'],
        ['onDuplicate', 'last'],
        ['dryRun', 'true'],
        ['mapping', '{"E-mail":"email"}'],
      ],
      follow: false,
      json: false,
    });
  });

  it('follows by default on a terminal, unless told not to', () => {
    expect(parseImportArgs(['a.csv'], true)).toMatchObject({ follow: true });
    expect(parseImportArgs(['a.csv', '--no-follow'], true)).toMatchObject({ follow: false });
    expect(parseImportArgs(['a.csv', '--follow'], false)).toMatchObject({ follow: true });
  });

  it('refuses what it cannot run, with a message that says why', () => {
    expect(() => parseImportArgs([], false)).toThrow(new UsageError('no file given'));
    expect(() => parseImportArgs(['a.csv', 'b.csv'], false)).toThrow(/one file at a time/);
    expect(() => parseImportArgs(['a.csv', '--bogus'], false)).toThrow(/Unknown option '--bogus'$/);
    expect(() => parseImportArgs(['a.csv', '--mapping', '["email"]'], false)).toThrow(/file header -> template column/);
    expect(() => parseImportArgs(['a.csv', '--follow', '--no-follow'], false)).toThrow(/together/);
  });
});

describe('readImportConfig', () => {
  it('defaults to the local origin on WEB_PORT with the first of API_KEYS', () => {
    expect(readImportConfig({ WEB_PORT: '6000', API_KEYS: 'k1,k2' })).toEqual({ url: 'http://localhost:6000', key: 'k1' });
    expect(readImportConfig({ DOCPROCESSOR_URL: 'https://imports.example.com/', DOCPROCESSOR_KEY: 'secret' })).toEqual({
      url: 'https://imports.example.com',
      key: 'secret',
    });
  });
});
