import { isUtf8 } from 'node:buffer';

/**
 * Finds the byte offsets of invalid UTF-8 in a stream, one per U+FFFD that a WHATWG decoder (Node's
 * included) puts in its place, so a row's replacement characters can be traced back to file offsets.
 * Valid chunks take the native isUtf8 fast path; only a chunk with a problem is scanned byte by byte.
 */
export class Utf8Checker {
  /** Offsets of invalid sequences not yet claimed by a row, in file order. */
  readonly offsets: number[] = [];
  private needed = 0;
  private seen = 0;
  private lower = 0x80;
  private upper = 0xbf;
  private start = 0;
  private position = 0;

  check(chunk: Buffer): void {
    let i = 0;
    while (i < chunk.length && this.needed > 0) this.step(chunk, i++);
    if (i < chunk.length) {
      const whole = completeLength(chunk, i);
      if (isUtf8(chunk.subarray(i, whole))) i = whole;
      for (; i < chunk.length; i++) this.step(chunk, i);
    }
    this.position += chunk.length;
  }

  /** A sequence cut off by the end of the file is invalid too. */
  end(): void {
    if (this.needed > 0) this.offsets.push(this.start);
    this.reset();
  }

  private reset(): void {
    this.needed = 0;
    this.seen = 0;
    this.lower = 0x80;
    this.upper = 0xbf;
  }

  private step(chunk: Buffer, i: number): void {
    const byte = chunk[i]!;
    const offset = this.position + i;
    if (this.needed === 0) {
      if (byte <= 0x7f) return;
      this.start = offset;
      if (byte >= 0xc2 && byte <= 0xdf) this.needed = 1;
      else if (byte >= 0xe0 && byte <= 0xef) {
        if (byte === 0xe0) this.lower = 0xa0;
        if (byte === 0xed) this.upper = 0x9f;
        this.needed = 2;
      } else if (byte >= 0xf0 && byte <= 0xf4) {
        if (byte === 0xf0) this.lower = 0x90;
        if (byte === 0xf4) this.upper = 0x8f;
        this.needed = 3;
      } else this.offsets.push(offset);
      return;
    }
    if (byte < this.lower || byte > this.upper) {
      // The sequence broke here: one error for it, and this byte starts over.
      this.offsets.push(this.start);
      this.reset();
      this.step(chunk, i);
      return;
    }
    this.lower = 0x80;
    this.upper = 0xbf;
    if (++this.seen === this.needed) this.reset();
  }
}

/** End of the last whole character of chunk[from..]: a lead byte whose sequence runs past the end is left out. */
function completeLength(chunk: Buffer, from: number): number {
  for (let back = 1; back <= 3 && chunk.length - back >= from; back++) {
    const byte = chunk[chunk.length - back]!;
    if ((byte & 0xc0) === 0x80) continue;
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > back ? chunk.length - back : chunk.length;
  }
  return chunk.length;
}
