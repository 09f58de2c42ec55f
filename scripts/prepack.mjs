// Run by `pnpm pack` / `npm pack` in a workspace package (its "prepack" script): lays into the package the
// files it ships but does not keep in git: the workspace's LICENSE, and for the CLI the README and the
// example HR connector `evidentia demo` loads (config/examples/hr-export, outside the CLI's folder).
// It also drops the "source" export condition from the package.json that is packed: in the workspace it
// points the CLI running from its sources at src/*.ts, which no tarball ships. The workspace's own
// package.json is kept aside and put back by scripts/postpack.mjs.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withoutSourceCondition } from './pack-manifest.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const here = process.cwd();
copyFileSync(join(root, 'LICENSE'), join(here, 'LICENSE'));
if (basename(here) === 'collector') {
  copyFileSync(join(root, 'README.md'), join(here, 'README.md'));
  mkdirSync(join(here, 'demo/hr-export'), { recursive: true });
  for (const file of ['connector.ts', 'people.json']) copyFileSync(join(root, 'config/examples/hr-export', file), join(here, 'demo/hr-export', file));
}
const manifest = join(here, 'package.json');
const kept = join(here, 'package.json.workspace');
// A pack that died before postpack left the workspace's manifest aside: that one is the original.
if (!existsSync(kept)) copyFileSync(manifest, kept);
const text = readFileSync(kept, 'utf8');
writeFileSync(manifest, `${JSON.stringify(withoutSourceCondition(JSON.parse(text)), null, 2)}\n`);
