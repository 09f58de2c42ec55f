/**
 * `evidentia key rotate`: hand the locker's signing over to a new key,
 * recorded and signed by both keys. The new key comes from the custody the
 * config names; when that custody does not hold the key in effect (the
 * config now names a KMS key, or another key directory), the old key is
 * looked for in --from-keys, else the default key directory `init` uses.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { KeyDirectory } from '@evidentia/locker';
import { defaultKeysDir } from '../config/signing.js';
import { findConfig, openLockerFor } from '../context.js';
import { publishOutsideRun } from '../witness/index.js';
import type { Wrap } from './wrap.js';

export function registerKey(program: Command, wrap: Wrap): void {
  const key = program.command('key').description('the locker\'s signing key');
  key
    .command('rotate')
    .description('sign from now on with a new key (a new key file, or the KMS key the config names); the old key signs the hand-over')
    .option('--config <file>', 'configuration file')
    .option('--locker <dir>', 'locker directory')
    .option('--from-keys <dir>', 'the key directory holding the key in effect, when the config now names another custody (default: the default key directory)')
    .action(
      wrap(async (flags: { config?: string; locker?: string; fromKeys?: string }) => {
        // The witnesses hear of the rotation at once: a checkpoint signed by the new key, so a rotation undone is caught like a rollback.
        const config = await findConfig(flags, { credentials: false });
        const locker = await openLockerFor(flags, 'write');
        try {
          const previous = new KeyDirectory(flags.fromKeys ? resolve(flags.fromKeys) : defaultKeysDir());
          const rotation = await locker.rotateKey(previous);
          const witnessed = await publishOutsideRun(locker, config);
          process.stdout.write(
            [
              `rotated the signing key of ${locker.dir} (rotation ${rotation.sequence}): ${rotation.from} -> ${rotation.to}`,
              `the new key signs from manifest ${rotation.effectiveFrom} on; its private key: ${rotation.location}`,
              'verify --public-key with the locker\'s first key (keys/signing.pub) follows the rotation',
              ...(witnessed.checkpoint ? [`checkpoint #${witnessed.checkpoint.checkpoint.sequence} published, signed by the new key`] : []),
            ].join('\n') + '\n',
          );
          return 0;
        } finally {
          await locker.close();
        }
      }),
    );
}
