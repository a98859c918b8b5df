import {
  compileDateParser,
  compileTimestampParser,
  DateFormat,
  isEmailAddress,
  TimestampFormat,
  type InferredType,
  type PreviewColumn,
} from '@docprocessor/contracts';

/**
 * Cells that mean "no value": empty (after trimming), SQL's NULL in three cases, PostgreSQL's and MySQL's `\N`,
 * and the spreadsheet and R spellings NA, N/A, n/a, #N/A. A column of Namibia's code NA loses it: rare, and visible.
 */
const NULL_TOKENS = new Set(['', 'NULL', 'null', 'Null', '\\N', 'NA', 'N/A', 'n/a', '#N/A']);
export const isNullToken = (value: string): boolean => NULL_TOKENS.has(value);

/** The words a template's boolean column takes, but 1 and 0: a column of 1s and 0s is inferred as integer. */
const BOOLEAN_WORDS = new Set(['true', 'false', 'yes', 'no']);
const isBooleanWord = (v: string) => BOOLEAN_WORDS.has(v.length <= 5 ? v.toLowerCase() : v);

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/** Digits from `from` up to the first non-digit: the index after them. */
function digitsEnd(v: string, from: number): number {
  let i = from;
  while (isDigit(v.charCodeAt(i))) i++;
  return i;
}

/**
 * `[+-]?digits[.digits]` with no leading zero (0 and 0.5 aside: 007 and 01234 are codes, and a number would lose
 * their zeros). Returns the number of integer digits, -1 with a fraction, 0 for anything else.
 */
function numberShape(v: string): number {
  const from = v.charCodeAt(0) === 0x2b || v.charCodeAt(0) === 0x2d ? 1 : 0;
  const end = digitsEnd(v, from);
  const digits = end - from;
  if (digits === 0 || (digits > 1 && v.charCodeAt(from) === 0x30)) return 0;
  if (end === v.length) return digits;
  if (v.charCodeAt(end) !== 0x2e) return 0;
  const fractionEnd = digitsEnd(v, end + 1);
  return fractionEnd > end + 1 && fractionEnd === v.length ? -1 : 0;
}

const HEX = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const TYPE = { boolean: 1, integer: 2, decimal: 4, date: 8, timestamp: 16, uuid: 32, email: 64 } as const;
/** The ladder: of the types every value fits, the first listed is the column's; none is string. */
const LADDER = Object.keys(TYPE) as Array<keyof typeof TYPE>;
const ANY = 127;

const dateReaders = DateFormat.options.map((format) => ({ format, read: compileDateParser([format]) }));
const timestampReaders = TimestampFormat.options.map((format) => ({ format, read: compileTimestampParser([format]) }));
const scratch = { days: 0, micros: 0 };

/** The types a single value fits, as bits of TYPE; `possible` limits the checks to types still in the running. */
function typesOf(v: string, possible: number): number {
  let fits = 0;
  if (possible & TYPE.boolean && isBooleanWord(v)) fits |= TYPE.boolean;
  if (possible & (TYPE.integer | TYPE.decimal)) {
    const shape = numberShape(v);
    if (shape > 0 && shape <= 15) fits |= TYPE.integer; // what a JS number holds exactly, as the processor reads it
    if (shape !== 0) fits |= TYPE.decimal;
  }
  if (possible & TYPE.uuid && v.length === 36 && HEX.test(v)) fits |= TYPE.uuid;
  if (possible & TYPE.email && v.includes('@') && isEmailAddress(v)) fits |= TYPE.email;
  // Dates and timestamps are narrowed format by format in ColumnTally.
  return fits | (possible & (TYPE.date | TYPE.timestamp));
}

/** The type a lone cell shows (header detection asks whether a first-row cell looks like data). */
export function cellType(value: string): InferredType {
  const tally = new ColumnTally();
  tally.add(value);
  return tally.result().type;
}

const EXAMPLES = 5;

/**
 * What the sampled cells of one column have in common: the types they all fit (dates and timestamps with the
 * formats that read them all, so `21/02/2000` rules out month-first), whether any is null, a few examples.
 */
export class ColumnTally {
  private possible = ANY;
  private dates = dateReaders;
  private timestamps = timestampReaders;
  private values = 0;
  private nullable = false;
  private readonly examples: string[] = [];

  add(cell: string | undefined): void {
    const value = cell === undefined ? '' : cell.trim();
    if (isNullToken(value)) {
      this.nullable = true;
      return;
    }
    this.values++;
    if (this.examples.length < EXAMPLES && !this.examples.includes(value)) this.examples.push(value);
    if (this.possible === 0) return;
    this.possible &= typesOf(value, this.possible);
    if (this.possible & TYPE.date) {
      this.dates = this.dates.filter((d) => !Number.isNaN(d.read(value)));
      if (this.dates.length === 0) this.possible &= ~TYPE.date;
    }
    if (this.possible & TYPE.timestamp) {
      this.timestamps = this.timestamps.filter((t) => t.read(value, scratch));
      if (this.timestamps.length === 0) this.possible &= ~TYPE.timestamp;
    }
  }

  get type(): InferredType {
    return this.values === 0 ? 'string' : (LADDER.find((t) => this.possible & TYPE[t]) ?? 'string');
  }

  /** Whether a cell fits the type the column has so far (a header detector's question); any cell fits string. */
  fits(cell: string): boolean {
    const value = cell.trim();
    const type = this.type;
    if (type === 'string') return true;
    if (type === 'date') return this.dates.some((d) => !Number.isNaN(d.read(value)));
    if (type === 'timestamp') return this.timestamps.some((t) => t.read(value, scratch));
    return (typesOf(value, TYPE[type]) & TYPE[type]) !== 0;
  }

  result(): Omit<PreviewColumn, 'index' | 'header'> {
    const type = this.type;
    const column = { type, nullable: this.nullable, examples: this.examples };
    if (type === 'date') return { ...column, formats: this.dates.map((d) => d.format) };
    if (type === 'timestamp') return { ...column, formats: this.timestamps.map((t) => t.format) };
    return column;
  }
}
