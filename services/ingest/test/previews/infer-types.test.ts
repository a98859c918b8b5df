import { describe, expect, it } from 'vitest';
import { detectHeader } from '../../src/previews/detect-header.js';
import { cellType, ColumnTally } from '../../src/previews/infer-types.js';

const infer = (...cells: string[]) => {
  const tally = new ColumnTally();
  for (const cell of cells) tally.add(cell);
  return tally.result();
};
const tallies = (...columns: string[][]) =>
  columns.map((cells) => {
    const tally = new ColumnTally();
    for (const cell of cells) tally.add(cell);
    return tally;
  });

describe('the type ladder', () => {
  it.each([
    [['true', 'FALSE', 'Yes', 'no'], 'boolean'],
    [['1', '0', '1'], 'integer'],
    [['-12', '+7', '0', '999999999999999'], 'integer'],
    [['1', '2.5', '-0.25'], 'decimal'],
    [['1234567890123456'], 'decimal'],
    [['2000-02-21', '1999-12-31'], 'date'],
    [['2000-02-21T10:00:00Z', '2000-02-21 11:00'], 'timestamp'],
    [['123e4567-e89b-12d3-a456-426614174000', 'AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE'], 'uuid'],
    [['ada@example.com', 'b.c+d@example.org'], 'email'],
    [['ada@example.com', 'josé@bücher.de', '用户@例子.广告'], 'email'],
    [['ada@example.com', 'josé@bücher'], 'string'],
    [['hello', '1'], 'string'],
    [['yes', '1'], 'string'],
    [['01234', '75001'], 'string'],
    [['00.5'], 'string'],
    [['1,5', '2,25'], 'string'],
    [['1e5'], 'string'],
    [['.5'], 'string'],
    [['2000-02-21', '2000-02-21T10:00'], 'string'],
    [['2000-02-30'], 'string'],
    [['not-an@'], 'string'],
  ])('%j is %s', (cells, type) => {
    expect(infer(...cells).type).toBe(type);
  });

  it('reads cells trimmed', () => {
    expect(infer(' 42 ', '\t7')).toMatchObject({ type: 'integer', examples: ['42', '7'] });
  });

  it('counts null tokens as nulls, not values, and a column of nothing else as nullable text', () => {
    for (const token of ['', '   ', 'NULL', 'null', 'Null', 'NA', 'N/A', 'n/a', '#N/A', '\\N'])
      expect(infer('1', token, '2'), token).toMatchObject({ type: 'integer', nullable: true });
    expect(infer('', 'NULL')).toEqual({ type: 'string', nullable: true, examples: [] });
    expect(infer('none', '1').type).toBe('string');
  });

  it('counts a cell a short record leaves out as null', () => {
    const tally = new ColumnTally();
    tally.add('1');
    tally.add(undefined);
    expect(tally.result()).toMatchObject({ type: 'integer', nullable: true });
  });

  it('narrows date formats as rows come: a later day over 12 settles the order', () => {
    expect(infer('01/02/2000', '03/04/2000').formats).toEqual(['DD/MM/YYYY', 'MM/DD/YYYY']);
    expect(infer('01/02/2000', '03/04/2000', '21/02/2000').formats).toEqual(['DD/MM/YYYY']);
    expect(infer('01/02/2000', '02/21/2000').formats).toEqual(['MM/DD/YYYY']);
    expect(infer('01/02/2000', '21/02/2000', '02/21/2000')).toMatchObject({ type: 'string' });
    expect(infer('1.2.2000', '31.12.1999')).toMatchObject({ type: 'date', formats: ['DD.MM.YYYY'] });
  });

  it('narrows timestamp formats alike', () => {
    expect(infer('01/02/2000 10:00', '03/04/2000 9:30').formats).toEqual(['DD/MM/YYYY HH:mm', 'MM/DD/YYYY HH:mm']);
    expect(infer('01/02/2000 10:00', '12/31/2000 23:59').formats).toEqual(['MM/DD/YYYY HH:mm']);
    expect(infer('2000-02-21T10:00:00+01:00', '2000-02-21 10:00:00.123456Z').formats).toEqual(['ISO']);
  });

  it('types an eight-digit date as an integer: the ladder tries integer first', () => {
    expect(infer('20000221', '20001231').type).toBe('integer');
  });

  it('gives at most five distinct examples, in the order met', () => {
    expect(infer('b', 'a', 'b', 'c', 'd', 'e', 'f').examples).toEqual(['b', 'a', 'c', 'd', 'e']);
  });

  it('types a lone cell', () => {
    expect([cellType('id'), cellType('42'), cellType('2020-01-01'), cellType('')]).toEqual(['string', 'integer', 'date', 'string']);
  });
});

describe('detectHeader', () => {
  const body = tallies(['1', '2'], ['2000-01-01', '2000-01-02'], ['x', 'y']);

  it('finds a header whose names do not fit the types below them', () => {
    expect(detectHeader(['id', 'signup_date', 'name'], body)).toBe(true);
    expect(detectHeader(['id', '2021', 'name'], tallies(['1'], ['5'], ['x']))).toBe(true);
  });

  it('finds none when the first row types like the rest', () => {
    expect(detectHeader(['0', '1999-12-31', 'w'], body)).toBe(false);
    expect(detectHeader(['country', '2019', '2020'], tallies(['France'], ['1'], ['2']))).toBe(false);
  });

  it('takes a first row of plain names over text columns for a header', () => {
    expect(detectHeader(['name', 'city'], tallies(['Ada'], ['Paris']))).toBe(true);
    expect(detectHeader(['name', 'joined'], tallies([], []))).toBe(true);
  });

  it('finds none when names repeat (in any case) or a name is a null token', () => {
    expect(detectHeader(['id', 'ID', 'name'], body)).toBe(false);
    expect(detectHeader(['id', 'NULL', 'name'], body)).toBe(false);
    expect(detectHeader(['', '', ''], body)).toBe(false);
  });

  it('allows empty names beside others, as pandas writes its index column', () => {
    expect(detectHeader(['', 'signup_date', 'name'], body)).toBe(true);
  });
});
