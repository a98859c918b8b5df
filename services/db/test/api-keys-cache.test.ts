import { describe, expect, it } from 'vitest';
import { ExpiringCache } from '../src/api-keys/expiring-cache.js';

describe('ExpiringCache', () => {
  it('forgets an entry when it expires', () => {
    const cache = new ExpiringCache<string>(10);
    cache.set('a', 'x', 100);
    expect(cache.get('a', 99)).toBe('x');
    expect(cache.get('a', 100)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('keeps null answers (a cached "no such key")', () => {
    const cache = new ExpiringCache<string | null>(10);
    cache.set('a', null, 100);
    expect(cache.get('a', 0)).toBeNull();
  });

  it('never holds more than its bound, dropping the oldest first', () => {
    const cache = new ExpiringCache<number>(3);
    for (let i = 0; i < 1000; i++) cache.set(`k${i}`, i, 10_000 + i);
    expect(cache.size).toBe(3);
    expect(cache.get('k996', 0)).toBeUndefined();
    expect([cache.get('k997', 0), cache.get('k998', 0), cache.get('k999', 0)]).toEqual([997, 998, 999]);
  });

  it('refreshing a key moves it to the back of the line', () => {
    const cache = new ExpiringCache<number>(2);
    cache.set('a', 1, 100);
    cache.set('b', 2, 100);
    cache.set('a', 3, 200);
    cache.set('c', 4, 200);
    expect(cache.get('b', 0)).toBeUndefined();
    expect(cache.get('a', 0)).toBe(3);
  });
});
