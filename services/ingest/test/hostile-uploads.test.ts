import { randomBytes } from 'node:crypto';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, CONTACTS_HEADER, contactsCsv, multipart, storedObjectNames, upload, type Harness } from './helper.js';

const LIMIT = 64 * 1024;
let h: Harness;
beforeAll(async () => {
  h = await build({ MAX_UPLOAD_BYTES: String(LIMIT), UPLOAD_RATE_LIMIT_PER_MINUTE: '1000' });
});
afterAll(() => h.close());

async function storedText(objectName: string): Promise<Buffer> {
  const stream = await h.ctx.files.read(objectName);
  const parts: Buffer[] = [];
  for await (const part of stream!) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

describe('compressed uploads', () => {
  it('unpacks gzip while storing, whatever the file is called', async () => {
    const csv = contactsCsv(50);
    const res = await upload(h, gzipSync(csv));
    expect(res.statusCode).toBe(202);
    const job = res.json();
    expect(job.sizeBytes).toBe(Buffer.byteLength(csv));
    expect((await storedText(job.id)).toString()).toBe(csv);
  });

  it('refuses a gzip bomb after the limit of unpacked bytes, keeping nothing', async () => {
    const before = await storedObjectNames(h);
    const bomb = gzipSync(Buffer.concat([Buffer.from(`${CONTACTS_HEADER}\n`), Buffer.alloc(50 * 1024 * 1024, 0x41)]));
    expect(bomb.length).toBeLessThan(LIMIT);
    const res = await upload(h, bomb);
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toMatchObject({ code: 'payload_too_large', message: expect.stringContaining('unpacks') });
    expect(await storedObjectNames(h)).toEqual(before);
  });

  it('refuses corrupt gzip data with 415', async () => {
    const res = await upload(h, Buffer.concat([gzipSync(contactsCsv(5)).subarray(0, 30), randomBytes(40)]));
    expect(res.statusCode).toBe(415);
  });
});

describe('encodings and delimiters', () => {
  it('detects Windows-1252 text that is not UTF-8', async () => {
    const latin = Buffer.from(`${CONTACTS_HEADER}\n1,a@b.co,Ren\xe9e,M\xfcller,,DE,2024-01-01,1,yes,\n`, 'latin1');
    expect((await upload(h, latin)).json()).toMatchObject({ encoding: 'windows-1252', delimiter: ',' });
  });

  it('detects UTF-8 with and without a BOM, and UTF-16 by its BOM', async () => {
    expect((await upload(h, contactsCsv(2))).json().encoding).toBe('utf-8');
    expect((await upload(h, `\uFEFF${contactsCsv(2)}`)).json().encoding).toBe('utf-8');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(contactsCsv(2), 'utf16le')]);
    expect((await upload(h, utf16)).json()).toMatchObject({ encoding: 'utf-16le', delimiter: ',' });
  });

  it('detects UTF-16 without a BOM by its shape, and takes it when declared', async () => {
    expect((await upload(h, Buffer.from(contactsCsv(2), 'utf16le'))).json()).toMatchObject({ encoding: 'utf-16le', delimiter: ',' });
    expect((await upload(h, Buffer.from(contactsCsv(2), 'utf16le').swap16())).json()).toMatchObject({
      encoding: 'utf-16be',
      delimiter: ',',
    });
    const short = Buffer.from('id\n1\n', 'utf16le');
    const declared = await upload(h, short, { encoding: 'utf-16le' });
    expect(declared.statusCode, declared.body).toBe(202);
    expect(declared.json().encoding).toBe('utf-16le');
  });

  it('keeps UTF-8 with a stray invalid byte as UTF-8, so its accents are not misread', async () => {
    const text = Buffer.concat([
      Buffer.from(`${CONTACTS_HEADER}\n1,a@b.co,Bad`),
      Buffer.from([0xff]),
      Buffer.from(`,X,,GB,2024-01-01,1,yes,\n2,b@b.co,Zoë,Ŝmith,,GB,2024-01-01,1,yes,✓ café\n`),
    ]);
    expect((await upload(h, text)).json().encoding).toBe('utf-8');
  });

  it.each([
    [';', 'id;email;first_name\n1;"a;b@x.co";Ada\n'],
    ['\t', 'id\temail\tfirst_name\n1\ta@b.co\tAda\n'],
    ['|', 'id|email|"first,name"\n'],
  ])('sniffs the delimiter %j from the header line', async (delimiter, csv) => {
    expect((await upload(h, csv)).json().delimiter).toBe(delimiter);
  });

  it('takes declared encoding and delimiter over detection', async () => {
    const res = await upload(h, 'id;email\n1;a@b.co\n', { encoding: 'latin1', delimiter: ',' });
    expect(res.json()).toMatchObject({ encoding: 'windows-1252', delimiter: ',' });
    expect((await upload(h, contactsCsv(1), { delimiter: 'tab' })).json().delimiter).toBe('\t');
    expect((await upload(h, contactsCsv(1), { encoding: 'ebcdic' })).statusCode).toBe(400);
    expect((await upload(h, contactsCsv(1), { delimiter: 'x' })).statusCode).toBe(400);
  });
});

describe('random bytes', () => {
  it('never produce a 5xx', { timeout: 30_000 }, async () => {
    for (let i = 0; i < 60; i++) {
      const size = [0, 1, 2, 3, 100, 5000, 20000][i % 7]!;
      const bytes = randomBytes(size);
      if (i % 3 === 0 && size > 2) bytes.set([0x1f, 0x8b]); // half-gzip garbage too
      const res = await upload(h, bytes, i % 5 === 0 ? { template: randomBytes(4).toString('hex') } : {});
      expect(res.statusCode, `case ${i} (${size} bytes)`).toBeLessThan(500);
      expect(res.json()).toBeTypeOf('object');
    }
  });
});

describe('request-level Content-Encoding', () => {
  const ENCODERS = { gzip: gzipSync, deflate: deflateSync, br: brotliCompressSync } as const;
  const send = (payload: Buffer, headers: Record<string, string>, encoding: string) =>
    h.app.inject({ method: 'POST', url: '/api/imports', payload, headers: { ...headers, 'content-encoding': encoding } });

  it.each(Object.keys(ENCODERS) as Array<keyof typeof ENCODERS>)(
    'unpacks a whole request sent with Content-Encoding %s',
    async (encoding) => {
      const csv = contactsCsv(40);
      const body = multipart({ content: csv, filename: `${encoding}.csv` }, { template: 'contacts' });
      const res = await send(ENCODERS[encoding](body.payload), body.headers, encoding);
      expect(res.statusCode, res.body).toBe(202);
      expect(res.json()).toMatchObject({ filename: `${encoding}.csv`, sizeBytes: Buffer.byteLength(csv) });
      expect((await storedText(res.json().id)).toString()).toBe(csv);
    },
  );

  it('unpacks both layers of a gzip file sent in a gzip request', async () => {
    const csv = contactsCsv(5);
    const body = multipart({ content: gzipSync(csv) });
    const res = await send(gzipSync(body.payload), body.headers, 'gzip');
    expect(res.statusCode, res.body).toBe(202);
    expect((await storedText(res.json().id)).toString()).toBe(csv);
  });

  it('refuses a compressed request that unpacks past the limit with 413, keeping nothing', { timeout: 30_000 }, async () => {
    const before = await storedObjectNames(h);
    const body = multipart({ content: Buffer.concat([Buffer.from(`${CONTACTS_HEADER}\n`), Buffer.alloc(50 * 1024 * 1024, 0x41)]) });
    const bomb = gzipSync(body.payload);
    expect(bomb.length).toBeLessThan(LIMIT);
    const res = await send(bomb, body.headers, 'gzip');
    expect(res.statusCode, res.body).toBe(413);
    expect(res.json().error.code).toBe('payload_too_large');
    expect(await storedObjectNames(h)).toEqual(before);
  });

  it('refuses a body that is not what its Content-Encoding says with 415', async () => {
    const body = multipart({ content: contactsCsv(3) });
    const res = await send(body.payload, body.headers, 'gzip');
    expect(res.statusCode, res.body).toBe(415);
    expect(res.json().error).toMatchObject({ code: 'unsupported_media_type', message: expect.stringContaining('cannot be unpacked') });
  });

  it.each(['compress', 'zstd', 'gzip, br'])('refuses Content-Encoding %s with 415, naming the ones it takes', async (encoding) => {
    const body = multipart({ content: contactsCsv(1) });
    const res = await send(body.payload, body.headers, encoding);
    expect(res.statusCode).toBe(415);
    expect(res.json().error.message).toContain('use gzip, deflate or br');
  });
});
