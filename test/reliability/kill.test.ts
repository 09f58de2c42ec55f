/**
 * SIGKILL at seeded points of the real CLI's `collect`, `export bundle` and
 * `daemon` (a few trials each; `pnpm bench reliability` runs many): after
 * every kill the locker verifies, a resumed collect completes and holds
 * exactly the records of an uninterrupted run, and a killed export leaves
 * no partial file under its --out name.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { KillBench, type KillTarget } from './kill-trials.js';

/**
 * `export bundle` writes straight to --out until outputs are written under a temporary name and renamed
 * (issue 14, "Atomic outputs", branch wt-errors). Until that is merged a kill during the write can leave a
 * partial zip there, so the assertion on it is held back HERE, and only here: set this to true after the merge.
 */
const ATOMIC_EXPORT_OUTPUT = true;
const TRIALS: KillTarget[] = ['collect', 'collect', 'daemon', 'export', 'export'];

let bench: KillBench;
beforeAll(async () => {
  bench = await KillBench.start(14);
}, 120_000);
afterAll(() => bench.close());

describe('kill trials', () => {
  it.each(TRIALS.filter((target) => target !== 'export').map((target, index) => ({ target, index })))(
    'SIGKILL during $target (trial $index): the locker verifies, and a resumed collect completes with the records of an uninterrupted run',
    async ({ target }) => {
      const outcome = await bench.trial(target);
      expect(outcome.problems).toEqual([]);
      expect(outcome).toMatchObject({ killedMidway: true, verified: true, resumedComplete: true, recordsEqual: true });
    },
    120_000,
  );

  it.each(TRIALS.filter((target) => target === 'export').map((target, index) => ({ target, index })))(
    'SIGKILL while export bundle writes (trial $index): the locker verifies, and no partial zip is left under --out',
    async ({ target }) => {
      const outcome = await bench.trial(target);
      expect(outcome.problems).toEqual([]);
      expect(outcome.verified).toBe(true);
      if (ATOMIC_EXPORT_OUTPUT) expect(outcome.outFile).not.toBe('partial file');
    },
    120_000,
  );
});
