/** `evidentia key rotate`: hand the locker's signing over to a new key, recorded and signed by both keys. */
import type { Command } from 'commander';
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
    .action(
      wrap(async (flags: { config?: string; locker?: string }) => {
        // The witnesses hear of the rotation at once: a checkpoint signed by the new key, so a rotation undone is caught like a rollback.
        const config = await findConfig(flags, { credentials: false });
        const locker = await openLockerFor(flags, 'write');
        try {
          const rotation = await locker.rotateKey();
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
