import { describe, expect, it } from 'vitest';
import { describeFailurePolicy, emptyFailureDraft, readFailureDraft } from './failure-policy';

describe('readFailureDraft', () => {
  it('sets nothing for empty fields', () => {
    expect(readFailureDraft(emptyFailureDraft())).toEqual({ policy: {}, errors: {} });
  });

  it('turns the percent into the contract’s fraction and keeps 0 as a real limit', () => {
    expect(readFailureDraft({ maxErrors: ' 0 ', maxErrorPercent: '7', atomic: true })).toEqual({
      policy: { maxErrors: 0, maxErrorRate: 0.07, atomic: true },
      errors: {},
    });
    expect(readFailureDraft({ maxErrors: '', maxErrorPercent: '2.5', atomic: false }).policy).toEqual({ maxErrorRate: 0.025 });
    expect(readFailureDraft({ maxErrors: '', maxErrorPercent: '100', atomic: false }).policy).toEqual({ maxErrorRate: 1 });
  });

  it.each([
    ['1.5', '', 'maxErrors'],
    ['-1', '', 'maxErrors'],
    ['ten', '', 'maxErrors'],
    ['', '101', 'maxErrorPercent'],
    ['', '-3', 'maxErrorPercent'],
    ['', 'abc', 'maxErrorPercent'],
  ])('refuses maxErrors %j / percent %j', (maxErrors, maxErrorPercent, field) => {
    const { policy, errors } = readFailureDraft({ maxErrors, maxErrorPercent, atomic: false });
    expect(Object.keys(errors)).toEqual([field]);
    expect(policy).toEqual({});
  });
});

describe('describeFailurePolicy', () => {
  it('says what was set, in the words of the upload panel', () => {
    expect(describeFailurePolicy({ maxErrors: 1, maxErrorRate: 0.025, atomic: true })).toBe(
      'stop after 1 failed row · stop above 2.5 % failed · all or nothing',
    );
    expect(describeFailurePolicy({ maxErrors: null, maxErrorRate: null, atomic: false })).toBeNull();
  });
});
