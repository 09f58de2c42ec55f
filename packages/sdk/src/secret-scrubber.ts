/**
 * Removes credentials from text that leaves a stream: error messages (which
 * go into the signed manifest, the terminal and notifications), item-gap
 * reasons and log lines. Snapshots and URLs are redacted where they are made;
 * this covers what a connector or an API client writes in its own words, such
 * as "invalid token ghp_…" or an echoed request.
 *
 * Three layers: every secret value the config resolved (exact match, and the
 * URL-encoded and base64 forms a client may echo), patterns of well-known
 * credential formats for secrets that did not come from the config, and the
 * user info of any URL in the text.
 */

import { redactUrlsIn, URL_IN_TEXT } from './evidence-fetch.js';
import { Secret } from './secret.js';
import type { Logger } from './types.js';

const REDACTED = '[redacted]';

/** Values shorter than this are not matched literally: they would redact ordinary words (a region, a port). */
export const MIN_SECRET_LENGTH = 6;

/** Credential formats and what replaces them (a kept prefix says what was there). */
const CREDENTIAL_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  // GitHub tokens (classic, fine-grained, OAuth, app installation and refresh tokens).
  [/\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})\b/g, REDACTED],
  // Slack tokens.
  [/\bxox[abposre]-[A-Za-z0-9-]{10,}\b/g, REDACTED],
  // AWS access key ids.
  [/\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, REDACTED],
  // Google OAuth access tokens.
  [/\bya29\.[A-Za-z0-9_-]{20,}/g, REDACTED],
  // PEM private keys (a service-account key pasted into an error).
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, REDACTED],
  // Authorization header values.
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${REDACTED}`],
  // key=value and "key": "value" forms of credential fields.
  [/\b((?:access_?token|api_?key|client_?secret|password|secret|token)["']?\s*[=:]\s*["']?)[^\s"'&,;]{4,}/gi, `$1${REDACTED}`],
];

export class SecretScrubber {
  private readonly literals: string[];

  constructor(secrets: Iterable<string> = []) {
    const forms = new Set<string>();
    for (const secret of secrets) {
      if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) continue;
      forms.add(secret);
      forms.add(encodeURIComponent(secret));
      forms.add(Buffer.from(secret, 'utf8').toString('base64'));
      // A multi-line secret (a PEM key) is often echoed one line at a time.
      for (const line of secret.split(/\r?\n/)) if (line.trim().length >= 16) forms.add(line.trim());
    }
    // Longest first, so a secret that contains another is removed whole.
    this.literals = [...forms].filter((form) => form.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  }

  /** The text with every known secret and credential-looking value replaced by `[redacted]`, and URLs without user info. */
  scrub(text: string): string {
    let result = this.withoutKnownSecrets(text);
    for (const [pattern, replacement] of CREDENTIAL_PATTERNS) result = result.replace(pattern, replacement);
    return redactUrlsIn(result);
  }

  /** A value with every string inside it scrubbed (log fields, gap reasons). */
  scrubValue<T>(value: T): T {
    return mapStrings(value, (text) => this.scrub(text));
  }

  /**
   * The text with only the known secret values (in the forms above) replaced:
   * for stored evidence, where a credential-looking value the config did not
   * hold (an access key ID in an IAM listing) is data, not a leak.
   */
  withoutKnownSecrets(text: string): string {
    let result = text;
    for (const literal of this.literals) if (result.includes(literal)) result = result.split(literal).join(REDACTED);
    return result;
  }

  /**
   * A value with the known secret values removed from every string inside it
   * (with `inUrlsOnly`, from the URLs in its strings only); the very same value
   * when none held one.
   */
  withoutKnownSecretsIn<T>(value: T, inUrlsOnly = false): T {
    // Called on every stored response body: with no secret configured there is nothing to walk, and a string that
    // holds no secret value is left as it is before any URL in it is looked for.
    if (this.literals.length === 0) return value;
    const holdsSecret = (text: string) => this.literals.some((literal) => text.includes(literal));
    // Most bodies hold none: looking without rebuilding anything spares a copy of every array and object in them.
    if (!someString(value, holdsSecret)) return value;
    return mapStrings(value, (text) => (!holdsSecret(text) ? text : inUrlsOnly ? text.replace(URL_IN_TEXT, (url) => this.withoutKnownSecrets(url)) : this.withoutKnownSecrets(text)));
  }
}

/** Whether any string inside `value` (keys aside) passes `test`, looked for where mapStrings would map one. */
function someString(value: unknown, test: (text: string) => boolean): boolean {
  if (typeof value === 'string') return test(value);
  if (Array.isArray(value)) {
    for (const item of value) if (someString(item, test)) return true;
    return false;
  }
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return false;
  for (const key in value) if (Object.hasOwn(value, key) && someString((value as Record<string, unknown>)[key], test)) return true;
  return false;
}

/**
 * `value` with `map` applied to every string inside it (keys stay). Only
 * arrays and plain objects are rebuilt, and only when a string in them
 * changed: a Date, a Secret (which prints as its reference) or an Error keeps
 * its own form, and an untouched value is returned as it was.
 */
function mapStrings<T>(value: T, map: (text: string) => string): T {
  if (typeof value === 'string') return map(value) as T;
  if (Array.isArray(value)) {
    const items = value.map((item: unknown) => mapStrings(item, map));
    return (items.some((item, index) => item !== value[index]) ? items : value) as T;
  }
  if (value === null || typeof value !== 'object') return value;
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return value;
  const entries = Object.entries(value);
  const mapped = entries.map(([key, item]) => [key, mapStrings(item, map)] as const);
  return (mapped.some(([, item], index) => item !== entries[index]![1]) ? Object.fromEntries(mapped) : value) as T;
}

/** A logger whose messages and fields pass through the scrubber first. */
export function scrubbingLogger(log: Logger, scrubber: SecretScrubber): Logger {
  const wrap =
    (level: keyof Logger) =>
    (message: string, fields?: Record<string, unknown>): void =>
      log[level](scrubber.scrub(message), fields === undefined ? undefined : scrubber.scrubValue(fields));
  return { debug: wrap('debug'), info: wrap('info'), warn: wrap('warn'), error: wrap('error') };
}

/** The values of every resolved `Secret` inside a config (unresolved references have none). */
export function secretValuesIn(value: unknown, found: string[] = []): string[] {
  if (value instanceof Secret) {
    try {
      found.push(value.reveal());
    } catch {
      // An unresolved reference holds no value to scrub.
    }
  } else if (Array.isArray(value)) {
    for (const item of value) secretValuesIn(item, found);
  } else if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
    for (const item of Object.values(value)) secretValuesIn(item, found);
  }
  return found;
}
