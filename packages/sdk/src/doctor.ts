/**
 * Runs a connector's `doctor` checks with the SDK's retrying fetch but no
 * snapshots: doctor talks to the live system to say what is missing, and
 * writes nothing to the locker.
 */
import { createEvidenceFetch } from './evidence-fetch.js';
import { DEFAULT_RETRY_POLICY } from './retry-policy.js';
import { abortableSleep } from './run-stream.js';
import { describeError } from './describe-error.js';
import { SecretScrubber, scrubbingLogger, secretValuesIn } from './secret-scrubber.js';
import type { ConnectorDefinition, DoctorCheck, Logger } from './types.js';

const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

export interface RunDoctorOptions<C> {
  connector: ConnectorDefinition<C>;
  instance: string;
  config: C;
  fetch?: typeof fetch;
  signal?: AbortSignal;
  log?: Logger;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/**
 * The connector's checks; a connector without `doctor`, or one whose doctor throws, yields one failed or
 * informative check. Details and log lines are scrubbed of the config's secrets, as a stream's error is.
 */
export async function runDoctor<C>(options: RunDoctorOptions<C>): Promise<DoctorCheck[]> {
  if (!options.connector.doctor) return [{ name: 'doctor', ok: true, detail: `connector ${options.connector.id} declares no checks` }];
  const signal = options.signal ?? new AbortController().signal;
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
    return scrubber.scrubValue(await options.connector.doctor({ config: options.config, instance: options.instance, fetch: http.credentialFetch, signal, log }));
  } catch (error) {
    return [{ name: 'doctor', ok: false, detail: scrubber.scrub(describeError(error)) }];
  }
}
