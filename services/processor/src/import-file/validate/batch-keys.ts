import type { Template } from '@docprocessor/contracts';

const TWO_32 = 4294967296;
const INITIAL_SLOTS = 1 << 14;

/**
 * The keys of the rows in one batch, each with the handle of its row, so that a key repeated inside the
 * batch is found. A Map of key strings took about a tenth of the JavaScript time of a million contacts
 * (parse-cost.ts). So integer keys (most files' ids) go into an open-addressing table of typed arrays,
 * which allocates nothing per key and which every batch reuses; other keys (text, or integers beyond
 * 2^53) go into a Map.
 */
export class BatchKeys {
  private numbers = new Float64Array(INITIAL_SLOTS);
  private handles = new Int32Array(INITIAL_SLOTS);
  /** A slot is taken when its stamp is the current generation: clearing is one increment, not a fill. */
  private stamps = new Uint32Array(INITIAL_SLOTS);
  private generation = 1;
  private taken = 0;
  private texts = new Map<string, number>();
  private readonly integerKeys: boolean;

  /** Keys are given as the table compares them (TargetTable.keyOf); a key of one integer column takes the fast path. */
  constructor(template: Pick<Template, 'key' | 'columns'>) {
    this.integerKeys = template.key.length === 1 && template.columns.find((c) => c.name === template.key[0])?.type === 'integer';
  }

  /** The handle stored with this key in the batch, or -1. `number`: the key's value when the validator read it, or NaN. */
  get(key: string, number = NaN): number {
    const n = this.numberOf(key, number);
    if (!Number.isSafeInteger(n)) return this.texts.get(key) ?? -1;
    const slot = this.slotOf(n);
    return this.stamps[slot] === this.generation ? this.handles[slot]! : -1;
  }

  set(key: string, number: number, handle: number): void {
    const n = this.numberOf(key, number);
    if (!Number.isSafeInteger(n)) {
      this.texts.set(key, handle);
      return;
    }
    const slot = this.slotOf(n);
    if (this.stamps[slot] !== this.generation) {
      this.stamps[slot] = this.generation;
      this.numbers[slot] = n;
      if (++this.taken * 2 > this.stamps.length) {
        this.handles[slot] = handle;
        this.grow();
        return;
      }
    }
    this.handles[slot] = handle;
  }

  /**
   * The key as a number when it is one: the validator gives an integer column canonical text, so equal
   * numbers are equal keys. (Number('') is 0, but an empty key is not the key 0.)
   */
  private numberOf(key: string, number: number): number {
    if (!this.integerKeys || key === '') return NaN;
    return number === number ? number : Number(key);
  }

  /** Forgets every key, for the next batch. */
  clear(): void {
    this.taken = 0;
    if (this.texts.size > 0) this.texts = new Map();
    if (++this.generation === 0xffffffff) {
      this.stamps.fill(0);
      this.generation = 1;
    }
  }

  /** Where `n` is, or the empty slot where it would go (linear probing; the table is never more than half full). */
  private slotOf(n: number): number {
    const mask = this.stamps.length - 1;
    let h = Math.imul((n >>> 0) ^ Math.imul((n / TWO_32) | 0, 0x85ebca6b), 0x9e3779b1);
    h ^= h >>> 15;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      if (this.stamps[slot] !== this.generation || this.numbers[slot] === n) return slot;
    }
  }

  private grow(): void {
    const { numbers, handles, stamps, generation } = this;
    this.numbers = new Float64Array(numbers.length * 2);
    this.handles = new Int32Array(numbers.length * 2);
    this.stamps = new Uint32Array(numbers.length * 2);
    this.generation = 1;
    for (let i = 0; i < stamps.length; i++) {
      if (stamps[i] !== generation) continue;
      const slot = this.slotOf(numbers[i]!);
      this.stamps[slot] = 1;
      this.numbers[slot] = numbers[i]!;
      this.handles[slot] = handles[i]!;
    }
  }
}
