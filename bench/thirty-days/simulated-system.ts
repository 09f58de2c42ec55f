/**
 * One simulated system of the 30-day benchmark: its simulator started on
 * 127.0.0.1 at bench scale, its entry of the shared config, and the day's
 * changes applied before each run. bench/thirty-days.ts drives them all.
 */

export interface SimulatedSystem {
  /** The connector instance id in the config (`aws`, `slack`, …). */
  instance: string;
  /** One line per figure of scale, for the section. */
  scale: string[];
  /** The config's `connectors:` entry as YAML (two-space indented), secrets as `${env:NAME}`. */
  yaml: string;
  env: Record<string, string>;
  /** Set the simulator's clock and apply the day's changes (run 1 changes nothing). */
  beforeRun(run: number, now: Date): void;
  close(): Promise<void>;
}

/** The one seeded generator, so every bench run sees the same org. */
export { seededRandom as random } from '@evidentia/testing';

export const DAY_MS = 86_400_000;
/**
 * The org's size relative to the published one (5,000 IAM users, 10,000
 * Google users and Slack members, 300 GitHub members, 200 repositories and
 * 3,000 merged PRs, 3,000 Jira tickets): 1 for the published figures (30
 * runs took 285 s, the whole bench 307 s, on the 2-core bench machine); less for a quick trial
 * (`THIRTY_DAYS_SCALE=0.05 THIRTY_DAYS_RUNS=3 pnpm bench thirty`).
 */
export const SCALE = Number(process.env.THIRTY_DAYS_SCALE ?? '1');
if (!(SCALE > 0 && SCALE <= 1)) throw new Error(`THIRTY_DAYS_SCALE must be a number in (0, 1], got ${process.env.THIRTY_DAYS_SCALE}`);
export const scaled = (n: number) => Math.max(1, Math.round(n * SCALE));
