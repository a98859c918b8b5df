import { describe, expect, it } from 'vitest';
import { contactsTemplate, matchHeader } from '../src/index.js';

const all = contactsTemplate.columns.map((c) => c.name);

describe('matchHeader', () => {
  it('matches case-insensitively after trimming and dropping a BOM', () => {
    const header = ['\uFEFFID', ...all.slice(1).map((n) => ` ${n.toUpperCase()} `)];
    const match = matchHeader(contactsTemplate, header);
    expect(match.missingRequired).toEqual([]);
    expect(match.sourceIndex).toEqual(all.map((_, i) => i));
  });

  it('reports missing required columns and ignored extras', () => {
    const match = matchHeader(contactsTemplate, ['id', 'email', 'favourite_colour']);
    expect(match.missingRequired).toEqual(['first_name', 'last_name', 'country', 'signup_date', 'amount', 'active']);
    expect(match.ignored).toEqual(['favourite_colour']);
    expect(match.sourceIndex[4]).toBe(-1);
  });

  it('finds columns in any order', () => {
    const reversed = [...all].reverse();
    expect(matchHeader(contactsTemplate, reversed).sourceIndex[0]).toBe(all.length - 1);
  });
});
