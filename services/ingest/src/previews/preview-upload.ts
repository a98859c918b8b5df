import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import iconv from 'iconv-lite';
import { AppError, ImportFormFields, proposeMapping, type MappingProposal, type Preview } from '@docprocessor/contracts';
import { findTemplate, recallMapping, type Principal } from '@docprocessor/db';
import type { IngestContext } from '../imports/context.js';
import { decodedRequest } from '../imports/request-encoding.js';
import { detectEncoding, sniffContent, sniffFormat } from '../imports/sniff-content.js';
import { HEAD_BYTES } from '../imports/stored-head.js';
import { expandGzip } from '../imports/upload-guard.js';
import { previewWorkbook, type WorkbookPreview } from './preview-workbook.js';
import { sniffCsv } from './sniff-csv.js';

export type PreviewAnswer = Preview & Partial<MappingProposal>;

type Previewed = { kind: 'csv'; head: Buffer; cut: boolean } | { kind: 'xlsx'; preview: WorkbookPreview };

/**
 * The head of a (possibly gzip-compressed) file part: at most HEAD_BYTES of CSV, never more in memory; a workbook is
 * read on from its first bytes until its sheet's first rows (Excel stores the sheet's shared strings after it).
 */
async function readHead(file: AsyncIterable<Buffer>, maxUpload: number, sheet: string | null): Promise<Previewed> {
  const source = expandGzip(maxUpload)(file)[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let length = 0;
  for (let next = await source.next(); !next.done; next = await source.next()) {
    chunks.push(next.value);
    length += next.value.length;
    if (chunks.length === 1 && sniffFormat(next.value) === 'xlsx') {
      const rest = Readable.from(
        (async function* () {
          yield* chunks;
          for (let more = await source.next(); !more.done; more = await source.next()) yield more.value;
        })(),
      );
      try {
        return { kind: 'xlsx', preview: await previewWorkbook(rest, { sheet }) };
      } finally {
        rest.destroy();
      }
    }
    if (length > HEAD_BYTES) break;
  }
  await source.return?.(undefined);
  const all = Buffer.concat(chunks);
  return { kind: 'csv', head: all.subarray(0, HEAD_BYTES), cut: all.length > HEAD_BYTES };
}

/** A CSV head as a preview: refused when it is not text, decoded as declared or detected, sniffed. */
function previewCsv(head: Buffer, cut: boolean, declaredName: string | undefined): Preview {
  if (head.length === 0) throw new AppError('empty_file', 'The file is empty');
  const declared = declaredName ? ImportFormFields.shape.encoding.parse(declaredName) : undefined;
  const refusal = sniffContent(head, declared);
  if (refusal) throw new AppError('unsupported_media_type', refusal);
  const encoding = declared ?? detectEncoding(head, cut);
  return sniffCsv({ text: iconv.decode(head, encoding), encoding, cut });
}

/**
 * POST /api/previews: reads the head of the file only, so it answers at once whatever the file's size (the rest
 * of the body is discarded unread; fields must come before the file). With a template, it also proposes how the
 * file's headers map to the template's columns, a mapping the tenant confirmed for this header first.
 */
export async function previewUpload(ctx: IngestContext, request: FastifyRequest, principal: Principal): Promise<PreviewAnswer> {
  const fields: Record<string, string> = {};
  let read: Previewed | undefined;
  const parts = decodedRequest(request, ctx.config.MAX_UPLOAD_BYTES).parts({ limits: { files: 1, fields: 20, fieldSize: 1024 } });
  for await (const part of parts) {
    if (part.type === 'field') {
      fields[part.fieldname] = String(part.value);
      continue;
    }
    if (part.fieldname !== 'file')
      throw new AppError('invalid_request', `Unexpected file field "${part.fieldname}": send the file in the field "file"`);
    read = await readHead(part.file, ctx.config.MAX_UPLOAD_BYTES, fields.sheet ?? null);
    part.file.resume();
    break;
  }
  if (!read) throw new AppError('missing_file', 'No file was sent: post multipart/form-data with the file in the field "file"');
  const unknown = Object.keys(fields).find((name) => !['template', 'sheet', 'encoding'].includes(name));
  if (unknown) throw new AppError('invalid_request', `Unknown field "${unknown}": a preview takes file, template, sheet and encoding`);
  const preview = read.kind === 'xlsx' ? read.preview : previewCsv(read.head, read.cut, fields.encoding);
  if (!fields.template) return preview;
  const template = await findTemplate(ctx.db, principal.tenantId, fields.template);
  if (!template) throw new AppError('unknown_template', `Unknown template "${fields.template}": GET /api/templates lists them`);
  const headers = preview.columns.map((c) => c.header);
  const remembered = await recallMapping(ctx.db, principal.tenantId, template.name, headers);
  return { ...preview, ...proposeMapping(template.columns, headers, remembered) };
}
