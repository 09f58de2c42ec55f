/**
 * Whether a live request is the one a cassette interaction recorded. Method,
 * path and body must agree; the comparison forgives what clients legitimately
 * vary (query parameter order and encoding, JSON key order and formatting,
 * whitespace inside a GraphQL query, credentials, and any value the recording
 * removed as a secret) and nothing else.
 */
import { canonicalJson } from '@evidentia/evidence';
import type { CassetteRequest, JsonValue } from './cassette.js';
import { isCredentialQueryParam, matchesRecorded, REDACTED, scrubRequestBody, withoutIssuedCredentials } from './credentials.js';

/** A request as it reached the replay server. */
export interface LiveRequest {
  method: string;
  /** Path and query string, as sent. */
  path: string;
  /** The raw body text ('' when there is none). */
  bodyText: string;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Path segments, percent-decoded, and the query as a sorted multiset without credentials. */
function normalizePath(path: string): { segments: string[]; query: Array<[string, string]> } {
  const at = path.indexOf('?');
  const segments = (at < 0 ? path : path.slice(0, at)).split('/').map(decodeSegment);
  const query = at < 0 ? [] : [...new URLSearchParams(path.slice(at + 1))].filter(([name]) => !isCredentialQueryParam(name));
  return { segments, query: query.sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : x > y ? 1 : 0) : a < b ? -1 : 1)) };
}

/**
 * True when two request paths name the same resource with the same query
 * parameters, in any order. A segment or value the recording removed as a
 * secret (`[redacted]`) matches any: the test's token is not the recorded one.
 */
export function pathsMatch(recorded: string, actual: string): boolean {
  const a = normalizePath(recorded);
  const b = normalizePath(actual);
  if (a.segments.length !== b.segments.length || !a.segments.every((segment, i) => matchesRecorded(segment, b.segments[i]!))) return false;
  // A removed value sorts apart from the live one: compare each name's values, the removed ones taking any left over.
  const names = [...new Set([...a.query, ...b.query].map(([name]) => name))];
  return names.every((name) => {
    const recordedValues = a.query.filter(([n]) => n === name).map(([, value]) => value);
    const actualValues = b.query.filter(([n]) => n === name).map(([, value]) => value);
    if (recordedValues.length !== actualValues.length) return false;
    const exact = recordedValues.filter((value) => value !== REDACTED);
    const left = [...actualValues];
    for (const value of exact) {
      const at = left.indexOf(value);
      if (at < 0) return false;
      left.splice(at, 1);
    }
    return true;
  });
}

/** `actual` with each value the recording removed as a secret (a `[redacted]` string in `recorded`) removed too. */
function withRemovedAsRecorded(recorded: JsonValue, actual: JsonValue): JsonValue {
  if (recorded === REDACTED && typeof actual === 'string') return REDACTED;
  if (Array.isArray(recorded) && Array.isArray(actual)) return actual.map((item, i) => (i < recorded.length ? withRemovedAsRecorded(recorded[i]!, item) : item));
  if (recorded === null || actual === null || typeof recorded !== 'object' || typeof actual !== 'object' || Array.isArray(recorded) || Array.isArray(actual)) return actual;
  return Object.fromEntries(Object.entries(actual).map(([key, item]) => [key, key in recorded ? withRemovedAsRecorded(recorded[key]!, item) : item]));
}

function collapseGraphqlQuery(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(collapseGraphqlQuery);
  if (value === null || typeof value !== 'object' || typeof value.query !== 'string') return value;
  return { ...value, query: value.query.replace(/\s+/g, ' ').trim() };
}

/** The body as the replay log shows it: null when empty, the JSON value when it parses, else the text. */
export function bodyValue(text: string): JsonValue {
  if (text === '') return null;
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}

/** True when the live body is the recorded one: null = no body, string = exact text, other JSON = deep-equal. */
export function bodiesMatch(recorded: JsonValue, actualText: string): boolean {
  if (recorded === null) return actualText === '';
  // The recording removed token-shaped values from the body text: remove them from the live body too.
  const text = withoutIssuedCredentials(actualText);
  if (typeof recorded === 'string') return scrubRequestBody(text) === recorded;
  let actual: JsonValue;
  try {
    actual = JSON.parse(text) as JsonValue;
  } catch {
    return false;
  }
  const normalize = (value: JsonValue) => canonicalJson(collapseGraphqlQuery(scrubRequestBody(value)));
  return normalize(recorded) === normalize(withRemovedAsRecorded(recorded, actual));
}

/** True when the live request is the recorded one. */
export function requestMatches(recorded: CassetteRequest, actual: LiveRequest): boolean {
  return recorded.method.toUpperCase() === actual.method.toUpperCase() && pathsMatch(recorded.path, actual.path) && bodiesMatch(recorded.body, actual.bodyText);
}
