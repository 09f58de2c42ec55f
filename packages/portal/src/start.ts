/**
 * Starting the portal: the settings judged before anything listens (users,
 * audit periods, check settings), then the app on `host:port` (port 0 picks
 * a free one). Cookies are Secure unless the portal listens on the loopback
 * address: elsewhere it is meant to sit behind an HTTPS reverse proxy. On
 * loopback (a proxy on the same host) they are Secure for the answers the
 * trusted proxy says went out over https.
 */
import { type AuditConfig, UsageError } from '@evidentia/audit';
import type { Locker } from '@evidentia/locker';
import type { AddressInfo } from 'node:net';
import { buildPortalApp } from './app.js';
import { AuditLog, type PortalLogSink } from './audit-log.js';
import { Judgements } from './judgements.js';
import { OidcSignIn } from './oidc.js';
import { oidcProblems } from './oidc-roles.js';
import { PeriodAccess } from './periods.js';
import type { PortalSettings } from './settings.js';
import type { VerifyStarter } from './verify-runs.js';

export interface StartOptions {
  locker: Locker;
  config: AuditConfig;
  settings: PortalSettings;
  /** host:port, e.g. 127.0.0.1:8080 */
  listen: string;
  /** The option that gave `listen`, for messages (default --listen). */
  listenOption?: string;
  log: (line: string) => void;
  /** The daemon's health snapshot, when the portal runs inside it (`daemon --serve`). */
  health?: () => { status: string };
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
export const JUDGING_WAIT_ENV = 'EVIDENTIA_PORTAL_JUDGING_WAIT_MS';

/** How long a page waits for a period's judgement before it answers "Judging the period" (the app's default when unset). */
export function judgingWaitFrom(env: NodeJS.ProcessEnv): number | undefined {
  const text = env[JUDGING_WAIT_ENV];
  if (text === undefined || text === '') return undefined;
  const ms = Number(text);
  if (!Number.isSafeInteger(ms) || ms < 0) throw new UsageError(`${JUDGING_WAIT_ENV}=${text}: expected a whole number of milliseconds`);
  return ms;
}

/** host and port of `--listen` (or the option `option` names); a usage error names what was wrong. */
export function listenAddress(text: string, option = '--listen'): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text.trim());
  const port = Number(match?.[3]);
  if (!match || port > 65_535) throw new UsageError(`${option} ${text}: expected host:port, e.g. 127.0.0.1:8080`);
  return { host: (match[1] ?? match[2])!, port };
}

export async function startPortal(options: StartOptions): Promise<RunningPortal> {
  const option = options.listenOption ?? '--listen';
  const { host, port } = listenAddress(options.listen, option);
  const { settings, config } = options;
  if (settings.users.length === 0 && !settings.oidc) throw new UsageError(`${config.file}: portal.users is empty and portal.oidc is not set: add a user with a hash from \`evidentia serve hash-password\`, or OIDC sign-in`);
  const periods = new PeriodAccess(config, settings);
  const problems = [...periods.problems(), ...(settings.oidc ? oidcProblems(settings.oidc, settings.auditPeriods) : [])];
  if (problems.length > 0) throw new UsageError(`${config.file}: ${problems.join('; ')}`);
  // The IdP is asked before anything listens: a wrong issuer is said at start, not at the first sign-in.
  const oidc = settings.oidc ? await OidcSignIn.discover(settings.oidc).catch((error: Error) => Promise.reject(new UsageError(`${config.file}: ${error.message}`))) : undefined;
  const judgingWaitMs = judgingWaitFrom(process.env);
  const judgements = await Judgements.create(options.locker, config);
  const secureCookies = !LOOPBACK.has(host);
  const app = await buildPortalApp({
    settings, periods, judgements, secureCookies, log: options.log, verify: options.verify, auditLog: new AuditLog(options.portalLog, options.log),
    ...(oidc ? { oidc } : {}), ...(options.health ? { health: options.health } : {}), ...(judgingWaitMs === undefined ? {} : { judgingWaitMs }),
  });
  try {
    await app.listen({ host, port });
  } catch (error) {
    throw new UsageError(`${option} ${options.listen}: ${(error as Error).message}`);
  }
  const address = app.server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { url: `http://${shown}:${address.port}/`, secureCookies, close: () => app.close() };
}
