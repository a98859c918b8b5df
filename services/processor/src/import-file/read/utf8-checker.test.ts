import { describe, expect, it } from 'vitest';
import { utf8Decoder } from './read-csv.js';
import { Utf8Checker } from './utf8-checker.js';

/** What the file reader's decoder does with the same chunks: every U+FFFD it writes is one invalid sequence. */
function replacements(chunks: Buffer[]): number {
  const decoder = utf8Decoder();
  const text = chunks.map((chunk) => decoder.write(chunk)).join('') + (decoder.end() ?? '');
  return [...text].filter((c) => c === '\uFFFD').length;
}

function offsetsOf(chunks: Buffer[]): number[] {
  const checker = new Utf8Checker();
  for (const chunk of chunks) checker.check(chunk);
  checker.end();
  return checker.offsets;
}

describe('Utf8Checker', () => {
  it('finds nothing in valid text, whatever the chunking', () => {
    const text = Buffer.from('Zoë, José, 😀, 日本語\n'.repeat(50));
    expect(offsetsOf([text])).toEqual([]);
    expect(offsetsOf([text.subarray(0, 7), text.subarray(7, 8), text.subarray(8)])).toEqual([]);
  });

  it('reports the offset of each invalid sequence', () => {
    const bytes = Buffer.concat([Buffer.from('ab'), Buffer.from([0xff]), Buffer.from('c'), Buffer.from([0xe2, 0x82]), Buffer.from('d')]);
    expect(offsetsOf([bytes])).toEqual([2, 4]);
  });

  it('agrees with the decoder on how many replacement characters random bytes make, across chunk cuts', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let n = 0; n < 300; n++) {
      const bytes = Buffer.from(Array.from({ length: 1 + Math.floor(random() * 40) }, () => Math.floor(random() * 256)));
      const cut = Math.floor(random() * bytes.length);
      const chunks = [bytes.subarray(0, cut), bytes.subarray(cut)];
      expect(offsetsOf(chunks).length, bytes.toString('hex')).toBe(replacements(chunks));
    }
  });

  it('counts a sequence cut off at the end of the file', () => {
    expect(offsetsOf([Buffer.from([0x61, 0xf0, 0x9f])])).toEqual([1]);
  });
});
