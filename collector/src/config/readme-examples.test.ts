/**
 * Every configuration shown to users is one the loader accepts: each YAML
 * block of the README, the connector guide and the connector READMEs, and the
 * full example in config/examples, is read by the real loadConfig (secret
 * references checked for form, not resolved). A block may be a fragment: one
 * whose top-level keys are connector names is placed under `connectors:`.
 * Custom connectors named by a path in a block need not exist.
 */
import { describe, expect, it } from '@jest/globals';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ConfigError } from '@evidentia/audit';
import { ConfigFile } from './schema.js';
import { loadConfig } from './load.js';

const ROOT = process.cwd();
const TOP_LEVEL_KEYS = new Set(Object.keys(ConfigFile.shape));

async function documentsWithYaml(): Promise<string[]> {
  const connectors = await readdir(join(ROOT, 'connectors'), { withFileTypes: true });
  return ['README.md', 'connectors/README.md', ...connectors.filter((entry) => entry.isDirectory()).map((entry) => `connectors/${entry.name}/README.md`)];
}

/** The fenced YAML blocks of a Markdown file, with the line each starts on. */
function yamlBlocks(markdown: string): Array<{ line: number; text: string }> {
  const blocks: Array<{ line: number; text: string }> = [];
  const lines = markdown.split('\n');
  for (let at = 0; at < lines.length; at++) {
    if (lines[at]?.trim() !== '```yaml') continue;
    const end = lines.findIndex((line, index) => index > at && line.trim() === '```');
    blocks.push({ line: at + 1, text: lines.slice(at + 1, end).join('\n') });
    at = end;
  }
  return blocks;
}

/** A block as a whole config file: a fragment of connector entries goes under `connectors:`. */
function asConfigFile(text: string): string {
  const document = parse(text) as Record<string, unknown> | null;
  const keys = Object.keys(document ?? {});
  if (keys.length > 0 && keys.every((key) => TOP_LEVEL_KEYS.has(key))) return document?.connectors ? text : `${text}\nconnectors: {}\n`;
  const indent = /^( *)\S/m.exec(text)?.[1]?.length ?? 0;
  const reindented = text.split('\n').map((line) => (line.trim() === '' ? line : `  ${line.slice(indent)}`));
  return `connectors:\n${reindented.join('\n')}\n`;
}

/** The loader's problems with a config file, leaving out custom connector modules that do not exist here. */
async function problemsOf(file: string): Promise<string[]> {
  try {
    await loadConfig(file, {}, { credentials: false });
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.filter((problem) => !/\.module$/.test(problem.path)).map((problem) => `${problem.path}: ${problem.message}`);
  }
}

describe('configuration examples in the documentation', () => {
  it('every YAML block is accepted by the loader', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'evidentia-readme-config-'));
    const rejected: string[] = [];
    let tried = 0;
    for (const document of await documentsWithYaml()) {
      const markdown = await readFile(join(ROOT, document), 'utf8').catch(() => '');
      for (const block of yamlBlocks(markdown)) {
        const file = join(dir, `block-${++tried}.yaml`);
        try {
          await writeFile(file, asConfigFile(block.text));
        } catch (error) {
          rejected.push(`${document}:${block.line}: not YAML: ${(error as Error).message.split('\n')[0]}`);
          continue;
        }
        for (const problem of await problemsOf(file)) rejected.push(`${document}:${block.line}: ${problem}`);
      }
    }
    expect(rejected).toEqual([]);
    // Every connector README shows its configuration, so an empty walk is a broken walk.
    expect(tried).toBeGreaterThanOrEqual(10);
  });

  it('the full example in config/examples loads, its custom connector included', async () => {
    const config = await loadConfig(join(ROOT, 'config/examples/evidentia.yaml'), {}, { credentials: false });
    expect(config.instances.map((instance) => instance.id)).toContain('hr');
  });

  it('a block the loader rejects is reported with its file and line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'evidentia-readme-config-'));
    const file = join(dir, 'wrong.yaml');
    await writeFile(file, asConfigFile(yamlBlocks('text\n```yaml\ngithub:\n  type: github\n  org: acme-corp\n```\n')[0]?.text ?? ''));
    expect(await problemsOf(file)).toEqual([expect.stringMatching(/^connectors\.github/)]);
  });
});
