import { describe, expect, it } from 'vitest';
import { contactsTemplate as contacts, productsTemplate as products, type Template } from '@docprocessor/contracts';
import { managedTargetTable } from '../write/target-table.js';
import { BatchKeys } from './batch-keys.js';

// contacts: integer key `id`; products: text key `sku`, case-insensitive.

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
}

describe('BatchKeys', () => {
  it('finds every integer key it was given, and no other, across growth and batches', { timeout: 60_000 }, () => {
    const keys = new BatchKeys(contacts);
    const next = random(7);
    for (let batch = 0; batch < 3; batch++) {
      const reference = new Map<string, number>();
      // Near each other (collisions in a small range), far apart, negative, zero and the largest exact integers.
      const pick = () => {
        const r = next();
        if (r < 0.5) return String(Math.floor(next() * 60_000));
        if (r < 0.8) return String(Math.floor((next() - 0.5) * 2 * Number.MAX_SAFE_INTEGER));
        return ['0', '-1', String(Number.MAX_SAFE_INTEGER), String(-Number.MAX_SAFE_INTEGER), String(2 ** 32), String(-(2 ** 32))][
          Math.floor(next() * 6)
        ]!;
      };
      // Half the time with the number the validator read, half without (NaN: the table reads the text).
      const numberOf = (key: string) => (next() < 0.5 ? Number(key) : NaN);
      for (let i = 0; i < 40_000; i++) {
        const key = pick();
        expect(keys.get(key, numberOf(key))).toBe(reference.get(key) ?? -1);
        if (next() < 0.7) {
          keys.set(key, numberOf(key), i);
          reference.set(key, i);
        }
      }
      for (const [key, handle] of reference) expect(keys.get(key)).toBe(handle);
      keys.clear();
      for (const key of reference.keys()) expect(keys.get(key)).toBe(-1);
    }
  });

  it('keeps integers beyond 2^53 apart, though they round to the same number', () => {
    const keys = new BatchKeys(contacts);
    keys.set('9007199254740993', NaN, 1);
    keys.set('9007199254740992', NaN, 2);
    expect(keys.get('9007199254740993')).toBe(1);
    expect(keys.get('9007199254740992')).toBe(2);
    expect(keys.get('9007199254740991')).toBe(-1);
    keys.clear();
    expect(keys.get('9007199254740993')).toBe(-1);
  });

  it('does not take an empty key for the key 0', () => {
    const keys = new BatchKeys(contacts);
    keys.set('0', 0, 1);
    expect(keys.get('')).toBe(-1);
    keys.set('', NaN, 2);
    expect(keys.get('0')).toBe(1);
    expect(keys.get('')).toBe(2);
  });

  it('compares text keys as the table does: case-insensitively where the template says so', () => {
    const keys = new BatchKeys(products);
    const keyOf = (sku: string) => managedTargetTable(products).keyOf([sku]);
    keys.set(keyOf('SKU-1'), NaN, 4);
    expect(keys.get(keyOf('sku-1'))).toBe(4);
    expect(keys.get(keyOf('SKU-10'))).toBe(-1);
    // A digits-only text key is still text: '01' and '1' are different SKUs, whatever number a caller passes.
    keys.set(keyOf('1'), 1, 5);
    expect(keys.get(keyOf('01'), 1)).toBe(-1);
    keys.clear();
    expect(keys.get(keyOf('SKU-1'))).toBe(-1);
  });

  it('tells composite keys apart by every part, and only by the parts', () => {
    const orders: Template = {
      ...products,
      name: 'orders',
      key: ['region', 'number'],
      columns: [
        { name: 'region', type: 'string', required: true },
        { name: 'number', type: 'integer', required: true },
        { name: 'note', type: 'string', required: false },
      ],
    };
    const keys = new BatchKeys(orders);
    const keyOf = (values: string[]) => managedTargetTable(orders).keyOf(values);
    keys.set(keyOf(['EU', '1', 'a']), NaN, 1);
    expect(keys.get(keyOf(['eu', '1', 'b']))).toBe(1); // case-insensitive text part, other columns aside
    expect(keys.get(keyOf(['EU', '2', 'a']))).toBe(-1);
    expect(keys.get(keyOf(['EU1', '', 'a']))).toBe(-1); // parts are not run together
  });
});
