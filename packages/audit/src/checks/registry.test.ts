/** The check registry: the library folder and list agree, defaults apply without a config, and config problems are reported together with their paths. */
import { describe, expect, it } from '@jest/globals';
import { readdirSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../errors.js';
import { checkProblems } from './define.js';
import { builtInChecks } from './library/index.js';
import { configuredChecks } from './registry.js';

const LIBRARY = fileURLToPath(new URL('./library/', import.meta.url));
const HELPERS = new Set(['index.ts', 'inventory-text.ts', 'removal.ts', 'trail-gaps.ts']);

describe('check registry', () => {
  it('lists every check module of the library folder, each a valid definition with a unique id', () => {
    const modules = readdirSync(LIBRARY).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts') && !HELPERS.has(name));
    expect(builtInChecks.map((check) => `${check.id}.ts`).sort()).toEqual(modules.sort());
    for (const check of builtInChecks) expect(checkProblems(check)).toEqual([]);
  });

  it('holds the optional assessment fields to the kinds the check reads', () => {
    const mfa = builtInChecks.find((check) => check.id === 'mfa-enabled')!;
    expect(checkProblems({ ...mfa, perSystem: 'change.request' })).toEqual(['perSystem must be one of the kinds in reads']);
    expect(checkProblems({ ...mfa, supplementary: ['personnel.event'] })).toEqual(['supplementary must list kinds in reads']);
    expect(checkProblems({ ...mfa, appliesTo: 'aws' })).toEqual(['appliesTo must be a function']);
  });

  it('runs the library with defaults when there is no configuration', async () => {
    const checks = await configuredChecks(null);
    expect(checks.map((check) => check.definition.id)).toEqual(builtInChecks.map((check) => check.id));
    expect(checks.find((check) => check.definition.id === 'leavers-deprovisioned')?.settings).toEqual({ slaHours: 24, lookaheadDays: 7, graceHours: 24, reinstatementActions: ['UNSUSPEND_USER', 'UNDELETE_USER'] });
  });

  it('reports unknown check ids, invalid settings and broken custom modules together, with their paths', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'evidentia-checks-'));
    await writeFile(join(dir, 'broken.mjs'), "export default { id: 'Broken Check', title: '', criteria: ['CC99.9'], reads: ['nothing'] };\n");
    const config = { file: join(dir, 'evidentia.yaml'), checks: { custom: ['./broken.mjs', './missing.ts'], 'no-such-check': {}, 'access-keys': { maxAgeDays: -1 } } };
    const error = await configuredChecks(config).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('checks.custom.0: custom check ./broken.mjs is not a valid check');
    expect(message).toContain('CC99.9 is not a criterion in the catalog');
    expect(message).toContain('reads: nothing is not a record kind (a built-in kind, or a connector\'s own such as acme.device)');
    expect(message).toMatch(/checks\.custom\.1: custom check module .*missing\.ts does not exist/);
    expect(message).toContain('checks.no-such-check: no check has the id no-such-check');
    expect(message).toContain('checks.access-keys.maxAgeDays');
  });
});
