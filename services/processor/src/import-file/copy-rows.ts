/** A batch's rows as COPY text, already UTF-8 bytes: what the COPY sends, and how many rows it holds. */
export interface CopyRows {
  bytes: Buffer;
  count: number;
}

const INITIAL_BYTES = 256 * 1024;
/** UTF-8 needs at most 3 bytes per UTF-16 code unit (a surrogate pair's 4 bytes cover its 2 units). */
const MAX_BYTES_PER_UNIT = 3;

/**
 * Builds a batch's COPY text as bytes, row by row. Each row's string is encoded at once and dies young;
 * only the bytes (outside V8's heap) live until the batch is written. Kept as strings, a batch's rows
 * outlived a young-generation collection or two and were promoted, so the old generation grew by about
 * the size of the file and needed frequent full collections.
 *
 * A row can be dropped again (a later row with the same key replaces it); the bytes are compacted when
 * the batch is taken.
 */
export class CopyRowsBuilder {
  private bytes = Buffer.allocUnsafe(INITIAL_BYTES);
  private length = 0;
  /** Start offset of each row, for dropping one. */
  private starts: number[] = [];
  private dropped: Set<number> | null = null;

  /** Appends a line of COPY text (ending in a newline); returns its index in this batch. */
  add(line: string): number {
    if (this.length + line.length * MAX_BYTES_PER_UNIT > this.bytes.length) this.grow(line.length * MAX_BYTES_PER_UNIT);
    this.starts.push(this.length);
    this.length += this.bytes.write(line, this.length, 'utf8');
    return this.starts.length - 1;
  }

  drop(index: number): void {
    (this.dropped ??= new Set()).add(index);
  }

  get count(): number {
    return this.starts.length - (this.dropped?.size ?? 0);
  }

  /**
   * The rows so far; the builder starts empty again with a buffer of its own (the taken one is still being
   * written), sized for a batch like this one, so one batch of huge rows does not make every later one huge.
   */
  take(): CopyRows {
    const rows = { bytes: this.dropped ? this.compacted() : this.bytes.subarray(0, this.length), count: this.count };
    this.bytes = Buffer.allocUnsafe(Math.max(INITIAL_BYTES, Math.ceil(this.length * 1.25)));
    this.length = 0;
    this.starts = [];
    this.dropped = null;
    return rows;
  }

  private grow(needed: number): void {
    const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.length + needed));
    this.bytes.copy(grown, 0, 0, this.length);
    this.bytes = grown;
  }

  private compacted(): Buffer {
    const parts: Buffer[] = [];
    this.starts.forEach((start, index) => {
      if (!this.dropped!.has(index)) parts.push(this.bytes.subarray(start, this.starts[index + 1] ?? this.length));
    });
    return Buffer.concat(parts);
  }
}

/** Lines of COPY text as one batch's rows. */
export function copyRowsOf(lines: readonly string[]): CopyRows {
  const builder = new CopyRowsBuilder();
  for (const line of lines) builder.add(line);
  return builder.take();
}
