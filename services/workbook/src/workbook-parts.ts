import type { Readable } from 'node:stream';
import { AppError } from '@docprocessor/contracts';
import { chooseSheet, type WorkbookSheet } from './choose-sheet.js';
import {
  defaultStyles,
  parseRelationshipsPart,
  parseStylesPart,
  parseWorkbookPart,
  partOf,
  type ListedSheet,
  type Relationship,
  type Styles,
} from './excel-parts.js';
import type { ReadState } from './read-sheet.js';
import { spool, type Unzipped } from './zip-walk.js';
import { readSharedStrings } from './shared-strings.js';

/** What reading a sheet's rows needs of the rest of the workbook. */
export interface Book {
  sharedStrings: string[];
  styles: Styles;
  date1904: boolean;
}

/** The workbook's parts as the zip gives them; `declared` is what [Content_Types].xml says the package holds. */
interface Parts {
  sheets?: ListedSheet[];
  rels?: Relationship[];
  date1904: boolean;
  styles?: Styles;
  sharedStrings?: string[];
  declared?: Set<string>;
}

const WORKSHEET_PART = /^xl\/worksheets\/[^/]+\.xml$/;

async function partText(unzipped: Unzipped, entry: Readable): Promise<string> {
  const decoder = new TextDecoder('utf-8');
  let text = '';
  for await (const chunk of unzipped.unpack(entry)) text += decoder.decode(chunk as Buffer, { stream: true });
  return text + decoder.decode();
}

const declaredParts = (contentTypes: string) => new Set(Array.from(contentTypes.matchAll(/PartName="([^"]+)"/g), (m) => m[1]!));

/** Whether the rows of a sheet can be read now: the styles and shared strings are read, or known to be absent. */
function ready(parts: Parts): boolean {
  const absent = (name: string) => parts.declared !== undefined && !parts.declared.has(name);
  return (parts.styles !== undefined || absent('/xl/styles.xml')) && (parts.sharedStrings !== undefined || absent('/xl/sharedStrings.xml'));
}

const complete = (parts: Parts): Book => ({
  sharedStrings: parts.sharedStrings ?? [],
  styles: parts.styles ?? defaultStyles(),
  date1904: parts.date1904,
});

/** The part (under xl/) of the chosen sheet, once the workbook's list of sheets is read; chooses it the first time. */
function chosenPart(parts: Parts, requested: string | null, state: ReadState): string | null {
  if (!parts.sheets || !parts.rels) return null;
  const targets = parts.sheets.map((s) => partOf(parts.rels!.find((r) => r.Id === s.rId)?.Target ?? ''));
  if (!state.chosen) {
    state.sheets = parts.sheets.map(
      (s, i): WorkbookSheet => ({
        name: s.name,
        number: i + 1,
        hidden: s.state === 'hidden' || s.state === 'veryHidden',
        worksheet: targets[i]!.startsWith('worksheets/'),
      }),
    );
    state.chosen = chooseSheet(state.sheets, requested);
  }
  return targets[state.chosen.number - 1]!;
}

/**
 * Walks the zip for what reading the chosen sheet needs. The sheet is read straight from the zip when everything
 * else it needs came first; otherwise it is spooled (every sheet is, while the workbook's list of sheets is unknown)
 * and read once the zip is done. Other sheets are skipped unread. (exceljs's WorkbookReader walks the zip too, but
 * spools every sheet to files it removes only once they are read to the end, never hears of its input's errors, and
 * bounds nothing it unpacks: a reader for a service cannot keep those, so the walk is here and the parsing is its.)
 */
export async function readWorkbookParts(
  unzipped: Unzipped,
  requested: string | null,
  state: ReadState,
  spoolDir: () => Promise<string>,
): Promise<{ book: Book } & ({ straight: Readable } | { spooled: string })> {
  const parts: Parts = { date1904: false };
  const spooled = new Map<string, string>();
  for await (const entry of unzipped.entries) {
    const name = entry.path;
    if (name === '[Content_Types].xml') parts.declared = declaredParts(await partText(unzipped, entry));
    else if (name === 'xl/workbook.xml') Object.assign(parts, await parseWorkbookPart(await partText(unzipped, entry)));
    else if (name === 'xl/_rels/workbook.xml.rels') parts.rels = await parseRelationshipsPart(await partText(unzipped, entry));
    else if (name === 'xl/styles.xml') parts.styles = await parseStylesPart(await partText(unzipped, entry));
    else if (name === 'xl/sharedStrings.xml') parts.sharedStrings = await readSharedStrings(unzipped.unpack(entry));
    else if (WORKSHEET_PART.test(name)) {
      const part = name.slice('xl/'.length);
      const chosen = chosenPart(parts, requested, state);
      if (chosen !== null && chosen !== part) entry.autodrain();
      else if (chosen !== null && ready(parts)) return { book: complete(parts), straight: unzipped.unpack(entry) };
      else spooled.set(part, await spool(unzipped, entry, await spoolDir(), `${spooled.size}.xml`));
    } else entry.autodrain();
  }
  const chosen = chosenPart(parts, requested, state);
  if (chosen === null) throw new AppError('malformed_xlsx', 'The file has no list of sheets (xl/workbook.xml): is it an .xlsx workbook?');
  const path = spooled.get(chosen);
  if (!path) throw new AppError('malformed_xlsx', `Sheet ${state.chosen!.number} "${state.chosen!.name}" has no part in the file`);
  return { book: complete(parts), spooled: path };
}
