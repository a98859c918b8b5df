import type WebSocket from 'ws';
import { AppError, ClientFrame } from '@docprocessor/contracts';

const NOT_JSON = Symbol('not JSON');

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}

function textOf(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}

/** What a client sent, or the invalid_request that answers it (text or binary frames alike). */
export function parseClientFrame(data: WebSocket.RawData): ClientFrame | AppError {
  const json = parseJson(textOf(data));
  const frame = ClientFrame.safeParse(json);
  if (frame.success) return frame.data;
  const issue = frame.error.issues[0];
  const detail = json === NOT_JSON ? 'not valid JSON' : `${issue?.path.join('.') || 'frame'}: ${issue?.message}`;
  return new AppError('invalid_request', `Expected {"op":"subscribe"} or {"op":"subscribe","jobId":"<id>"}: ${detail}`);
}
