import type { CellValue, OnDuplicate, Template } from '@docprocessor/contracts';
import { BatchKeys } from './batch-keys.js';
import { compileValidator, type RowValidator } from './compile-validator.js';
import { comparesIntegersExactly, EarlierKeys } from './earlier-keys.js';
import { compileRowEncoder, type Lineage, type RowEncoder } from '../write/copy-binary.js';
import { CopyRowsBuilder } from '../write/copy-rows.js';
import type { Batch } from '../write/write-batch.js';
import type { TargetTable } from '../write/target-table.js';
import type { Utf8Checker } from '../read/utf8-checker.js';

/**
 * Collects validated rows into batches, each row already encoded as binary COPY data (see copy-rows.ts for
 * why bytes). Inside one batch a repeated key is resolved here (first kept and the rest failed, or the last
 * one kept); across batches the write resolves it.
 */
export class BatchBuilder {
  private batch: Omit<Batch, 'rows'> = BatchBuilder.empty();
  private readonly rows = new CopyRowsBuilder();
  private readonly keys: BatchKeys;
  /** Reused for every row: its values, and the numbers of its integer columns. */
  private readonly values: CellValue[];
  private readonly numbers: Float64Array;
  private readonly encodeRow: RowEncoder;
  private readonly validator: RowValidator;
  /** The key's column when it is one integer column, whose number the validator hands over; else -1. */
  private readonly integerKey: number;
  /**
   * With `earlierKeys`, the keys of the rows kept so far, until a key that is not a safe integer leaves it incomplete
   * (null); and this batch's rows whose key may be one of an earlier batch's. A key repeated inside the batch never
   * reaches the filter (the batch's own keys fail it first), so each key goes in as soon as its row is kept.
   */
  private earlier: EarlierKeys | null = null;
  private candidates: number[] = [];

  constructor(
    private readonly template: Template,
    /** The table the rows go to: its column types decide the encoding, its key what a repeat is. */
    private readonly table: TargetTable,
    private readonly onDuplicate: OnDuplicate,
    private readonly sourceIndex: readonly number[],
    private readonly headerWidth: number,
    /** The job and run every row of the run is written with, after its values. */
    lineage: Lineage,
    private readonly utf8: Utf8Checker | null = null,
    /**
     * Given (with the file's size, which sizes the filter) when the write should learn which rows may repeat an
     * earlier batch's key: onDuplicate=error, a run read from its first row. See EarlierKeys. Null: every row may.
     */
    earlierKeys: { fileBytes: number } | null = null,
  ) {
    this.validator = compileValidator(template);
    this.values = new Array<CellValue>(template.columns.length).fill(null);
    this.numbers = new Float64Array(template.columns.length).fill(NaN);
    this.encodeRow = compileRowEncoder(table.types, lineage);
    this.keys = new BatchKeys(template);
    this.integerKey =
      table.keyIndexes.length === 1 && template.columns[table.keyIndexes[0]!]?.type === 'integer' ? table.keyIndexes[0]! : -1;
    if (earlierKeys && onDuplicate === 'error' && this.integerKey >= 0 && comparesIntegersExactly(table.types[this.integerKey]!.name))
      this.earlier = new EarlierKeys(earlierKeys.fileBytes);
  }

  private static empty(): Omit<Batch, 'rows'> {
    return { errors: [], failedRows: [], processed: 0, failed: 0, bytesProcessed: 0 };
  }

  get size(): number {
    return this.batch.processed;
  }

  add(row: number, record: readonly string[]): void {
    const batch = this.batch;
    batch.processed++;
    if (
      record.length !== this.headerWidth &&
      !(record.length > this.headerWidth && record.slice(this.headerWidth).every((f) => f === ''))
    ) {
      this.fail(row, record);
      batch.errors.push({
        row,
        column: null,
        value: null,
        code: 'column_count',
        message: `has ${record.length} fields where the header has ${this.headerWidth}`,
      });
      return;
    }
    // Only files that had invalid UTF-8 pay for this scan.
    if (this.utf8 && this.utf8.offsets.length > 0 && this.claimInvalidBytes(row, record)) {
      this.fail(row, record);
      return;
    }
    const values = this.values;
    const numbers = this.numbers;
    const errors = this.validator.validate(record, this.sourceIndex, values, numbers);
    if (errors.length > 0) {
      this.fail(row, record);
      for (const e of errors) batch.errors.push({ row, column: e.column, value: e.value, code: e.code, message: e.message });
      return;
    }
    const key = this.integerKey >= 0 ? (values[this.integerKey] ?? '') : this.table.keyOf(values);
    const keyNumber = this.integerKey >= 0 ? numbers[this.integerKey]! : NaN;
    const seen = this.keys.get(key, keyNumber);
    if (seen === -1) {
      this.keys.set(key, keyNumber, this.encodeRow(this.rows, values, numbers, row));
      if (this.earlier) this.keepKey(row, key, keyNumber);
    } else if (this.onDuplicate === 'last') {
      this.rows.drop(seen);
      this.keys.set(key, keyNumber, this.encodeRow(this.rows, values, numbers, row));
    } else {
      this.fail(row, record);
      const value = this.table.keyIndexes.map((i) => values[i] ?? '').join(', ');
      batch.errors.push({
        row,
        column: this.table.keyNames.join(', '),
        value,
        code: 'duplicate_key',
        message: 'repeats the key of an earlier row',
      });
    }
  }

  private keepKey(row: number, key: string, keyNumber: number): void {
    // The validator reads up to 15 digits; a longer key is read from its canonical text, as BatchKeys does.
    if (keyNumber !== keyNumber && key !== '') keyNumber = Number(key);
    if (!Number.isSafeInteger(keyNumber)) {
      this.earlier = null; // a key the filter cannot hold: from now on any row may repeat one
      return;
    }
    if (this.earlier!.add(keyNumber)) this.candidates.push(row);
  }

  /** Counts a failed row and keeps its cells, as the file had them, for errors.csv and fixes. */
  private fail(row: number, record: readonly string[]): void {
    this.batch.failed++;
    this.batch.failedRows.push({ row, cells: [...record] });
  }

  /** Fields holding U+FFFD that the decoder put in for invalid bytes become invalid_encoding errors with the byte offset. */
  private claimInvalidBytes(row: number, record: readonly string[]): boolean {
    const offsets = this.utf8!.offsets;
    let claimed = false;
    record.forEach((field, index) => {
      let replacements = 0;
      for (let at = field.indexOf('\uFFFD'); at !== -1; at = field.indexOf('\uFFFD', at + 1)) replacements++;
      if (replacements === 0 || offsets.length === 0) return;
      const taken = offsets.splice(0, replacements);
      claimed = true;
      const column = this.template.columns[this.sourceIndex.indexOf(index)]?.name ?? null;
      this.batch.errors.push({
        row,
        column,
        value: field,
        code: 'invalid_encoding',
        message: `is not valid UTF-8 (bad bytes at file offset ${taken.join(', ')}); declare the file's encoding if it is not UTF-8`,
      });
    });
    return claimed;
  }

  /** Hands over the current batch and starts a new one. */
  take(bytesProcessed: number): Batch {
    const repeatCandidates = this.earlier ? this.candidates : null;
    const batch = { ...this.batch, bytesProcessed, rows: this.rows.take(), repeatCandidates };
    this.batch = BatchBuilder.empty();
    this.keys.clear();
    this.candidates = [];
    return batch;
  }
}
