const TWO_32 = 4294967296;
const PROBES = 4;
const MIN_BITS_LOG2 = 16;
/** 8 MiB: a million keys meet about one false match in 100,000, ten million one in 25 (each costs one index probe). */
const MAX_BITS_LOG2 = 26;

/**
 * The integer keys of the rows kept in a run's earlier batches, as a Bloom filter: whether a row's key may repeat one
 * of them, never a false "no". With onDuplicate=error the write looks up, in the run's table of unchanged keys, only
 * the rows this names (unchanged-keys.ts), so the batches of a file without repeats skip that lookup, which cost
 * PostgreSQL about 15 ms a batch. Only one integer key column of a type that compares integers exactly: there two
 * keys are equal in PostgreSQL when their numbers are in JavaScript. Text keys may compare by a collation or lower()
 * this process does not share, and a real column rounds (16777217 equals 16777216 as float4).
 */
export class EarlierKeys {
  private readonly bits: Int32Array;
  private readonly mask: number;

  /** Sized by the file: about a bit per byte, within 64 Kibit and 64 Mibit (the most for a size it cannot read). */
  constructor(fileBytes: number) {
    const wanted = fileBytes > 0 ? Math.ceil(Math.log2(fileBytes)) : MAX_BITS_LOG2;
    const log2 = Math.min(MAX_BITS_LOG2, Math.max(MIN_BITS_LOG2, Number.isFinite(wanted) ? wanted : MAX_BITS_LOG2));
    this.bits = new Int32Array(2 ** (log2 - 5));
    this.mask = 2 ** log2 - 1;
  }

  /** Whether `n` (a safe integer) may have been added. */
  mayHold(n: number): boolean {
    let h = hashOf(n);
    const step = stepOf(h);
    for (let i = 0; i < PROBES; i++, h = (h + step) | 0) {
      const bit = h & this.mask;
      if ((this.bits[bit >>> 5]! & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }

  /** Adds `n` (a safe integer); returns whether it may have been added before, as mayHold would have, in one pass. */
  add(n: number): boolean {
    let h = hashOf(n);
    const step = stepOf(h);
    let held = true;
    for (let i = 0; i < PROBES; i++, h = (h + step) | 0) {
      const bit = h & this.mask;
      const word = this.bits[bit >>> 5]!;
      const flag = 1 << (bit & 31);
      if ((word & flag) !== 0) continue;
      held = false;
      this.bits[bit >>> 5] = word | flag;
    }
    return held;
  }
}

/** The double-hashing step for a key's bits, odd so it visits distinct bits. */
const stepOf = (h: number) => Math.imul((h >>> 16) | (h << 16), 0x27d4eb2f) | 1;

/** SQL types whose equality of integers up to 2^53 is the numbers' (float8 holds them exactly). */
const EXACT_INTEGER_TYPES = new Set(['int2', 'int4', 'int8', 'numeric', 'float8']);

export const comparesIntegersExactly = (sqlType: string): boolean => EXACT_INTEGER_TYPES.has(sqlType);

/** Both 32-bit halves of the number, mixed (murmur3's finalizer). */
function hashOf(n: number): number {
  let h = (n >>> 0) ^ Math.imul(Math.floor(n / TWO_32) | 0, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}
