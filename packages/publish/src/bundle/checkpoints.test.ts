/**
 * The witness checkpoints an audit bundle carries: those of its manifests,
 * once each, and `verify --bundle` checks that each is signed with the
 * bundle's key and names the manifest the bundle's chain holds. A bundle cut
 * from a forked locker (its #3 is not the witnessed #3) fails.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHECKPOINT_PURPOSE, signCheckpoint, type SignedCheckpoint } from '@evidentia/locker';
import { canonicalJson } from '@evidentia/evidence';
import { parsePeriod } from '@evidentia/time';
import { PeopleDirectory } from '@evidentia/audit';
import { createSyntheticLocker, type SyntheticLocker } from '@evidentia/audit/testing';
import { exportBundle } from './export.js';
import { verifyBundle } from './verify.js';

let synthetic: SyntheticLocker;
let dir: string;
const checkpoints: SignedCheckpoint[] = [];

beforeAll(async () => {
  synthetic = await createSyntheticLocker();
  for (const at of ['2026-01-05T02:00:00Z', '2026-02-05T02:00:00Z', '2026-02-20T02:00:00Z', '2026-03-05T02:00:00Z']) {
    await synthetic.run(at, []);
    checkpoints.push((await signCheckpoint(synthetic.locker, new Date(at)))!);
  }
  dir = await mkdtemp(join(tmpdir(), 'evidentia-bundle-checkpoints-'));
}, 60_000);
afterAll(async () => synthetic.cleanup());

async function bundleWith(name: string, carried: SignedCheckpoint[]) {
  const out = join(dir, `${name}.zip`);
  const summary = await exportBundle({ locker: synthetic.locker, period: parsePeriod('2026-02-01..2026-02-28'), out, checks: [], people: new PeopleDirectory(), coverage: null, checkpoints: carried });
  return { summary, report: await verifyBundle(out) };
}

describe('witness checkpoints in a bundle', () => {
  it("carries the checkpoints of the bundle's manifests once each, and they verify", async () => {
    // Two witnesses hold the same checkpoints; #4 is after the period's chain (#1–#3) and stays out.
    const { summary, report } = await bundleWith('clean', [...checkpoints, ...checkpoints]);
    expect(summary.manifests).toEqual({ first: 1, last: 3 });
    expect(summary.checkpoints).toBe(3);
    expect(report.problems).toEqual([]);
    expect(report.counts.checkpoints).toBe(3);
  });

  it('carries a checkpoint of a run beyond the locker\'s newest, so a bundle cut from a rolled-back locker fails', async () => {
    // What a witness holds when run #5 was sealed and then deleted (an older locker.db restored): signed with the locker's key.
    const deletedBody = { ...checkpoints[3]!.checkpoint, sequence: 5, head: 'e'.repeat(64), runId: 'deleted-run' };
    const deleted = { checkpoint: deletedBody, signature: (await synthetic.locker.signDocument(CHECKPOINT_PURPOSE, Buffer.from(canonicalJson(deletedBody)))).signature };
    const { summary, report } = await bundleWith('rolled-back', [...checkpoints, deleted]);
    expect(summary.checkpoints).toBe(4);
    expect(report.problems).toEqual([
      { code: 'checkpoint-mismatch', path: 'witness/checkpoints.jsonl', message: expect.stringMatching(/^the locker is behind the witness: checkpoint #5 \(head eeeeeeeeeeeeeeee…, run deleted-run, .*\) names a run the locker lacks \(its chain ends at #3\)/) },
    ]);
  });

  it('names a checkpoint of another locker as such when the bundle\'s chain starts at #1', async () => {
    // Signed with the same key (a locker re-created with the old key directory): only the locker id tells it apart.
    const otherBody = { ...checkpoints[1]!.checkpoint, lockerId: 'a'.repeat(64) };
    const other = { checkpoint: otherBody, signature: (await synthetic.locker.signDocument(CHECKPOINT_PURPOSE, Buffer.from(canonicalJson(otherBody)))).signature };
    const { summary, report } = await bundleWith('other-locker', [checkpoints[0]!, other]);
    expect(summary.manifests.first).toBe(1);
    expect(report.problems).toEqual([
      { code: 'checkpoint-mismatch', path: 'witness/checkpoints.jsonl', message: expect.stringMatching(/^checkpoint #2 .* is of locker aaaaaaaaaaaaaaaa…, this locker is [0-9a-f]{16}…: the locker was replaced or re-created$/) },
    ]);
  });

  it('names an entry chain the bundle holds fewer or other entries of than a checkpoint it carries names', async () => {
    const own = await createSyntheticLocker();
    try {
      await own.run('2026-02-05T02:00:00Z', []);
      const review = { reviewId: 'AR-1', kind: 'review' as const, system: 'github:acme', addedBy: 'grc@acme.example', body: { sources: [{ stream: 'github/members', runId: 'r', observedAt: '2026-02-05T02:00:00.000Z', recordSet: 's' }], population: 'p', reviewer: null, rows: [] } };
      const first = await own.locker.appendAccessReview(review);
      const witnessed = (await signCheckpoint(own.locker, new Date('2026-02-06T00:00:00Z')))!;
      expect(witnessed.checkpoint.entries?.accessReviews).toEqual({ count: 1, head: first.hash });
      // What a witness holds when the locker had more (entry #2, since deleted) or another entry #1, signed with the locker's own key.
      const resign = async (accessReviews: { count: number; head: string }) => {
        const body = { ...witnessed.checkpoint, entries: { ...witnessed.checkpoint.entries, accessReviews } };
        return { checkpoint: body, signature: (await own.locker.signDocument(CHECKPOINT_PURPOSE, Buffer.from(canonicalJson(body)))).signature };
      };
      const out = join(dir, 'entries.zip');
      await exportBundle({ locker: own.locker, period: parsePeriod('2026-02-01..2026-02-28'), out, checks: [], people: new PeopleDirectory(), coverage: null, checkpoints: [witnessed, await resign({ count: 2, head: 'e'.repeat(64) }), await resign({ count: 1, head: 'f'.repeat(64) })] });
      const report = await verifyBundle(out);
      expect(report.problems).toEqual([
        { code: 'checkpoint-mismatch', path: 'witness/checkpoints.jsonl', message: expect.stringMatching(/names access-review entry #1 ffffffffffffffff…, the locker's access-review entry #1 is [0-9a-f]{16}…: the access-review chain was rewritten$/) },
        { code: 'checkpoint-mismatch', path: 'witness/checkpoints.jsonl', message: expect.stringMatching(/^the access-review chain is behind the witness: .* names access-review entry #2 \(eeeeeeeeeeeeeeee…\), which the locker lacks \(its access-review chain ends at #1\)/) },
      ]);
    } finally {
      await own.cleanup();
    }
  });

  it('names a checkpoint that does not verify and one that names another manifest', async () => {
    const altered = { ...checkpoints[0]!, checkpoint: { ...checkpoints[0]!.checkpoint, time: '2020-01-01T00:00:00.000Z' } };
    // A fork re-signed with the locker's own key: a genuine signature over another head for #3.
    const forkedBody = { ...checkpoints[2]!.checkpoint, head: 'f'.repeat(64) };
    const forked = { checkpoint: forkedBody, signature: (await synthetic.locker.signDocument(CHECKPOINT_PURPOSE, Buffer.from(canonicalJson(forkedBody)))).signature };
    const { report } = await bundleWith('forked', [altered, checkpoints[1]!, forked]);
    expect(report.problems).toEqual([
      { code: 'checkpoint-invalid', path: 'witness/checkpoints.jsonl', message: expect.stringMatching(/^checkpoint #1 .* does not verify with the locker's key in effect at #[0-9]+/) },
      { code: 'checkpoint-mismatch', path: 'witness/checkpoints.jsonl', message: expect.stringMatching(/^checkpoint #3 .* names another manifest than the locker's #3 .*: the chain was forked or rewritten$/) },
    ]);
  });
});
