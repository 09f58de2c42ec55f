/**
 * The portal's verify: `evidentia verify` over the served locker, run as a
 * child process of this same CLI, so the runs page shows the command's own
 * messages (witnesses included) and re-hashing the locker never holds up the
 * portal's event loop. What it prints is kept up to MAX_OUTPUT, and a cut says so.
 */
import { spawn } from 'node:child_process';
import type { VerifyStarter } from '@evidentia/portal';

const MAX_OUTPUT = 1_000_000;

export function verifyStarter(lockerDir: string | undefined, configFile: string): VerifyStarter {
  const args = [...process.execArgv, process.argv[1]!, 'verify', '--config', configFile, ...(lockerDir ? ['--locker', lockerDir] : [])];
  return (signal) =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, args, { signal, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      let cut = false;
      const keep = (chunk: Buffer) => {
        if (output.length >= MAX_OUTPUT) return void (cut = true);
        output += chunk.toString('utf8');
      };
      child.stdout.on('data', keep);
      child.stderr.on('data', keep);
      child.on('error', (error) => (error.name === 'AbortError' ? undefined : reject(error)));
      child.on('close', (code) => resolve({ code, output: cut ? `${output}\n(output cut at ${MAX_OUTPUT} characters: run \`evidentia verify\` for all of it)\n` : output }));
    });
}
