// Runs many `evidentia` command lines in one process, the way collector/bin/evidentia.js runs one:
// the same tsx and "source" hooks, the same main(). Starting the TypeScript CLI costs seconds, so a
// test that walks a hundred error paths (error-paths.e2e.test.ts) starts it once.
// Input: a JSON file of {args, cwd} cases (argv[2]). Output: a JSON array of {code, stdout, stderr}.
import { readFileSync } from 'node:fs';
import { register } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';

register('../collector/bin/source-condition.js', import.meta.url);
registerTsx();
const { main } = await import('../collector/src/main.ts');

const CASE_TIMEOUT_MS = 60_000;
const cases = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const write = { stdout: process.stdout.write.bind(process.stdout), stderr: process.stderr.write.bind(process.stderr) };
const results = [];
for (const { args, cwd } of cases) {
  const output = { stdout: '', stderr: '' };
  for (const name of ['stdout', 'stderr']) {
    process[name].write = (chunk) => {
      output[name] += String(chunk);
      return true;
    };
  }
  process.chdir(cwd);
  let timer;
  const timeout = new Promise((resolve) => (timer = setTimeout(() => resolve(null), CASE_TIMEOUT_MS)));
  const code = await Promise.race([main(['node', 'evidentia', ...args]), timeout]).catch((error) => `threw ${error?.stack ?? error}`);
  clearTimeout(timer);
  results.push({ code, ...output });
}
write.stdout(JSON.stringify(results));
// A case that timed out may still hold a server or a timer open.
process.exit(0);
