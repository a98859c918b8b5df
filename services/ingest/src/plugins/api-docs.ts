import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { openApiDocument } from '@docprocessor/contracts';

/** Where the document and the page a person browses live; both are open (no key), like health. */
export const OPENAPI_PATH = '/api/openapi.json';
export const API_DOCS_PREFIX = '/api/docs';

/**
 * GET /api/openapi.json, built once from the route catalog in contracts (the schemas the handlers parse with),
 * and Swagger UI at /api/docs showing that same document, served from the package's own files (no CDN).
 */
export const apiDocsPlugin = fp(
  async (app) => {
    const document = openApiDocument();
    app.get(OPENAPI_PATH, async () => document);
    await app.register(swagger, { mode: 'static', specification: { document: document as never } });
    await app.register(swaggerUi, { routePrefix: API_DOCS_PREFIX, uiConfig: { deepLinking: true, tryItOutEnabled: false } });
  },
  { name: 'api-docs' },
);
