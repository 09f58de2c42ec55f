import { describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '@evidentia/audit';
import type { StreamOutcome } from '@evidentia/sdk';
import { builtInConnectors } from '../all-built-in-connectors.js';
import { loadConfig } from '../config/load.js';
import { scaffoldNames } from '../scaffold/names.js';
import { describeConnectors } from './connectors.js';
import { scaffoldConnector } from './connectors-new.js';
import { verdictLine } from './connectors-try.js';

const ROOT = process.cwd();

describe('evidentia connectors (the listing)', () => {
  it('lists every built-in connector, and the custom connectors of a config with their module and streams', async () => {
    const config = await loadConfig(join(ROOT, 'config/examples/evidentia.yaml'), {}, { credentials: false });
    const listed = describeConnectors(config);
    expect(listed.filter((entry) => entry.source === 'built-in').map((entry) => entry.id)).toEqual(Object.keys(builtInConnectors));
    const custom = listed.filter((entry) => entry.source === 'custom');
    expect(custom).toEqual([expect.objectContaining({ instance: 'hr', id: 'hr-export', module: join(ROOT, 'config/examples/hr-export/connector.ts') })]);
    expect(custom[0]?.streams.map((stream) => `${stream.name}:${stream.type}:${stream.kind}`)).toEqual(['lifecycle:event:personnel.event']);
  });

  it('lists only the built-in connectors without a config', () => {
    expect(describeConnectors(null).every((entry) => entry.source === 'built-in')).toBe(true);
  });
});

describe('evidentia connectors new', () => {
  it('derives the title and the token variable from the name, and refuses names a connector id cannot have', () => {
    expect(scaffoldNames('acme-hr', [])).toEqual({ id: 'acme-hr', title: 'Acme Hr', envVar: 'ACME_HR_TOKEN' });
    for (const bad of ['Acme', '1acme', 'acme_hr', 'acme-', 'acme hr', '']) expect(() => scaffoldNames(bad, [])).toThrow(UsageError);
    expect(() => scaffoldNames('github', ['github'])).toThrow(/built-in connector's id/);
  });

  it('writes the whole package into a new folder, or an empty one', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'evidentia-scaffold-'));
    const { files } = await scaffoldConnector('acme-hr', join(parent, 'acme-hr'));
    expect(files.sort()).toEqual(['README.md', 'fixtures/users.json', 'jest.config.js', 'package.json', 'src/client.ts', 'src/config.ts', 'src/index.test.ts', 'src/index.ts', 'src/normalize.ts', 'src/schema.ts', 'tsconfig.json']);
    const manifest = JSON.parse(await readFile(join(parent, 'acme-hr/package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(manifest.dependencies).sort()).toEqual(['@evidentia/sdk', 'zod']);
    expect(Object.values(manifest.dependencies).some((range) => range.startsWith('workspace:'))).toBe(false);
    const readme = await readFile(join(parent, 'acme-hr/README.md'), 'utf8');
    expect(readme).toContain('token: ${env:ACME_HR_TOKEN}');
    expect(readme).toMatch(/## Permissions[\s\S]*## Config[\s\S]*## Streams/);
    // No staging folder is left beside it, and the folder is not private to its maker.
    expect(await readdir(parent)).toEqual(['acme-hr']);
    expect((await stat(join(parent, 'acme-hr'))).mode & 0o055).not.toBe(0);

    await mkdir(join(parent, 'empty'));
    await scaffoldConnector('other', join(parent, 'empty'));
    expect((await readdir(join(parent, 'empty'))).sort()).toEqual(['README.md', 'fixtures', 'jest.config.js', 'package.json', 'src', 'tsconfig.json']);
  });

  it('refuses a folder that is not empty, or a file in the way, writing nothing', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'evidentia-scaffold-'));
    await mkdir(join(parent, 'taken'));
    await writeFile(join(parent, 'taken/notes.txt'), 'mine');
    await expect(scaffoldConnector('acme-hr', join(parent, 'taken'))).rejects.toThrow(/not empty; nothing was written/);
    expect(await readdir(join(parent, 'taken'))).toEqual(['notes.txt']);
    await writeFile(join(parent, 'file'), 'x');
    await expect(scaffoldConnector('acme-hr', join(parent, 'file'))).rejects.toThrow(UsageError);
    expect((await readdir(parent)).sort()).toEqual(['file', 'taken']);
  });
});

describe('evidentia connectors try: the verdict', () => {
  const outcome = (status: StreamOutcome['status'], error: string | null, apiTotal: number | null): StreamOutcome => ({
    status, error, apiTotal, requests: 2, records: 4, cursorBefore: null, cursorAfter: null, range: null, snapshots: 2, identity: null, gaps: [], itemGaps: [],
  });

  it('says complete only for a complete stream, and gives the reason otherwise', () => {
    expect(verdictLine(outcome('complete', null, 4))).toBe('complete: 4 records (the source reported 4), 2 requests');
    expect(verdictLine(outcome('complete', null, null))).toBe('complete: 4 records (the source reported no total), 2 requests');
    expect(verdictLine(outcome('partial', 'received 4 of 5 users the source reports', 5))).toBe('partial: received 4 of 5 users the source reports (4 records, 2 requests)');
    expect(verdictLine(outcome('failed', 'GET /users: HTTP 500', null))).toMatch(/^failed: GET \/users: HTTP 500/);
  });
});
