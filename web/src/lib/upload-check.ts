import { formatBytes, formatCount } from './format';

/**
 * What the server takes: CSV text (any delimiter, so .tsv and .txt too), gzip-compressed or not, and .xlsx
 * workbooks. It decides by the content (services/ingest sniff-content); the browser can only go by the name,
 * which is enough to stop the usual mistake (a PDF, an image, an old .xls) before sending it.
 */
const TEXT_EXTENSIONS = ['csv', 'tsv', 'txt'] as const;
const WORKBOOK_EXTENSION = 'xlsx';

/** For `<input type="file" accept>`: the picker offers these first; a dropped file is checked by checkFile. */
export const FILE_INPUT_ACCEPT = [...TEXT_EXTENSIONS, WORKBOOK_EXTENSION, 'gz'].map((ext) => `.${ext}`).join(',');

export interface FileRefusal {
  /** The server's code for the same refusal, so a message reads the same whichever side refused. */
  code: 'unsupported_media_type' | 'payload_too_large' | 'empty_file';
  message: string;
}

const ACCEPTED_TEXT = 'a .csv, .tsv or .txt file (also gzip-compressed, .csv.gz), or an .xlsx workbook';

/** Why the file cannot be imported, judged before sending it; null when it may be. `maxBytes` null: limit unknown. */
export function checkFile(file: Pick<File, 'name' | 'size'>, maxBytes: number | null): FileRefusal | null {
  if (!hasAcceptedName(file.name))
    return { code: 'unsupported_media_type', message: `${file.name} is not a table file: choose ${ACCEPTED_TEXT}.` };
  if (file.size === 0) return { code: 'empty_file', message: `${file.name} is empty.` };
  if (maxBytes != null && file.size > maxBytes) {
    // Just over the limit both round alike ("1.0 MB, over … 1.0 MB"): then the bytes say it.
    const [size, limit] =
      formatBytes(file.size) === formatBytes(maxBytes) ? [file.size, maxBytes].map(exactBytes) : [file.size, maxBytes].map(formatBytes);
    return { code: 'payload_too_large', message: `${file.name} is ${size}, over the server’s limit of ${limit}.` };
  }
  return null;
}

const exactBytes = (bytes: number): string => `${formatCount(bytes)} bytes`;

function hasAcceptedName(name: string): boolean {
  const parts = name.toLowerCase().split('.');
  if (parts.length < 2) return false;
  const last = parts.at(-1);
  if (last === WORKBOOK_EXTENSION) return true;
  const text = last === 'gz' && parts.length > 2 ? parts.at(-2) : last;
  return (TEXT_EXTENSIONS as readonly (string | undefined)[]).includes(text);
}
