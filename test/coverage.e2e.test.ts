/**
 * End to end: `evidentia coverage` through the CLI on a locker collected from
 * the GitHub fixtures: the JSON ledger, the CSV file, exit 1 on an open gap
 * and exit 2 on a malformed period.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startReplayServer, type ReplayServer } from '@evidentia/testing';
import type { Ledger } from '../packages/audit/src/coverage/types.js';
import { FIXTURES, githubConfig, runCli, TOKEN_ENV } from './cli.js';

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('evidentia coverage end to end', () => {
  it('reports the ledger as JSON and CSV and exits 1 while a gap is open', async () => {
    server = await startReplayServer(['members.json', 'branch-protection.json'].map((name) => join(FIXTURES, name)));
    const { dir, file } = await githubConfig(server.baseUrl, '    streams:\n      pull_requests:\n        enabled: false\n');
    await runCli(['init', '--config', file]);
    expect((await runCli(['collect', '--config', file], { env: TOKEN_ENV })).code).toBe(0);
    const today = new Date().toISOString().slice(0, 10);
    const csvFile = join(dir, 'coverage.csv');

    const result = await runCli(['coverage', '--config', file, '--period', `${today}..${today}`, '--json', '--csv', csvFile], { env: TOKEN_ENV });
    expect(result.code).toBe(1);
    const ledger = JSON.parse(result.stdout) as Ledger;
    expect(ledger.period.since).toBe(`${today}T00:00:00.000Z`);
    expect(ledger.streams.map((s) => [s.stream, s.type, s.schedule])).toEqual([
      ['github/members', 'state', '0 2 * * *'],
      ['github/branch_protection', 'state', '0 2 * * *'],
    ]);
    // Nothing was collected before today's run: the state from midnight until then is unknown.
    for (const stream of ledger.streams) {
      expect(stream.gaps).toEqual([expect.objectContaining({ since: `${today}T00:00:00.000Z`, status: 'open', closable: false })]);
      expect(stream.gaps[0]?.causes.map((cause) => cause.kind)).toEqual(['not-configured']);
    }
    expect(ledger.criteria.map((c) => c.criterion)).toEqual(expect.arrayContaining(['CC6.1', 'CC8.1']));
    const csv = await readFile(csvFile, 'utf8');
    expect(csv.split('\n')[0]).toBe('"stream","type","schedule","timezone","criteria","expected","successful","failed","covered","gap_status","gap_since","gap_until","gap_hours","closable","closed_at","closed_by","causes"');
    expect(csv).toContain('"github/members","state","0 2 * * *","UTC"');

    const table = await runCli(['coverage', '--config', file, '--period', `${today}..${today}`], { env: TOKEN_ENV });
    expect(table.stdout).toMatch(/github\/members\s+state\s+0 2 \* \* \* UTC/);
    expect(table.stdout).toContain('not-configured: the stream was first collected at');

    const bad = await runCli(['coverage', '--config', file, '--period', 'last-year'], { env: TOKEN_ENV });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--period expects A..B');
  });
});
