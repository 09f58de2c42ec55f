/**
 * OSCAL's datatypes as evidentia produces them: token IDs for requirement IDs
 * that are not tokens (ISO clause `4.1`), deterministic version 5 UUIDs so the
 * same input exports the same document, and Markdown-safe text for OSCAL's
 * markup fields, which GRC tools render: a ticket title from a record must
 * not become a link, an image or HTML there.
 */
import { createHash } from 'node:crypto';

export const OSCAL_VERSION = '1.1.2';

/**
 * The instants OSCAL can write: its date-time-with-timezone takes years 1900
 * to 2999 only (NIST's JSON Schema says so in its pattern), so a period
 * starting earlier has no OSCAL start.
 */
export const OSCAL_DATE_RANGE = { first: '1900-01-01T00:00:00Z', last: '2999-12-31T23:59:59Z' } as const;

/** The namespace of evidentia's own props (`ns`), as OSCAL asks for any prop not defined by OSCAL itself. */
export const EVIDENTIA_NS = 'https://evidentia.dev/ns/oscal';

/** OSCAL `token`: a letter or underscore, then letters, digits, `.`, `-` or `_`. */
export const TOKEN_PATTERN = '^(\\p{L}|_)(\\p{L}|\\p{N}|[.\\-_])*$';
const TOKEN = new RegExp(TOKEN_PATTERN, 'u');

export function isToken(value: string): boolean {
  return TOKEN.test(value);
}

/**
 * The OSCAL ID of a framework's requirement or group: the framework's own ID
 * when it is already a token (`CC6.1`, `A.8.32`, `IDM-02`), else prefixed with
 * the framework (`iso27001-4.1`). The framework's own ID always travels along
 * in a `label` prop, so nothing is lost.
 */
export function tokenId(framework: string, id: string): string {
  return isToken(id) ? id : `${framework}-${id}`;
}

/** The ID of a control's statement part, which findings target. */
export function statementId(controlId: string): string {
  return `${controlId}_smt`;
}

/** RFC 4122 name-based UUID (version 5, SHA-1). */
export function uuidV5(namespace: string, name: string): string {
  const bytes = createHash('sha1').update(Buffer.from(namespace.replace(/-/g, ''), 'hex')).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** RFC 4122's namespace for names that are URLs. */
const URL_NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';
/** Every UUID evidentia puts in an OSCAL document is derived from this namespace and a stable key. */
const EVIDENTIA_UUID_NAMESPACE = uuidV5(URL_NAMESPACE, EVIDENTIA_NS);

/** A deterministic UUID for `key` (e.g. `observation/check/mfa-enabled` within a document's own key). */
export function stableUuid(...key: string[]): string {
  return uuidV5(EVIDENTIA_UUID_NAMESPACE, key.join('\n'));
}

/** A document's UUID: it changes exactly when the document's content does, as OSCAL asks of a revised document. */
export function contentUuid(kind: string, content: unknown): string {
  return stableUuid(kind, createHash('sha256').update(JSON.stringify(content)).digest('hex'));
}

/** OSCAL `string`: no leading or trailing whitespace, no line breaks (whitespace runs become one space). */
export function plainText(value: string, fallback = '(none)'): string {
  const text = value.replace(/[\p{Cc}\s]+/gu, ' ').trim();
  return text === '' ? fallback : text;
}

/** Characters that start Markdown or HTML constructs anywhere in a line (and `{` for OSCAL's parameter insertion). */
const ACTIVE = /[\\`*_{}[\]<>&!|~#@]/g;

/**
 * Text from evidence (a user name, a ticket title) made inert for OSCAL's
 * markup-line and markup-multiline fields: one line, every Markdown/HTML-active
 * character backslash-escaped (CommonMark renders any escaped ASCII punctuation
 * literally), block markers at the start escaped, and bare-URL autolinks
 * (`https://…`, `www.…`) broken. Escaping `[`, `<` and `!` alone rules out
 * links, images and HTML; the rest keeps emphasis and code spans out.
 */
export function markupText(value: string, fallback = '(none)'): string {
  let text = plainText(value, fallback).replace(ACTIVE, (char) => `\\${char}`);
  text = text.replace(/:\/\//g, '\\://').replace(/\b(www)\./gi, '$1\\.');
  return text.replace(/^([-+=])/, '\\$1').replace(/^(\d+)([.)])/, '$1\\$2');
}
