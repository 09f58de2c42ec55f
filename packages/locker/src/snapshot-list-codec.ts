/**
 * The on-disk form of one stream run's snapshot entries: a gzip-compressed
 * text with one line per entry, each either whole (its body hash and the
 * canonical provenance text that its entry hash covers) or a patch against
 * an entry of a base list (the same request in an earlier run of the stream).
 *
 * An unchanged request differs from yesterday's only in its time, date and
 * rate-limit headers, so a patch is a few dozen bytes where a whole entry is
 * close to a kilobyte. Decoding rebuilds the exact provenance text (the
 * encoder checks that it does before it writes a patch), so the entry hashes
 * that the signed manifest's snapshot root covers are recomputed, not stored.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { canonicalJson } from '@evidentia/evidence';

/** One snapshot entry as stored: the body's hash and the provenance exactly as hashed. */
export interface SnapshotLine {
  bodyHash: string;
  provenance: string;
}

const HEADER = 'evidentia-snapshot-list 1';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Patch = Array<[string[], Json] | [string[]]>;

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The leaf-level changes that turn `from` into `to`: [path, value] to set, [path] to remove. */
function diff(from: { [key: string]: Json }, to: { [key: string]: Json }, path: string[], patch: Patch): void {
  for (const key of Object.keys(from)) if (!(key in to)) patch.push([[...path, key]]);
  for (const [key, value] of Object.entries(to)) {
    const before = from[key];
    if (isObject(before) && isObject(value)) diff(before, value, [...path, key], patch);
    else if (before === undefined || canonicalJson(before) !== canonicalJson(value)) patch.push([[...path, key], value]);
  }
}

function applyPatch(base: { [key: string]: Json }, patch: Patch): { [key: string]: Json } {
  const result = structuredClone(base);
  for (const change of patch) {
    const path = change[0];
    let target: { [key: string]: Json } = result;
    for (const key of path.slice(0, -1)) {
      const next = target[key];
      if (!isObject(next)) throw new Error(`a patch goes through ${JSON.stringify(path)}, which is not an object in its base`);
      target = next;
    }
    const leaf = path[path.length - 1]!;
    if (change.length === 1) delete target[leaf];
    else target[leaf] = change[1];
  }
  return result;
}

/** What identifies a request across runs: method, URL and request body. */
function requestKey(provenance: { [key: string]: Json }): string {
  return `${String(provenance.method)} ${String(provenance.url)} ${canonicalJson(provenance.requestBody ?? null)}`;
}

function addressKey(provenance: { [key: string]: Json }): string {
  return `${String(provenance.method)} ${String(provenance.url)}`;
}

/** The request key of a stored provenance text. */
export function requestKeyOf(provenance: string): string {
  return requestKey(parseObject(provenance));
}

function parseObject(text: string): { [key: string]: Json } {
  const value = JSON.parse(text) as Json;
  if (!isObject(value)) throw new Error('a provenance is not a JSON object');
  return value;
}

/** Encode lines, as patches against `base` where an entry of the same request is there. */
export function encodeSnapshotList(lines: readonly SnapshotLine[], base: readonly SnapshotLine[] | null): Buffer {
  const parsedBase = base?.map((line) => parseObject(line.provenance)) ?? [];
  // The same request first; else the same method and URL (a page whose cursor in the request body moved on).
  const byRequest = indexBy(parsedBase, requestKey);
  const byAddress = indexBy(parsedBase, addressKey);
  const used = new Set<number>();
  const take = (queue: number[] | undefined) => {
    while (queue && queue.length > 0) {
      const index = queue.shift()!;
      if (!used.has(index)) return index;
    }
    return undefined;
  };
  const out = [HEADER];
  for (const line of lines) {
    const provenance = parseObject(line.provenance);
    const index = take(byRequest.get(requestKey(provenance))) ?? take(byAddress.get(addressKey(provenance)));
    if (index !== undefined) {
      used.add(index);
      const patch: Patch = [];
      diff(parsedBase[index]!, provenance, [], patch);
      // Only a patch that rebuilds the very text that was hashed may stand in for it.
      if (canonicalJson(applyPatch(parsedBase[index]!, patch)) === line.provenance) {
        const body = line.bodyHash === base![index]!.bodyHash ? '' : line.bodyHash;
        out.push(`D\t${index}\t${body}\t${JSON.stringify(patch)}`);
        continue;
      }
    }
    out.push(`F\t${line.bodyHash}\t${line.provenance}`);
  }
  return gzipSync(out.join('\n'), { level: 9 });
}

function indexBy(entries: Array<{ [key: string]: Json }>, keyOf: (provenance: { [key: string]: Json }) => string): Map<string, number[]> {
  const index = new Map<string, number[]>();
  entries.forEach((provenance, position) => {
    const key = keyOf(provenance);
    (index.get(key) ?? index.set(key, []).get(key)!).push(position);
  });
  return index;
}

/** Decode a list; `base` must be the decoded list it was encoded against (null for a list stored whole). Throws on malformed data. */
export function decodeSnapshotList(data: Buffer, base: readonly SnapshotLine[] | null): SnapshotLine[] {
  const text = gunzipSync(data).toString('utf8');
  const [header, ...rows] = text.split('\n');
  if (header !== HEADER) throw new Error(`it does not start with "${HEADER}"`);
  const parsedBase = new Map<number, { [key: string]: Json }>();
  return rows.map((row, position) => {
    const fields = row.split('\t');
    if (fields[0] === 'F' && fields.length === 3) return { bodyHash: fields[1]!, provenance: fields[2]! };
    if (fields[0] !== 'D' || fields.length !== 4) throw new Error(`entry ${position + 1} is neither a whole entry nor a patch`);
    if (!base) throw new Error(`entry ${position + 1} is a patch, but the list has no base`);
    const index = Number(fields[1]);
    const from = base[index];
    if (!Number.isInteger(index) || !from) throw new Error(`entry ${position + 1} patches entry ${fields[1]} of a base list of ${base.length}`);
    const parsed = parsedBase.get(index) ?? parsedBase.set(index, parseObject(from.provenance)).get(index)!;
    const patch = JSON.parse(fields[3]!) as Patch;
    if (!Array.isArray(patch)) throw new Error(`entry ${position + 1} has a patch that is not a list`);
    return { bodyHash: fields[2] || from.bodyHash, provenance: canonicalJson(applyPatch(parsed, patch)) };
  });
}

