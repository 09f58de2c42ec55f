/**
 * The layout's import rules hold for the whole workspace, and the checker
 * really catches a breach: a scratch workspace with one forbidden import of
 * each kind, and one circle, is reported file by file.
 */
import { describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { importCycles, layerViolations } from './import-rules/rules.js';
import { scanWorkspace } from './import-rules/scan.js';
import { REPO_ROOT } from './cli.js';


async function workspace(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'evidentia-imports-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

const pkg = (name: string) => JSON.stringify({ name });

describe('import rules', () => {
  it('hold for every source file of the workspace', async () => {
    const files = await scanWorkspace(REPO_ROOT);
    expect(files.map((file) => file.file)).toEqual(expect.arrayContaining(['packages/audit/src/index.ts', 'packages/publish/src/index.ts', 'connectors/github/src/index.ts', 'collector/src/main.ts']));
    expect(layerViolations(files)).toEqual([]);
    expect(importCycles(files)).toEqual([]);
  });

  it('report each forbidden import and each circle in a workspace that breaks them', async () => {
    const root = await workspace({
      'packages/sdk/package.json': pkg('@evidentia/sdk'),
      'packages/sdk/src/index.ts': 'export const sdk = 1;\n',
      'packages/locker/package.json': pkg('@evidentia/locker'),
      'packages/locker/src/index.ts': 'export const locker = 1;\n',
      'packages/evidence/package.json': pkg('@evidentia/evidence'),
      'packages/evidence/src/index.ts': "import type { Sdk } from '../../sdk/src/index.js';\nexport type Evidence = Sdk;\n",
      'packages/time/package.json': pkg('@evidentia/time'),
      'packages/time/src/index.ts': "export { evidence } from '@evidentia/evidence';\n",
      'packages/audit/package.json': pkg('@evidentia/audit'),
      'packages/audit/src/check.ts': "import { sdk } from '@evidentia/sdk';\nimport { locker } from '@evidentia/locker';\nimport { b } from './b.js';\nexport const a = sdk + locker + b;\n",
      'packages/audit/src/b.ts': "import type { a } from './check.js';\nexport const b: typeof a = 1;\n",
      'packages/publish/package.json': pkg('@evidentia/publish'),
      'packages/publish/src/index.ts': "const github = await import('@evidentia/connector-github');\nexport { github };\n",
      'connectors/github/package.json': pkg('@evidentia/connector-github'),
      'connectors/github/src/index.ts': "import {\n  locker,\n} from '@evidentia/locker';\nexport default locker;\n",
      'collector/package.json': pkg('@evidentia/collector'),
      'collector/src/main.ts': "import { sdk } from '@evidentia/sdk';\nimport { locker } from '@evidentia/locker';\nexport const main = sdk + locker;\n",
    });
    const files = await scanWorkspace(root);
    expect(layerViolations(files).sort()).toEqual([
      "connectors/github/src/index.ts: '@evidentia/locker' (connectors never import the locker)",
      "packages/audit/src/check.ts: '@evidentia/sdk' (@evidentia/audit never imports the SDK, a connector or the CLI)",
      "packages/evidence/src/index.ts: '../../sdk/src/index.js' (@evidentia/evidence imports nothing of ours)",
      "packages/publish/src/index.ts: '@evidentia/connector-github' (@evidentia/publish never imports the SDK, a connector or the CLI)",
      "packages/time/src/index.ts: '@evidentia/evidence' (@evidentia/time imports nothing of ours)",
    ]);
    expect(importCycles(files)).toEqual(['packages/audit/src/b.ts -> packages/audit/src/check.ts -> packages/audit/src/b.ts']);
  });
});
