import { describe, expect, it } from 'vitest';
import { cellSchema, contactsTemplate, productsTemplate, type TemplateColumn } from '../src/index.js';

const column = (template: typeof contactsTemplate, name: string): TemplateColumn => {
  const found = template.columns.find((c) => c.name === name);
  if (!found) throw new Error(`no column ${name}`);
  return found;
};

const check = (name: string, raw: string, template = contactsTemplate) => {
  const result = cellSchema(column(template, name)).safeParse(raw);
  if (result.success) return { value: result.data };
  const issue = result.error.issues[0] as { params?: { code?: string }; message: string };
  return { code: issue.params?.code, message: issue.message };
};

describe('integer cells past 2^53', () => {
  const unbounded: TemplateColumn = { ...column(contactsTemplate, 'id'), min: undefined, max: undefined };
  it.each([
    ['9007199254740993', '9007199254740993'],
    ['+90071992547409931', '90071992547409931'],
    ['-009223372036854775807', '-9223372036854775807'],
  ])('%s keeps every digit: %s', (raw, value) => {
    expect(cellSchema(unbounded).parse(raw)).toBe(value);
  });

  it('fails a value past what a bigint holds as out_of_range, not the import', () => {
    const result = cellSchema(unbounded).safeParse('9223372036854775808');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({
      message: 'must be between -9223372036854775808 and 9223372036854775807',
      params: { code: 'out_of_range' },
    });
  });
});

describe('contacts cells', () => {
  it.each([
    ['id', '42', '42'],
    ['id', ' 7 ', '7'],
    ['id', '+9007199254740991', '9007199254740991'],
    ['email', 'ada@example.com', 'ada@example.com'],
    // Internationalized addresses (RFC 6531): any script in the local part and the domain, a punycode top-level domain.
    ['email', 'josé@bücher.de', 'josé@bücher.de'],
    ['email', 'почта@пример.рф', 'почта@пример.рф'],
    ['email', '用户@例子.广告', '用户@例子.广告'],
    ['email', 'ada@example.xn--p1ai', 'ada@example.xn--p1ai'],
    ['first_name', '  Ada ', 'Ada'],
    ['company', '', null],
    ['country', 'de', 'DE'],
    ['signup_date', '2024-02-29', '2024-02-29'],
    ['amount', '0', '0'],
    ['amount', '12.5', '12.5'],
    ['amount', '1234567890123456789012.99', '1234567890123456789012.99'],
    ['active', 'YES', 't'],
    ['active', '0', 'f'],
    ['notes', 'x'.repeat(2000), 'x'.repeat(2000)],
  ])('%s accepts %j', (name, raw, expected) => {
    expect(check(name, raw)).toEqual({ value: expected });
  });

  it.each([
    ['id', '', 'required'],
    ['id', '0', 'out_of_range'],
    ['id', '9007199254740992', 'out_of_range'],
    ['id', '1.5', 'invalid_integer'],
    ['id', 'abc', 'invalid_integer'],
    ['email', 'not-an-email', 'invalid_email'],
    ['email', 'a@b', 'invalid_email'],
    ['email', 'josé@bücher', 'invalid_email'],
    ['email', 'jo sé@bücher.de', 'invalid_email'],
    ['email', 'josé@.de', 'invalid_email'],
    ['email', '@例子.广告', 'invalid_email'],
    ['email', 'josé.@bücher.de', 'invalid_email'],
    ['email', 'ada@example.x1', 'invalid_email'],
    ['first_name', '   ', 'required'],
    ['last_name', 'x'.repeat(101), 'too_long'],
    ['company', 'x'.repeat(201), 'too_long'],
    ['country', 'XX', 'invalid_country'],
    ['country', 'DEU', 'invalid_country'],
    ['signup_date', '2023-02-29', 'invalid_date'],
    ['signup_date', '2023-13-01', 'invalid_date'],
    ['signup_date', '01/02/2023', 'invalid_date'],
    ['signup_date', '0000-01-01', 'invalid_date'],
    ['amount', '-1', 'out_of_range'],
    ['amount', '1.234', 'too_many_decimals'],
    ['amount', '1e5', 'invalid_decimal'],
    ['amount', '.5', 'invalid_decimal'],
    ['active', 'maybe', 'invalid_boolean'],
    ['notes', 'x'.repeat(2001), 'too_long'],
  ])('%s refuses %j with %s', (name, raw, code) => {
    const result = check(name, raw);
    expect(result.code).toBe(code);
    expect(result.message).toBeTruthy();
  });
});

describe('products cells', () => {
  it('checks the sku pattern', () => {
    expect(check('sku', 'AB-12_x', productsTemplate)).toEqual({ value: 'AB-12_x' });
    expect(check('sku', 'AB 12', productsTemplate).code).toBe('invalid_format');
    expect(check('sku', 'x'.repeat(65), productsTemplate).code).toBe('too_long');
  });
  it('takes a quantity of 0 but not below', () => {
    expect(check('quantity', '0', productsTemplate)).toEqual({ value: '0' });
    expect(check('quantity', '-3', productsTemplate).code).toBe('out_of_range');
  });
  it('leaves an empty description null', () => {
    expect(check('description', '', productsTemplate)).toEqual({ value: null });
  });
});
