import type { Template } from '@docprocessor/contracts';

/** The SQL shape of a template's table, derived from the template so that a new template needs no new SQL. */
export interface TargetTable {
  table: string;
  staging: string;
  columns: string[];
  keyIndex: number;
  keyName: string;
  /** ON CONFLICT target matching the table's unique key. */
  conflictTarget: string;
  /** Join condition between staging `s` and table `t` on the key. */
  keyJoin: string;
  /** In-file duplicate detection key of a validated value. */
  normalizeKey(value: string): string;
}

const ident = (name: string): string => `"${name.replaceAll('"', '""')}"`;

export function targetTableOf(template: Template): TargetTable {
  const key = ident(template.key);
  const ci = template.keyCaseInsensitive;
  return {
    table: ident(template.name),
    staging: ident(`stage_${template.name}`),
    columns: template.columns.map((c) => ident(c.name)),
    keyIndex: template.columns.findIndex((c) => c.name === template.key),
    keyName: template.key,
    conflictTarget: ci ? `((lower(${key})))` : `(${key})`,
    keyJoin: ci ? `lower(s.${key}) = lower(t.${key})` : `s.${key} = t.${key}`,
    normalizeKey: ci ? (value) => value.toLowerCase() : (value) => value,
  };
}
