/**
 * Runs a connector's `doctor` checks with the SDK's retrying fetch but no
 * snapshots: doctor talks to the live system to say what is missing, and
 * writes nothing to the locker. The checks have a time limit, as a stream
 * does: a doctor that never settles would otherwise hang `evidentia doctor`
 * without a word. At the limit its signal aborts and its checks fail, naming
 * the connector and the limit.
 */
import { createEvidenceFetch } from './evidence-fetch.js';
import { DEFAULT_RETRY_POLICY } from './retry-policy.js';
import { abortableSleep } from './run-stream.js';
import { describeError } from './describe-error.js';
import { describeDuration, MAX_STREAM_TIME_LIMIT_MS } from './stream-deadline.js';
import { SecretScrubber, scrubbingLogger, secretValuesIn } from './secret-scrubber.js';
import type { ConnectorDefinition, DoctorCheck, Logger } from './types.js';

/** Five minutes: doctor reads a few permissions, and someone is waiting at a terminal. */
export const DEFAULT_DOCTOR_TIME_LIMIT_MS = 5 * 60_000;

const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

export interface RunDoctorOptions<C> {
  connector: ConnectorDefinition<C>;
  instance: string;
  config: C;
  fetch?: typeof fetch;
  signal?: AbortSignal;
  log?: Logger;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Longest the checks may run (default 5 minutes, at most 2³¹ − 1 ms). */
  timeLimitMs?: number;
  /** Where the time limit is set, named in the failure (e.g. `connectors.github.doctorTimeoutSeconds`). */
  timeLimitSetting?: string;
}

/**
 * The connector's checks; a connector without `doctor`, or one whose doctor throws, yields one failed or
 * informative check; so does one whose checks outlast the time limit. Details and log lines are scrubbed of
 * the config's secrets, as a stream's error is.
 */
export async function runDoctor<C>(options: RunDoctorOptions<C>): Promise<DoctorCheck[]> {
  if (!options.connector.doctor) return [{ name: 'doctor', ok: true, detail: `connector ${options.connector.id} declares no checks` }];
  const limitMs = options.timeLimitMs ?? DEFAULT_DOCTOR_TIME_LIMIT_MS;
  if (!Number.isFinite(limitMs) || limitMs <= 0 || limitMs > MAX_STREAM_TIME_LIMIT_MS) {
    throw new RangeError(`connector ${options.instance}: the doctor time limit must be a positive number of milliseconds up to ${MAX_STREAM_TIME_LIMIT_MS}, got ${String(limitMs)}`);
  }
  const deadline = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, deadline.signal]) : deadline.signal;
  let timer: NodeJS.Timeout | undefined;
  // Not unref'd: a doctor waiting on nothing at all must not let the process exit before its limit, saying nothing.
  const reached = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const where = options.timeLimitSetting ? ` (${options.timeLimitSetting})` : '';
      const reason = new Error(
        `connector ${options.instance}: the doctor checks did not finish within their time limit of ${describeDuration(limitMs)}${where} and were stopped (waiting on a connection that hangs or a promise that never settles)`,
      );
      deadline.abort(reason);
      reject(reason);
    }, limitMs);
  });
  const http = createEvidenceFetch({
    fetch: options.fetch ?? globalThis.fetch,
    policy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 3 },
    maxRequests: 1_000,
    requestTimeoutMs: 30_000,
    signal,
    now: () => new Date(),
    sleep: options.sleep ?? abortableSleep,
    random: Math.random,
    snapshot: async () => '',
  });
  const scrubber = new SecretScrubber(secretValuesIn(options.config));
  const log = scrubbingLogger(options.log ?? silentLogger, scrubber);
  try {
    return scrubber.scrubValue(await Promise.race([options.connector.doctor({ config: options.config, instance: options.instance, fetch: http.credentialFetch, signal, log }), reached]));
  } catch (error) {
    return [{ name: 'doctor', ok: false, detail: scrubber.scrub(describeError(error)) }];
  } finally {
    clearTimeout(timer);
  }
}
