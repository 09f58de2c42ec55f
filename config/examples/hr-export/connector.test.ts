import { describe, expect, it } from '@jest/globals';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runStream } from '@evidentia/sdk';
import { MemorySink } from '@evidentia/testing';
import connector from './connector.js';

const exportFile = fileURLToPath(new URL('./people.json', import.meta.url));

async function collect(file: string, since: string, until: string, configDir?: string) {
  const sink = new MemorySink();
  const outcome = await runStream({
    connector,
    instance: 'hr',
    config: { exportFile: file },
    stream: 'lifecycle',
    sink,
    cursor: null,
    since: new Date(since),
    until: new Date(until),
    collectorVersion: 'test',
    configDir,
  });
  return { outcome, sink };
}

describe('example HR export connector', () => {
  it('emits joiners and leavers inside the range, resting on a snapshot of the export', async () => {
    const { outcome, sink } = await collect(exportFile, '2026-04-01T00:00:00Z', '2026-07-01T00:00:00Z');
    expect(outcome.status).toBe('complete');
    const keys = sink.records.map((record) => record.key).sort();
    expect(keys).toEqual(['E-1002:leaver:2026-05-15', 'E-1003:joiner:2026-04-20', 'E-1004:leaver:2026-06-12']);
    const bob = sink.records.find((record) => record.key === 'E-1002:leaver:2026-05-15');
    expect(bob?.data).toMatchObject({ type: 'leaver', person: { email: 'bob@acme-corp.example' }, effectiveAt: '2026-05-15T00:00:00Z' });
    expect(bob?.controls).toEqual(['CC1.4', 'CC6.2', 'CC6.3']);
    expect(sink.snapshots).toHaveLength(1);
    expect(bob?.sources).toEqual([sink.snapshots[0]?.hash]);
    expect(outcome.records).toBe(3);
    expect(outcome.apiTotal).toBeNull();
  });

  it('reads a relative exportFile from the folder of the config that names it, not the working directory', async () => {
    const { outcome, sink } = await collect('./people.json', '2026-04-01T00:00:00Z', '2026-07-01T00:00:00Z', dirname(exportFile));
    expect(process.cwd()).not.toBe(dirname(exportFile));
    expect(outcome.status).toBe('complete');
    expect(sink.records).toHaveLength(3);
    expect(sink.snapshots[0]?.provenance.url).toBe(pathToFileURL(exportFile).href);
  });

  it('fails the stream with the field named when the export does not match its schema', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hr-export-'));
    const broken = join(dir, 'people.json');
    await writeFile(broken, JSON.stringify({ exportedAt: '2026-06-30T18:00:00Z', system: 'PeopleHub', people: [{ employeeId: 'E-1', name: 'X', workEmail: null, startDate: '31/01/2026', endDate: null, department: null }] }));
    const { outcome, sink } = await collect(broken, '2026-01-01T00:00:00Z', '2026-07-01T00:00:00Z');
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toContain('people.0.startDate');
    expect(sink.records).toHaveLength(0);
  });

  it('fails the stream naming the field when a date is not a day of the calendar, instead of leaving the event out', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hr-export-'));
    const broken = join(dir, 'people.json');
    const person = (employeeId: string, endDate: string) => ({ employeeId, name: employeeId, workEmail: null, startDate: '2025-01-06', endDate, department: null });
    // Month 13 made no time at all (the leaver fell outside every range); 30 February rolled over to 2 March.
    await writeFile(broken, JSON.stringify({ exportedAt: '2026-06-30T18:00:00Z', system: 'PeopleHub', people: [person('E-1', '2026-05-15'), person('E-2', '2026-13-01')] }));
    const { outcome } = await collect(broken, '2026-01-01T00:00:00Z', '2026-07-01T00:00:00Z');
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toContain('people.1.endDate');
    await writeFile(broken, JSON.stringify({ exportedAt: '2026-06-30T18:00:00Z', system: 'PeopleHub', people: [person('E-3', '2026-02-30')] }));
    const rolled = await collect(broken, '2026-01-01T00:00:00Z', '2026-07-01T00:00:00Z');
    expect(rolled.outcome.status).toBe('failed');
    expect(rolled.outcome.error).toContain('people.0.endDate');
  });
});
