/**
 * Personal-data redaction for recorded fixtures. Replacements are
 * deterministic within one recording (the same email always becomes the same
 * `userN@example.com`), so relationships in the data survive: the account in
 * the member list is still the account in the audit log, and a request built
 * from a redacted value still matches its recording when replayed.
 */
import { isIP } from 'node:net';
import type { JsonValue } from './cassette.js';

export interface RedactionOptions {
  /**
   * Keys whose values are personal data, compared ignoring case, `_` and `-`
   * (so `display_name` also covers `displayName`). Keys containing `email`
   * get email placeholders, the others `Person N`. Default: DEFAULT_PERSON_KEYS.
   */
  personKeys?: readonly string[];
}

/** The keys redacted by default: the brief's five plus the name parts Slack and Google send. */
export const DEFAULT_PERSON_KEYS: readonly string[] = [
  'name',
  'email',
  'display_name',
  'real_name',
  'full_name',
  'first_name',
  'last_name',
  'given_name',
  'family_name',
  'real_name_normalized',
  'display_name_normalized',
];

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const PLACEHOLDER_EMAIL = /@example\.(?:com|org|net)$/i;
const IPV4 = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?!\.?\d)/g;
const IPV6 = /(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])/g;
const DOCUMENTATION_IP = /^(?:192\.0\.2\.|198\.51\.100\.|203\.0\.113\.|2001:db8:)/i;
const TEST_NETS = ['192.0.2', '198.51.100', '203.0.113'];

function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '');
}

/** Deterministic placeholders for the personal data of one recording. */
export class Redactor {
  readonly #personKeys: Set<string>;
  readonly #emails = new Map<string, string>();
  readonly #names = new Map<string, string>();
  readonly #ips = new Map<string, string>();

  constructor(options: RedactionOptions = {}) {
    this.#personKeys = new Set((options.personKeys ?? DEFAULT_PERSON_KEYS).map(normalizeKey));
  }

  /** Email addresses and IP addresses in free text replaced by placeholders. */
  text(text: string): string {
    return text
      .replace(EMAIL, (email) => this.#email(email))
      .replace(IPV4, (ip) => (isIP(ip) === 4 ? this.#ip(ip) : ip))
      .replace(IPV6, (ip) => (/[0-9a-f]/i.test(ip) && isIP(ip) === 6 ? this.#ip(ip) : ip));
  }

  /** A response body with personal data replaced: values under person keys, then emails and IPs anywhere. */
  response(value: JsonValue, personKey: string | null = null): JsonValue {
    if (typeof value === 'string') {
      if (personKey === null || value === '') return this.text(value);
      return personKey.includes('email') ? this.#email(value) : this.#name(value);
    }
    if (Array.isArray(value)) return value.map((item) => this.response(item, personKey));
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => {
        const normalized = normalizeKey(key);
        return [key, this.response(item, this.#personKeys.has(normalized) ? normalized : personKey)];
      }),
    );
  }

  /**
   * A string from a request (path segment, query value, body string): emails
   * and IPs replaced, and a name replaced when a response already introduced
   * it, because then the connector built the request from that response.
   */
  request(text: string): string {
    return this.#names.get(text) ?? this.text(text);
  }

  /** A request body, each string treated as `request` does. */
  requestBody(value: JsonValue): JsonValue {
    if (typeof value === 'string') return this.request(value);
    if (Array.isArray(value)) return value.map((item) => this.requestBody(item));
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.requestBody(item)]));
  }

  #email(email: string): string {
    if (PLACEHOLDER_EMAIL.test(email)) return email;
    const key = email.toLowerCase();
    let placeholder = this.#emails.get(key);
    if (placeholder === undefined) {
      placeholder = `user${this.#emails.size + 1}@example.com`;
      this.#emails.set(key, placeholder);
    }
    return placeholder;
  }

  #name(name: string): string {
    let placeholder = this.#names.get(name);
    if (placeholder === undefined) {
      placeholder = `Person ${this.#names.size + 1}`;
      this.#names.set(name, placeholder);
    }
    return placeholder;
  }

  #ip(ip: string): string {
    if (DOCUMENTATION_IP.test(ip)) return ip;
    let placeholder = this.#ips.get(ip.toLowerCase());
    if (placeholder === undefined) {
      const n = this.#ips.size;
      placeholder = isIP(ip) === 4 ? `${TEST_NETS[Math.floor(n / 254) % TEST_NETS.length]}.${(n % 254) + 1}` : `2001:db8::${(n + 1).toString(16)}`;
      this.#ips.set(ip.toLowerCase(), placeholder);
    }
    return placeholder;
  }
}
