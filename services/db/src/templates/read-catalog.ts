import type { Queries } from '../client.js';
import type { TableName } from './sql-names.js';

/** One column of an existing table as PostgreSQL's catalog describes it. */
export interface CatalogColumn {
  name: string;
  /** pg_type.typname of the column's type (int4, varchar, numeric, ...), or of its element for a domain's base. */
  typeName: string;
  /** 'b' base, 'e' enum, 'd' domain, ...: pg_type.typtype. */
  typeKind: string;
  /** format_type(): the type as a person reads it, e.g. numeric(12,2). */
  displayType: string;
  notNull: boolean;
  hasDefault: boolean;
  /** Generated or GENERATED ALWAYS AS IDENTITY: PostgreSQL refuses values for it. */
  writeProtected: boolean;
  /** varchar(n) / char(n): n; null otherwise. */
  maxLength: number | null;
  /** numeric(p, s): p and s; null when unconstrained or not numeric. */
  precision: number | null;
  scale: number | null;
  /** The labels of an enum type, in order. */
  enumValues: string[] | null;
}

/** A unique index (or the primary key) whose every entry is a column, or lower() of one. */
export interface CatalogKey {
  primary: boolean;
  columns: string[];
  /** True when every text entry is lower(column): the key compares case-insensitively. */
  lowered: boolean[];
}

export interface CatalogTable {
  columns: CatalogColumn[];
  keys: CatalogKey[];
}

/** Reads a table's columns and usable keys, or undefined when there is no such ordinary or partitioned table. */
export async function readCatalog(sql: Queries, name: TableName): Promise<CatalogTable | undefined> {
  const [relation] = await sql<{ oid: number }[]>`
    select c.oid::int as oid from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = ${name.schema} and c.relname = ${name.table} and c.relkind in ('r', 'p')`;
  if (!relation) return undefined;
  const columns = await sql<(Omit<CatalogColumn, 'maxLength' | 'precision' | 'scale'> & { typmod: number })[]>`
    select a.attname as name, t.typname as "typeName", t.typtype as "typeKind", format_type(a.atttypid, a.atttypmod) as "displayType",
      a.attnotnull as "notNull", a.atthasdef as "hasDefault", (a.attgenerated <> '' or a.attidentity = 'a') as "writeProtected",
      a.atttypmod as typmod,
      case when t.typtype = 'e' then array(
        select e.enumlabel::text from pg_enum e where e.enumtypid = t.oid order by e.enumsortorder
      ) end as "enumValues"
    from pg_attribute a join pg_type t on t.oid = a.atttypid
    where a.attrelid = ${relation.oid} and a.attnum > 0 and not a.attisdropped
    order by a.attnum`;
  const indexes = await sql<{ primary: boolean; entries: string[] }[]>`
    select i.indisprimary as primary,
      array(select pg_get_indexdef(i.indexrelid, k, true) from generate_series(1, i.indnkeyatts) k) as entries
    from pg_index i
    where i.indrelid = ${relation.oid} and i.indisunique and i.indisvalid and i.indpred is null
    order by i.indisprimary desc, i.indexrelid`;
  const names = new Set(columns.map((c) => c.name));
  return {
    columns: columns.map(({ typmod, ...column }) => ({ ...column, ...typeModifiers(column.typeName, typmod) })),
    keys: indexes.flatMap((index) => keyOf(index, names)),
  };
}

/** varchar/bpchar keep n + 4 in the modifier; numeric keeps ((p << 16) | s) + 4; -1 means none. */
function typeModifiers(typeName: string, typmod: number): Pick<CatalogColumn, 'maxLength' | 'precision' | 'scale'> {
  const none = { maxLength: null, precision: null, scale: null };
  if (typmod < 4) return none;
  if (typeName === 'varchar' || typeName === 'bpchar') return { ...none, maxLength: typmod - 4 };
  if (typeName === 'numeric') return { ...none, precision: ((typmod - 4) >> 16) & 0xffff, scale: (typmod - 4) & 0xffff };
  return none;
}

/** An index entry as pg_get_indexdef prints it: a column name, quoted when it must be, or lower(column). */
function entryOf(text: string, names: Set<string>): { column: string; lowered: boolean } | null {
  const unquote = (t: string) => (t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).replaceAll('""', '"') : t);
  const plain = unquote(text);
  if (names.has(plain)) return { column: plain, lowered: false };
  const lowered = /^lower\(\(?(.+?)\)?(::text)?\)$/.exec(text);
  const inner = lowered?.[1] ? unquote(lowered[1]) : null;
  return inner && names.has(inner) ? { column: inner, lowered: true } : null;
}

function keyOf(index: { primary: boolean; entries: string[] }, names: Set<string>): CatalogKey[] {
  const entries = index.entries.map((e) => entryOf(e, names));
  if (entries.some((e) => e === null)) return [];
  const usable = entries as { column: string; lowered: boolean }[];
  return [{ primary: index.primary, columns: usable.map((e) => e.column), lowered: usable.map((e) => e.lowered) }];
}
