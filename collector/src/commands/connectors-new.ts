/**
 * `evidentia connectors new NAME [--dir DIR]`: scaffold a custom connector
 * package that works as generated (its test passes against its cassette,
 * `connectors try` and `collect` load it from a config). The folder is built
 * beside its destination and renamed into place when whole, so a failure
 * leaves no half-written connector; an existing non-empty folder is refused.
 */
import { chmod, mkdir, mkdtemp, readdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '@evidentia/audit';
import { BUILT_IN_CONNECTOR_IDS } from '../built-in-connectors.js';
import { connectorSources } from '../scaffold/connector-code.js';
import { connectorPackageFiles } from '../scaffold/connector-package.js';
import { scaffoldNames, type ScaffoldNames } from '../scaffold/names.js';
import type { Wrap } from './wrap.js';

/** Whether `dir` can receive the scaffold: absent, or an empty folder. */
async function checkDestination(dir: string): Promise<'absent' | 'empty'> {
  const found = await stat(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (!found) return 'absent';
  if (!found.isDirectory()) throw new UsageError(`--dir ${dir}: a file is in the way; choose a folder that does not exist yet`);
  if ((await readdir(dir)).length > 0) throw new UsageError(`--dir ${dir}: the folder is not empty; nothing was written (choose a new folder)`);
  return 'empty';
}

/** Write `files` into `dir` through a sibling folder renamed into place when every file is written. */
async function writeScaffold(dir: string, files: Record<string, string>, destination: 'absent' | 'empty'): Promise<void> {
  await mkdir(dirname(dir), { recursive: true });
  const staging = await mkdtemp(join(dirname(dir), `.${basename(dir)}-`));
  try {
    // mkdtemp makes the folder private; the connector is source code, as readable as any folder the user creates.
    await chmod(staging, 0o777 & ~process.umask());
    for (const [path, text] of Object.entries(files)) {
      await mkdir(dirname(join(staging, path)), { recursive: true });
      await writeFile(join(staging, path), text);
    }
    if (destination === 'empty') await rmdir(dir);
    await rename(staging, dir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

/** Write connector `name`'s package into `dir` (absent or empty); the paths written, relative to `dir`. */
export async function scaffoldConnector(name: string, dir: string): Promise<{ names: ScaffoldNames; files: string[] }> {
  const names = scaffoldNames(name, BUILT_IN_CONNECTOR_IDS);
  const destination = await checkDestination(dir);
  const files = { ...connectorPackageFiles(names, basename(dir)), ...connectorSources(names) };
  await writeScaffold(dir, files, destination);
  return { names, files: Object.keys(files) };
}

export function registerConnectorsNew(connectors: Command, wrap: Wrap): void {
  connectors
    .command('new')
    .description('scaffold a custom connector package: config schema, one paginated stream, a recorded-cassette test, README')
    .argument('<name>', 'connector id: lower-case letters, digits and dashes (e.g. acme-hr)')
    .option('--dir <dir>', 'folder to create (default: ./NAME)')
    .action(
      wrap(async (name: string, flags: { dir?: string }) => {
        const dir = resolve(flags.dir ?? name);
        const { names, files } = await scaffoldConnector(name, dir);
        const shown = relative(process.cwd(), dir) || '.';
        process.stdout.write(
          [
            `created connector ${names.id} in ${shown}:`,
            ...files.map((path) => `  ${path}`),
            'next:',
            `  cd ${shown} && npm install && npm test       (replays fixtures/users.json)`,
            `  add it to evidentia.yaml with module: ./${basename(dir)}/src/index.ts (README.md shows the entry), then`,
            `  evidentia connectors try --connector ${names.id} --stream users --cassette ${join(shown, 'fixtures/users.json')}`,
            '',
          ].join('\n'),
        );
        return 0;
      }),
    );
}
