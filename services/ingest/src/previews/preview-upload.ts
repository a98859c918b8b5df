import type { FastifyRequest } from 'fastify';
import iconv from 'iconv-lite';
import { AppError, ImportFormFields, proposeMapping, type MappingProposal, type Preview } from '@docprocessor/contracts';
import { findTemplate, recallMapping, type Principal } from '@docprocessor/db';
import type { IngestContext } from '../imports/context.js';
import { decodedRequest } from '../imports/request-encoding.js';
import { detectEncoding, sniffContent } from '../imports/sniff-content.js';
import { HEAD_BYTES } from '../imports/stored-head.js';
import { expandGzip } from '../imports/upload-guard.js';
import { sniffCsv } from './sniff-csv.js';

export type PreviewAnswer = Preview & Partial<MappingProposal>;

/** At most the first HEAD_BYTES of a (possibly gzip-compressed) file part; the rest is never read into memory. */
async function readHead(file: AsyncIterable<Buffer>, maxUpload: number): Promise<{ head: Buffer; cut: boolean }> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of expandGzip(maxUpload)(file)) {
    chunks.push(chunk);
    length += chunk.length;
    if (length > HEAD_BYTES) break;
  }
  const all = Buffer.concat(chunks);
  return { head: all.subarray(0, HEAD_BYTES), cut: all.length > HEAD_BYTES };
}

/**
 * POST /api/previews: reads the head of the file only, so it answers at once whatever the file's size (the rest
 * of the body is discarded unread; fields must come before the file). With a template, it also proposes how the
 * file's headers map to the template's columns, a mapping the tenant confirmed for this header first.
 */
export async function previewUpload(ctx: IngestContext, request: FastifyRequest, principal: Principal): Promise<PreviewAnswer> {
  const fields: Record<string, string> = {};
  let read: { head: Buffer; cut: boolean } | undefined;
  const parts = decodedRequest(request, ctx.config.MAX_UPLOAD_BYTES).parts({ limits: { files: 1, fields: 20, fieldSize: 1024 } });
  for await (const part of parts) {
    if (part.type === 'field') {
      fields[part.fieldname] = String(part.value);
      continue;
    }
    if (part.fieldname !== 'file') throw new AppError('invalid_request', `Unexpected file field "${part.fieldname}": send the file in the field "file"`);
    read = await readHead(part.file, ctx.config.MAX_UPLOAD_BYTES);
    part.file.resume();
    break;
  }
  if (!read) throw new AppError('missing_file', 'No file was sent: post multipart/form-data with the file in the field "file"');
  if (read.head.length === 0) throw new AppError('empty_file', 'The file is empty');
  const unknown = Object.keys(fields).find((name) => !['template', 'sheet', 'encoding'].includes(name));
  if (unknown) throw new AppError('invalid_request', `Unknown field "${unknown}": a preview takes file, template, sheet and encoding`);
  const declared = fields.encoding ? ImportFormFields.shape.encoding.parse(fields.encoding) : undefined;
  const refusal = sniffContent(read.head, declared);
  if (refusal) throw new AppError('unsupported_media_type', refusal);
  const encoding = declared ?? detectEncoding(read.head, read.cut);
  const preview = sniffCsv({ text: iconv.decode(read.head, encoding), encoding, cut: read.cut });
  if (!fields.template) return preview;
  const template = await findTemplate(ctx.db, principal.tenantId, fields.template);
  if (!template) throw new AppError('unknown_template', `Unknown template "${fields.template}": GET /api/templates lists them`);
  const headers = preview.columns.map((c) => c.header);
  const remembered = await recallMapping(ctx.db, principal.tenantId, template.name, headers);
  return { ...preview, ...proposeMapping(template.columns, headers, remembered) };
}
