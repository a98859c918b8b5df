import { fireEvent, render, screen, waitFor, within } from '@solidjs/testing-library';
import { describe, expect, it, vi } from 'vitest';
import { DateFormat, RULES_BY_TYPE, type TemplateChange, type TemplateInput } from '@docprocessor/contracts';
import { ApiError } from '../../api/errors';
import { checkNewTemplate, checkTemplateChange, draftOfTemplate, newColumnDraft, type TemplateDraft } from '../../lib/template-draft';
import { contacts } from '../../testing/previews';
import { TemplateForm } from './template-form';

function draftOf(name: string, columns: Array<Partial<ReturnType<typeof newColumnDraft>>>, keyAt: number[] = []): TemplateDraft {
  const drafts = columns.map((c) => ({ ...newColumnDraft(), ...c }));
  return { name, keyCaseInsensitive: false, columns: drafts, key: keyAt.map((i) => drafts[i]!.id) };
}

function renderCreate(initial: TemplateDraft, onSubmit = vi.fn<(input: TemplateInput) => Promise<void>>().mockResolvedValue()) {
  render(() => (
    <TemplateForm
      initial={initial}
      withName
      check={checkNewTemplate}
      onSubmit={onSubmit}
      submitLabel="Create"
      onCancel={() => undefined}
      idPrefix="t"
    />
  ));
  return onSubmit;
}

const errorAt = (field: string) => screen.queryAllByTestId('field-error').find((e) => e.dataset.field === field)?.textContent;
const submit = () => fireEvent.click(screen.getByTestId('template-submit'));
const editors = () => screen.getAllByTestId('column-editor');

describe('TemplateForm', () => {
  it('shows each of the schema’s messages at its field once a submit was tried, and sends nothing', async () => {
    const onSubmit = renderCreate(
      draftOf('Customers', [
        { name: 'tier', type: 'enum' },
        { name: 'age', type: 'integer', rules: { min: '10', max: '5' } },
      ]),
    );
    expect(screen.queryAllByTestId('field-error')).toHaveLength(0);
    submit();
    await waitFor(() => expect(errorAt('name')).toMatch(/^Must be 1 to 63 characters: a lowercase letter/));
    expect(errorAt('key')).toBe('Is required unless the template binds to an existing table');
    expect(errorAt('columns.0.values')).toBe('Is required for an enum column');
    expect(errorAt('columns.1.min')).toBe('Must not be greater than max (5)');
    expect(screen.getByTestId('template-name').getAttribute('aria-invalid')).toBe('true');
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('template-name')));
    expect(onSubmit).not.toHaveBeenCalled();

    fireEvent.input(screen.getByTestId('template-name'), { target: { value: 'customers' } });
    await waitFor(() => expect(errorAt('name')).toBeUndefined());
    expect(errorAt('key')).toBeDefined();
  });

  it('offers exactly the rules the contract gives each type', () => {
    renderCreate(draftOf('t', [{ name: 'a' }]));
    const rulesShown = () =>
      within(editors()[0]!)
        .queryAllByTestId('rule-input')
        .map((e) => e.dataset.rule);
    expect(rulesShown()).toEqual(RULES_BY_TYPE.string);
    for (const type of ['decimal', 'boolean', 'enum', 'date'] as const) {
      fireEvent.change(within(editors()[0]!).getByTestId('column-type'), { target: { value: type } });
      expect(rulesShown()).toEqual(RULES_BY_TYPE[type]);
    }
    const formats = within(editors()[0]!).getAllByRole('checkbox').slice(2); // after Required and Key
    expect(formats.map((box) => box.parentElement?.textContent)).toEqual(DateFormat.options.map((f) => f));
  });

  it('sends the definition the schema parsed: key columns, rules as numbers, formats in the order ticked', async () => {
    const onSubmit = renderCreate(
      draftOf('orders', [{ name: 'ref' }, { name: 'total', type: 'decimal' }, { name: 'placed', type: 'date' }]),
    );
    fireEvent.click(within(editors()[0]!).getByTestId('column-key'));
    fireEvent.click(within(editors()[0]!).getByTestId('column-required'));
    fireEvent.input(within(editors()[0]!).getByTestId('column-aliases'), { target: { value: 'Reference, Order no' } });
    fireEvent.input(
      within(editors()[1]!)
        .getAllByTestId('rule-input')
        .find((e) => e.dataset.rule === 'maxDecimals')!,
      { target: { value: '2' } },
    );
    fireEvent.click(within(editors()[2]!).getByRole('checkbox', { name: 'DD.MM.YYYY' }));
    fireEvent.click(within(editors()[2]!).getByRole('checkbox', { name: 'YYYY-MM-DD' }));
    submit();
    await waitFor(() => expect(onSubmit).toHaveBeenCalledOnce());
    expect(onSubmit.mock.calls[0]?.[0]).toEqual({
      name: 'orders',
      key: ['ref'],
      keyCaseInsensitive: false,
      columns: [
        { name: 'ref', type: 'string', required: true, aliases: ['Reference', 'Order no'] },
        { name: 'total', type: 'decimal', required: false, maxDecimals: 2 },
        { name: 'placed', type: 'date', required: false, formats: ['DD.MM.YYYY', 'YYYY-MM-DD'] },
      ],
    });
  });

  it('shows the server’s 400 at the field its path names, and a 409 template_exists at the name', async () => {
    const onSubmit = vi
      .fn<(input: TemplateInput) => Promise<void>>()
      .mockRejectedValueOnce(new ApiError(400, 'invalid_template', 'columns[1].maxLength: must be at most 10485760'))
      .mockRejectedValueOnce(new ApiError(400, 'invalid_template', 'table: no such table'))
      .mockRejectedValueOnce(new ApiError(409, 'template_exists', 'A template named orders exists'));
    renderCreate(draftOf('orders', [{ name: 'ref', required: true }, { name: 'note' }], [0]), onSubmit);
    submit();
    await waitFor(() => expect(errorAt('columns.1.maxLength')).toBe('Must be at most 10485760'));
    submit();
    await waitFor(() => expect(screen.getByTestId('form-errors').textContent).toBe('table: no such table'));
    expect(errorAt('columns.1.maxLength')).toBeUndefined();
    submit();
    await waitFor(() => expect(errorAt('name')).toBe('A template named orders exists'));
    expect(screen.queryByTestId('form-errors')).toBeNull();
  });

  it('lists the reasons of a 409 incompatible_change, and drops a column when asked', async () => {
    const onSubmit = vi
      .fn<(change: TemplateChange) => Promise<void>>()
      .mockRejectedValue(
        new ApiError(
          409,
          'incompatible_change',
          'column notes cannot be removed: the table holds its data; column amount cannot change its type (decimal → integer)',
        ),
      );
    render(() => (
      <TemplateForm
        initial={draftOfTemplate(contacts)}
        withName={false}
        check={(draft) => checkTemplateChange(draft, true)}
        onSubmit={onSubmit}
        submitLabel="Save"
        onCancel={() => undefined}
        idPrefix="e"
      />
    ));
    expect(screen.queryByTestId('template-name')).toBeNull();
    expect(editors().map((e) => (within(e).getByTestId('column-type') as HTMLSelectElement).value)).toEqual(
      contacts.columns.map((c) => c.type),
    );
    fireEvent.click(within(editors().at(-1)!).getByTestId('column-remove'));
    expect(editors().map((e) => e.dataset.column)).not.toContain('notes');
    submit();
    const conflict = await screen.findByTestId('template-conflict');
    await waitFor(() => expect(document.activeElement).toBe(conflict));
    expect(
      within(conflict)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['column notes cannot be removed: the table holds its data', 'column amount cannot change its type (decimal → integer)']);
    expect(onSubmit.mock.calls[0]?.[0].columns?.map((c) => c.name)).toEqual(
      contacts.columns.map((c) => c.name).filter((n) => n !== 'notes'),
    );
  });
});
