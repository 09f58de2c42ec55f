/**
 * A sample of a population computed from the locker says how to draw it
 * again: its re-run line names the period as the instants it was read as,
 * so running that line later, after more evidence was collected, draws the
 * same items from the same population. A criterion that several record kinds
 * serve has one population per kind: the sample says which kinds it did not
 * draw from and how to sample them, as `export population` does.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { parsePeriod } from '@evidentia/time';
import { createSyntheticLocker, type SyntheticLocker } from '../checks/synthetic-locker.js';
import { configRecord, pullRequestRecord } from '../checks/synthetic-records.js';
import { renderSample, sampleCsv } from './sample-output.js';
import { sampleOfQuery } from './sample-query.js';

const GH = 'github:acme';
let synthetic: SyntheticLocker;

beforeEach(async () => {
  synthetic = await createSyntheticLocker();
});
afterEach(async () => synthetic.cleanup());

const pullRequest = (number: number, occurredAt: string) => ({ ...pullRequestRecord(GH, `acme/api#${number}`), occurredAt });

/** The arguments of a sample's printed `re-run:` line for a kind's population. */
function reRunOf(text: string): { kind: string; period: string; size: number; seed: string } {
  const match = /^re-run: evidentia sample --kind (\S+) --period (\S+) --size (\d+) --seed (".*")$/m.exec(text);
  if (!match) throw new Error(`no re-run line in:\n${text}`);
  return { kind: match[1] ?? '', period: match[2] ?? '', size: Number(match[3]), seed: JSON.parse(match[4] ?? '""') as string };
}

describe('a sample of a population computed from the locker', () => {
  it('prints a re-run line that draws the same items after later evidence was collected, and says the period was cut to now', async () => {
    const typed = '2026-01-01..2026-12-31';
    const first = new Date('2026-02-10T03:00:00Z');
    await synthetic.run('2026-02-10T02:00:00Z', [{ stream: 'github/pull_requests', type: 'event', records: Array.from({ length: 20 }, (_, index) => pullRequest(index + 1, `2026-02-0${(index % 8) + 1}T12:00:00Z`)) }]);
    const sample = await sampleOfQuery(synthetic.locker, { period: parsePeriod(typed, { now: first }), kind: 'change.request' }, 5, 'fixed-seed', { periodText: typed });
    const printed = renderSample(sample);
    expect(printed).toContain(`note: --period ${typed} ends after now: the population holds the evidence up to 2026-02-10T03:00:00.000Z, the end the re-run line names, so a later re-run draws from the same span`);
    expect(sampleCsv(sample)).toContain(`# note: --period ${typed} ends after now`);
    const reRun = reRunOf(printed);
    expect(reRun).toEqual({ kind: 'change.request', period: '2026-01-01T00:00:00.000Z..2026-02-10T03:00:00.000Z', size: 5, seed: 'fixed-seed' });

    await synthetic.run('2026-02-11T02:00:00Z', [{ stream: 'github/pull_requests', type: 'event', records: [pullRequest(21, '2026-02-10T12:00:00Z')] }]);
    const later = new Date('2026-02-11T03:00:00Z');
    // The period as typed, read again now, holds the pull request merged since.
    expect((await sampleOfQuery(synthetic.locker, { period: parsePeriod(typed, { now: later }), kind: 'change.request' }, 5, 'fixed-seed', { periodText: typed })).population.items).toBe(21);
    const again = await sampleOfQuery(synthetic.locker, { period: parsePeriod(reRun.period, { now: later }), kind: reRun.kind }, reRun.size, reRun.seed, { periodText: reRun.period });
    expect(again.population.recordDigest).toBe(sample.population.recordDigest);
    // No file was handed over: its digest is of the items, not of a scratch file holding the moment it was written.
    expect(again.population.sha256).toBe(sample.population.sha256);
    expect(again.picks).toEqual(sample.picks);
    expect(reRunOf(renderSample(again))).toEqual(reRun);
    expect(renderSample(again)).not.toContain('ends after now');
  });
});

describe('the digests of a sample of a population computed from the locker', () => {
  it('are the same for the same population drawn at another time, and differ once an item of it changed', async () => {
    await synthetic.run('2026-02-10T02:00:00Z', [{ stream: 'github/pull_requests', type: 'event', records: [pullRequest(1, '2026-02-05T00:00:00Z'), pullRequest(2, '2026-02-06T00:00:00Z')] }]);
    const period = parsePeriod('2026-02-01..2026-02-28', { now: new Date('2026-12-01T00:00:00Z') });
    const draw = () => sampleOfQuery(synthetic.locker, { period, kind: 'change.request' }, 1, 'seed', { periodText: '2026-02' });
    const first = await draw();
    const second = await draw();
    expect(second.population).toEqual({ ...first.population, generatedAt: second.population.generatedAt });
    // The same pull request collected again with another title: the same record count, another population.
    await synthetic.run('2026-02-12T02:00:00Z', [{ stream: 'github/pull_requests', type: 'event', records: [{ ...pullRequestRecord(GH, 'acme/api#2', { title: 'Retitled' }), occurredAt: '2026-02-06T00:00:00Z' }] }]);
    const changed = await draw();
    expect(changed.population.items).toBe(2);
    expect(changed.population.sha256).not.toBe(first.population.sha256);
    expect(changed.population.recordDigest).not.toBe(first.population.recordDigest);
  });
});

describe('a sample of a criterion that several record kinds serve', () => {
  it('names the other kinds it did not draw from, in its text, CSV and JSON, with the arguments that sample them', async () => {
    await synthetic.run('2026-02-10T02:00:00Z', [
      { stream: 'github/pull_requests', type: 'event', records: Array.from({ length: 3 }, (_, index) => pullRequest(index + 1, '2026-02-05T00:00:00Z')) },
      { stream: 'github/branch_protection', type: 'state', records: Array.from({ length: 20 }, (_, index) => configRecord('change.config', GH, `acme/repo${index}`, 'branch-protection', { required: true })) },
    ]);
    const typed = '2026-02-01..2026-02-28';
    const now = new Date('2026-12-01T00:00:00Z');
    const sample = await sampleOfQuery(synthetic.locker, { period: parsePeriod(typed, { now }), control: 'CC8.1' }, null, 'seed', { periodText: typed, all: true });
    expect([sample.population.kind, sample.population.items]).toEqual(['change.request', 3]);
    expect(sample.population.otherKinds).toEqual([{ kind: 'change.config', items: 20 }]);
    const note = 'note: 20 change.config item(s) also serve CC8.1 and are not in this sample: sample them with --kind change.config --period 2026-02-01T00:00:00.000Z..2026-03-01T00:00:00.000Z';
    expect(renderSample(sample).split('\n')).toContain(note);
    expect(sampleCsv(sample).split('\r\n')).toContain(`# ${note}`);
    expect((JSON.parse(JSON.stringify(sample)) as typeof sample).population.otherKinds).toEqual([{ kind: 'change.config', items: 20 }]);

    const period = /--period (\S+)$/.exec(note)?.[1] ?? '';
    const configs = await sampleOfQuery(synthetic.locker, { period: parsePeriod(period, { now }), kind: 'change.config' }, null, 'seed', { periodText: period, all: true });
    expect([configs.population.kind, configs.population.items, configs.population.otherKinds]).toEqual(['change.config', 20, []]);
    expect(renderSample(configs)).not.toContain('also serve');
  });
});
