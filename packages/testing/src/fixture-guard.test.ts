/**
 * The repo-wide guard: no committed fixture or config holds a real-looking
 * credential. Fixtures must use `[redacted]` or a repeated-character token.
 */
import { describe, it, expect } from '@jest/globals';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scanFixtureTree } from './index.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
/** Each connector keeps its cassettes in connectors/<name>/fixtures; shared ones would sit in fixtures/. */
const connectorFixtures = readdirSync(join(repoRoot, 'connectors'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(repoRoot, 'connectors', entry.name, 'fixtures')))
  .map((entry) => `connectors/${entry.name}/fixtures`);

describe('committed fixtures and configs', () => {
  it('resolves the repository root', () => {
    expect(existsSync(join(repoRoot, 'pnpm-workspace.yaml'))).toBe(true);
  });

  it('finds the connectors\' fixtures', () => {
    expect(connectorFixtures).toEqual(expect.arrayContaining(['connectors/github/fixtures', 'connectors/aws/fixtures']));
  });

  it.each(['fixtures', 'config', ...connectorFixtures])('%s/ holds no real-looking secret', async (folder) => {
    const dir = join(repoRoot, folder);
    // A folder gone missing or emptied would pass with nothing scanned: each is a required part of the repository.
    expect(readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).length).toBeGreaterThan(0);
    const results = await scanFixtureTree(dir);
    const report = results.flatMap(({ file, findings }) => findings.map((finding) => `${relative(repoRoot, file)}:${finding.line}: ${finding.pattern}: ${finding.excerpt}`));
    expect(report).toEqual([]);
  });
});
