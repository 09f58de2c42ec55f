// Run after `pnpm pack` / `npm pack` (a workspace package's "postpack" script): puts back the workspace's
// package.json that scripts/prepack.mjs kept aside while the packed one was written.
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';

const kept = join(process.cwd(), 'package.json.workspace');
if (existsSync(kept)) renameSync(kept, join(process.cwd(), 'package.json'));
