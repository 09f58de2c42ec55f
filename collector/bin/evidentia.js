#!/usr/bin/env node
// Launcher for the `evidentia` CLI. It runs the compiled JavaScript in dist/ (`tsc -b`, which `pnpm install`
// runs in the workspace through its prepare script). Without a current build (a source edited since, or
// none), or with EVIDENTIA_FROM_SOURCE=1, it runs the TypeScript sources instead: tsx transpiles on load,
// and the "source" export condition makes the sibling @evidentia/* packages resolve to their src/index.ts.
import { register } from 'node:module';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { compiledIsCurrent } from './compiled.js';

// The AWS SDK announces on every start that it will drop Node 20 in 2027; evidentia pins SDK versions that
// support it (see STACK.md), so that notice is noise on a terminal. Every other warning still prints.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = (warning, ...rest) => {
  if (String(warning).startsWith('NodeVersionSupportWarning')) return;
  emitWarning(warning, ...rest);
};

// V8 otherwise lets the heap grow to several times what is live before it collects: `check` over 100,000
// records, which holds little at a time (it runs in a 40 MB heap), peaked at 257 MiB resident, 165 MiB with
// this and no slower (issue 15: ≤ 200 MB; `pnpm bench memory`). Set before any command module loads.
setFlagsFromString('--optimize-for-size');

// A reader that stops early (`evidentia records | head`) closes the pipe: like any Unix tool, stop quietly
// instead of crashing on the next write. A collection cut short this way rolls back like any interruption.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}

// `pnpm evidentia …` runs this script from the workspace root, but the user's paths (`--locker ./x`,
// `--config`, `--out`) mean the folder they typed the command in, which pnpm and npm pass as INIT_CWD.
if (process.env.npm_lifecycle_event === 'evidentia' && process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);

async function fromSource() {
  register('./source-condition.js', import.meta.url);
  (await import('tsx/esm/api')).register();
  return import('../src/main.ts');
}

const compiled = process.env.EVIDENTIA_FROM_SOURCE !== '1' && compiledIsCurrent(fileURLToPath(new URL('..', import.meta.url)));
const { main } = await (compiled ? import('../dist/main.js') : fromSource());
process.exitCode = await main(process.argv);
