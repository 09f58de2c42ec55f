// Run by `pnpm pack` / `npm pack` in a workspace package (its "prepack" script): lays into the package the
// files it ships but does not keep in git: the workspace's LICENSE, and for the CLI the README and the
// example HR connector `evidentia demo` loads (config/examples/hr-export, outside the CLI's folder).
import { copyFileSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const here = process.cwd();
copyFileSync(join(root, 'LICENSE'), join(here, 'LICENSE'));
if (basename(here) === 'collector') {
  copyFileSync(join(root, 'README.md'), join(here, 'README.md'));
  mkdirSync(join(here, 'demo/hr-export'), { recursive: true });
  for (const file of ['connector.ts', 'people.json']) copyFileSync(join(root, 'config/examples/hr-export', file), join(here, 'demo/hr-export', file));
}
