/**
 * Sampling refuses what cannot be trusted to be the whole population: an
 * empty file, one cut short or edited (in each format, naming the line or
 * row), one whose row count disagrees with its IPE header, and a size above
 * the population's unless every item is asked for. Populations are written
 * by the real exporter from a real locker, then damaged the way files are.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parsePeriod } from '@evidentia/time';
import { createSyntheticLocker, type SyntheticLocker } from '../checks/synthetic-locker.js';
import { pullRequestRecord } from '../checks/synthetic-records.js';
import { UsageError } from '../errors.js';
import { exportPopulation, ipeSidecarOf, type PopulationFormat } from './export-population.js';
import { PopulationFileError } from './read-population.js';
import { drawSample } from './sample.js';

const GH = 'github:acme';
const PERIOD = parsePeriod('2026-02-01..2026-02-28');
let synthetic: SyntheticLocker;
const files: Record<PopulationFormat, string> = { csv: '', jsonl: '', xlsx: '' };

beforeAll(async () => {
  synthetic = await createSyntheticLocker();
  await synthetic.run('2026-03-01T02:00:00Z', [
    { stream: 'github/pull_requests', type: 'event', records: Array.from({ length: 14 }, (_, index) => pullRequestRecord(GH, `acme/api#${index + 1}`)) },
  ]);
  for (const format of ['csv', 'jsonl', 'xlsx'] as const) {
    files[format] = join(synthetic.dir, `..`, `population.${format}`);
    await exportPopulation(synthetic.locker, { period: PERIOD, kind: 'change.request' }, format, files[format]);
  }
});
afterAll(async () => synthetic.cleanup());

/** A copy of `format`'s population with its text changed by `damage`. */
async function damaged(format: 'csv' | 'jsonl', name: string, damage: (text: string) => string): Promise<string> {
  const file = join(synthetic.dir, '..', `${name}.${format}`);
  await writeFile(file, damage(await readFile(files[format], 'utf8')));
  // A CSV population keeps its IPE header beside it.
  if (format === 'csv') await copyFile(ipeSidecarOf(files.csv), ipeSidecarOf(file));
  return file;
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(UsageError);
  return (error as Error).message;
}

describe('sample', () => {
  it.each(['csv', 'jsonl', 'xlsx'] as const)('draws from an intact %s population', async (format) => {
    const sample = await drawSample(files[format], 5, 'seed');
    expect(sample.population.items).toBe(14);
    expect(sample.picks).toHaveLength(5);
    expect(sample.all).toBe(false);
  });

  it('refuses a size above the population size, and with --all draws every item and says so', async () => {
    expect(await refusal(drawSample(files.csv, 25, 'seed'))).toBe(`--size 25 is more than the 14 item(s) of the population in ${files.csv}; pass --all to draw every item`);
    const all = await drawSample(files.csv, 25, 'seed', { all: true });
    expect([all.size, all.all, new Set(all.picks.map((pick) => pick.row)).size]).toEqual([14, true, 14]);
    const noSize = await drawSample(files.jsonl, null, 'seed', { all: true });
    expect([noSize.size, noSize.all]).toEqual([14, true]);
    // --all does not enlarge a size that fits.
    expect((await drawSample(files.csv, 3, 'seed', { all: true })).size).toBe(3);
  });

  it('refuses a CSV cut inside a row, naming the line', async () => {
    const file = await damaged('csv', 'cut-row', (text) => text.slice(0, text.lastIndexOf('acme/api#14') + 4));
    expect(await refusal(drawSample(file, 5, 'seed'))).toMatch(/cut-row\.csv line \d+: (\d+ field\(s\) where the header has 12|the last row does not end with a line break): the file is truncated/);
  });

  it('refuses a CSV whose last row lost its line break', async () => {
    const file = await damaged('csv', 'no-newline', (text) => text.replace(/\r\n$/, ''));
    expect(await refusal(drawSample(file, 5, 'seed'))).toMatch(/no-newline\.csv line \d+: the last row does not end with a line break: the file is truncated$/);
  });

  it('refuses a CSV that ends inside a quoted field', async () => {
    const file = await damaged('csv', 'open-quote', (text) => `${text}github,"unfinished`);
    expect(await refusal(drawSample(file, 5, 'seed'))).toMatch(/open-quote\.csv line \d+: the file ends inside a quoted field that starts on line \d+: the file is truncated$/);
  });

  it('refuses a CSV that lost whole rows: its IPE header counts them', async () => {
    const file = await damaged('csv', 'fewer-rows', (text) => text.split('\r\n').slice(0, -3).join('\r\n') + '\r\n');
    expect(await refusal(drawSample(file, 5, 'seed'))).toContain('fewer-rows.csv: its IPE header says 14 item(s) but it holds 12 row(s): the file is truncated or edited');
  });

  it('refuses a CSV without its header row, and an empty file', async () => {
    const empty = await damaged('csv', 'empty', () => '');
    expect(await refusal(drawSample(empty, 5, 'seed'))).toContain('empty.csv: no header row');
    const noHeader = await damaged('csv', 'no-header', (text) => text.slice(0, text.indexOf('kind,system')));
    expect(await refusal(drawSample(noHeader, 5, 'seed'))).toContain('no-header.csv: no header row');
  });

  it('refuses a JSONL population with a broken line or a cut last line, naming the line', async () => {
    const broken = await damaged('jsonl', 'broken', (text) => text.split('\n').map((line, index) => (index === 1 ? line.slice(0, -5) : line)).join('\n'));
    expect(await refusal(drawSample(broken, 5, 'seed'))).toMatch(/broken\.jsonl line 2: not valid JSON/);
    const cut = await damaged('jsonl', 'cut', (text) => text.slice(0, -40));
    expect(await refusal(drawSample(cut, 5, 'seed'))).toMatch(/cut\.jsonl line 15: not valid JSON .*: the file is truncated or edited/);
    const noNewline = await damaged('jsonl', 'no-newline', (text) => text.slice(0, -1));
    expect(await refusal(drawSample(noNewline, 5, 'seed'))).toBe(`--population ${noNewline} line 15: the last line does not end with a line break: the file is truncated`);
    const empty = await damaged('jsonl', 'empty', () => '');
    expect(await refusal(drawSample(empty, 5, 'seed'))).toContain('empty.jsonl: the file is empty');
  });

  it('refuses a JSONL population with a line that is JSON but not an object, naming the line', async () => {
    const nullItem = await damaged('jsonl', 'null-item', (text) => text.split('\n').map((line, index) => (index === 3 ? 'null' : line)).join('\n'));
    expect(await refusal(drawSample(nullItem, 5, 'seed'))).toBe(`--population ${nullItem} line 4: null is not a JSON object: the file is edited or not a population written by evidentia`);
    const nullHeader = await damaged('jsonl', 'null-header', (text) => `null\n${text.slice(text.indexOf('\n') + 1)}`);
    expect(await refusal(drawSample(nullHeader, 5, 'seed'))).toBe(`--population ${nullHeader} line 1: null is not a JSON object: the file is edited or not a population written by evidentia`);
  });

  it('refuses an unreadable or cut workbook', async () => {
    const bytes = await readFile(files.xlsx);
    const cut = join(synthetic.dir, '..', 'cut.xlsx');
    await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    expect(await refusal(drawSample(cut, 5, 'seed'))).toMatch(/cut\.xlsx: not a readable workbook \(.+\): the file is truncated or not an \.xlsx population/);
    const text = join(synthetic.dir, '..', 'text.xlsx');
    await writeFile(text, 'kind,system\n');
    expect(await refusal(drawSample(text, 5, 'seed'))).toMatch(/text\.xlsx: not a readable workbook/);
  });

  it('refuses a directory named as a population, in every format, as bad input naming it', async () => {
    for (const format of ['csv', 'jsonl', 'xlsx']) {
      const folder = join(synthetic.dir, '..', `folder.${format}`);
      await mkdir(folder, { recursive: true });
      const refused = await drawSample(folder, 5, 'seed').then(
        () => null,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(PopulationFileError);
      expect((refused as Error).message).toBe(`--population ${folder}: is a directory, not a population file`);
    }
  });

  it('refuses an empty population and says why it is empty', async () => {
    const file = join(synthetic.dir, '..', 'accounts.csv');
    const { ipe } = await exportPopulation(synthetic.locker, { period: PERIOD, kind: 'access.account' }, 'csv', file);
    expect(ipe.emptyReason).toBe('no stream collects access.account records: none is configured and the locker holds none');
    const message = await refusal(drawSample(file, 5, 'seed'));
    expect(message).toBe(`--population ${file}: the population has no rows (no stream collects access.account records: none is configured and the locker holds none): there is nothing to sample`);
    expect(await refusal(drawSample(file, 5, 'seed'))).toBe(message);
    expect(new PopulationFileError('f', null, 'x')).toBeInstanceOf(UsageError);
  });
});

describe('an empty population says why in its IPE header', () => {
  it('names a configured stream that never ran, one that ran but holds nothing of the period, and one whose runs failed', async () => {
    const plan = { stream: 'github/members', connector: 'github', kind: 'access.account' as const, type: 'state' as const, maxStalenessHours: 36 };
    const out = join(synthetic.dir, '..', 'members.csv');
    const never = await exportPopulation(synthetic.locker, { period: PERIOD, kind: 'access.account' }, 'csv', out, { sources: [plan] });
    expect(never.ipe.emptyReason).toBe('github/members is configured but has never been collected');
    expect((JSON.parse(await readFile(ipeSidecarOf(out), 'utf8')) as { lines: string[] }).lines).toContain('items: 0: empty because github/members is configured but has never been collected');
    const january = await exportPopulation(synthetic.locker, { period: parsePeriod('2026-01-01..2026-01-31'), kind: 'change.request' }, 'jsonl', out.replace('.csv', '.jsonl'));
    expect(january.ipe.emptyReason).toBe('github/pull_requests ran for the period but holds no change.request record of it');
    await synthetic.run('2026-02-10T02:00:00Z', [{ stream: 'github/members', type: 'state', records: [], status: 'failed' }]);
    const failed = await exportPopulation(synthetic.locker, { period: PERIOD, kind: 'access.account' }, 'csv', out, { sources: [plan] });
    expect(failed.ipe.emptyReason).toBe('no inventory from github/members inside the period or within its staleness of 36 h before it (none before it either); 1 run(s) of it in the period did not complete (last failed: synthetic failure)');
  });
});
