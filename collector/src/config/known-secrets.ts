/**
 * Every secret value the configuration resolved in this process, so that any
 * text leaving evidentia can be scrubbed of all of them, whichever connector
 * or setting they belong to: stream errors in the signed manifest (a Slack
 * token echoed by a GitHub error too), notifications, doctor output, log
 * lines and the CLI's own error line. Process-wide because the last of these
 * is written by `main`, which never sees the configuration.
 */
import { SecretScrubber } from '@evidentia/sdk';

const values = new Set<string>();
let scrubber = new SecretScrubber();

/** Called by the config loader with the values it resolved. */
export function rememberSecrets(found: Iterable<string>): void {
  for (const value of found) values.add(value);
  scrubber = new SecretScrubber(values);
}

/** The resolved values, for scrubbers that add their own (a stream's runStream). */
export function knownSecrets(): string[] {
  return [...values];
}

/** `text` without any resolved secret (plain, URL-encoded, base64) or credential-looking value. */
export function scrubSecrets(text: string): string {
  return scrubber.scrub(text);
}

export function scrubSecretsIn<T>(value: T): T {
  return scrubber.scrubValue(value);
}
