import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { AppError, ImportFormFields } from '@docprocessor/contracts';
import type { StoredFile } from '@docprocessor/bus';
import type { IngestContext } from './context.js';
import { decodedRequest } from './request-encoding.js';
import { expandGzip, SNIFF_BYTES, UploadGuard } from './upload-guard.js';

export interface ReceivedUpload {
  stored: StoredFile;
  filename: string;
  fields: Record<string, string>;
  /** The first bytes of the (unpacked) content, for encoding and delimiter detection. */
  head: Buffer;
  /** True when the file is longer than `head`. */
  headTruncated: boolean;
}

const MAX_FILENAME = 255;
// Control characters and path separators never reach metadata: the name is shown, never used as a path.
const cleanFilename = (name: string): string =>
  name
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069/\\]/g, '')
    .trim()
    .slice(0, MAX_FILENAME) || 'upload.csv';

/**
 * Streams the multipart body: the one `file` part goes through the guard straight into the object store
 * (never whole in memory); form fields may come before or after it. On any failure nothing is kept.
 */
export async function receiveUpload(ctx: IngestContext, request: FastifyRequest, objectName: string): Promise<ReceivedUpload> {
  const fields: Record<string, string> = {};
  let upload: Omit<ReceivedUpload, 'fields'> | undefined;
  try {
    const parts = decodedRequest(request, ctx.config.MAX_UPLOAD_BYTES).parts({
      limits: { fileSize: ctx.config.MAX_UPLOAD_BYTES + 1, files: 1, fields: 20, fieldSize: 100_000, parts: 30 },
    });
    for await (const part of parts) {
      if (part.type === 'field') {
        fields[part.fieldname] = String(part.value);
        continue;
      }
      if (part.fieldname !== 'file' || upload) {
        part.file.resume();
        throw new AppError('invalid_request', `Unexpected file field "${part.fieldname}": send exactly one file in the field "file"`);
      }
      const declared = ImportFormFields.shape.encoding.safeParse(fields.encoding);
      const guard = new UploadGuard(ctx.config.MAX_UPLOAD_BYTES, declared.success ? declared.data : undefined);
      const [, stored] = await Promise.all([
        pipeline(part.file, expandGzip(ctx.config.MAX_UPLOAD_BYTES), guard),
        ctx.files.put(objectName, guard),
      ]);
      if (part.file.truncated)
        throw new AppError('payload_too_large', `The file is larger than the limit of ${ctx.config.MAX_UPLOAD_BYTES} bytes`);
      upload = { stored, filename: cleanFilename(part.filename ?? ''), head: guard.head, headTruncated: guard.bytes > SNIFF_BYTES };
    }
  } catch (error) {
    await ctx.files.delete(objectName).catch(() => undefined);
    throw translateMultipartError(error, ctx.config.MAX_UPLOAD_BYTES);
  }
  if (!upload) throw new AppError('missing_file', 'No file was sent: post multipart/form-data with the CSV in the field "file"');
  return { ...upload, fields };
}

/** @fastify/multipart and busboy speak in their own errors; the client hears ours. */
function translateMultipartError(error: unknown, maxBytes: number): unknown {
  if (error instanceof AppError) return error;
  const code = (error as { code?: string }).code ?? '';
  if (code === 'FST_REQ_FILE_TOO_LARGE') return new AppError('payload_too_large', `The file is larger than the limit of ${maxBytes} bytes`);
  if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE')
    return new AppError('unsupported_media_type', 'Send the file as multipart/form-data with the field "file"', { cause: error });
  if (code.startsWith('FST_') || /multipart|boundary|unexpected end of form/i.test(String((error as Error).message)))
    return new AppError('invalid_request', `The upload is not a valid multipart form: ${(error as Error).message}`, { cause: error });
  return error;
}
