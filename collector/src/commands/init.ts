/** `evidentia init`: create the evidence locker, with its private signing key kept outside it. */
import type { Command } from 'commander';
import { initLockerAt, lockerLocationOf } from '../context.js';
import type { Wrap } from './wrap.js';

export function registerInit(program: Command, wrap: Wrap): void {
  program
    .command('init')
    .description('create an evidence locker (SQLite metadata, object store, public signing key; the private key is kept outside, see signing: in the config)')
    .option('--locker <dir>', 'locker directory (default: the config\'s locker, else ./locker)')
    .option('--config <file>', 'configuration file')
    .action(
      wrap(async (options: { locker?: string; config?: string }) => {
        const { dir, custody } = await lockerLocationOf(options);
        const result = await initLockerAt(dir, custody);
        const lines = [
          `${result.created ? 'created' : 'already exists:'} evidence locker ${result.dir}`,
          `signing key fingerprint (SHA-256): ${result.keyId}`,
          ...(result.keyLocation ? [`private key: ${result.keyLocation} (outside the locker, which holds only keys/signing.pub: back it up, or the locker cannot be written)`] : []),
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
        return 0;
      }),
    );
}
