import {
  cellSchema,
  compileDateParser,
  compileTimestampParser,
  COUNTRY_CODES,
  dateFormatsOf,
  isEmailAddress,
  isoDateOf,
  isoTimestampOf,
  timestampFormatsOf,
  type CellValue,
  type RowErrorCode,
  type Template,
  type TemplateColumn,
  type TimestampValue,
} from '@docprocessor/contracts';
import { digitsAt } from './ascii-digits.js';

export interface CellError {
  column: string;
  value: string;
  code: RowErrorCode;
  message: string;
}

/** Fast check of one cell: the normalized value, or INVALID when zod must explain what is wrong. */
type FastCheck = (value: string) => CellValue | typeof INVALID;
const INVALID = Symbol('invalid');

const DASH = 0x2d;
const ZERO = 0x30;
const PLUS = 0x2b;
const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// The checks below read characters instead of calling a regex or a property lookup: for values this short
// the call cost more than the characters (about 0.1 s per million contacts rows, measured with parse-cost.ts).

/**
 * The value of a text that /^[+-]?\d{1,15}$/ matches, or NaN for any other. Fifteen digits never round, so this
 * is what Number(text) gives; longer integers are left to zod.
 */
function integerOf(v: string): number {
  const first = v.charCodeAt(0);
  const from = first === PLUS || first === DASH ? 1 : 0;
  const digits = v.length - from;
  if (digits < 1 || digits > 15) return NaN;
  const n = digitsAt(v, from, digits);
  if (n < 0) return NaN;
  return first === DASH ? 0 - n : n; // 0 - 0 is 0, where -0 would be a value no text gives
}

/** What /^[+-]?\d+(?:\.\d{1,maxPlaces})?$/ matches. */
function isDecimalText(v: string, maxPlaces: number): boolean {
  const first = v.charCodeAt(0);
  const from = first === PLUS || first === DASH ? 1 : 0;
  const point = v.indexOf('.', from);
  const intEnd = point === -1 ? v.length : point;
  if (intEnd === from || !allDigits(v, from, intEnd)) return false;
  if (point === -1) return true;
  const places = v.length - point - 1;
  return places >= 1 && places <= maxPlaces && allDigits(v, point + 1, v.length);
}

/** Whether every character from `from` to `to` is an ASCII digit (digitsAt reads at most 15 of them as a number). */
function allDigits(v: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = v.charCodeAt(i);
    if (c < ZERO || c > ZERO + 9) return false;
  }
  return true;
}

/** The spellings the boolean rule accepts, in any case. */
function booleanOf(v: string): 't' | 'f' | typeof INVALID {
  switch (v) {
    case 'true':
    case 'TRUE':
    case 'yes':
    case 'YES':
    case '1':
      return 't';
    case 'false':
    case 'FALSE':
    case 'no':
    case 'NO':
    case '0':
      return 'f';
  }
  switch (v.toLowerCase()) {
    case 'true':
    case 'yes':
      return 't';
    case 'false':
    case 'no':
      return 'f';
  }
  return INVALID;
}

/** Whether text integerOf accepted is String(Number(text)) already: no plus sign and no leading zero. */
function isCanonicalInteger(v: string): boolean {
  const negative = v.charCodeAt(0) === DASH;
  const first = v.charCodeAt(negative ? 1 : 0);
  return first > ZERO && first <= ZERO + 9;
}

/** Every assigned code by its two ASCII letters' place in A–Z × A–Z: found without hashing the cell's text. */
const COUNTRY_BY_LETTERS: ReadonlyArray<string | undefined> = (() => {
  const table = new Array<string | undefined>(26 * 26);
  for (const code of COUNTRY_CODES) table[letterPairIndex(code)] = code;
  return table;
})();

/** A letter's place in the alphabet, whatever its case; -1 for anything but an ASCII letter. */
function letterIndex(c: number): number {
  if (c >= 0x61 && c <= 0x7a) return c - 0x61;
  if (c >= 0x41 && c <= 0x5a) return c - 0x41;
  return -1;
}

/** Where a two-letter text sits in COUNTRY_BY_LETTERS, or -1. */
function letterPairIndex(v: string): number {
  if (v.length !== 2) return -1;
  const first = letterIndex(v.charCodeAt(0));
  const second = letterIndex(v.charCodeAt(1));
  return first < 0 || second < 0 ? -1 : first * 26 + second;
}

/** Cells with no space or control character at either end are their own trim(), without the call. */
const isPlainEdge = (c: number) => c > 0x20 && c < 0x7f;

function lengthOk(column: TemplateColumn, value: string): boolean {
  // String length counts UTF-16 units; only when it is near a bound do we count code points like zod's rule does.
  const min = column.minLength ?? 0;
  const max = column.maxLength ?? Infinity;
  if (value.length >= min && value.length <= max) return true;
  const points = [...value].length;
  return points >= min && points <= max;
}

/**
 * Straight-line checks derived from the same column rules as the zod schemas. They only decide
 * "valid, with this value" quickly; every rejection is re-run through zod, which stays the source of
 * codes and messages (and wins if the two ever disagree: see compile-validator.test.ts).
 */
function fastCheck(column: TemplateColumn): FastCheck | null {
  const min = column.min ?? -Infinity;
  const max = column.max ?? Infinity;
  switch (column.type) {
    case 'integer':
      return null; // checked in validate, which also hands out the number
    case 'decimal': {
      const places = column.maxDecimals ?? Infinity;
      const bounded = min !== -Infinity || max !== Infinity;
      return (v) => {
        if (!isDecimalText(v, places)) return INVALID;
        if (bounded) {
          const n = Number(v);
          if (n < min || n > max) return INVALID;
        }
        return v.charCodeAt(0) === PLUS ? v.slice(1) : v;
      };
    }
    case 'boolean':
      return booleanOf;
    case 'country':
      // Anything but two ASCII letters goes to zod, whose toUpperCase() also turns a few other letters (ı, ſ) into A–Z.
      return (v) => {
        const index = letterPairIndex(v);
        const code = index < 0 ? undefined : COUNTRY_BY_LETTERS[index];
        if (code === undefined) return INVALID;
        return code === v ? v : code; // most files already write codes upper-case; the cell's own string then
      };
    case 'date': {
      const formats = dateFormatsOf(column);
      if (formats.length !== 1 || formats[0] !== 'YYYY-MM-DD') {
        const parse = compileDateParser(formats);
        return (v) => {
          const days = parse(v);
          return days === days ? isoDateOf(days) : INVALID;
        };
      }
      // YYYY-MM-DD read char by char: a regex match with groups cost a quarter of all validation.
      return (v) => {
        if (v.length !== 10 || v.charCodeAt(4) !== DASH || v.charCodeAt(7) !== DASH) return INVALID;
        const year = digitsAt(v, 0, 4);
        const month = digitsAt(v, 5, 2);
        const day = digitsAt(v, 8, 2);
        if (year < 0 || month < 0 || day < 0) return INVALID;
        if (year < 1 || month < 1 || month > 12 || day < 1 || day > (DAYS[month - 1] ?? 0)) return INVALID;
        if (month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) return INVALID;
        return v;
      };
    }
    case 'timestamp': {
      const parse = compileTimestampParser(timestampFormatsOf(column));
      const parsed: TimestampValue = { days: 0, micros: 0 };
      return (v) => (parse(v, parsed) ? isoTimestampOf(parsed) : INVALID);
    }
    case 'uuid':
      // Canonical lower-case with dashes is what most files hold; anything else goes to zod, which also canonicalises.
      return (v) => (CANONICAL_UUID.test(v) ? v : INVALID);
    case 'enum': {
      const values = new Set(column.values ?? []);
      return (v) => (values.has(v) ? v : INVALID);
    }
    case 'string': {
      const pattern = column.pattern ? new RegExp(column.pattern) : null;
      return (v) => (lengthOk(column, v) && (!pattern || pattern.test(v)) && !v.includes('\u0000') ? v : INVALID);
    }
    case 'email':
      return (v) => (isEmailAddress(v) && lengthOk(column, v) ? v : INVALID);
  }
}

export interface RowValidator {
  /**
   * Fills `out` with one value per template column, and `numbers` with the value of each integer column (NaN
   * when it is empty, or too long to be read exactly here), so that later steps need not read the text again;
   * returns the errors (empty when the row is valid).
   */
  validate(record: readonly string[], sourceIndex: readonly number[], out: CellValue[], numbers: Float64Array): CellError[];
}

const NO_ERRORS: CellError[] = [];

/** Compiled once per template: per cell, a fast check and the zod fallback for anything it does not accept. */
export function compileValidator(template: Template): RowValidator {
  const columns = template.columns.map((column) => {
    const schema = cellSchema(column);
    const fast = fastCheck(column);
    const integer = column.type === 'integer';
    return { column, schema, fast, integer, min: column.min ?? -Infinity, max: column.max ?? Infinity, required: column.required };
  });
  return {
    validate(record, sourceIndex, out, numbers) {
      let errors = NO_ERRORS;
      for (let i = 0; i < columns.length; i++) {
        const c = columns[i]!;
        const index = sourceIndex[i]!;
        const raw = index >= 0 ? (record[index] ?? '') : '';
        const value = raw.length > 0 && isPlainEdge(raw.charCodeAt(0)) && isPlainEdge(raw.charCodeAt(raw.length - 1)) ? raw : raw.trim();
        if (c.integer) numbers[i] = NaN;
        if (value === '' && !c.required) {
          out[i] = null;
          continue;
        }
        if (value !== '' && c.integer) {
          const n = integerOf(value);
          if (n >= c.min && n <= c.max) {
            // Text without a plus sign or a leading zero is already String(n).
            out[i] = isCanonicalInteger(value) ? value : String(n);
            numbers[i] = n;
            continue;
          }
        } else if (value !== '' && c.fast) {
          const fast = c.fast(value);
          if (fast !== INVALID) {
            out[i] = fast;
            continue;
          }
        }
        const result = c.schema.safeParse(raw);
        if (result.success) {
          out[i] = result.data;
          continue;
        }
        const issue = result.error.issues[0] as { message: string; params?: { code?: RowErrorCode } } | undefined;
        if (errors === NO_ERRORS) errors = [];
        errors.push({
          column: c.column.name,
          value: raw,
          code: issue?.params?.code ?? 'invalid_format',
          message: issue?.message ?? 'is not valid',
        });
      }
      return errors;
    },
  };
}
