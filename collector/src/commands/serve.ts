/**
 * `evidentia serve [--listen 127.0.0.1:8080]`: the read-only portal over the
 * locker (packages/portal), opened for reading as every reading command
 * opens it, plus a second handle for writing its audit log (the portal-log
 * chain), until SIGTERM or SIGINT (then exit 0). `evidentia serve
 * hash-password` reads a password from standard input and prints the hash
 * to put in the config's `portal.users`.
 */
import type { Command } from 'commander';
import { UsageError } from '@evidentia/audit';
import { hashPassword, PortalSettings, startPortal } from '@evidentia/portal';
import { lockerOf, requireConfig } from '../context.js';
import { verifyStarter } from './serve-verify.js';
import type { Wrap } from './wrap.js';

interface ServeFlags {
  config?: string;
  locker?: string;
  listen: string;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function registerServe(program: Command, wrap: Wrap): void {
  const serve = program
    .command('serve')
    .description('serve the read-only portal (readiness, exceptions, runs) to the users in the config\'s portal: section, until stopped (SIGTERM/SIGINT)')
    .option('--config <file>', 'configuration file (default ./evidentia.yaml)')
    .option('--locker <dir>', "locker directory (default: the config's locker)")
    .option('--listen <host:port>', 'address to listen on; cookies are Secure (HTTPS only) unless it is the loopback address (there, when the proxy portal.trustProxy trusts says https)', '127.0.0.1:8080')
    .action(
      wrap(async (flags: ServeFlags) => {
        // Only the portal's own secret (the OIDC client secret) is resolved: connectors' credentials stay unread.
        const config = await requireConfig(flags, { credentials: 'portal' });
        const locker = await lockerOf(flags, config);
        // The portal's audit log is the one thing it writes: through a second handle, opened for writing.
        const writer = await lockerOf(flags, config, 'write').catch(async (error: unknown) => {
          await locker.close();
          throw error;
        });
        try {
          const portal = await startPortal({ locker, config, settings: config.portal ?? PortalSettings.parse({}), listen: flags.listen, log: (line) => process.stderr.write(`${line}\n`), verify: verifyStarter(flags.locker ?? config.lockerDir, config.file), portalLog: (events) => writer.appendPortalLog(events) });
          process.stdout.write(`portal: ${portal.url} (locker opened read-only; ${portal.secureCookies ? 'Secure cookies: serve it behind HTTPS' : 'loopback: cookies Secure only when a portal.trustProxy proxy says https'}); stop with Ctrl-C\n`);
          await new Promise<void>((resolve) => {
            const onSignal = () => {
              process.off('SIGTERM', onSignal);
              process.off('SIGINT', onSignal);
              resolve();
            };
            process.on('SIGTERM', onSignal);
            process.on('SIGINT', onSignal);
          });
          await portal.close();
          return 0;
        } finally {
          await locker.close();
          await writer.close();
        }
      }),
    );
  serve
    .command('hash-password')
    .description("read a password from standard input (one line) and print its scrypt hash for the config's portal.users")
    .action(
      wrap(async () => {
        const password = (await readStdin()).replace(/\r?\n$/, '');
        if (password.length === 0) throw new UsageError('hash-password: no password on standard input (e.g. `read -rs PW; printf %s "$PW" | evidentia serve hash-password`)');
        process.stdout.write(`${await hashPassword(password)}\n`);
        return 0;
      }),
    );
}
