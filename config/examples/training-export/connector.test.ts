import { describe, expect, it } from '@jest/globals';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resolveControls } from '../../../packages/catalog/src/links.js';
import { runStream } from '@evidentia/sdk';
import { MemorySink } from '@evidentia/testing';
import connector from './connector.js';

const exportFile = fileURLToPath(new URL('./completions.json', import.meta.url));

async function collect(file: string, configDir?: string) {
  const sink = new MemorySink();
  const outcome = await runStream({
    connector,
    instance: 'lms',
    config: { exportFile: file },
    stream: 'completions',
    sink,
    cursor: null,
    since: new Date('2026-05-01T00:00:00Z'),
    until: new Date('2026-07-01T00:00:00Z'),
    collectorVersion: 'test',
    configDir,
    // As the collector resolves them at load: the stream declares none, so the kind's default links.
    controls: resolveControls('training.record', connector.streams.completions!.controls),
  });
  return { outcome, sink };
}

describe('example connector emitting training.record', () => {
  it('emits completions in the range with their expiry; the stream names no criteria, so the kind\'s defaults apply', async () => {
    const { outcome, sink } = await collect(exportFile);
    expect(outcome.status).toBe('complete');
    expect(sink.records.map((record) => record.key)).toEqual(['bob@acme-corp.example:Security awareness 2026:2026-05-03', 'carol@acme-corp.example:Secure coding:2026-06-02']);
    expect(sink.records[0]).toMatchObject({ kind: 'training.record', occurredAt: '2026-05-03T00:00:00Z', data: { course: 'Security awareness 2026', status: 'completed', expiresAt: '2027-05-03T00:00:00Z' } });
    expect(sink.records[1]?.data).toMatchObject({ expiresAt: null });
    expect(sink.records[0]?.controls).toEqual(['CC1.4', 'CC2.2']);
  });

  it('reads a relative exportFile from the folder of the config that names it, not the working directory', async () => {
    const { outcome, sink } = await collect('./completions.json', dirname(exportFile));
    expect(process.cwd()).not.toBe(dirname(exportFile));
    expect(outcome.status).toBe('complete');
    expect(sink.records).toHaveLength(2);
    expect(sink.snapshots[0]?.provenance.url).toBe(pathToFileURL(exportFile).href);
  });
});
