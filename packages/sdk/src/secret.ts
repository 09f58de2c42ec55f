/**
 * Secrets travel through evidentia as `Secret` objects, never as strings, so
 * they cannot end up in a snapshot, a log line or a manifest by accident:
 * serializing or printing one yields `[secret]`. Only the config module makes
 * them (from `${env:NAME}` / `${file:PATH}` references); a connector calls
 * `reveal()` at the moment it hands the value to its API client.
 */
import { inspect } from 'node:util';
import { z } from 'zod';

export class Secret {
  readonly #value: string | null;

  /**
   * A reference that was deliberately not resolved: commands that only read
   * the locker load the config without credentials. Revealing it throws.
   */
  static unresolved(reference: string): Secret {
    const secret = new Secret('', reference);
    secret.#unresolved = true;
    return secret;
  }

  #unresolved = false;

  /** @param value the secret text @param reference where it came from, e.g. `${env:GITHUB_TOKEN}` (safe to print) */
  constructor(
    value: string,
    readonly reference: string,
  ) {
    this.#value = value;
  }

  /** The secret text. Call only to hand it to an API client. */
  reveal(): string {
    if (this.#unresolved || this.#value === null) throw new Error(`secret ${this.reference} was not resolved: this command runs without credentials`);
    return this.#value;
  }

  toString(): string {
    return '[secret]';
  }

  toJSON(): string {
    return `[secret ${this.reference}]`;
  }

  [inspect.custom](): string {
    return `[secret ${this.reference}]`;
  }
}

/**
 * Zod schema for a config field that holds a secret. The config loader turns
 * `${env:NAME}` and `${file:PATH}` references into `Secret` objects; a literal
 * string here is refused, so a token is never pasted into a config file.
 */
export function secret() {
  return z.custom<Secret>((value) => value instanceof Secret, {
    message: 'expected a secret reference such as ${env:NAME} or ${file:/path/to/file}, not a literal value',
  });
}
