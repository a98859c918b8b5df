import { createHmac, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { type ImportEvent, ImportEvent as ImportEventSchema, SIGNATURE_HEADER } from '@docprocessor/contracts';

export interface Received {
  event: ImportEvent;
  deliveryId: string;
  signatureValid: boolean;
}

/**
 * A webhook receiver as a customer would run one: checks each signature, answers 204, or 503 while `failing`.
 * It can be stopped and started again on the same port, as a receiver that is down for a while.
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  failing = false;
  refused = 0;
  private server: Server | null = null;
  secret = '';

  private constructor(public port: number) {}

  static async start(): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver(0);
    await receiver.listen();
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`;
  }

  async listen(): Promise<void> {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (this.failing) {
          this.refused++;
          return void response.writeHead(503).end('down for maintenance');
        }
        const body = Buffer.concat(chunks);
        const expected = Buffer.from(`sha256=${createHmac('sha256', this.secret).update(body).digest('hex')}`);
        const given = Buffer.from(String(request.headers[SIGNATURE_HEADER] ?? ''));
        this.received.push({
          event: ImportEventSchema.parse(JSON.parse(body.toString('utf8'))),
          deliveryId: String(request.headers['x-docprocessor-delivery']),
          signatureValid: given.length === expected.length && timingSafeEqual(given, expected),
        });
        response.writeHead(204).end();
      });
    });
    server.listen(this.port, '127.0.0.1');
    await once(server, 'listening');
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  /** Down: connections are refused until listen() again. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }

  eventsOf(jobId: string): string[] {
    return this.received.filter((r) => r.event.jobId === jobId).map((r) => r.event.type);
  }
}
