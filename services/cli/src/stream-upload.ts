import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { API_KEY_HEADER } from '@docprocessor/contracts';

export interface HttpAnswer {
  status: number;
  body: unknown;
  /** The `Retry-After` header of a refusal (429, 503), if any. */
  retryAfter?: string;
}

export class ConnectionError extends Error {}

/** A multipart filename as browsers write it: quotes and line breaks would end the header. */
const headerSafe = (name: string) => name.replace(/"/g, '%22').replace(/[\r\n]/g, ' ');

/**
 * POSTs the file as multipart/form-data, read from disk as it is sent: the fields first (the server reads them
 * before the file), a Content-Length so the server can refuse a file over its limit at once, and `onSent` after
 * every chunk the socket took.
 */
export async function streamUpload(
  url: string,
  key: string,
  file: string,
  fields: readonly [string, string][],
  onSent: (sent: number, total: number) => void,
): Promise<HttpAnswer> {
  const size = (await stat(file)).size;
  const boundary = `docprocessor-${randomBytes(12).toString('hex')}`;
  const head = Buffer.from(
    fields.map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`).join('') +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${headerSafe(path.basename(file))}"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const target = new URL('/api/imports', url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<HttpAnswer>((resolve, reject) => {
    const req = send(target, {
      method: 'POST',
      headers: {
        [API_KEY_HEADER]: key,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': head.length + size + tail.length,
      },
    });
    req.on('error', (error) => reject(new ConnectionError(`cannot reach ${url}: ${error.message}`, { cause: error })));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        if (!req.writableEnded) req.destroy();
        const retryAfter = res.headers['retry-after'];
        resolve({
          status: res.statusCode ?? 0,
          body: parseJson(Buffer.concat(chunks).toString('utf8')),
          ...(retryAfter ? { retryAfter } : {}),
        });
      });
    });
    req.write(head);
    let sent = 0;
    const body = createReadStream(file);
    body.on('data', (chunk) => {
      sent += chunk.length;
      if (!req.write(chunk)) body.pause();
      onSent(sent, size);
    });
    req.on('drain', () => body.resume());
    body.on('error', (error) => req.destroy(error));
    body.on('end', () => req.end(tail));
    // The server may answer (413, 400, 503) before it has read everything: stop sending, keep its answer.
    req.on('response', () => body.destroy());
  });
}

/** GET a JSON resource of the API. */
export async function getJson(url: string, key: string, pathname: string): Promise<HttpAnswer> {
  let res: Response;
  try {
    res = await fetch(new URL(pathname, url), { headers: { [API_KEY_HEADER]: key } });
  } catch (error) {
    throw new ConnectionError(`cannot reach ${url}: ${(error as Error).message}`, { cause: error });
  }
  return { status: res.status, body: parseJson(await res.text()) };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
