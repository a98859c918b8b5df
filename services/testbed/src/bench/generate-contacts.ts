import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { realisticContactRow } from './realistic-contacts.js';

export const CONTACTS_HEADER = 'id,email,first_name,last_name,company,country,signup_date,amount,active,notes';

const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Margaret', 'Ken', 'Radia', 'Linus', 'Zoë', 'José'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Hamilton', 'Thompson', 'Perlman', 'Torvalds'];
const COMPANIES = ['ACME', 'Globex', 'Initech', 'Umbrella', '', 'Hooli', 'Vandelay Industries', 'Stark, Inc.'];
const COUNTRIES = ['GB', 'us', 'DE', 'fr', 'NL', 'SE', 'JP', 'BR', 'IN', 'ZA'];
const NOTES = ['', '', '', 'VIP customer', 'prefers "email" contact', 'multi\nline note', 'called twice; no answer'];

const twoDigits = (n: number) => String(n).padStart(2, '0');

/** A small, fast, seeded generator so every run produces the same file. */
export function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const quote = (value: string): string => (/[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

export interface GenerateOptions {
  rows: number;
  /** Fraction of rows given one broken cell, to keep the error path in the measurement. */
  invalidFraction: number;
  seed?: number;
  /** The first row's id (1 unless given), so two files can hold keys apart. */
  firstId?: number;
  /** `classic` (default): the bench's first file, kept so figures stay comparable; `realistic`: see realistic-contacts.ts. */
  style?: FileStyle;
  /** Every record's end, the header's too (default `\n`); multi-line cells keep `\n` inside, as spreadsheets write them. */
  lineEnd?: '\n' | '\r\n';
  /**
   * Rows with an even id get other values (drawn from a generator of their own); every other row is the same as in
   * the file without it. The update path's "half the rows changed" file.
   */
  changeEvenIds?: boolean;
}

export type FileStyle = 'classic' | 'realistic';

/** One contacts row; about `invalidFraction` of them break one rule. */
export function contactRow(id: number, random: () => number, invalidFraction: number): { line: string; valid: boolean } {
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)]!;
  const first = pick(FIRST);
  const last = pick(LAST);
  const fields = [
    String(id),
    `${first
      .normalize('NFD')
      .replace(/[^a-z]/gi, '')
      .toLowerCase()}.${last.toLowerCase()}${id}@example.com`,
    first,
    last,
    pick(COMPANIES),
    pick(COUNTRIES),
    `20${10 + Math.floor(random() * 15)}-${twoDigits(1 + Math.floor(random() * 12))}-${twoDigits(1 + Math.floor(random() * 28))}`,
    (random() * 10000).toFixed(2),
    random() < 0.5 ? 'true' : 'no',
    pick(NOTES),
  ];
  const valid = !(random() < invalidFraction);
  if (!valid) {
    const broken: Array<[number, string]> = [
      [1, 'not-an-email'],
      [5, 'XX'],
      [6, '2023-02-30'],
      [7, '-4.5'],
      [8, 'maybe'],
      [2, ''],
    ];
    const [index, value] = pick(broken);
    fields[index] = value;
  }
  return { line: fields.map(quote).join(','), valid };
}

/** Writes the file and says how many of its rows are invalid, so a run can check its counts exactly. */
export async function generateContacts(path: string, options: GenerateOptions): Promise<{ rows: number; invalid: number }> {
  const random = mulberry32(options.seed ?? 42);
  const makeRow = options.style === 'realistic' ? realisticContactRow : contactRow;
  const eol = options.lineEnd ?? '\n';
  const out = createWriteStream(path);
  let chunk = CONTACTS_HEADER + eol;
  let invalid = 0;
  const first = options.firstId ?? 1;
  const other = mulberry32((options.seed ?? 42) + 1);
  for (let id = first; id < first + options.rows; id++) {
    let row = makeRow(id, random, options.invalidFraction);
    if (options.changeEvenIds && id % 2 === 0) row = makeRow(id, other, options.invalidFraction);
    if (!row.valid) invalid++;
    chunk += row.line + eol;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  return { rows: options.rows, invalid };
}
