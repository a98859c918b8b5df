import { describe, expect, it } from 'vitest';
import type { CellValue, TemplateColumn } from '@docprocessor/contracts';
import { managedTypeNames } from '@docprocessor/db';
import { compileRowEncoder, encodeRows } from './copy-binary.js';
import { CopyRowsBuilder, type CopyRows } from './copy-rows.js';

/** The column types the service's own tables give these columns. */
const typesOf = (columns: TemplateColumn[]) => managedTypeNames(columns);

const notes = typesOf([
  { name: 'title', type: 'string', required: true },
  { name: 'body', type: 'string', required: false },
]);
const lineage = { jobId: '00000000-0000-4000-8000-00000000000a', runId: 'ffffffff-0000-4000-8000-00000000000b' };

/** Reads binary COPY data back into fields (null for NULL), checking its framing on the way. */
function readRows(rows: CopyRows): (Buffer | null)[][] {
  if (rows.count === 0) {
    expect(rows.bytes.length).toBe(0);
    return [];
  }
  const bytes = rows.bytes;
  expect(bytes.subarray(0, 19)).toEqual(Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]));
  const read: (Buffer | null)[][] = [];
  let at = 19;
  for (let fields = bytes.readInt16BE(at); fields !== -1; fields = bytes.readInt16BE(at)) {
    at += 2;
    const row: (Buffer | null)[] = [];
    for (let f = 0; f < fields; f++) {
      const length = bytes.readInt32BE(at);
      at += 4;
      row.push(length === -1 ? null : bytes.subarray(at, (at += length)));
    }
    read.push(row);
  }
  expect(at + 2).toBe(bytes.length);
  expect(read).toHaveLength(rows.count);
  return read;
}

/** A builder of notes rows, and a function that writes one with this title and no body (returns its index). */
function titlesBuilder(): { builder: CopyRowsBuilder; write(title: string, sourceRow: number): number } {
  const builder = new CopyRowsBuilder();
  const encode = compileRowEncoder(notes, lineage);
  return { builder, write: (title, sourceRow) => encode(builder, [title, null], null, sourceRow) };
}

/** A notes row as read back: its two texts, then job id, run id and source row. */
const expected = (title: string, body: string | null, sourceRow: number) => [
  Buffer.from(title),
  body === null ? null : Buffer.from(body),
  Buffer.from(lineage.jobId.replaceAll('-', ''), 'hex'),
  Buffer.from(lineage.runId.replaceAll('-', ''), 'hex'),
  (() => {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(BigInt(sourceRow));
    return b;
  })(),
];

describe('binary COPY rows', () => {
  it('frames every row and encodes text as UTF-8 whatever its characters, growing past its first buffer', () => {
    const titles = Array.from({ length: 5000 }, (_, i) => `${i} Zoë 😀 ${'x'.repeat(i % 97)}\t\\N\n`);
    const rows = encodeRows(
      notes,
      lineage,
      titles.map((title, i) => ({ values: [title, i % 3 === 0 ? null : 'ascii only'], sourceRow: i + 1 })),
    );
    expect(rows.bytes.length).toBeGreaterThan(256 * 1024);
    expect(readRows(rows)).toEqual(titles.map((title, i) => expected(title, i % 3 === 0 ? null : 'ascii only', i + 1)));
  });

  it('writes a lone surrogate as U+FFFD, as Buffer.from does', () => {
    const rows = encodeRows(notes, lineage, [{ values: ['a\uD800b', 'ok'], sourceRow: 1 }]);
    expect(readRows(rows)[0]![0]!.toString()).toBe('a\uFFFDb');
  });

  it('leaves dropped rows out and keeps the order of the others', () => {
    const { builder, write } = titlesBuilder();
    const first = write('a', 1);
    write('b', 2);
    const third = write('c', 3);
    builder.drop(first);
    write('a again', 4);
    builder.drop(third);
    expect(builder.count).toBe(2);
    expect(readRows(builder.take())).toEqual([expected('b', null, 2), expected('a again', null, 4)]);
  });

  it('starts empty after a take, the taken bytes stay as they were, and no rows means no bytes', () => {
    const { builder, write } = titlesBuilder();
    write('one', 1);
    const taken = builder.take();
    const copy = Buffer.from(taken.bytes);
    write('two', 2);
    expect(taken.bytes).toEqual(copy);
    expect(readRows(builder.take())).toEqual([expected('two', null, 2)]);
    const none = builder.take();
    expect([none.bytes.length, none.count]).toEqual([0, 0]);
  });

  it('reuses a batch buffer only once it is recycled, so bytes still being written are never overwritten', () => {
    const { builder, write } = titlesBuilder();
    write('one', 1);
    const first = builder.take();
    const firstBytes = Buffer.from(first.bytes);
    write('two', 2);
    const second = builder.take();
    write('three', 3);
    expect(first.bytes).toEqual(firstBytes);
    first.recycle();
    const third = builder.take();
    write('four', 4);
    const fourth = builder.take();
    expect(fourth.bytes.buffer).toBe(first.bytes.buffer);
    // Recycling the first batch again must not hand out its buffer, which the fourth batch now holds.
    first.recycle();
    write('five', 5);
    const fifth = builder.take();
    write('six', 6);
    expect(builder.take().bytes.buffer).not.toBe(fourth.bytes.buffer);
    expect([second, third, fourth, fifth].map(readRows)).toEqual(
      [2, 3, 4, 5].map((n) => [expected(['two', 'three', 'four', 'five'][n - 2]!, null, n)]),
    );
  });

  it('writes an integer from the number the validator read exactly as from its text', () => {
    const numbered = typesOf([
      { name: 'n', type: 'integer', required: true },
      { name: 'm', type: 'integer', required: false },
    ]);
    const encode = compileRowEncoder(numbered, lineage);
    const values = ['-123456789012345', '0', '4294967296', '-1', '9007199254740993'];
    const fromText = new CopyRowsBuilder();
    const fromNumbers = new CopyRowsBuilder();
    values.forEach((value, i) => {
      encode(fromText, [value, null], null, i);
      // The last one has no exact number (the validator gives NaN there): its text is read.
      encode(fromNumbers, [value, null], Float64Array.of(i === values.length - 1 ? NaN : Number(value), 7), i);
    });
    expect(fromNumbers.take().bytes).toEqual(fromText.take().bytes);
  });

  it('refuses values the validator never gives rather than writing wrong bytes', () => {
    const typed = typesOf([
      { name: 'n', type: 'integer', required: true },
      { name: 'd', type: 'decimal', required: true },
      { name: 'day', type: 'date', required: true },
      { name: 'ok', type: 'boolean', required: true },
    ]);
    const encode = (values: CellValue[]) => () => encodeRows(typed, lineage, [{ values, sourceRow: 1 }]);
    expect(encode(['1', '1.5', '2024-01-01', 't'])).not.toThrow();
    expect(encode(['1e+21', '1.5', '2024-01-01', 't'])).toThrow();
    expect(encode(['9223372036854775808', '1.5', '2024-01-01', 't'])).toThrow(RangeError);
    expect(encode(['1', '1.x', '2024-01-01', 't'])).toThrow(TypeError);
    expect(encode(['1', '.5', '2024-01-01', 't'])).toThrow(RangeError);
    expect(encode(['1', '1.5', '2024-1-01', 't'])).toThrow(TypeError);
    expect(encode(['1', '1.5', '2024-01-01', 'true'])).toThrow(TypeError);
  });
});
