// Whether the launcher can run the compiled JavaScript in dist/. An installed package holds only dist/;
// a checkout holds sources too, and its build is used only while it is current: every TypeScript source
// of the CLI and the workspace packages it runs is older than its project's last `tsc -b` (which writes
// dist/.tsbuildinfo last). A source edited since then makes the launcher run the sources through tsx,
// so a stale build is never what runs.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The newest modification time of the files under `dir` (0 when it has none). */
function newestFile(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** Each TypeScript project of the workspace around `collectorDir`: the CLI and the packages and connectors beside it. */
function workspaceProjects(collectorDir) {
  const root = join(collectorDir, '..');
  if (!existsSync(join(root, 'pnpm-workspace.yaml'))) return [collectorDir];
  const inside = (folder) => (existsSync(join(root, folder)) ? readdirSync(join(root, folder)).map((name) => join(root, folder, name)) : []);
  return [collectorDir, ...inside('packages'), ...inside('connectors')].filter((dir) => existsSync(join(dir, 'src')) && existsSync(join(dir, 'tsconfig.json')));
}

/** True when `collectorDir`'s dist/ exists and no source it was built from is newer than its build. */
export function compiledIsCurrent(collectorDir) {
  if (!existsSync(join(collectorDir, 'dist/main.js'))) return false;
  if (!existsSync(join(collectorDir, 'src'))) return true;
  return workspaceProjects(collectorDir).every((dir) => {
    const built = join(dir, 'dist/.tsbuildinfo');
    return existsSync(built) && newestFile(join(dir, 'src')) <= statSync(built).mtimeMs;
  });
}
