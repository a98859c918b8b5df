const ZERO = 0x30;

/** `count` ASCII digits (what \d means without the u flag) from `from` as a number, or -1 if any is not one. */
export function digitsAt(text: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const d = text.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}
