/**
 * A small S3-compatible server for tests, faithful to what evidentia's S3
 * witness relies on: path-style PutObject, GetObject, DeleteObject and
 * ListObjectsV2 (XML, continuation tokens), SigV4 requests from a known
 * access key, Object Lock (buckets created with it; x-amz-object-lock-mode
 * and -retain-until-date; a locked object refuses deletion until its date),
 * conditional writes (If-None-Match: * refuses an existing key), and the
 * integrity headers the AWS SDK sends (Content-MD5, x-amz-checksum-crc32 or
 * -sha256), which S3 requires on any write with Object Lock parameters.
 * Real S3 keeps a locked version and stacks a new one on overwrite; here an
 * unconditional overwrite of a locked key is refused, which is stricter and
 * keeps the locked bytes the same way.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { crc32 } from 'node:zlib';

export interface S3Object {
  body: Buffer;
  lockMode: string | null;
  retainUntil: Date | null;
  lastModified: Date;
}

export interface S3SimulatorOptions {
  /** Buckets to create, and whether each has Object Lock enabled. */
  buckets: Record<string, { objectLock: boolean }>;
  accessKeyId: string;
  /** Keys per ListObjectsV2 page (S3's default is 1000); small values exercise paging. */
  maxKeys?: number;
  now?: () => Date;
  /** A broken S3-compatible store's listing: truncated pages without a continuation token, or the first page again and again. */
  listingFault?: 'no-token' | 'repeated-page';
}

export interface S3Simulator {
  endpoint: string;
  /** Every object, by bucket then key. */
  buckets: Map<string, Map<string, S3Object>>;
  /** Every request, as `Operation bucket/key` (e.g. `ListObjectsV2 witness/`), for assertions. */
  requests: string[];
  close(): Promise<void>;
}

const xmlEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function fail(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/xml' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error>`);
}

/** The integrity header the write carries, checked against the body; null when it has none. */
function integrityProblem(req: IncomingMessage, body: Buffer): string | null | 'absent' {
  const md5 = req.headers['content-md5'];
  const crc = req.headers['x-amz-checksum-crc32'];
  const sha = req.headers['x-amz-checksum-sha256'];
  if (md5 === undefined && crc === undefined && sha === undefined) return 'absent';
  if (typeof md5 === 'string' && md5 !== createHash('md5').update(body).digest('base64')) return 'Content-MD5';
  if (typeof crc === 'string') {
    const expected = Buffer.alloc(4);
    expected.writeUInt32BE(crc32(body));
    if (crc !== expected.toString('base64')) return 'x-amz-checksum-crc32';
  }
  if (typeof sha === 'string' && sha !== createHash('sha256').update(body).digest('base64')) return 'x-amz-checksum-sha256';
  return null;
}

function listPage(res: ServerResponse, bucket: string, objects: Map<string, S3Object>, query: URLSearchParams, maxKeys: number, fault?: S3SimulatorOptions['listingFault']): void {
  const prefix = query.get('prefix') ?? '';
  const after = query.get('continuation-token') ? Buffer.from(query.get('continuation-token')!, 'base64url').toString('utf8') : '';
  const keys = [...objects.keys()].filter((key) => key.startsWith(prefix) && key > after).sort();
  const page = keys.slice(0, maxKeys);
  const truncated = keys.length > page.length;
  const contents = page
    .map((key) => {
      const object = objects.get(key)!;
      const etag = createHash('md5').update(object.body).digest('hex');
      return `<Contents><Key>${xmlEscape(key)}</Key><LastModified>${object.lastModified.toISOString()}</LastModified><ETag>"${etag}"</ETag><Size>${object.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
    })
    .join('');
  // The repeated page's token sorts before every key, so it lists from the start again.
  const token = fault === 'repeated-page' ? '\u0000' : page.at(-1)!;
  const next = truncated && fault !== 'no-token' ? `<NextContinuationToken>${Buffer.from(token, 'utf8').toString('base64url')}</NextContinuationToken>` : '';
  res.writeHead(200, { 'content-type': 'application/xml' });
  res.end(
    `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${xmlEscape(bucket)}</Name><Prefix>${xmlEscape(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${contents}${next}</ListBucketResult>`,
  );
}

function put(req: IncomingMessage, res: ServerResponse, body: Buffer, bucket: { objectLock: boolean }, objects: Map<string, S3Object>, key: string, now: Date): void {
  const mode = req.headers['x-amz-object-lock-mode'];
  const until = req.headers['x-amz-object-lock-retain-until-date'];
  const locked = mode !== undefined || until !== undefined;
  if (locked && !bucket.objectLock) return fail(res, 400, 'InvalidRequest', 'Bucket is missing Object Lock Configuration');
  if (locked && (mode !== 'COMPLIANCE' && mode !== 'GOVERNANCE' || typeof until !== 'string' || Number.isNaN(Date.parse(until)))) {
    return fail(res, 400, 'InvalidArgument', 'x-amz-object-lock-mode and x-amz-object-lock-retain-until-date must be given together and be valid');
  }
  const integrity = integrityProblem(req, body);
  if (integrity === 'absent' && locked) return fail(res, 400, 'InvalidRequest', 'Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters');
  if (integrity !== null && integrity !== 'absent') return fail(res, 400, 'BadDigest', `The ${integrity} you specified did not match the calculated checksum.`);
  const existing = objects.get(key);
  if (existing && req.headers['if-none-match'] === '*') return fail(res, 412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold');
  if (existing?.retainUntil && existing.retainUntil > now) return fail(res, 403, 'AccessDenied', 'Access Denied because object protected by object lock.');
  objects.set(key, { body, lockMode: locked ? String(mode) : null, retainUntil: locked ? new Date(String(until)) : null, lastModified: now });
  res.writeHead(200, { etag: `"${createHash('md5').update(body).digest('hex')}"` });
  res.end();
}

/** Start the simulator on 127.0.0.1 (a free port). */
export async function startS3Simulator(options: S3SimulatorOptions): Promise<S3Simulator> {
  const buckets = new Map(Object.keys(options.buckets).map((name) => [name, new Map<string, S3Object>()]));
  const requests: string[] = [];
  const now = options.now ?? (() => new Date());
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://s3.local');
      const credential = /^AWS4-HMAC-SHA256 Credential=([^/]+)\//.exec(req.headers.authorization ?? '');
      if (!credential) return fail(res, 403, 'AccessDenied', 'requests must be signed with SigV4');
      if (credential[1] !== options.accessKeyId) return fail(res, 403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
      const [, bucketName = '', ...rest] = url.pathname.split('/');
      const key = decodeURIComponent(rest.join('/'));
      const objects = buckets.get(bucketName);
      if (!objects) return fail(res, 404, 'NoSuchBucket', `The specified bucket ${bucketName} does not exist`);
      const body = Buffer.concat(chunks);
      const operation = req.method === 'GET' && !key ? 'ListObjectsV2' : ({ GET: 'GetObject', PUT: 'PutObject', DELETE: 'DeleteObject' } as Record<string, string>)[req.method ?? ''] ?? req.method;
      requests.push(`${operation} ${bucketName}/${key}`);
      if (req.method === 'GET' && !key && url.searchParams.get('list-type') === '2') return listPage(res, bucketName, objects, url.searchParams, options.maxKeys ?? 1000, options.listingFault);
      if (req.method === 'PUT' && key) return put(req, res, body, options.buckets[bucketName]!, objects, key, now());
      const object = objects.get(key);
      if (req.method === 'GET' && key) {
        if (!object) return fail(res, 404, 'NoSuchKey', 'The specified key does not exist.');
        res.writeHead(200, {
          'content-length': object.body.length,
          etag: `"${createHash('md5').update(object.body).digest('hex')}"`,
          'last-modified': object.lastModified.toUTCString(),
          ...(object.lockMode ? { 'x-amz-object-lock-mode': object.lockMode, 'x-amz-object-lock-retain-until-date': object.retainUntil!.toISOString() } : {}),
        });
        return res.end(object.body);
      }
      if (req.method === 'DELETE' && key) {
        if (object?.retainUntil && object.retainUntil > now()) return fail(res, 403, 'AccessDenied', 'Access Denied because object protected by object lock.');
        objects.delete(key);
        res.writeHead(204);
        return res.end();
      }
      fail(res, 501, 'NotImplemented', `${req.method} ${url.pathname}${url.search} is not simulated`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the S3 simulator has no TCP address');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    buckets,
    requests,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
