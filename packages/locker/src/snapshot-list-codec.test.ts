import { describe, expect, it } from '@jest/globals';
import { gunzipSync, gzipSync } from 'node:zlib';
import { canonicalJson } from '@evidentia/evidence';
import { decodeSnapshotList, encodeSnapshotList, type SnapshotLine } from './snapshot-list-codec.js';

function line(url: string, fields: Record<string, unknown> = {}, bodyHash = 'a'.repeat(64)): SnapshotLine {
  const provenance = {
    method: 'GET',
    url,
    requestBody: null,
    status: 200,
    headers: { etag: `"${url.length}"`, date: 'Mon, 03 Mar 2025 09:00:00 GMT', link: `<${url}&page=2>; rel="next"` },
    collectedAt: '2025-03-03T09:00:00.000Z',
    connector: 'github',
    connectorVersion: '1.0.0',
    collectorVersion: '0.1.0',
    identity: 'bot@acme',
    ...fields,
  };
  return { bodyHash, provenance: canonicalJson(provenance) };
}

describe('snapshot list encoding', () => {
  it('rebuilds every entry exactly, patched or whole', () => {
    const base = [line('https://api/a'), line('https://api/b'), line('https://api/b'), line('https://api/c')];
    const next = [
      // A 304 the next day: status, time and date change, the Link header is gone, it names what it revalidated.
      line('https://api/a', { status: 304, collectedAt: '2025-03-04T09:00:00.000Z', headers: { etag: '"13"', date: 'Tue, 04 Mar 2025 09:00:00 GMT' }, revalidates: 'e'.repeat(64) }),
      // The same request twice: matched to the base's two in order.
      line('https://api/b', { collectedAt: '2025-03-04T09:00:01.000Z' }, 'b'.repeat(64)),
      line('https://api/b', { collectedAt: '2025-03-04T09:00:02.000Z' }),
      // A request the base never made: stored whole.
      line('https://api/new'),
      // A POST to a URL the base also posted to, whose cursor moved on: a patch of the request body.
      line('https://api/graphql', { method: 'POST', requestBody: { query: 'q', variables: { after: 'y' } } }),
    ];
    base.push(line('https://api/graphql', { method: 'POST', requestBody: { query: 'q', variables: { after: 'x' } } }));
    const encoded = encodeSnapshotList(next, base);
    expect(decodeSnapshotList(encoded, base)).toEqual(next);
    const text = gunzipSync(encoded).toString('utf8');
    expect(text.split('\n').filter((row) => row.startsWith('F\t'))).toHaveLength(1);
    expect(text).toContain('[[["requestBody","variables","after"],"y"]]');
    expect(decodeSnapshotList(encodeSnapshotList(next, null), null)).toEqual(next);
  });

  it('stores an unchanged day as times and dates, far below the whole list', () => {
    // A fixed linear congruential sequence: the same "random" hashes on every run of the test.
    let state = 7;
    const random = () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const hex = (length: number) => Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');
    // What stays the same from day to day is what a whole list pays for again: the revalidated entry and the ETag.
    const requests = Array.from({ length: 500 }, (_, i) => ({ url: `https://api.github.com/repos/acme/repo-${i}/branches/main/protection`, revalidates: hex(64), etag: `W/"${hex(40)}"` }));
    const day = (n: number) =>
      requests.map(({ url, revalidates, etag }) =>
        line(url, { status: 304, collectedAt: `2025-03-0${n}T09:${String(Math.floor(random() * 60)).padStart(2, '0')}:00.000Z`, revalidates, headers: { etag, date: `day ${n}` } }),
      );
    const base = day(1);
    const next = day(2);
    const patched = encodeSnapshotList(next, base);
    const whole = encodeSnapshotList(next, null);
    expect(decodeSnapshotList(patched, base)).toEqual(next);
    expect(patched.length * 5).toBeLessThan(whole.length);
  });

  it('refuses data it cannot decode, naming the entry', () => {
    const base = [line('https://api/a')];
    const encoded = encodeSnapshotList([line('https://api/a', { collectedAt: 'later' })], base);
    expect(() => decodeSnapshotList(encoded, null)).toThrow('entry 1 is a patch, but the list has no base');
    expect(() => decodeSnapshotList(encoded, [])).toThrow('entry 1 patches entry 0 of a base list of 0');
    expect(() => decodeSnapshotList(gzipSync('something else'), null)).toThrow('it does not start with "evidentia-snapshot-list 1"');
    expect(() => decodeSnapshotList(gzipSync('evidentia-snapshot-list 1\nX\tjunk'), null)).toThrow('entry 1 is neither a whole entry nor a patch');
    expect(() => decodeSnapshotList(Buffer.from('not gzip'), null)).toThrow();
  });
});
