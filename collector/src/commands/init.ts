/** `evidentia init`: create the evidence locker and its signing key. */
import type { Command } from 'commander';
import { initLockerAt, lockerDirOf } from '../context.js';
import type { Wrap } from './wrap.js';

export function registerInit(program: Command, wrap: Wrap): void {
  program
    .command('init')
    .description('create an evidence locker (SQLite metadata, object store, Ed25519 signing key)')
    .option('--locker <dir>', 'locker directory (default: the config\'s locker, else ./locker)')
    .option('--config <file>', 'configuration file')
    .action(
      wrap(async (options: { locker?: string; config?: string }) => {
        const dir = await lockerDirOf(options);
        const result = await initLockerAt(dir);
        process.stdout.write(
          `${result.created ? 'created' : 'already exists:'} evidence locker ${result.dir}\nsigning key fingerprint (SHA-256): ${result.keyId}\n`,
        );
        return 0;
      }),
    );
}
