import { describe, expect, it } from 'vitest';
import { recordBounds } from '../../src/previews/read-records.js';
import { DIALECT_SAMPLE_CHARS, sniffDialect } from '../../src/previews/sniff-dialect.js';

describe('recordBounds', () => {
  it('counts fields per record, skipping empty lines and reading quotes only at the start of a field', () => {
    const text = 'a,b,c\n\n"x,1",y,z\n5" pipe,"q""uote,d",w\n"multi\nline",2,3\n';
    const bounds = recordBounds(text, { delimiter: ',', quote: '"' }, 100);
    expect(bounds.fieldCounts).toEqual([3, 3, 3, 3]);
    expect(bounds.wholeRecordsEnd).toBe(text.length);
    expect(recordBounds(text, { delimiter: ',', quote: null }, 100).fieldCounts).toEqual([3, 4, 4, 1, 3]);
  });

  it('names the first line end outside quotes and where the last whole record ends', () => {
    expect(recordBounds('"a\nb",c\r\nd,e\r\nf,', { delimiter: ',', quote: '"' })).toMatchObject({ lineEnd: '\r\n', wholeRecordsEnd: 14 });
    expect(recordBounds('a\rb\rc', { delimiter: ',', quote: '"' })).toMatchObject({ lineEnd: '\r', wholeRecordsEnd: 4 });
    expect(recordBounds('a,b', { delimiter: ',', quote: '"' })).toMatchObject({ lineEnd: null, wholeRecordsEnd: 0 });
    expect(recordBounds('a,"b\nc', { delimiter: ',', quote: '"' })).toMatchObject({ lineEnd: null, wholeRecordsEnd: 0 });
  });

  it('stops counting at the limit it is given', () => {
    expect(recordBounds('1\n2\n3\n', { delimiter: ',', quote: '"' }, 2).fieldCounts).toEqual([1, 1]);
  });
});

describe('sniffDialect', () => {
  const dialect = (text: string, cut = false) => {
    const { delimiter, quote, lineEnd, columns } = sniffDialect(text, cut);
    return { delimiter, quote, lineEnd, columns };
  };

  it('picks the delimiter whose records consistently have the same number of fields', () => {
    expect(dialect('a;b;c\n1,5;2;3\n4;5,5;6\n')).toEqual({ delimiter: ';', quote: '"', lineEnd: '\n', columns: 3 });
    expect(dialect('a|b\nx,y|1\nz|2\n')).toMatchObject({ delimiter: '|', columns: 2 });
    expect(dialect('a\tb\tc\n1\t2\t3\n')).toMatchObject({ delimiter: '\t', columns: 3 });
  });

  it('prefers more fields when two delimiters are equally consistent', () => {
    expect(dialect('a,b;c\n1,2;3\n4,5;6\n')).toMatchObject({ delimiter: ',', columns: 2 });
    expect(dialect('a;b;c,d\n1;2;3,4\n')).toMatchObject({ delimiter: ';', columns: 3 });
  });

  it('keeps the comma and the double quote when nothing tells the candidates apart', () => {
    expect(dialect('just one column\nof text\n')).toEqual({ delimiter: ',', quote: '"', lineEnd: '\n', columns: 1 });
    expect(dialect('')).toMatchObject({ delimiter: ',', quote: '"', lineEnd: '\n' });
  });

  it('prefers a layout that splits rows, unless most rows do not split alike', () => {
    expect(dialect('name\nSmith, John\nDoe, Jane\nLee, Ann\n')).toMatchObject({ delimiter: ',', columns: 2 });
    expect(dialect('note\na, b, c\nplain\nfine\nx, y\nwords\n')).toMatchObject({ columns: 1 });
  });

  it('reads without quotes when a quote swallows the rest of the sample', () => {
    expect(dialect('id|c\n1|"open\n2|b\n3|c\n')).toMatchObject({ delimiter: '|', quote: null });
    expect(dialect('id,c\n1,"a, b"\n2,"c, d"\n')).toMatchObject({ delimiter: ',', quote: '"', columns: 2 });
  });

  it('leaves out the partial last record of a cut text, and scores only the sample', () => {
    expect(dialect('a;b\n1;2\n3;4\n5,5,5,5,5', true)).toMatchObject({ delimiter: ';', columns: 2 });
    const long = `a;b\n${'1;2\n'.repeat(DIALECT_SAMPLE_CHARS / 4)}${'x,y,z\n'.repeat(50_000)}`;
    expect(dialect(long)).toMatchObject({ delimiter: ';', columns: 2 });
  });

  it('names the line end: LF, CRLF or CR', () => {
    expect(dialect('a,b\r\n1,2\r\n').lineEnd).toBe('\r\n');
    expect(dialect('a,b\r1,2\r').lineEnd).toBe('\r');
    expect(dialect('"x\r\ny",b\n1,2\n').lineEnd).toBe('\n');
  });
});
