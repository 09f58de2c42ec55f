/**
 * Open record kinds end to end, through the CLI as a user drives it: the
 * example custom connector that declares `acme.device` (reading a fixture
 * export file, no network) and the one that emits the built-in
 * `training.record`. Collect (a device failing the kind's schema is named and
 * the rest is stored), verify, export populations with the kinds' columns,
 * sample, a custom check reading the custom kind, and the load errors for a
 * kind in a built-in namespace and a kind two connectors declare.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT, runCli, tempDir } from './cli.js';

const EXAMPLES = join(REPO_ROOT, 'config/examples');
const PERIOD = ['--period', `2026-04-01..${new Date().toISOString().slice(0, 10)}`];

interface Device {
  serial: string;
  fileVault: unknown;
}

let dir: string;
let config: string;
let locker: string;
let devices: { exportedAt: string; tenant: string; deviceCount: number; devices: Device[] };

async function writeDevices(fileVault: unknown): Promise<void> {
  const extra = { serial: 'LNX-0042', assignedTo: 'dan@acme-corp.example', platform: 'Linux', osVersion: '6.8', fileVault, screenLockMinutes: 10, lastSeen: '2026-06-30T08:00:00Z' };
  // The MDM exported one device more, and its header counts it.
  await writeFile(join(dir, 'devices.json'), JSON.stringify({ ...devices, deviceCount: devices.devices.length + 1, devices: [...devices.devices, extra] }));
}

/** The CSV table of an exported population: its header and rows as cells (no cell of these fixtures holds a comma). */
async function table(file: string): Promise<{ header: string[]; rows: Record<string, string>[] }> {
  const [head, ...lines] = (await readFile(file, 'utf8')).split('\r\n').filter(Boolean);
  const header = head!.split(',');
  return { header, rows: lines.map((line) => Object.fromEntries(line.split(',').map((cell, index) => [header[index]!, cell]))) };
}

beforeAll(async () => {
  dir = await tempDir('kinds');
  locker = join(dir, 'locker');
  config = join(dir, 'evidentia.yaml');
  devices = JSON.parse(await readFile(join(EXAMPLES, 'acme-mdm/devices.json'), 'utf8')) as typeof devices;
  await writeFile(
    config,
    [
      'locker: ./locker',
      'connectors:',
      '  mdm:',
      `    module: ${JSON.stringify(join(EXAMPLES, 'acme-mdm/connector.ts'))}`,
      '    config:',
      `      exportFile: ${JSON.stringify(join(dir, 'devices.json'))}`,
      '  lms:',
      `    module: ${JSON.stringify(join(EXAMPLES, 'training-export/connector.ts'))}`,
      '    config:',
      `      exportFile: ${JSON.stringify(join(EXAMPLES, 'training-export/completions.json'))}`,
      'checks:',
      `  custom: [${JSON.stringify(join(EXAMPLES, 'checks/device-encryption.ts'))}]`,
      '',
    ].join('\n'),
  );
  expect((await runCli(['init', '--config', config])).code).toBe(0);
}, 60_000);

describe('a connector\'s own record kind (acme.device) and a built-in one from a custom connector (training.record)', () => {
  it('names a device failing the kind\'s schema, stores the others and keeps the other stream whole', async () => {
    await writeDevices('unknown');
    const result = await runCli(['collect', '--config', config, '--since', '2026-04-01']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/mdm\/devices\s+state\s+partial\s+3\s+4/);
    expect(result.stdout).toContain('record acme.device "LNX-0042": does not match its kind: data.diskEncrypted: Invalid input: expected boolean, received string');
    expect(result.stdout).toMatch(/lms\/completions\s+event\s+complete\s+3/);
    const verify = await runCli(['verify', '--locker', locker]);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain('6 records');
  });

  it('collects the corrected export completely, and verify re-hashes every record of it', async () => {
    await writeDevices(false);
    const result = await runCli(['collect', '--config', config]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/mdm\/devices\s+state\s+complete\s+4\s+4/);
    const verify = await runCli(['verify', '--locker', locker]);
    expect(verify.code).toBe(0);
    // The three devices the partial run stored are the same records again: only the corrected one is new.
    expect(verify.stdout).toContain('7 records');
    expect(verify.stdout).toContain('locker verified: no problems');
  });

  it('exports the custom kind\'s population with columns from its data and the stream\'s criteria, and samples it', async () => {
    const out = join(dir, 'devices.csv');
    const result = await runCli(['export', 'population', '--config', config, '--kind', 'acme.device', ...PERIOD, '--out', out]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('4 acme.device items from 1 stream run(s)');
    const { header, rows } = await table(out);
    expect(header.slice(12)).toEqual(['diskEncrypted', 'lastCheckInAt', 'osVersion', 'owner', 'platform', 'screenLockMinutes', 'serial']);
    const linux = rows.find((row) => row.key === 'LNX-0042');
    expect(linux).toMatchObject({ kind: 'acme.device', criteria: 'CC6.8 CC7.1', diskEncrypted: 'false', owner: 'dan@acme-corp.example', screenLockMinutes: '10' });
    expect(rows.find((row) => row.key === 'PF3ZQ9CC')?.screenLockMinutes).toBe('');
    const ipe = JSON.parse(await readFile(join(dir, 'devices.ipe.json'), 'utf8')) as { columns: string[]; items: number };
    expect(ipe).toMatchObject({ items: 4, columns: header });

    const sample = await runCli(['sample', '--config', config, '--kind', 'acme.device', ...PERIOD, '--size', '2', '--seed', 'kinds', '--json']);
    expect(sample.code).toBe(0);
    const picked = JSON.parse(sample.stdout) as { population: { items: number }; picks: Array<{ kind: string }> };
    expect(picked.population.items).toBe(4);
    expect(picked.picks.map((pick) => pick.kind)).toEqual(['acme.device', 'acme.device']);
  });

  it('runs a custom check that reads the custom kind, one finding per device', async () => {
    const result = await runCli(['check', '--config', config, ...PERIOD, '--check', 'acme-devices-encrypted', '--json']);
    expect(result.code).toBe(1);
    const findings = (JSON.parse(result.stdout) as { checks: Array<{ reads: string[]; findings: Array<{ item: string; status: string }> }> }).checks[0]!;
    expect(findings.reads).toEqual(['acme.device']);
    expect(findings.findings.map((finding) => [finding.item.split(' ')[0], finding.status]).sort()).toEqual([
      ['C02XK1AAJG5H', 'pass'],
      ['C02XK2BBJG5H', 'exception'],
      ['LNX-0042', 'exception'],
      ['PF3ZQ9CC', 'pass'],
    ]);
  });

  it('exports training.record by its default criteria with the kind\'s own columns', async () => {
    const out = join(dir, 'training.csv');
    const result = await runCli(['export', 'population', '--config', config, '--control', 'CC2.2', ...PERIOD, '--out', out]);
    expect(result.code).toBe(0);
    const { header, rows } = await table(out);
    expect(header.slice(12)).toEqual(['person', 'course', 'status', 'completed_at', 'expires_at']);
    expect(rows).toHaveLength(3);
    expect(rows.find((row) => row.person === 'alice@acme-corp.example')).toMatchObject({ kind: 'training.record', criteria: 'CC1.4 CC2.2', course: 'Security awareness 2026', expires_at: '2027-04-14T00:00:00Z' });
  });

  it('refuses at load, exit 2, a kind in a built-in namespace and a kind another connector declared, naming connector and kind', async () => {
    // Plain definitions (no imports), so the modules load from a folder outside the workspace.
    const definition = (id: string, kind: string) =>
      `const schema = { def: { type: 'object' }, safeParse: (data) => ({ success: true, data }) };\nexport default { id: '${id}', version: '1', title: '${id}', configSchema: { safeParse: (data) => ({ success: true, data }) }, credentials: [], system: () => '${id}:x', kinds: { '${kind}': schema }, streams: { things: { type: 'state', kind: '${kind}', description: 'things', controls: ['CC6.8'], async collect() {} } } };\n`;
    await writeFile(join(dir, 'reserved.mjs'), definition('badge-reader', 'endpoint.badge'));
    await writeFile(join(dir, 'clash.mjs'), definition('other-mdm', 'acme.device'));
    const base = await readFile(config, 'utf8');
    const withModule = (name: string) => base.replace('checks:', `  extra:\n    module: ./${name}\n    config: {}\nchecks:`);

    await writeFile(join(dir, 'reserved.yaml'), withModule('reserved.mjs'));
    const reserved = await runCli(['collect', '--config', join(dir, 'reserved.yaml')]);
    expect(reserved.code).toBe(2);
    expect(reserved.stderr).toContain('custom connector ./reserved.mjs is not a valid connector: kind endpoint.badge: namespace "endpoint" belongs to evidentia\'s built-in kinds');

    await writeFile(join(dir, 'clash.yaml'), withModule('clash.mjs'));
    const clash = await runCli(['collect', '--config', join(dir, 'clash.yaml')]);
    expect(clash.code).toBe(2);
    expect(clash.stderr).toContain('connector other-mdm: kind acme.device is already declared by connector acme-mdm');
    expect(clash.stderr).not.toMatch(/\n\s+at /);
  });
});
