/**
 * `evidentia doctor` with a custom connector module, loaded from a config:
 * one entry whose doctor never settles and one whose doctor answers. With a
 * tiny `doctorTimeoutSeconds` the first fails, naming itself and the limit,
 * and the second is still checked.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { createRequire } from 'node:module';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../config/load.js';
import { doctorChecks } from './doctor.js';

const zod = pathToFileURL(createRequire(import.meta.url).resolve('zod')).href;

/** A doctor that waits forever, deaf to the abort, when `hang` is set; else one passing check. */
const MODULE = `import { z } from ${JSON.stringify(zod)};
export default { id: 'hanging', version: '1.0.0', title: 'hanging', credentials: [], system: () => 'hanging:test',
  configSchema: z.object({ hang: z.boolean() }),
  doctor: async (ctx) => { if (ctx.config.hang) await new Promise(() => {}); return [{ name: 'read', ok: true, detail: 'can read' }]; },
  streams: { events: { type: 'event', kind: 'audit.event', description: 'a history', controls: ['CC7.2'], collect: async () => {} } } };
`;

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function configWith(yaml: string) {
  dir = await mkdtemp(join(tmpdir(), 'evidentia-doctor-'));
  await writeFile(join(dir, 'hanging.mjs'), MODULE);
  await writeFile(join(dir, 'evidentia.yaml'), yaml);
  return loadConfig(join(dir, 'evidentia.yaml'), {});
}

describe('evidentia doctor', () => {
  it('fails a connector whose checks never finish, naming it and its limit, and checks the next', async () => {
    const config = await configWith(
      'connectors:\n  stuck:\n    module: ./hanging.mjs\n    doctorTimeoutSeconds: 0.05\n    config:\n      hang: true\n' + '  fine:\n    module: ./hanging.mjs\n    config:\n      hang: false\n',
    );

    const results = await doctorChecks(config.instances);

    expect(results).toEqual([
      {
        connector: 'stuck',
        checks: [{ name: 'doctor', ok: false, detail: expect.stringContaining('connector stuck: the doctor checks did not finish within their time limit of 0.05 seconds (connectors.stuck.doctorTimeoutSeconds)') }],
      },
      { connector: 'fine', checks: [{ name: 'read', ok: true, detail: 'can read' }] },
    ]);
  });

  it('refuses a doctor time limit a timer cannot hold, naming the setting', async () => {
    await expect(configWith('collector:\n  doctorTimeoutSeconds: 9999999\nconnectors:\n  fine:\n    module: ./hanging.mjs\n    config:\n      hang: false\n')).rejects.toThrow(
      /collector\.doctorTimeoutSeconds.*at most 2147483 seconds/s,
    );
  });
});
