/**
 * The sources a stored record names, read without zod or the record schema,
 * so the standalone bundle verifier (verify.mjs) can carry it.
 */
import { HASH_PATTERN } from './hash.js';

const CANONICAL_SOURCES = /^(?:"[0-9a-f]{64}"(?:,"[0-9a-f]{64}")*)?$/;

/**
 * The snapshot hashes a stored record names as its sources, read from its
 * canonical JSON without parsing the rest: keys are sorted, so the last
 * `"sources":[` is the record's own (`data` comes before it, and the values
 * after it are strings, which hold no unescaped quote). A text that is not
 * in that shape is parsed whole; one that does not parse names none.
 */
export function sourcesOfStoredRecord(json: string): string[] {
  const at = json.lastIndexOf('"sources":[');
  if (at >= 0) {
    const start = at + '"sources":['.length;
    const end = json.indexOf(']', start);
    const list = end < 0 ? null : json.slice(start, end);
    if (list !== null && CANONICAL_SOURCES.test(list)) return list === '' ? [] : list.slice(1, -1).split('","');
  }
  try {
    const sources = (JSON.parse(json) as { sources?: unknown }).sources;
    return Array.isArray(sources) ? sources.filter((source): source is string => typeof source === 'string' && HASH_PATTERN.test(source)) : [];
  } catch {
    return [];
  }
}
