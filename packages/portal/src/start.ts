/**
 * Starting the portal: the settings judged before anything listens (users,
 * audit periods, check settings), then the app on `host:port` (port 0 picks
 * a free one). Cookies are Secure unless the portal listens on the loopback
 * address: elsewhere it is meant to sit behind an HTTPS reverse proxy.
 */
import { type AuditConfig, UsageError } from '@evidentia/audit';
import type { Locker } from '@evidentia/locker';
import type { AddressInfo } from 'node:net';
import { buildPortalApp } from './app.js';
import { AuditLog, type PortalLogSink } from './audit-log.js';
import { Judgements } from './judgements.js';
import { PeriodAccess } from './periods.js';
import type { PortalSettings } from './settings.js';
import type { VerifyStarter } from './verify-runs.js';

export interface StartOptions {
  locker: Locker;
  config: AuditConfig;
  settings: PortalSettings;
  /** host:port, e.g. 127.0.0.1:8080 */
  listen: string;
  log: (line: string) => void;
  /** Starts `evidentia verify` over the same locker (see VerifyStarter). */
  verify?: VerifyStarter;
  /** Stores the portal's audit-log events in the locker (a handle opened for writing: appendPortalLog). */
  portalLog: PortalLogSink;
}

export interface RunningPortal {
  url: string;
  secureCookies: boolean;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** host and port of `--listen`; a usage error names what was wrong. */
export function listenAddress(text: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text.trim());
  const port = Number(match?.[3]);
  if (!match || port > 65_535) throw new UsageError(`--listen ${text}: expected host:port, e.g. 127.0.0.1:8080`);
  return { host: (match[1] ?? match[2])!, port };
}

export async function startPortal(options: StartOptions): Promise<RunningPortal> {
  const { host, port } = listenAddress(options.listen);
  const { settings, config } = options;
  if (settings.users.length === 0) throw new UsageError(`${config.file}: portal.users is empty: add a user with a hash from \`evidentia serve hash-password\``);
  const periods = new PeriodAccess(config, settings);
  const problems = periods.problems();
  if (problems.length > 0) throw new UsageError(`${config.file}: ${problems.join('; ')}`);
  const judgements = await Judgements.create(options.locker, config);
  const secureCookies = !LOOPBACK.has(host);
  const app = await buildPortalApp({ settings, periods, judgements, secureCookies, log: options.log, verify: options.verify, auditLog: new AuditLog(options.portalLog, options.log) });
  try {
    await app.listen({ host, port });
  } catch (error) {
    throw new UsageError(`--listen ${options.listen}: ${(error as Error).message}`);
  }
  const address = app.server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { url: `http://${shown}:${address.port}/`, secureCookies, close: () => app.close() };
}
