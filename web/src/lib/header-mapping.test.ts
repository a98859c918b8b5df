import { describe, expect, it } from 'vitest';
import { assign, isClean, mappingInputOf, missingOf, proposalOf, stateOf } from './header-mapping';
import { contacts, makePreview } from '../testing/previews';

const headers = ['ID', 'E-mail', 'first_name', 'last_name', 'country', 'signup', 'amount', 'active', 'nickname'];
const preview = makePreview(headers, [['1', 'a@b.c', 'Ada', 'L', 'GB', '2024-01-31', '1', 'true', 'Countess']], contacts);

describe('header mapping', () => {
  it('starts from the server’s proposal: names, suggestions, unmatched headers and missing columns', () => {
    const { rows, missing } = proposalOf(preview, contacts);
    expect(rows.map((r) => [r.header, r.column, stateOf(r)])).toEqual([
      ['ID', 'id', 'matched'],
      ['E-mail', 'email', 'suggested'],
      ['first_name', 'first_name', 'matched'],
      ['last_name', 'last_name', 'matched'],
      ['country', 'country', 'matched'],
      ['signup', 'signup_date', 'suggested'],
      ['amount', 'amount', 'matched'],
      ['active', 'active', 'matched'],
      ['nickname', null, 'ignored'],
    ]);
    expect(missing).toEqual([]);
    expect(isClean(rows, missing)).toBe(false);
  });

  it('moves a column to the header chosen for it, and offers a free closest header for a missing column', () => {
    const { rows, missing } = proposalOf(preview, contacts);
    const moved = assign(rows, 8, 'signup_date');
    expect(moved[8]).toMatchObject({ column: 'signup_date', chosen: true });
    expect(moved[5]).toMatchObject({ column: null, chosen: true });
    const proposedMissing = [{ column: 'signup_date', closestHeader: 'signup' }];
    const ignoredDate = assign(rows, 5, null);
    expect(missingOf(ignoredDate, contacts, proposedMissing)).toEqual([{ column: 'signup_date', closestHeader: 'signup' }]);
    expect(missingOf(assign(ignoredDate, 8, 'notes'), contacts, missing)).toEqual([{ column: 'signup_date', closestHeader: null }]);
    expect(mappingInputOf(moved)).toMatchObject({ signup: null, nickname: 'signup_date', ID: 'id' });
  });
});
