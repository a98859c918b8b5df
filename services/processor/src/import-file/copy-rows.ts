/** A batch's rows in PostgreSQL's binary COPY format: what the COPY sends, and how many rows it holds. */
export interface CopyRows {
  bytes: Buffer;
  count: number;
}

/** Signature, flags and header extension length that open every binary COPY; see PostgreSQL's COPY docs, "Binary Format". */
const HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
/** A field count of -1 ends the data. */
const TRAILER = Buffer.from([0xff, 0xff]);
const INITIAL_BYTES = 256 * 1024;
const NO_BYTES = Buffer.alloc(0);

/**
 * Builds a batch's binary COPY data row by row, straight into one buffer (outside V8's heap): field
 * encoders (copy-binary.ts) write at `end` after asking for `room`. No string per row is made, so
 * nothing per row outlives a young-generation collection.
 *
 * A row can be dropped again (a later row with the same key replaces it); the bytes are compacted when
 * the batch is taken.
 */
export class CopyRowsBuilder {
  private bytes!: Buffer;
  /** Where the next byte goes; encoders move it past what they wrote. */
  end!: number;
  /** Start offset of each row, for dropping one. */
  private starts!: number[];
  private dropped!: Set<number> | null;

  constructor() {
    this.restart(INITIAL_BYTES);
  }

  /** Makes room for `bytes` more bytes at `end` and returns the buffer to write them into. */
  room(bytes: number): Buffer {
    if (this.end + bytes > this.bytes.length) this.grow(bytes);
    return this.bytes;
  }

  /** Opens a row of `fields` fields; its fields follow. */
  beginRow(fields: number): void {
    this.starts.push(this.end);
    const bytes = this.room(2);
    bytes[this.end] = fields >>> 8;
    bytes[this.end + 1] = fields;
    this.end += 2;
  }

  /** The index in this batch of the row just written, for `drop`. */
  get lastRow(): number {
    return this.starts.length - 1;
  }

  drop(index: number): void {
    (this.dropped ??= new Set()).add(index);
  }

  get count(): number {
    return this.starts.length - (this.dropped?.size ?? 0);
  }

  /**
   * The rows so far (no bytes at all when there are none, so no COPY is sent); the builder starts empty again
   * with a buffer of its own (the taken one is still being written), sized for a batch like this one, so one
   * batch of huge rows does not make every later one huge.
   */
  take(): CopyRows {
    const count = this.count;
    const used = this.end;
    let bytes: Buffer = NO_BYTES;
    if (count > 0 && this.dropped) bytes = this.compacted();
    else if (count > 0) {
      this.room(TRAILER.length).set(TRAILER, this.end);
      bytes = this.bytes.subarray(0, this.end + TRAILER.length);
    }
    this.restart(Math.max(INITIAL_BYTES, Math.ceil(used * 1.25)));
    return { bytes, count };
  }

  private restart(size: number): void {
    this.bytes = Buffer.allocUnsafe(size);
    this.bytes.set(HEADER, 0);
    this.end = HEADER.length;
    this.starts = [];
    this.dropped = null;
  }

  private grow(needed: number): void {
    const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.end + needed));
    this.bytes.copy(grown, 0, 0, this.end);
    this.bytes = grown;
  }

  private compacted(): Buffer {
    const parts: Buffer[] = [HEADER];
    this.starts.forEach((start, index) => {
      if (!this.dropped!.has(index)) parts.push(this.bytes.subarray(start, this.starts[index + 1] ?? this.end));
    });
    parts.push(TRAILER);
    return Buffer.concat(parts);
  }
}
