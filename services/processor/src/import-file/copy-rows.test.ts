import { describe, expect, it } from 'vitest';
import { CopyRowsBuilder, copyRowsOf } from './copy-rows.js';

describe('CopyRowsBuilder', () => {
  it('encodes rows as UTF-8 bytes, whatever their characters, growing past its first buffer', () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `${i}\tZoë 😀 ${'x'.repeat(i % 97)}\t\\N\n`);
    const rows = copyRowsOf(lines);
    expect(rows.count).toBe(5000);
    expect(rows.bytes.toString('utf8')).toBe(lines.join(''));
    expect(rows.bytes.length).toBeGreaterThan(256 * 1024);
  });

  it('leaves dropped rows out and keeps the order of the others', () => {
    const builder = new CopyRowsBuilder();
    const first = builder.add('1\ta\n');
    builder.add('2\tb\n');
    const third = builder.add('3\tc\n');
    builder.drop(first);
    builder.add('1\td\n');
    builder.drop(third);
    expect(builder.count).toBe(2);
    expect(builder.take()).toEqual({ bytes: Buffer.from('2\tb\n1\td\n'), count: 2 });
  });

  it('starts empty after a take, and the taken bytes stay as they were', () => {
    const builder = new CopyRowsBuilder();
    builder.add('1\ta\n');
    const taken = builder.take();
    builder.add('2\tb\n');
    expect(taken.bytes.toString()).toBe('1\ta\n');
    expect(builder.take()).toEqual({ bytes: Buffer.from('2\tb\n'), count: 1 });
    expect(builder.take().count).toBe(0);
  });
});
