import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { importJobs } from '@docprocessor/db';
import { sweepUnannouncedJobs } from '../src/imports/announce-job.js';
import { build, contactsCsv, lastEvent, type Harness } from './helper.js';

let h: Harness;
beforeAll(async () => {
  h = await build();
});
afterAll(() => h.close());

describe('outbox sweeper', () => {
  it('announces a committed job whose created event never reached the stream', async () => {
    // The state a crash between the commit and the publish leaves behind.
    const id = randomUUID();
    const stored = await h.ctx.files.put(id, Readable.from([Buffer.from(contactsCsv(2))]));
    await h.ctx.db.db.insert(importJobs).values({
      id,
      status: 'pending',
      template: 'contacts',
      filename: 'lost.csv',
      sizeBytes: stored.size,
      sha256: stored.sha256,
      objectName: id,
      updatedAt: new Date(Date.now() - 60_000),
    });
    expect(await lastEvent(h, id, 'created')).toBeNull();

    expect(await sweepUnannouncedJobs(h.ctx)).toBe(1);
    expect(await lastEvent(h, id, 'created')).toMatchObject({ jobId: id, job: { status: 'pending' } });
    const [row] = await h.ctx.db.db.select().from(importJobs).where(eq(importJobs.id, id));
    expect(row?.announcedAt).toBeInstanceOf(Date);
    expect(await sweepUnannouncedJobs(h.ctx)).toBe(0);
  });

  it('leaves recent and announced jobs alone', async () => {
    const id = randomUUID();
    await h.ctx.db.db
      .insert(importJobs)
      .values({ id, status: 'pending', template: 'contacts', filename: 'new.csv', sizeBytes: 1, sha256: 'x', objectName: id });
    expect(await sweepUnannouncedJobs(h.ctx)).toBe(0);
  });
});
