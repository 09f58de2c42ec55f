#!/usr/bin/env node
// Launcher for the `evidentia` CLI. The workspace runs its TypeScript sources
// directly (no build step between `pnpm install` and `pnpm evidentia`): tsx
// transpiles on load, and the "source" export condition makes the sibling
// @evidentia/* packages resolve to their src/index.ts.
import { register } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';

// The AWS SDK announces on every start that it will drop Node 20 in 2027; evidentia pins SDK versions that
// support it (see STACK.md), so that notice is noise on a terminal. Every other warning still prints.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = (warning, ...rest) => {
  if (String(warning).startsWith('NodeVersionSupportWarning')) return;
  emitWarning(warning, ...rest);
};

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

register('./source-condition.js', import.meta.url);
registerTsx();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv);
