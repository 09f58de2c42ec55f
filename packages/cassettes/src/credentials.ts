/**
 * What counts as a credential inside a request, for the two places that must
 * agree on it: the recording proxy, which strips credentials before a request
 * is written to a cassette, and the replay matcher, which ignores them, so a
 * recorded cassette replays although the live request carried a token.
 * (Request headers are never stored nor matched at all.) And the response
 * headers a cassette must not keep: cookies and anything naming a credential;
 * and the credentials an API hands out, which no config names (an
 * installation token, an OAuth token response, a presigned URL's signature).
 */
import type { JsonValue } from './cassette.js';

const CREDENTIAL_QUERY_PARAM =
  /^(access_token|refresh_token|id_token|token|api[-_]?key|apikey|key|client_secret|password|signature|sig|x-amz-security-token|x-amz-signature|x-amz-credential)$/i;
const CREDENTIAL_BODY_KEY =
  /^(password|passwd|secret|client_secret|token|access_token|refresh_token|id_token|api[-_]?key|apikey|private_key|assertion|client_assertion)$/i;
// Cookies (a session is a credential) and headers that carry a token, key, secret or signature; a
// challenge such as WWW-Authenticate names no credential and is kept, like every other header.
const CREDENTIAL_RESPONSE_HEADER = /^(set-cookie2?|cookie|authorization|proxy-authorization|proxy-authentication-info|authentication-info)$|token|secret|api-?key|password|session|credential|signature/i;
const FORM_ENCODED = /^[^=&\s]+=[^&\s]*(?:&[^=&\s]+=[^&\s]*)*$/;

// Values that are credentials by their shape, wherever they stand: GitHub, Slack and Google API
// tokens, JWTs and private key blocks (the same shapes the fixture secret guard looks for).
const CREDENTIAL_SHAPE = new RegExp(
  [
    String.raw`\bgh[pousr]_[A-Za-z0-9]{20,}`,
    String.raw`\bgithub_pat_[A-Za-z0-9_]{22,}`,
    String.raw`\bxox[abposr]-[A-Za-z0-9-]{10,}`,
    String.raw`\bAIza[0-9A-Za-z_-]{35}`,
    String.raw`\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*`,
    String.raw`-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----[\s\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----`,
  ].join('|'),
  'g',
);
// A credential query parameter inside a URL in text (a presigned link, a `next` link), or first in a
// form-encoded text (an OAuth token response): its value up to the next delimiter.
const CREDENTIAL_PARAM_IN_URL = /(^|[?&])([A-Za-z][A-Za-z0-9_-]*)=([^&#\s"'<>]*)/g;

/** The placeholder that stands for a removed credential value. */
export const REDACTED = '[redacted]';

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** True when a query parameter of this name carries a credential. */
export function isCredentialQueryParam(name: string): boolean {
  return CREDENTIAL_QUERY_PARAM.test(name);
}

/** True when a response header of this name carries a credential or a cookie, so a cassette must not keep it. */
export function isCredentialResponseHeader(name: string): boolean {
  return CREDENTIAL_RESPONSE_HEADER.test(name);
}

/** The path with credential-bearing query parameters removed; the other parameters are kept byte for byte. */
export function withoutCredentialParams(path: string): string {
  const at = path.indexOf('?');
  if (at < 0) return path;
  const kept = path
    .slice(at + 1)
    .split('&')
    .filter((pair) => pair !== '' && !isCredentialQueryParam(decodeComponent(pair.split('=')[0] ?? '')));
  return kept.length > 0 ? `${path.slice(0, at)}?${kept.join('&')}` : path.slice(0, at);
}

/**
 * A request body with credential values replaced by `[redacted]`: JSON
 * members named like passwords, secrets and tokens, and the same names in a
 * form-encoded string body. Anything else is returned unchanged.
 */
export function scrubRequestBody(body: JsonValue): JsonValue {
  if (typeof body === 'string') return scrubFormBody(body);
  if (Array.isArray(body)) return body.map(scrubRequestBody);
  if (body === null || typeof body !== 'object') return body;
  return Object.fromEntries(
    Object.entries(body).map(([key, value]) => [key, CREDENTIAL_BODY_KEY.test(key) && value !== null ? REDACTED : scrubRequestBody(value)]),
  );
}

/**
 * Text with every credential an API may hand out removed: token-shaped
 * values (GitHub, Slack, Google, JWT, private keys) and the values of
 * credential query parameters in URLs and form-encoded text (`X-Amz-Signature`,
 * `access_token`, ...).
 */
export function withoutIssuedCredentials(text: string): string {
  return text
    .replace(CREDENTIAL_SHAPE, REDACTED)
    .replace(CREDENTIAL_PARAM_IN_URL, (whole, separator: string, name: string) => (isCredentialQueryParam(name) ? `${separator}${name}=${REDACTED}` : whole));
}

/**
 * A response body as a cassette may keep it: string members named like
 * tokens and secrets (`token`, `access_token`, `refresh_token`, `id_token`,
 * `client_secret`, ...) replaced by `[redacted]`, and every string passed
 * through `withoutIssuedCredentials`. Other values are kept as they are.
 */
export function scrubResponseBody(body: JsonValue): JsonValue {
  if (typeof body === 'string') return withoutIssuedCredentials(body);
  if (Array.isArray(body)) return body.map(scrubResponseBody);
  if (body === null || typeof body !== 'object') return body;
  return Object.fromEntries(Object.entries(body).map(([key, value]) => [key, CREDENTIAL_BODY_KEY.test(key) && typeof value === 'string' ? REDACTED : scrubResponseBody(value)]));
}

/** Secret values shorter than this are not removed: they would hit ordinary words (a region, a port). */
const MIN_SECRET_LENGTH = 6;

/**
 * A function removing the given secret values (as they are, and
 * percent-encoded) from text, for what a cassette keeps of a request or a
 * response: a connector may send its token under any query parameter name,
 * in a path or in a GraphQL variable, and an API may echo it in a `next` link.
 */
export function secretRemover(secrets: Iterable<string>): (text: string) => string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
    forms.add(new URLSearchParams({ s: secret }).toString().slice(2));
  }
  // Longest first, so a secret that contains another is removed whole.
  const ordered = [...forms].sort((a, b) => b.length - a.length);
  return (text) => ordered.reduce((result, form) => (result.includes(form) ? result.split(form).join(REDACTED) : result), text);
}

/** True when `recorded` (part of a cassette request) matches `actual`, a removed credential matching any value. */
export function matchesRecorded(recorded: string, actual: string): boolean {
  return recorded === actual || recorded === REDACTED;
}

function scrubFormBody(body: string): string {
  if (!FORM_ENCODED.test(body)) return body;
  const params = new URLSearchParams(body);
  const secretNames = [...params.keys()].filter((name) => CREDENTIAL_BODY_KEY.test(name) || isCredentialQueryParam(name));
  if (secretNames.length === 0) return body;
  for (const name of secretNames) params.set(name, REDACTED);
  return params.toString();
}
