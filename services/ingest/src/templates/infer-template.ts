import {
  AppError,
  comparableHeaderName,
  TemplateName,
  type Preview,
  type TemplateColumn,
  type TemplateInput,
} from '@docprocessor/contracts';

/** A header as a column name of a table the service makes: lower case, letters, digits and _ only. */
export function columnNameOf(header: string, index: number, taken: Set<string>): string {
  const base =
    header
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 50) || `column${index + 1}`;
  let name = /^[a-z]/.test(base) ? base : `c_${base}`;
  for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
  taken.add(name);
  return name;
}

const KEY_NAMES = /^(id|key|code|sku|uuid|number|no|.*_id|.*_key|.*_code|.*_no|email)$/;

/**
 * The column rows are keyed by: the one asked for, else the likeliest of the columns with a value in every
 * sampled row and no value twice (an id-like name first, then an integer or uuid, then the leftmost).
 */
function chooseKey(preview: Preview, names: string[], asked: string | undefined): string {
  if (asked) {
    const at = names.indexOf(asked) >= 0 ? names.indexOf(asked) : preview.columns.findIndex((c) => c.header === asked);
    if (at < 0) throw new AppError('invalid_request', `Field "key": the file has no column "${asked}"`);
    return names[at]!;
  }
  const unique = preview.columns.filter((column) => {
    const values = preview.rows.map((row) => row[column.index] ?? '');
    return !column.nullable && values.every((v) => v !== '') && new Set(values).size === values.length;
  });
  const rank = (c: Preview['columns'][number]) => (KEY_NAMES.test(names[c.index]!) ? 0 : c.type === 'integer' || c.type === 'uuid' ? 1 : 2);
  const best = [...unique].sort((a, b) => rank(a) - rank(b) || a.index - b.index)[0];
  if (!best)
    throw new AppError(
      'invalid_template',
      'key: no column has a value in every sampled row and no value twice; send the field key=<column>',
    );
  return names[best.index]!;
}

/**
 * template=auto: a template inferred from a file's preview, under `name`. Each header becomes a column
 * named as a table can name it, keeping the header as an alias so the file maps by itself; a column is
 * required when every sampled row filled it.
 */
export function inferTemplate(preview: Preview, name: string, key: string | undefined): TemplateInput {
  if (!TemplateName.safeParse(name).success) throw new AppError('invalid_request', `Field "table": "${name}" is not a valid template name`);
  const taken = new Set<string>();
  const names = preview.columns.map((c) => columnNameOf(c.header, c.index, taken));
  const keyName = chooseKey(preview, names, key);
  // A header that does not match its column's name by itself stays as an alias, unless it would match another column.
  const aliasOf = (header: string, i: number) => {
    const comparable = comparableHeaderName(header);
    return comparable !== names[i] && comparable !== '' && !names.includes(comparable) ? [header.slice(0, 200)] : undefined;
  };
  const columns: TemplateColumn[] = preview.columns.map((c, i) => {
    const aliases = aliasOf(c.header, i);
    return {
      name: names[i]!,
      type: c.type,
      required: !c.nullable || names[i] === keyName,
      ...(c.formats && c.formats.length > 0 ? { formats: [c.formats[0]!] } : {}),
      ...(aliases ? { aliases } : {}),
    };
  });
  return { name, key: [keyName], columns };
}
