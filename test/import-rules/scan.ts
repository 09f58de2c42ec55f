/**
 * The workspace's import graph, read from the sources: every TypeScript file
 * under packages/<name>/src, connectors/<name>/src and collector/src, each
 * import or re-export resolved to the file (relative specifiers) or the
 * workspace package (`@evidentia/...`) it names. Imports of anything else
 * (node:, zod, ...) are left out: the rules are about our own rooms.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** A room of the workspace: a package or connector folder, or the collector. */
export interface Room {
  /** Folder relative to the workspace root, e.g. `packages/audit`, `connectors/github`, `collector`. */
  dir: string;
  /** Its package name, e.g. `@evidentia/audit`. */
  name: string;
}

export interface ImportEdge {
  /** As written, e.g. `../checks/define.js` or `@evidentia/sdk`. */
  specifier: string;
  /** The room it reaches; null for a relative path that leaves every room. */
  room: Room | null;
  /** The file it reaches (relative to the root), for relative specifiers that resolve to one. */
  file: string | null;
  typeOnly: boolean;
}

export interface SourceFile {
  /** Relative to the workspace root, with forward slashes. */
  file: string;
  room: Room;
  imports: ImportEdge[];
}

const ROOM_PARENTS = ['packages', 'connectors'];
const IMPORT = /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?'([^']+)'|import\(\s*'([^']+)'\s*\)/g;

async function rooms(root: string): Promise<Room[]> {
  const dirs = ['collector'];
  for (const parent of ROOM_PARENTS) {
    if (!existsSync(join(root, parent))) continue;
    for (const entry of await readdir(join(root, parent), { withFileTypes: true })) if (entry.isDirectory()) dirs.push(`${parent}/${entry.name}`);
  }
  const found: Room[] = [];
  for (const dir of dirs) {
    const manifest = join(root, dir, 'package.json');
    if (existsSync(manifest)) found.push({ dir, name: (JSON.parse(await readFile(manifest, 'utf8')) as { name: string }).name });
  }
  return found;
}

async function sources(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) files.push(join(entry.parentPath, entry.name));
  }
  return files.sort();
}

function slash(path: string): string {
  return path.split(sep).join('/');
}

function roomOf(file: string, all: Room[]): Room | null {
  return all.find((room) => file.startsWith(`${room.dir}/`)) ?? null;
}

function resolveRelative(root: string, from: string, specifier: string): string | null {
  const base = resolve(root, dirname(from), specifier);
  for (const candidate of [base.replace(/\.js$/, '.ts'), base, `${base}.ts`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && candidate.endsWith('.ts')) return slash(relative(root, candidate));
  }
  return null;
}

/** Read every source file of the workspace at `root` with its imports of our own code. */
export async function scanWorkspace(root: string): Promise<SourceFile[]> {
  const all = await rooms(root);
  const files: SourceFile[] = [];
  for (const room of all) {
    for (const path of await sources(join(root, room.dir, 'src'))) {
      const file = slash(relative(root, path));
      const text = await readFile(path, 'utf8');
      const imports: ImportEdge[] = [];
      for (const match of text.matchAll(IMPORT)) {
        const specifier = match[3] ?? match[4] ?? '';
        const typeOnly = match[2] !== undefined;
        if (specifier.startsWith('.')) {
          const target = resolveRelative(root, file, specifier);
          const targetPath = target ?? slash(relative(root, resolve(root, dirname(file), specifier)));
          imports.push({ specifier, room: roomOf(targetPath, all), file: target, typeOnly });
        } else if (specifier.startsWith('@evidentia/')) {
          const name = specifier.split('/').slice(0, 2).join('/');
          imports.push({ specifier, room: all.find((candidate) => candidate.name === name) ?? { dir: '?', name }, file: null, typeOnly });
        }
      }
      files.push({ file, room, imports });
    }
  }
  return files;
}
