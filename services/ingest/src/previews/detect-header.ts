import { cellType, isNullToken, type ColumnTally } from './infer-types.js';

/**
 * Whether the first row names the columns, given what the rows after it hold. Never when its names repeat or it
 * writes a null token (an empty cell is allowed: pandas writes its index column so). Then yes when a name does not
 * fit the type of its column (`amount` over decimals: DuckDB's rule), or when every name is plain text (a file of
 * text columns is taken to have a header, as most have); no when the first row types like the rest.
 */
export function detectHeader(first: readonly string[], body: readonly ColumnTally[]): boolean {
  const cells = body.map((_, c) => (first[c] ?? '').trim());
  const names = cells.filter((name) => name !== '');
  if (names.length === 0 || new Set(names.map((n) => n.toLowerCase())).size < names.length) return false;
  if (names.some(isNullToken)) return false;
  if (cells.some((name, c) => name !== '' && body[c]!.type !== 'string' && !body[c]!.fits(name))) return true;
  return names.every((name) => cellType(name) === 'string');
}
