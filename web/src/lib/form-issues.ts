/** A problem with one field of a form, as a schema or the server names it. */
export interface PathIssue {
  path: readonly PropertyKey[];
  message: string;
}

export interface PlacedIssues {
  /** Messages by field key (`columns.2.maxLength`). */
  byField: Record<string, string[]>;
  /** Messages no shown field owns, each with its path. */
  top: string[];
}

export const fieldKeyOf = (path: readonly PropertyKey[]): string => path.map(String).join('.');

/** `columns[2].maxLength`, as the server's messages write a path. */
export const pathText = (path: readonly PropertyKey[]): string =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i > 0 ? '.' : ''}${String(p)}`)).join('');

/** A message reads after its field's label: "must be …" shows as "Must be …". */
const sentence = (message: string): string => message.charAt(0).toUpperCase() + message.slice(1);

/**
 * Puts each message at the nearest field the form shows: `columns.2.formats.1` at `columns.2.formats`,
 * `key.0` at `key`. A message whose path reaches no shown field goes to the top, with its path.
 */
export function placeIssues(issues: readonly PathIssue[], shown: ReadonlySet<string>): PlacedIssues {
  const placed: PlacedIssues = { byField: {}, top: [] };
  for (const issue of issues) {
    let path = [...issue.path];
    while (path.length > 0 && !shown.has(fieldKeyOf(path))) path = path.slice(0, -1);
    if (path.length === 0) {
      placed.top.push(issue.path.length > 0 ? `${pathText(issue.path)}: ${issue.message}` : sentence(issue.message));
      continue;
    }
    (placed.byField[fieldKeyOf(path)] ??= []).push(sentence(issue.message));
  }
  return placed;
}

const SERVER_PATH = /^([A-Za-z_$][\w$]*(?:\[\d+\]|\.[A-Za-z_$][\w$]*)*): ([\s\S]+)$/;

/** Reads `columns[2].maxLength: must …` (an `invalid_template` message) as a path and a message. */
export function serverIssueOf(message: string): PathIssue {
  const match = SERVER_PATH.exec(message);
  if (!match) return { path: [], message };
  const path = [...match[1]!.matchAll(/([A-Za-z_$][\w$]*)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]!));
  return { path, message: match[2]! };
}
