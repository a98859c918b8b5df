import { z } from 'zod';
import { Job } from './job.js';
import { ImportEvent } from './events.js';

/** What a client may send over /ws. */
export const ClientFrame = z.object({
  op: z.literal('subscribe'),
  jobId: z.string().min(1).max(100).optional(),
});
export type ClientFrame = z.infer<typeof ClientFrame>;

export const SNAPSHOT_SIZE = 50;

export const SnapshotFrame = z.object({
  type: z.literal('snapshot'),
  jobs: z.array(Job),
});
export type SnapshotFrame = z.infer<typeof SnapshotFrame>;

export const ErrorFrame = z.object({
  type: z.literal('error'),
  error: z.object({ code: z.string(), message: z.string() }),
});
export type ErrorFrame = z.infer<typeof ErrorFrame>;

export const ServerFrame = z.union([SnapshotFrame, ErrorFrame, ImportEvent]);
export type ServerFrame = z.infer<typeof ServerFrame>;

/** Close code sent when a server shuts down: the client should reconnect (RFC 6455 1012, service restart). */
export const CLOSE_RECONNECT = 1012;
/** Close code for a client too slow to keep up: reconnect and take a fresh snapshot. */
export const CLOSE_TOO_SLOW = 1013;
/** Close code when the socket's API key was revoked while it was open (policy violation): sign in again. */
export const CLOSE_KEY_REVOKED = 1008;
