// Whether the launcher can run the compiled JavaScript in dist/. An installed package holds only dist/;
// a checkout holds sources too, and its build is used only while it is current: every TypeScript source
// of the CLI and the workspace packages it runs (its tsconfig.json references) is older than its
// project's last `tsc -b` (which writes dist/.tsbuildinfo last). A source edited since then makes the
// launcher run the sources through tsx, so a stale build is never what runs.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The newest modification time of the files under `dir` (0 when it has none). */
function newestFile(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/**
 * The TypeScript projects the CLI's build is made of: `collectorDir` and every project its tsconfig.json
 * references, transitively (what `tsc -b collector` builds). Other projects of the workspace (tests, a
 * package the CLI does not run) do not decide whether the CLI's build is current.
 */
function builtProjects(collectorDir) {
  const found = new Set();
  const visit = (dir) => {
    const config = join(dir, 'tsconfig.json');
    if (found.has(dir) || !existsSync(config)) return;
    found.add(dir);
    for (const reference of JSON.parse(readFileSync(config, 'utf8')).references ?? []) {
      const target = resolve(dir, reference.path);
      visit(target.endsWith('.json') ? dirname(target) : target);
    }
  };
  visit(resolve(collectorDir));
  return [...found].filter((dir) => existsSync(join(dir, 'src')));
}

/** True when `collectorDir`'s dist/ exists and no source it was built from is newer than its build. */
export function compiledIsCurrent(collectorDir) {
  if (!existsSync(join(collectorDir, 'dist/main.js'))) return false;
  if (!existsSync(join(collectorDir, 'src'))) return true;
  return builtProjects(collectorDir).every((dir) => {
    const built = join(dir, 'dist/.tsbuildinfo');
    return existsSync(built) && newestFile(join(dir, 'src')) <= statSync(built).mtimeMs;
  });
}
