import { z } from 'zod';
import { API_KEY_HEADER, ErrorBody } from './api.js';
import { API_ROUTES, API_VERSION, type ApiRoute } from './api-routes.js';
import { Job } from './job.js';
import { SESSION_COOKIE } from './people.js';
import { Template } from './templates/template.js';

/** Schemas many routes answer with: written once under components, referred to elsewhere. */
const COMPONENTS: ReadonlyMap<z.ZodType, string> = new Map<z.ZodType, string>([
  [Job, 'Job'],
  [ErrorBody, 'Error'],
  [Template, 'Template'],
]);

type JsonSchema = Record<string, unknown>;

/** JSON Schema of what a request sends (`input`, before defaults and transforms) or a response holds (`output`). */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const name = io === 'output' ? COMPONENTS.get(schema) : undefined;
  return name ? { $ref: `#/components/schemas/${name}` } : inlineSchema(schema, io);
}

function inlineSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function parameters(route: ApiRoute): JsonSchema[] {
  const of = (where: 'path' | 'query', object: z.ZodObject | undefined) =>
    Object.entries(object?.shape ?? {}).map(([name, field]) => {
      const schema = jsonSchema(field as z.ZodType, 'input');
      return {
        name,
        in: where,
        required: where === 'path' || !(field as z.ZodType).safeParse(undefined).success,
        ...(typeof schema.description === 'string' ? { description: schema.description } : {}),
        schema,
      };
    });
  return [...of('path', route.params), ...of('query', route.query)];
}

function requestBody(route: ApiRoute): JsonSchema | undefined {
  if (route.json) return { required: true, content: { 'application/json': { schema: jsonSchema(route.json, 'input') } } };
  if (!route.multipart) return undefined;
  const fields = jsonSchema(route.multipart, 'input');
  const properties = { ...(fields.properties as JsonSchema), file: { type: 'string', format: 'binary', description: 'the file, last' } };
  const required = [...((fields.required as string[] | undefined) ?? []), 'file'];
  return {
    required: true,
    content: { 'multipart/form-data': { schema: { type: 'object', properties, required, additionalProperties: false } } },
  };
}

/** `getApiImportsIdErrors`: unique, and stable for generated clients. */
const operationId = (route: ApiRoute) =>
  route.method +
  route.path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_match, next: string | undefined) => (next ?? '').toUpperCase());

function operation(route: ApiRoute): JsonSchema {
  const responses = Object.fromEntries(
    Object.entries(route.responses).map(([status, response]) => {
      const content = response.schema
        ? { 'application/json': { schema: jsonSchema(response.schema, 'output') } }
        : response.mediaType
          ? { [response.mediaType]: {} }
          : undefined;
      return [status, { description: response.description, ...(content ? { content } : {}) }];
    }),
  );
  if (route.access !== 'open') {
    const error = { 'application/json': { schema: jsonSchema(ErrorBody, 'output') } };
    responses['401'] ??= { description: 'no session and no valid API key', content: error };
    if (route.access !== 'viewer')
      responses['403'] = { description: `needs the role \`${route.access}\` (or a cookie without its Origin)`, content: error };
  }
  const body = requestBody(route);
  return {
    operationId: operationId(route),
    summary: route.summary,
    tags: [route.tag],
    ...(route.access === 'open' ? { security: [] } : { 'x-role': route.access }),
    parameters: parameters(route),
    ...(body ? { requestBody: body } : {}),
    responses,
  };
}

/** The OpenAPI 3.1 document of every route, built from the schemas the handlers parse with. */
export function openApiDocument(): JsonSchema {
  const paths: Record<string, JsonSchema> = {};
  for (const route of API_ROUTES) (paths[route.path] ??= {})[route.method] = operation(route);
  return {
    openapi: '3.1.0',
    info: {
      title: 'DocProcessor API',
      version: API_VERSION,
      description:
        'Upload CSV files and spreadsheets, follow their import live (WebSocket `/ws`, NATS `imports.>`), ' +
        'define templates, undo and repair imports. Every route but health, sign-in and this document needs `X-API-Key` ' +
        'or the session cookie of `POST /api/session`, and the role `x-role` names (viewer < importer < admin).',
    },
    servers: [{ url: '/' }],
    security: [{ apiKey: [] }, { session: [] }],
    tags: [
      { name: 'imports', description: 'Jobs: upload, follow, cancel, retry, commit, revert, fix' },
      { name: 'templates', description: 'Templates as data' },
      { name: 'previews', description: 'Read a file before importing it' },
      { name: 'webhooks', description: 'Job events POSTed to your URL, signed with HMAC-SHA256' },
      { name: 'people', description: 'Sign-in sessions, who you are, and the audit log' },
      { name: 'service', description: 'Health and this document' },
    ],
    paths,
    components: {
      securitySchemes: {
        apiKey: { type: 'apiKey', in: 'header', name: API_KEY_HEADER },
        session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
      },
      schemas: Object.fromEntries([...COMPONENTS].map(([schema, name]) => [name, inlineSchema(schema, 'output')])),
    },
  };
}
