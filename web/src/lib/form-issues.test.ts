import { describe, expect, it } from 'vitest';
import { placeIssues, serverIssueOf } from './form-issues';

describe('serverIssueOf', () => {
  it('reads the field path an invalid_template message starts with', () => {
    expect(serverIssueOf('columns[2].maxLength: must be at least 1')).toEqual({
      path: ['columns', 2, 'maxLength'],
      message: 'must be at least 1',
    });
    expect(serverIssueOf('key[0]: "sku" is not one of the columns')).toEqual({
      path: ['key', 0],
      message: '"sku" is not one of the columns',
    });
    expect(serverIssueOf('name: must be 1 to 63 characters')).toEqual({ path: ['name'], message: 'must be 1 to 63 characters' });
  });

  it('keeps a message without a path whole', () => {
    expect(serverIssueOf('The template is not valid')).toEqual({ path: [], message: 'The template is not valid' });
    expect(serverIssueOf('Bad: here is why')).toEqual({ path: ['Bad'], message: 'here is why' });
  });
});

describe('placeIssues', () => {
  const shown = new Set(['name', 'key', 'columns', 'columns.0', 'columns.0.formats']);

  it('puts each message at the nearest shown field, and the rest at the top with its path', () => {
    const placed = placeIssues(
      [
        { path: ['columns', 0, 'formats', 1], message: 'is not a date format' },
        { path: ['key', 0], message: '"x" is not one of the columns' },
        { path: ['columns', 0, 'pattern'], message: 'is not a rule of a date column' },
        { path: ['table'], message: 'must be "table" or "schema.table"' },
        { path: [], message: 'something else' },
      ],
      shown,
    );
    expect(placed.byField).toEqual({
      'columns.0.formats': ['Is not a date format'],
      key: ['"x" is not one of the columns'],
      'columns.0': ['Is not a rule of a date column'],
    });
    expect(placed.top).toEqual(['table: must be "table" or "schema.table"', 'Something else']);
  });
});
