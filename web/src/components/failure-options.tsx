import type { FailureDraft, FailureDraftErrors } from '../lib/failure-policy';
import { FieldError, invalidProps } from './field-error';

/** "If rows fail": a limit by count, a limit by share, and all or nothing; each explained in one line. */
export function FailureOptions(props: {
  draft: FailureDraft;
  errors: FailureDraftErrors;
  onChange: (change: Partial<FailureDraft>) => void;
}) {
  const messages = (field: keyof FailureDraftErrors) => (props.errors[field] ? [props.errors[field]] : undefined);
  return (
    <fieldset class="field failure-options" data-testid="failure-options">
      <legend class="field-label">If rows fail</legend>
      <div class="failure-limit">
        <label for="max-errors">Stop after</label>
        <input
          id="max-errors"
          type="number"
          min="0"
          step="1"
          inputmode="numeric"
          placeholder="no limit"
          value={props.draft.maxErrors}
          data-testid="max-errors-input"
          {...describedBy('max-errors-help', 'max-errors-error', messages('maxErrors'))}
          onInput={(e) => props.onChange({ maxErrors: e.currentTarget.value })}
        />
        <span>failed rows</span>
      </div>
      <FieldError id="max-errors-error" field="maxErrors" messages={messages('maxErrors')} />
      <p class="hint" id="max-errors-help">
        Once more rows than this fail, the import stops and fails (too many errors). Empty: no limit.
      </p>
      <div class="failure-limit">
        <label for="max-error-rate">Stop above</label>
        <input
          id="max-error-rate"
          type="number"
          min="0"
          max="100"
          step="any"
          inputmode="decimal"
          placeholder="no limit"
          value={props.draft.maxErrorPercent}
          data-testid="max-error-rate-input"
          {...describedBy('max-error-rate-help', 'max-error-rate-error', messages('maxErrorPercent'))}
          onInput={(e) => props.onChange({ maxErrorPercent: e.currentTarget.value })}
        />
        <span>% failed</span>
      </div>
      <FieldError id="max-error-rate-error" field="maxErrorRate" messages={messages('maxErrorPercent')} />
      <p class="hint" id="max-error-rate-help">
        Likewise once this share of the rows read so far failed. Empty: no limit.
      </p>
      <label class="check">
        <input
          type="checkbox"
          checked={props.draft.atomic}
          data-testid="atomic-checkbox"
          aria-describedby="atomic-help"
          onChange={(e) => props.onChange({ atomic: e.currentTarget.checked })}
        />
        All or nothing
      </label>
      <p class="hint" id="atomic-help">
        The rows appear in the table together at the end; if the import fails or is cancelled, the table stays as it was.
      </p>
    </fieldset>
  );
}

// The help line always, the error too when there is one.
function describedBy(helpId: string, errorId: string, messages: readonly string[] | undefined) {
  const invalid = invalidProps(errorId, messages);
  return { 'aria-invalid': invalid['aria-invalid'], 'aria-describedby': [invalid['aria-describedby'], helpId].filter(Boolean).join(' ') };
}
