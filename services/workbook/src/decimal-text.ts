/** Significant digits Excel keeps and shows: what a cell displays, past the noise of binary fractions. */
const EXCEL_DIGITS = 15;

/**
 * A number cell as plain decimal text, never with an exponent: 12.5 gives `12.5`, 1e21 its 22 digits, 1e-7
 * `0.0000001`. Whole numbers a double holds exactly keep every digit; the rest are rounded to 15 significant
 * digits, as Excel shows them, so a stored 0.30000000000000004 reads `0.3`. Not finite: empty text.
 */
export function decimalText(n: number): string {
  if (!Number.isFinite(n)) return '';
  if (Number.isSafeInteger(n)) return n === 0 ? '0' : String(n);
  const [mantissa, exponentText] = n.toExponential(EXCEL_DIGITS - 1).split('e') as [string, string];
  const exponent = Number(exponentText);
  const digits = mantissa.replace('-', '').replace('.', '').replace(/0+$/, '') || '0';
  const sign = n < 0 ? '-' : '';
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fraction = digits.slice(exponent + 1);
  return fraction ? `${sign}${whole}.${fraction}` : `${sign}${whole}`;
}
