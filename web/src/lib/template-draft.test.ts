import { describe, expect, it } from 'vitest';
import { BUILT_IN_TEMPLATES, compareTemplates, type Preview } from '@docprocessor/contracts';
import { checkNewTemplate, checkTemplateChange, draftOfPreview, draftOfTemplate } from './template-draft';

const preview: Preview = {
  format: 'csv',
  dialect: { encoding: 'utf-8', delimiter: ';', quote: '"', header: true, lineEnd: '\n' },
  columns: [
    { index: 0, header: 'ID', type: 'integer', nullable: false, examples: ['1', '2'] },
    { index: 1, header: 'First Name', type: 'string', nullable: false, examples: ['Ada'] },
    { index: 2, header: 'E-mail (work)', type: 'email', nullable: true, examples: ['a@b.c'] },
    { index: 3, header: 'Born', type: 'date', nullable: false, formats: ['DD/MM/YYYY', 'DD.MM.YYYY'], examples: ['21/02/2000'] },
    { index: 4, header: '2nd phone', type: 'string', nullable: true, examples: [] },
    { index: 5, header: 'first-name', type: 'string', nullable: true, examples: [] },
  ],
  rows: [],
};

describe('draftOfPreview', () => {
  it('names columns as the service accepts them, keeping a header that would not match as an alias', () => {
    const draft = draftOfPreview(preview, 'My Customers.csv');
    expect(draft.name).toBe('my_customers');
    expect(draft.columns.map((c) => [c.name, c.type, c.required, c.aliases])).toEqual([
      ['id', 'integer', true, ''],
      ['first_name', 'string', true, ''],
      ['e_mail_work', 'email', false, 'E-mail (work)'],
      ['born', 'date', true, ''],
      ['c_2nd_phone', 'string', false, '2nd phone'],
      ['first_name_2', 'string', false, ''], // "first-name" is first_name's already,
    ]);
    expect(draft.columns[3]?.rules.formats).toBe('DD/MM/YYYY'); // the likeliest only: both orders would read rows two ways
    expect(draft.key).toEqual([draft.columns[0]?.id]);
  });

  it('is a definition the schema accepts as it stands', () => {
    const checked = checkNewTemplate(draftOfPreview(preview, 'people.csv'));
    expect(checked.ok).toBe(true);
    if (checked.ok) expect(checked.value.columns?.[3]).toEqual({ name: 'born', type: 'date', required: true, formats: ['DD/MM/YYYY'] });
  });
});

describe('draftOfTemplate', () => {
  it.each(BUILT_IN_TEMPLATES.map((t) => [t.name, t] as const))(
    'gives %s back unchanged, so saving it untouched is a compatible change',
    (_, template) => {
      const checked = checkTemplateChange(draftOfTemplate(template), template.managed);
      expect(checked.ok).toBe(true);
      if (!checked.ok) return;
      expect(checked.value.columns).toEqual(template.columns);
      expect(checked.value.key).toEqual(template.key);
      expect(
        compareTemplates(template, {
          key: checked.value.key!,
          keyCaseInsensitive: checked.value.keyCaseInsensitive!,
          columns: checked.value.columns!,
        }).compatible,
      ).toBe(true);
    },
  );
});
