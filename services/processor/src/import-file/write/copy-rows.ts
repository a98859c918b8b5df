/** A batch's rows in PostgreSQL's binary COPY format: what the COPY sends, and how many rows it holds. */
export interface CopyRows {
  bytes: Buffer;
  count: number;
  /** Gives the bytes back to the builder for a later batch: call once PostgreSQL has them (the write committed), or never. */
  recycle(): void;
}

/** Signature, flags and header extension length that open every binary COPY; see PostgreSQL's COPY docs, "Binary Format". */
const HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
/** A field count of -1 ends the data. */
const TRAILER = Buffer.from([0xff, 0xff]);
const INITIAL_BYTES = 256 * 1024;
const NO_BYTES = Buffer.alloc(0);
/** Buffers a builder keeps for its next batches: the one being filled and two being written are all a run has at once. */
const SPARE_BUFFERS = 2;
/** A buffer this large (a batch of huge rows) is not kept: it would hold that memory for the rest of the run. */
const MAX_KEPT_BYTES = 8 * 1024 * 1024;
const NOTHING_TO_RECYCLE = () => undefined;

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
  /** The same bytes, for encoders that store whole 32-bit words. */
  view!: DataView;
  /** Where the next byte goes; encoders move it past what they wrote. */
  end!: number;
  /** Start offset of each row, for dropping one. */
  private starts!: number[];
  private dropped!: Set<number> | null;
  /**
   * Buffers of written batches, reused: a batch's buffer lives until PostgreSQL has it, long enough to reach V8's
   * old generation, where a fresh 2 MB buffer per batch made V8 run a full collection every few batches.
   */
  private readonly spare: Buffer[] = [];

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
    let rows: CopyRows;
    if (count === 0 || this.dropped) {
      // Compacted (or empty), the rows are in a buffer of their own: the filled one is free now.
      rows = { bytes: count === 0 ? NO_BYTES : this.compacted(), count, recycle: NOTHING_TO_RECYCLE };
      this.keep(this.bytes);
    } else {
      this.room(TRAILER.length).set(TRAILER, this.end);
      const full = this.bytes;
      let given = false; // a second call must not hand back a buffer that has gone into use again since
      const recycle = () => {
        if (!given) this.keep(full);
        given = true;
      };
      rows = { bytes: full.subarray(0, this.end + TRAILER.length), count, recycle };
    }
    this.restart(Math.max(INITIAL_BYTES, used));
    return rows;
  }

  private keep(buffer: Buffer): void {
    if (buffer.length <= MAX_KEPT_BYTES && this.spare.length < SPARE_BUFFERS) this.spare.push(buffer);
  }

  /**
   * For a batch like the last one (`size` bytes): a kept buffer that holds it (and is not so much larger that it
   * would hold memory such batches do not need), or a new one with a quarter more room, so it seldom grows.
   */
  private bufferFor(size: number): Buffer {
    const index = this.spare.findIndex((b) => b.length >= size && b.length <= 4 * size);
    if (index !== -1) return this.spare.splice(index, 1)[0]!;
    // Spares that fit no batch like this one would only keep the buffers of later batches out.
    this.spare.length = 0;
    return Buffer.allocUnsafe(Math.ceil(size * 1.25));
  }

  /** Writes go to `bytes` from now on. */
  private use(bytes: Buffer): void {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private restart(size: number): void {
    this.use(this.bufferFor(size));
    this.bytes.set(HEADER, 0);
    this.end = HEADER.length;
    this.starts = [];
    this.dropped = null;
  }

  private grow(needed: number): void {
    const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.end + needed));
    this.bytes.copy(grown, 0, 0, this.end);
    this.use(grown);
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
