import type { FastifyInstance } from 'fastify';
import { AppError } from '@docprocessor/contracts';
import type { IngestContext } from '../imports/context.js';
import { previewUpload } from '../previews/preview-upload.js';
import { principalOf } from '../plugins/auth.js';

export async function previewRoutes(app: FastifyInstance, { ctx }: { ctx: IngestContext }): Promise<void> {
  app.post('/api/previews', async (request) => {
    if (!request.isMultipart()) throw new AppError('unsupported_media_type', 'Send the file as multipart/form-data with the field "file"');
    return previewUpload(ctx, request, principalOf(request));
  });
}
