/**
 * The S3 witness: each checkpoint is its own object, written with Object Lock
 * in compliance mode, so not even the bucket's owner can delete or overwrite
 * it before its retention ends (the WORM store auditors already accept). Keys
 * sort by locker and sequence: `<prefix><locker id>/<sequence, 12 digits>-<head>-<key id>.json`,
 * and a checkpoint that names the entry chains adds the start of its own
 * hash, since an entry added between runs is checkpointed at the same run.
 * Credentials come from the AWS SDK's default chain, never from the config.
 * The S3 client loads on first use: a command that reads the witnesses list
 * but never an S3 witness does not pay for the AWS SDK.
 */
import type * as S3 from '@aws-sdk/client-s3';
import { sha256Hex } from '@evidentia/evidence';
import { checkpointBytes, checkpointLine, parseCheckpoint, type SignedCheckpoint } from '@evidentia/locker';
import type { Witness, WitnessLog } from './witness.js';

export interface S3WitnessSettings {
  bucket: string;
  prefix: string;
  region: string;
  endpoint?: string;
  retainDays: number;
}

const DAY_MS = 86_400_000;

/**
 * How long one request may wait for S3. The client's own default is no limit:
 * an endpoint that takes the connection and never answers held `collect`
 * after its commit, and the daemon with it, for ever.
 */
const S3_TIMEOUT_MS = 60_000;

export interface S3WitnessOptions {
  /** How long one request (each of the client's 3 attempts) may wait for S3 (default 60 s). */
  timeoutMs?: number;
}

/** An answer from S3 (a refusal, not a broken connection), told apart without loading the SDK's error class. */
function isServiceError(error: unknown): error is S3.S3ServiceException {
  return error instanceof Error && typeof (error as Partial<S3.S3ServiceException>).$metadata === 'object';
}
/** Checkpoint objects fetched at once while reading. */
const READ_CONCURRENCY = 8;

export function s3Witness(settings: S3WitnessSettings, now: () => Date = () => new Date(), options: S3WitnessOptions = {}): Witness {
  const timeoutMs = options.timeoutMs ?? S3_TIMEOUT_MS;
  const reason = (error: unknown): string => {
    // The client's own words for a timeout name neither whom it waited for nor that nothing came back.
    if ((error as Error).name === 'TimeoutError') return `no answer from ${settings.endpoint ?? `S3 in ${settings.region}`} within ${timeoutMs / 1000} s`;
    if (isServiceError(error)) return `${error.name} (HTTP ${error.$metadata.httpStatusCode ?? '?'}): ${error.message}`;
    return (error as Error).message;
  };
  let sdk: Promise<{ s3: typeof S3; client: S3.S3Client }> | undefined;
  const load = () =>
    (sdk ??= import('@aws-sdk/client-s3').then((s3) => ({
      s3,
      client: new s3.S3Client({
        region: settings.region,
        maxAttempts: 3,
        // Without throwOnRequestTimeout the handler only logs a warning at the timeout, and goes on waiting.
        requestHandler: { connectionTimeout: timeoutMs, requestTimeout: timeoutMs, throwOnRequestTimeout: true },
        ...(settings.endpoint ? { endpoint: settings.endpoint, forcePathStyle: true } : {}),
      }),
    })));
  const keyOf = ({ checkpoint }: SignedCheckpoint) => {
    const own = checkpoint.entries ? `-${sha256Hex(checkpointBytes(checkpoint)).slice(0, 16)}` : '';
    return `${settings.prefix}${checkpoint.lockerId}/${String(checkpoint.sequence).padStart(12, '0')}-${checkpoint.head}-${checkpoint.keyId.slice(0, 16)}${own}.json`;
  };

  /** Every object key under the prefix; a listing that cannot be followed to its end fails, as the newest checkpoints sort last. */
  async function keys(): Promise<string[]> {
    const found: string[] = [];
    const followed = new Set<string>();
    let token: string | undefined;
    do {
      const { s3, client } = await load();
      const page = await client.send(new s3.ListObjectsV2Command({ Bucket: settings.bucket, Prefix: settings.prefix, ContinuationToken: token }));
      for (const object of page.Contents ?? []) if (object.Key?.endsWith('.json')) found.push(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
      if (page.IsTruncated && !token) throw new Error(`the listing stops after ${found.length} object(s): a page says more follow but gives no continuation token`);
      if (token !== undefined && followed.has(token)) throw new Error(`the listing repeats a page (continuation token ${token} again) after ${found.length} object(s)`);
      if (token !== undefined) followed.add(token);
    } while (token);
    return found;
  }

  async function readOne(key: string, log: WitnessLog): Promise<void> {
    const { s3, client } = await load();
    const object = await client.send(new s3.GetObjectCommand({ Bucket: settings.bucket, Key: key }));
    const text = (await object.Body?.transformToString('utf8')) ?? '';
    try {
      log.checkpoints.push(parseCheckpoint(text.trim()));
    } catch (error) {
      log.malformed.push(`${key}: ${(error as Error).message}`);
    }
  }

  async function alreadyHeld(signed: SignedCheckpoint): Promise<boolean> {
    const log: WitnessLog = { checkpoints: [], malformed: [] };
    await readOne(keyOf(signed), log).catch(() => undefined);
    return log.checkpoints.some(({ checkpoint }) => checkpointBytes(checkpoint).equals(checkpointBytes(signed.checkpoint)));
  }

  return {
    name: `s3 s3://${settings.bucket}/${settings.prefix}`,
    async publish(signed: SignedCheckpoint): Promise<void> {
      try {
        const { s3, client } = await load();
        await client.send(
          new s3.PutObjectCommand({
            Bucket: settings.bucket,
            Key: keyOf(signed),
            Body: checkpointLine(signed),
            ContentType: 'application/json',
            // Never replace a checkpoint: S3 refuses the write (412) when the key exists.
            IfNoneMatch: '*',
            ObjectLockMode: 'COMPLIANCE',
            ObjectLockRetainUntilDate: new Date(now().getTime() + settings.retainDays * DAY_MS),
          }),
        );
      } catch (error) {
        // A retried put whose first attempt did land finds its own checkpoint (the key names sequence and head).
        if (isServiceError(error) && error.$metadata.httpStatusCode === 412 && (await alreadyHeld(signed))) return;
        throw new Error(`could not put ${keyOf(signed)}: ${reason(error)}`);
      }
    },
    async read(): Promise<WitnessLog> {
      const log: WitnessLog = { checkpoints: [], malformed: [] };
      try {
        const pending = await keys();
        const workers = Array.from({ length: READ_CONCURRENCY }, async () => {
          for (let key = pending.shift(); key !== undefined; key = pending.shift()) await readOne(key, log);
        });
        await Promise.all(workers);
      } catch (error) {
        throw new Error(`cannot read s3://${settings.bucket}/${settings.prefix}: ${reason(error)}`);
      }
      return log;
    },
  };
}
