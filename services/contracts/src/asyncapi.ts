import { z } from 'zod';
import { API_VERSION } from './api-routes.js';
import { EventType, ImportEvent } from './events.js';
import { ClientFrame, ServerFrame } from './ws-frames.js';

type JsonSchema = Record<string, unknown>;

const schemaOf = (schema: z.ZodType): JsonSchema => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io: 'output',
    unrepresentable: 'any',
  }) as JsonSchema;
  return rest;
};

/**
 * The AsyncAPI 2.6 document of what flows live: job events on NATS (`imports.<jobId>.<type>`) and the frames of
 * the `/ws` WebSocket, from the zod schemas the services publish and parse with. `npm run docs` writes it to
 * docs/asyncapi.json, and a test fails when the committed copy is stale.
 */
export function asyncApiDocument(): JsonSchema {
  return {
    asyncapi: '2.6.0',
    info: {
      title: 'DocProcessor events',
      version: API_VERSION,
      description: 'Every change of every job, as JetStream events and WebSocket frames. docs/events.md explains them.',
    },
    servers: {
      nats: { url: 'nats://127.0.0.1:4222', protocol: 'nats', description: 'JetStream stream IMPORTS (NATS_STREAM)' },
      web: { url: 'ws://localhost:5173', protocol: 'ws', description: 'The one origin; authenticate with X-API-Key or ?apiKey=' },
    },
    channels: {
      'imports.{jobId}.{type}': {
        servers: ['nats'],
        description: 'One subject per job and event type; `nats sub "imports.>"` shows them all.',
        parameters: {
          jobId: { description: 'The job id (a UUID)', schema: { type: 'string' } },
          type: { description: 'What happened', schema: schemaOf(EventType) },
        },
        subscribe: { operationId: 'jobEvent', message: { name: 'ImportEvent', payload: schemaOf(ImportEvent) } },
      },
      '/ws': {
        servers: ['web'],
        description: 'Send `{"op":"subscribe"}` (every job) or `{"op":"subscribe","jobId":…}`; a snapshot comes first, then events.',
        publish: { operationId: 'clientFrame', message: { name: 'ClientFrame', payload: schemaOf(ClientFrame) } },
        subscribe: { operationId: 'serverFrame', message: { name: 'ServerFrame', payload: schemaOf(ServerFrame) } },
      },
    },
  };
}
