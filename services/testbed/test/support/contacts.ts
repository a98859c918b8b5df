import { join } from 'node:path';
import { CONTACTS_HEADER, contactRow, generateContacts, mulberry32 } from '../../src/bench/generate-contacts.js';

/** One row that breaks exactly one rule, and what the service must say about it. */
export interface BrokenRow {
  row: number;
  id: number;
  column: string;
  value: string;
  code: string;
}

export interface ContactsFixture {
  csv: string;
  /** Data rows in the file (header not counted). */
  rows: number;
  broken: BrokenRow[];
  /** 1-based data rows that repeat an earlier id (all of valid rows). */
  duplicateRows: Array<{ row: number; id: number }>;
  /** Ids the table must hold after the import (the valid ones, once each). */
  validIds: number[];
}

// Each one breaks exactly one rule of the contacts template; `=HYPERLINK` checks errors.csv against formula injection.
const BREAKS: Array<{ column: string; index: number; value: string; code: string }> = [
  { column: 'email', index: 1, value: 'not-an-email', code: 'invalid_email' },
  { column: 'country', index: 5, value: 'XX', code: 'invalid_country' },
  { column: 'signup_date', index: 6, value: '2023-02-30', code: 'invalid_date' },
  { column: 'amount', index: 7, value: '-4.5', code: 'out_of_range' },
  { column: 'active', index: 8, value: 'maybe', code: 'invalid_boolean' },
  { column: 'amount', index: 7, value: '12.345', code: 'too_many_decimals' },
  { column: 'email', index: 1, value: '=HYPERLINK("http://evil.example","x")', code: 'invalid_email' },
];

export const csvField = (value: string): string => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

/** Splits one row made by the bench generator back into its fields (it quotes notes with newlines and quotes). */
function fieldsOf(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        if (line[i] === '"' && line[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (line[i] === '"') {
          i++;
          break;
        } else value += line[i++];
      }
      out.push(value);
      i++; // the comma
    } else {
      const end = line.indexOf(',', i);
      const stop = end === -1 ? line.length : end;
      out.push(line.slice(i, stop));
      i = stop + 1;
    }
  }
  return out;
}

/**
 * A deterministic contacts file: `rows` rows with ids 1..rows (the bench generator's realistic values, quoted
 * commas and multi-line notes included), every `brokenEvery`-th row breaking one rule, then one extra row per
 * id in `duplicateIds` (valid, first_name "Repeat") repeating that id.
 */
export function contactsFixture(options: {
  rows: number;
  brokenEvery?: number;
  duplicateIds?: number[];
  seed?: number;
  eol?: string;
}): ContactsFixture {
  const random = mulberry32(options.seed ?? 7);
  const eol = options.eol ?? '\n';
  const lines = [CONTACTS_HEADER];
  const broken: BrokenRow[] = [];
  for (let id = 1; id <= options.rows; id++) {
    const fields = fieldsOf(contactRow(id, random, 0).line);
    if (options.brokenEvery && id % options.brokenEvery === 0) {
      const rule = BREAKS[broken.length % BREAKS.length]!;
      fields[rule.index] = rule.value;
      broken.push({ row: id, id, column: rule.column, value: rule.value, code: rule.code });
    }
    lines.push(fields.map(csvField).join(','));
  }
  const brokenIds = new Set(broken.map((b) => b.id));
  const duplicateRows: ContactsFixture['duplicateRows'] = [];
  for (const id of options.duplicateIds ?? []) {
    if (brokenIds.has(id) || id > options.rows) throw new Error(`duplicate id ${id} must be a valid row of the file`);
    lines.push([String(id), `repeat${id}@example.com`, 'Repeat', 'Row', '', 'DE', '2020-01-01', '1.00', 'true', 'repeated key'].join(','));
    duplicateRows.push({ row: lines.length - 1, id });
  }
  const validIds: number[] = [];
  for (let id = 1; id <= options.rows; id++) if (!brokenIds.has(id)) validIds.push(id);
  return { csv: lines.join(eol) + eol, rows: lines.length - 1, broken, duplicateRows, validIds };
}

/** A contacts file on disk, made by the benchmark's generator. */
export interface ContactsFile {
  path: string;
  rows: number;
  invalid: number;
  /** The id of row 1 (row n has id firstId + n - 1); 1 unless the file was made to sit beside others. */
  firstId: number;
}

/**
 * The benchmark's deterministic contacts file: row n has id firstId + n - 1 (firstId 1 unless given, other files
 * imported into the same table take ids of their own), and `invalid` rows break exactly one rule each.
 */
export async function contactsFile(dir: string, rows: number, invalidFraction = 0.01, seed = 42, firstId = 1): Promise<ContactsFile> {
  const path = join(dir, `contacts-${rows}-${seed}-${firstId}.csv`);
  const { invalid } = await generateContacts(path, { rows, invalidFraction, seed, firstId });
  return { path, rows, invalid, firstId };
}
