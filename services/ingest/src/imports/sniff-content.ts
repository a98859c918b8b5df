import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import type { Delimiter, FileEncoding, FileFormat } from '@docprocessor/contracts';

/** Magic numbers of formats people upload by mistake, with a name they will recognise. */
const SIGNATURES: ReadonlyArray<{ bytes: number[]; name: string }> = [
  { bytes: [0x25, 0x50, 0x44, 0x46], name: 'a PDF document' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], name: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], name: 'a JPEG image' },
  { bytes: [0x47, 0x49, 0x46, 0x38], name: 'a GIF image' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], name: 'an old Office document (.xls) or an encrypted workbook: save it as .xlsx or CSV' },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], name: 'an executable' },
  { bytes: [0x4d, 0x5a], name: 'a Windows executable' },
  { bytes: [0x42, 0x5a, 0x68], name: 'bzip2-compressed data (only gzip is unpacked)' },
  { bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], name: 'xz-compressed data (only gzip is unpacked)' },
  { bytes: [0x28, 0xb5, 0x2f, 0xfd], name: 'zstd-compressed data (only gzip is unpacked)' },
  { bytes: [0x52, 0x61, 0x72, 0x21], name: 'a RAR archive' },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf], name: 'a 7-Zip archive' },
];

const startsWith = (head: Buffer, bytes: number[]) => bytes.every((b, i) => head[i] === b);
export const isGzip = (head: Buffer): boolean => startsWith(head, [0x1f, 0x8b]);

const ZIP_LOCAL_HEADER = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const DATA_DESCRIPTOR_FLAG = 0x08;

/**
 * The entry names of the ZIP local file headers the head holds, in order. An entry whose sizes are in its header is
 * skipped whole; one written as a stream (sizes after its data) is searched past for the next header.
 */
function zipEntryNames(head: Buffer): string[] {
  const names: string[] = [];
  let at = 0;
  while (at + 30 <= head.length && head.subarray(at, at + 4).equals(ZIP_LOCAL_HEADER)) {
    const nameEnd = at + 30 + head.readUInt16LE(at + 26);
    if (nameEnd > head.length) break;
    names.push(head.toString('latin1', at + 30, nameEnd));
    const streamed = (head.readUInt16LE(at + 6) & DATA_DESCRIPTOR_FLAG) !== 0;
    const dataStart = nameEnd + head.readUInt16LE(at + 28);
    at = streamed ? head.indexOf(ZIP_LOCAL_HEADER, dataStart) : dataStart + head.readUInt32LE(at + 18);
    if (at < 0) break;
  }
  return names;
}

/**
 * What a ZIP upload is, from the entries named in its first bytes: an .xlsx workbook has parts under `xl/` (Excel
 * and LibreOffice store them first or early; `[Content_Types].xml` may come last, so it is not required), and no
 * `xl/workbook.bin` (.xlsb). Word, PowerPoint and OpenDocument files, and any other archive, are named for the refusal.
 * A workbook whose first 8 KiB name no `xl/` part is refused as a ZIP; a ZIP that only looks like one fails at reading.
 */
function zipContent(head: Buffer): { format: 'xlsx' } | { refusal: string } {
  const names = zipEntryNames(head);
  const under = (folder: string) => names.some((n) => n.startsWith(folder));
  if (under('word/')) return { refusal: 'a Word document (.docx), not a workbook' };
  if (under('ppt/')) return { refusal: 'a PowerPoint presentation (.pptx), not a workbook' };
  if (names.includes('xl/workbook.bin')) return { refusal: 'a binary Excel workbook (.xlsb): save it as .xlsx or CSV' };
  if (under('xl/')) return { format: 'xlsx' };
  if (names[0] === 'mimetype') return { refusal: 'an OpenDocument file (.ods, .odt…): save a spreadsheet as .xlsx or CSV' };
  return { refusal: 'a ZIP archive, not CSV text or an .xlsx workbook' };
}

const isZip = (head: Buffer) => head.subarray(0, 4).equals(ZIP_LOCAL_HEADER);

/** The format of an upload that sniffContent accepted: a ZIP that passed is an .xlsx workbook, anything else CSV text. */
export const sniffFormat = (head: Buffer): FileFormat => (isZip(head) && 'format' in zipContent(head) ? 'xlsx' : 'csv');

function bomEncoding(head: Buffer): FileEncoding | null {
  if (startsWith(head, [0xff, 0xfe])) return 'utf-16le';
  if (startsWith(head, [0xfe, 0xff])) return 'utf-16be';
  if (startsWith(head, [0xef, 0xbb, 0xbf])) return 'utf-8';
  return null;
}

/**
 * UTF-16 without a byte-order mark, recognised by its shape: text in the ASCII range has a NUL in every other
 * byte (the second of each pair for little-endian, the first for big-endian) and none in the others.
 */
function utf16WithoutBom(head: Buffer): FileEncoding | null {
  const pairs = Math.min(256, head.length >> 1);
  if (pairs < 4) return null;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < pairs; i++) {
    if (head[2 * i] === 0) evenNul++;
    if (head[2 * i + 1] === 0) oddNul++;
  }
  if (oddNul >= pairs * 0.9 && evenNul === 0) return 'utf-16le';
  if (evenNul >= pairs * 0.9 && oddNul === 0) return 'utf-16be';
  return null;
}

/** The encoding the bytes themselves show: a byte-order mark, or the shape of UTF-16. */
const shownEncoding = (head: Buffer): FileEncoding | null => bomEncoding(head) ?? utf16WithoutBom(head);

const isUtf16 = (encoding: FileEncoding | null | undefined) => encoding === 'utf-16le' || encoding === 'utf-16be';

/**
 * Why the first bytes of an upload are neither CSV text nor an .xlsx workbook, or null when they may be one
 * (`sniffFormat` says which). A declared UTF-16 file may hold NULs.
 */
export function sniffContent(head: Buffer, declared?: FileEncoding): string | null {
  if (isZip(head)) {
    const zip = zipContent(head);
    return 'refusal' in zip ? `The file is ${zip.refusal}` : null;
  }
  const known = SIGNATURES.find((s) => startsWith(head, s.bytes));
  if (known) return `The file is ${known.name}, not CSV text`;
  const utf16 = isUtf16(declared) || isUtf16(shownEncoding(head));
  if (!utf16 && head.includes(0)) return 'The file contains binary data (NUL bytes), not CSV text';
  return null;
}

/**
 * Whether text without a byte-order mark is UTF-8: valid UTF-8 is; text with invalid bytes is too when it also
 * holds more valid multi-byte characters than invalid bytes (a UTF-8 export with a stray byte: the byte becomes a
 * row error, the accents stay right). Windows-1252 accents are almost never valid UTF-8 sequences.
 */
function looksUtf8(head: Buffer): boolean {
  if (isUtf8(head)) return true;
  let valid = 0;
  let invalid = 0;
  for (let i = 0; i < head.length; ) {
    const byte = head[i]!;
    if (byte < 0x80) {
      i++;
      continue;
    }
    const length = byte >= 0xc2 && byte <= 0xdf ? 2 : byte >= 0xe0 && byte <= 0xef ? 3 : byte >= 0xf0 && byte <= 0xf4 ? 4 : 0;
    if (length > 0 && i + length <= head.length && isUtf8(head.subarray(i, i + length))) {
      valid++;
      i += length;
    } else {
      invalid++;
      i++;
    }
  }
  return valid > invalid;
}

/** Drops the bytes of a UTF-8 sequence cut off at the end of the sample, so the check sees only whole characters. */
function wholeCharacters(head: Buffer): Buffer {
  for (let back = 1; back <= Math.min(3, head.length); back++) {
    const byte = head[head.length - back]!;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? head.subarray(0, head.length - back) : head;
  }
  return head;
}

/**
 * The encoding of a file from its first bytes: a byte-order mark decides; else UTF-16 by its shape; else text that
 * looks like UTF-8 is UTF-8, and anything else is taken for Windows-1252 (what spreadsheets on Windows write).
 */
export function detectEncoding(head: Buffer, truncated: boolean): FileEncoding {
  const shown = shownEncoding(head);
  if (shown) return shown;
  return looksUtf8(truncated ? wholeCharacters(head) : head) ? 'utf-8' : 'windows-1252';
}

const CANDIDATES: readonly Delimiter[] = [',', ';', '\t', '|'];

/** The delimiter of a file from its header line: the candidate found most often outside quotes (a tie keeps the comma). */
export function sniffDelimiter(head: Buffer, encoding: FileEncoding): Delimiter {
  const text = iconv.decode(head, encoding);
  const counts = new Map<string, number>();
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && CANDIDATES.includes(char as Delimiter)) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  let best: Delimiter = ',';
  for (const candidate of CANDIDATES) if ((counts.get(candidate) ?? 0) > (counts.get(best) ?? 0)) best = candidate;
  return best;
}
