import { describe, expect, it } from 'vitest';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { compileDateParser, compileTimestampParser, DateFormat, TimestampFormat } from '../src/index.js';

const DAY_MS = 86_400_000;
const pad = (n: number, width: number) => String(n).padStart(width, '0');

function random(seed: number) {
  const generator = xoroshiro128plus(seed);
  return (from: number, to: number) => uniformInt(generator, from, to);
}

/** Date.UTC's day for a year of 1 to 9999 (Date.UTC itself maps years 0-99 to 1900-1999), or NaN if it rolls over. */
function utcDay(year: number, month: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCDate() !== day) return NaN;
  return date.getTime() / DAY_MS;
}

/** The text of a date in a format, with one-digit day and month where the format allows them and `short` says so. */
function write(format: DateFormat, year: number, month: number, day: number, short: boolean): string {
  const width = short && !format.startsWith('YYYY') ? 1 : 2;
  return format.replace('YYYY', pad(year, 4)).replace('MM', pad(month, width)).replace('DD', pad(day, width));
}

describe('agreement with Date.UTC', () => {
  it('reads 20,000 generated dates (days 1 to 31 of every month) in every format as Date.UTC does', () => {
    const next = random(20_240_229);
    const parsers = new Map(DateFormat.options.map((f) => [f, compileDateParser([f])]));
    let real = 0;
    for (let n = 0; n < 20_000; n++) {
      const [year, month, day] = [n % 7 === 0 ? next(1, 3) * 400 : next(1, 9999), next(1, 12), next(1, 31)];
      const format = DateFormat.options[n % DateFormat.options.length]!;
      const text = write(format, year, month, day, next(0, 1) === 1);
      const want = utcDay(year, month, day);
      expect(parsers.get(format)!(text), text).toBe(want);
      if (!Number.isNaN(want)) real++;
    }
    expect(real).toBeGreaterThan(18_000); // most generated days exist, so both branches ran
  });

  it('reads 20,000 generated timestamps with fractions and zones as Date.UTC does', () => {
    const next = random(86_400);
    const out = { days: 0, micros: 0 };
    const parsers = new Map(TimestampFormat.options.map((f) => [f, compileTimestampParser([f])]));
    for (let n = 0; n < 20_000; n++) {
      const [year, month, day] = [next(1, 9999), next(1, 12), next(1, 28)];
      const [hour, minute, second] = [next(0, 23), next(0, 59), next(0, 59)];
      const digits = next(0, 6);
      const fraction = digits === 0 ? 0 : next(0, 10 ** digits - 1);
      const offset = next(0, 3) === 0 ? 0 : next(-15 * 60 - 59, 15 * 60 + 59);
      const format = TimestampFormat.options[n % TimestampFormat.options.length]!;
      const seconds = format === 'ISO' || format.endsWith(':ss');
      const date =
        format === 'ISO'
          ? `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T`
          : `${write(format.split(' ')[0] as DateFormat, year, month, day, false)} `;
      const fractionText = digits ? `.${pad(fraction, digits)}` : '';
      const time = `${pad(hour, 2)}:${pad(minute, 2)}${seconds ? `:${pad(second, 2)}${fractionText}` : ''}`;
      const zoneText = `${offset < 0 ? '-' : '+'}${pad(Math.trunc(Math.abs(offset) / 60), 2)}:${pad(Math.abs(offset) % 60, 2)}`;
      const zone = offset === 0 ? (next(0, 1) ? 'Z' : '') : zoneText;
      const text = date + time + zone;

      const at = new Date(0);
      at.setUTCFullYear(year, month - 1, day);
      at.setUTCHours(hour, minute - offset, seconds ? second : 0, 0);
      const micros = BigInt(at.getTime()) * 1000n + BigInt(seconds && digits ? fraction * 10 ** (6 - digits) : 0);
      const days = micros >= 0n ? micros / 86_400_000_000n : -((-micros + 86_399_999_999n) / 86_400_000_000n);
      expect(parsers.get(format)!(text, out), text).toBe(true);
      expect(out, text).toEqual({ days: Number(days), micros: Number(micros - days * 86_400_000_000n) });
    }
  });
});
