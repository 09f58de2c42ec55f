/**
 * Whether a live request is the one a cassette interaction recorded. Method,
 * path and body must agree; the comparison forgives what clients legitimately
 * vary (query parameter order and encoding, JSON key order and formatting,
 * whitespace inside a GraphQL query, credentials) and nothing else.
 */
import { canonicalJson } from '@evidentia/evidence';
import type { CassetteRequest, JsonValue } from './cassette.js';
import { isCredentialQueryParam, scrubRequestBody } from './credentials.js';

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

/** Path without query, percent-decoded per segment, and the query as a sorted multiset without credentials. */
function normalizePath(path: string): { pathname: string; query: string[] } {
  const at = path.indexOf('?');
  const pathname = (at < 0 ? path : path.slice(0, at)).split('/').map(decodeSegment).join('/');
  const query = at < 0 ? [] : [...new URLSearchParams(path.slice(at + 1))].filter(([name]) => !isCredentialQueryParam(name)).map(([name, value]) => `${name}\u0000${value}`);
  return { pathname, query: query.sort() };
}

/** True when two request paths name the same resource with the same query parameters, in any order. */
export function pathsMatch(recorded: string, actual: string): boolean {
  const a = normalizePath(recorded);
  const b = normalizePath(actual);
  return a.pathname === b.pathname && a.query.length === b.query.length && a.query.every((pair, i) => pair === b.query[i]);
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
  if (typeof recorded === 'string') return scrubRequestBody(actualText) === recorded;
  let actual: JsonValue;
  try {
    actual = JSON.parse(actualText) as JsonValue;
  } catch {
    return false;
  }
  const normalize = (value: JsonValue) => canonicalJson(collapseGraphqlQuery(scrubRequestBody(value)));
  return normalize(recorded) === normalize(actual);
}

/** True when the live request is the recorded one. */
export function requestMatches(recorded: CassetteRequest, actual: LiveRequest): boolean {
  return recorded.method.toUpperCase() === actual.method.toUpperCase() && pathsMatch(recorded.path, actual.path) && bodiesMatch(recorded.body, actual.bodyText);
}
