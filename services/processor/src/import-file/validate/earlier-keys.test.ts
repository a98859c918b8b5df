import { describe, expect, it } from 'vitest';
import { contactsTemplate as contacts, productsTemplate as products, matchHeader, type Template } from '@docprocessor/contracts';
import { managedTargetTable, targetTableOf, type TargetTable } from '../write/target-table.js';
import { BatchBuilder } from './batch-builder.js';
import { EarlierKeys } from './earlier-keys.js';

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
}

describe('EarlierKeys', () => {
  it('holds every key added (never a false "no") and few others', () => {
    const next = random(11);
    const keys = new EarlierKeys(10_000_000);
    const added = new Set<number>();
    for (let i = 0; i < 200_000; i++) {
      const r = next();
      const n = r < 0.4 ? i : r < 0.8 ? Math.floor((next() - 0.5) * 2 * Number.MAX_SAFE_INTEGER) : -i;
      keys.add(n);
      added.add(n);
    }
    for (const n of added) expect(keys.mayHold(n)).toBe(true);
    let falseMatches = 0;
    for (let i = 0; i < 100_000; i++) {
      const n = 1e12 + i;
      if (!added.has(n) && keys.mayHold(n)) falseMatches++;
    }
    // 200,000 keys in 2^24 bits with 4 probes: about 1 in 200,000 expected; 50 would mean a broken filter.
    expect(falseMatches).toBeLessThan(50);
  });
});

const LINEAGE = { jobId: '00000000-0000-4000-8000-000000000001', runId: '00000000-0000-4000-8000-000000000002' };
const CONTACTS_HEADER = ['id', 'email', 'first_name', 'last_name', 'company', 'country', 'signup_date', 'amount', 'active', 'notes'];

function builderFor(
  template: Template,
  header: string[],
  tracked: boolean,
  table: TargetTable = managedTargetTable(template),
): BatchBuilder {
  const { sourceIndex } = matchHeader(template, header);
  return new BatchBuilder(template, table, 'error', sourceIndex, header.length, LINEAGE, null, tracked ? { fileBytes: 1 << 20 } : null);
}

const contact = (id: string) => [id, `c${id}@example.com`, 'Ada', 'Lovelace', '', 'GB', '2024-01-31', '1.50', 'true', ''];

/** Adds one batch of contacts (their ids), numbering rows from `firstRow`; returns what the write is told. */
function batchOf(builder: BatchBuilder, firstRow: number, ids: string[]) {
  for (const [i, id] of ids.entries()) builder.add(firstRow + i, contact(id));
  return builder.take(0);
}

describe('BatchBuilder: rows that may repeat an earlier batch', () => {
  it('names the rows whose integer key an earlier batch kept, and only those', () => {
    const builder = builderFor(contacts, CONTACTS_HEADER, true);
    expect(batchOf(builder, 1, ['1', '2', '3']).repeatCandidates).toEqual([]);
    // 2 repeats batch 1; 4 repeats 4 inside this batch (a duplicate here, not a candidate); 05 is 5 by value.
    const second = batchOf(builder, 4, ['2', '4', '4', '5']);
    expect(second.repeatCandidates).toEqual([4]);
    expect(second.errors.map((e) => [e.row, e.code])).toEqual([[6, 'duplicate_key']]);
    expect(batchOf(builder, 8, ['05', '6', '1']).repeatCandidates).toEqual([8, 10]);
  });

  it('reads keys longer than the validator reads as numbers', () => {
    const builder = builderFor(contacts, CONTACTS_HEADER, true);
    expect(batchOf(builder, 1, ['1000000000000000', '2']).repeatCandidates).toEqual([]);
    expect(batchOf(builder, 3, ['7', '1000000000000000']).repeatCandidates).toEqual([4]);
  });

  it('says "any row" once a key is not a safe integer, for that batch and every later one', () => {
    // Ids without contacts' upper bound, so one past 2^53 is valid.
    const unbounded = { ...contacts, columns: contacts.columns.map((c) => (c.name === 'id' ? { ...c, max: undefined } : c)) };
    const builder = builderFor(unbounded, CONTACTS_HEADER, true);
    expect(batchOf(builder, 1, ['1', '2']).repeatCandidates).toEqual([]);
    const big = batchOf(builder, 3, ['3', '90071992547409930']);
    expect(big.errors).toEqual([]);
    expect(big.repeatCandidates).toBeNull();
    expect(batchOf(builder, 5, ['7']).repeatCandidates).toBeNull();
  });

  it('says "any row" when the key column rounds integers: as float4, 16777217 and 16777216 are one key', () => {
    const types = managedTargetTable(contacts).types.map((type, i) => (i === 0 ? { ...type, name: 'float4' } : type));
    const builder = builderFor(contacts, CONTACTS_HEADER, true, targetTableOf(contacts, types));
    expect(batchOf(builder, 1, ['16777216']).repeatCandidates).toBeNull();
    expect(batchOf(builder, 2, ['16777217']).repeatCandidates).toBeNull();
  });

  it('says "any row" when not asked to track, and for keys that are not one integer column', () => {
    expect(batchOf(builderFor(contacts, CONTACTS_HEADER, false), 1, ['1']).repeatCandidates).toBeNull();
    const header = products.columns.map((c) => c.name);
    const builder = builderFor(products, header, true);
    builder.add(
      1,
      header.map(() => 'x'),
    );
    expect(builder.take(0).repeatCandidates).toBeNull();
  });
});
