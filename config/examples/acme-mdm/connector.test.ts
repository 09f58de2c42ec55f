import { describe, expect, it } from '@jest/globals';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { recordKindRegistry } from '@evidentia/evidence';
import { runStream } from '@evidentia/sdk';
import { MemorySink } from '@evidentia/testing';
import connector, { AcmeDevice } from './connector.js';

const exportFile = fileURLToPath(new URL('./devices.json', import.meta.url));

async function collect(file: string, configDir?: string) {
  const sink = new MemorySink();
  const outcome = await runStream({ connector, instance: 'mdm', config: { exportFile: file }, stream: 'devices', sink, cursor: null, collectorVersion: 'test', configDir });
  return { outcome, sink };
}

describe('example connector with its own record kind (acme.device)', () => {
  it('declares the kind when defined, so its records validate wherever they are written', () => {
    expect(recordKindRegistry.schemaOf('acme.device')).toBe(AcmeDevice);
    expect(recordKindRegistry.ownerOf('acme.device')).toBe('acme-mdm');
  });

  it('emits every device of the export as acme.device with the stream\'s criteria, resting on a snapshot of it', async () => {
    const { outcome, sink } = await collect(exportFile);
    expect(outcome).toMatchObject({ status: 'complete', records: 3, apiTotal: 3 });
    expect(sink.records.map((record) => [record.kind, record.key, record.controls])).toEqual([
      ['acme.device', 'C02XK1AAJG5H', ['CC6.8', 'CC7.1']],
      ['acme.device', 'C02XK2BBJG5H', ['CC6.8', 'CC7.1']],
      ['acme.device', 'PF3ZQ9CC', ['CC6.8', 'CC7.1']],
    ]);
    expect(sink.records[1]?.data).toMatchObject({ owner: 'bob@acme-corp.example', diskEncrypted: false, screenLockMinutes: 15 });
    expect(sink.records[0]?.sources).toEqual([sink.snapshots[0]?.hash]);
  });

  it('reads a relative exportFile from the folder of the config that names it, not the working directory', async () => {
    const { outcome, sink } = await collect('./devices.json', dirname(exportFile));
    expect(process.cwd()).not.toBe(dirname(exportFile));
    expect(outcome).toMatchObject({ status: 'complete', records: 3 });
    expect(sink.snapshots[0]?.provenance.url).toBe(pathToFileURL(exportFile).href);
  });

  it('holds the devices to the count the export header states, not to the list\'s own length: a cut-off list is partial', async () => {
    const raw = JSON.parse(await readFile(exportFile, 'utf8')) as { deviceCount: number; devices: Array<Record<string, unknown>> };
    const file = join(await mkdtemp(join(tmpdir(), 'acme-mdm-')), 'devices.json');
    await writeFile(file, JSON.stringify({ ...raw, devices: raw.devices.slice(0, 2) }));
    const { outcome, sink } = await collect(file);
    expect(raw.deviceCount).toBe(3);
    expect(outcome).toMatchObject({ status: 'partial', records: 2, apiTotal: 3 });
    expect(sink.records).toHaveLength(2);
    const { deviceCount: _omitted, ...headerless } = raw;
    await writeFile(file, JSON.stringify(headerless));
    expect((await collect(file)).outcome).toMatchObject({ status: 'complete', records: 3, apiTotal: null });
  });

  it('names a device the kind refuses, by serial and field, and stores the others (partial)', async () => {
    const raw = JSON.parse(await readFile(exportFile, 'utf8')) as { devices: Array<Record<string, unknown>> };
    raw.devices[2] = { ...raw.devices[2], screenLockMinutes: -1 };
    const file = join(await mkdtemp(join(tmpdir(), 'acme-mdm-')), 'devices.json');
    await writeFile(file, JSON.stringify(raw));
    const { outcome, sink } = await collect(file);
    expect(outcome.status).toBe('partial');
    expect(outcome.error).toContain('record acme.device "PF3ZQ9CC" (does not match its kind: data.screenLockMinutes:');
    expect(sink.records.map((record) => record.key)).toEqual(['C02XK1AAJG5H', 'C02XK2BBJG5H']);
  });
});
