/**
 * The portal's audit log: every sign-in (and failed one), sign-out, page view, download
 * and verify started, written to the locker's signed, chained portal-log
 * chain (the one thing the portal writes). Events are recorded when the
 * answer is sent and appended in batches under the locker's writer lock;
 * while a collection run holds the lock the batch waits and is tried again,
 * so a run and the portal never write at once and no page waits for a run.
 * At close, events that still could not be stored are printed to the server
 * log, each whole: never dropped silently.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LockerBusyError, type PortalLogAction, type PortalLogInput } from '@evidentia/locker';
import { OIDC_CALLBACK_PATH } from './oidc-settings.js';
import type { PortalUser } from './settings.js';

/** Stores a batch of events (the locker's appendPortalLog). */
export type PortalLogSink = (events: readonly PortalLogInput[]) => Promise<number>;

const MAX_TARGET = 2_000;

export class AuditLog {
  private pending: PortalLogInput[] = [];
  private flushing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private waitingSaid = false;

  constructor(
    private readonly sink: PortalLogSink,
    private readonly log: (line: string) => void,
    /** How long a batch waits before it is stored, and before it is tried again when the writer lock is held. */
    private readonly delayMs = 1_000,
  ) {}

  record(event: PortalLogInput): void {
    this.pending.push({ ...event, target: event.target.slice(0, MAX_TARGET) });
    this.schedule();
  }

  /** Events not stored yet. */
  get waiting(): number {
    return this.pending.length;
  }

  private schedule(): void {
    if (this.timer || this.flushing) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, this.delayMs);
  }

  /** Store what is pending; on failure keep it, in order, for the next try. */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    if (this.pending.length === 0) return Promise.resolve();
    const batch = this.pending;
    this.pending = [];
    this.flushing = this.sink(batch)
      .then(() => {
        if (this.waitingSaid) this.log(`portal log: the writer lock is free again; ${batch.length} waiting event(s) stored`);
        this.waitingSaid = false;
      })
      .catch((error: unknown) => {
        this.pending = [...batch, ...this.pending];
        // Said once per wait, not once per try.
        if (!this.waitingSaid) this.log(`portal log: ${batch.length} event(s) wait: ${error instanceof LockerBusyError ? 'a collection run holds the locker' : error instanceof Error ? error.message : String(error)}; trying again`);
        this.waitingSaid = true;
      })
      .finally(() => {
        this.flushing = null;
        if (this.pending.length > 0) this.schedule();
      });
    return this.flushing;
  }

  /** Store what is pending, trying until `timeoutMs`; what still is not stored goes to the server log, one line per event. */
  async close(timeoutMs = 30_000): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const until = Date.now() + timeoutMs;
    while (this.pending.length > 0 || this.flushing) {
      await (this.flushing ?? this.flush());
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      if (this.pending.length === 0 || Date.now() >= until) break;
      await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    }
    if (this.pending.length === 0) return;
    this.log(`portal log: ${this.pending.length} event(s) could not be stored in the locker before the portal stopped; they follow:`);
    for (const event of this.pending) this.log(`portal log: ${JSON.stringify(event)}`);
    this.pending = [];
  }
}

/** What a request asked for: a sign-out, a verify start, a download or a page view; null for anything else. */
function requestedAction(method: string, path: string, disposition: unknown): PortalLogAction | null {
  if (method === 'POST') return path === '/sign-out' ? 'sign-out' : path === '/runs/verify' ? 'verify-start' : null;
  if (method !== 'GET') return null;
  return typeof disposition === 'string' && disposition.startsWith('attachment') ? 'download' : 'view';
}

/**
 * What an answer was, for the log, and its outcome: null for what is not logged (the style sheet, /health, a visitor
 * without a session cookie sent to the sign-in page). A request refused for want of a live session is logged when it
 * carried a session cookie (expired, signed out, or never issued: stolen or guessed) or asked to act (a POST): a denial.
 */
function actionOf(request: FastifyRequest, reply: FastifyReply, sessionCookie: string): { action: PortalLogAction; outcome?: string } | null {
  const status = reply.statusCode;
  const disposition = reply.getHeader('content-disposition');
  const path = request.url.split('?')[0]!;
  if (request.method === 'POST' && path === '/sign-in') return { action: status === 303 ? 'sign-in' : 'sign-in-failed' };
  // Single sign-on ends here: a session opened (the callback sets it on the request) or a refusal.
  if (request.method === 'GET' && path === OIDC_CALLBACK_PATH) return { action: request.session && status === 200 ? 'sign-in' : 'sign-in-failed' };
  // The session is still on the request though it has ended: the log says whose it was.
  const action = requestedAction(request.method, path, disposition);
  if (!action) return null;
  // Sent to the sign-in page (not, say, on to the IdP from /sign-in/oidc) with a cookie that opens nothing, or refused outright.
  const sentToSignIn = status === 303 && reply.getHeader('location') === '/sign-in' && request.cookies[sessionCookie];
  if (!request.session) return sentToSignIn || status === 403 ? { action, outcome: `${status} no live session` } : null;
  return action === 'view' && status === 303 ? null : { action };
}

/**
 * What a request asked for, as the log keeps it. The single sign-on callback's
 * query carries the IdP's authorization code and the flow's state, which the
 * signed, append-only log must not keep: only the path is kept, and the IdP's
 * `error` (why it refused) when there is one.
 */
function targetOf(url: string): string {
  const at = url.indexOf('?');
  if (at < 0 || url.slice(0, at) !== OIDC_CALLBACK_PATH) return url;
  const error = new URLSearchParams(url.slice(at + 1)).get('error');
  return error === null ? OIDC_CALLBACK_PATH : `${OIDC_CALLBACK_PATH}?${new URLSearchParams({ error }).toString()}`;
}

/**
 * The client's address; a request whose connection closed before its answer
 * was sent (a browser that navigated away) no longer has one, and an event
 * without it would be refused by the locker and hold up every event after it.
 */
function addressOf(request: FastifyRequest): string {
  return request.ip || '(connection closed)';
}

/**
 * Records every answer that says who looked at what: sign-ins, sign-outs, page views, downloads, verify starts (with its status),
 * and those refused for want of a live session (outcome "303 no live session", "403 no live session"). Sessions that end by idling are not logged.
 * Fastify's onResponse runs once an answer was sent whole (or failed): a download the client cut short, or a
 * request whose connection closed before any answer, has neither, so the connection's close records those, with
 * an outcome that says the answer was not received whole.
 */
export function registerAuditLog(app: FastifyInstance, auditLog: AuditLog, users: readonly PortalUser[], sessionCookie: string): void {
  const logged = new WeakSet<FastifyRequest>();
  const record = (request: FastifyRequest, reply: FastifyReply, sent: string) => {
    const found = actionOf(request, reply, sessionCookie);
    if (!found || logged.has(request)) return;
    const { action } = found;
    const outcome = found.outcome ?? sent;
    logged.add(request);
    // A sign-in (or a failed one) names the user only when the name is one: never what someone typed (it may be a password).
    const typed = (request.body as Record<string, unknown> | undefined)?.name;
    const named = action === 'sign-in' || action === 'sign-in-failed' ? users.find((user) => user.name === typed) : undefined;
    // A failed sign-in is the name tried, not the session the browser may still hold.
    const who = (action === 'sign-in-failed' ? null : request.session) ?? (named ? { user: named.name, role: named.role } : null);
    // A sign-out's target says how its session was opened (password or OIDC).
    const target = action === 'sign-out' && request.session ? `/sign-out (${request.session.via})` : targetOf(request.url);
    auditLog.record({ action, user: who?.user ?? '(unknown)', role: who?.role ?? null, target, outcome, address: addressOf(request), at: new Date().toISOString() });
  };
  app.addHook('onRequest', async (request, reply) => {
    reply.raw.once('close', () => {
      if (reply.raw.writableFinished) return;
      // An answer that failed reaches onResponse as well: it is recorded there, once.
      setImmediate(() => record(request, reply, reply.raw.headersSent ? `${reply.statusCode} cut short: the connection closed before the whole answer was sent` : 'no answer: the connection closed before one was sent'));
    });
  });
  app.addHook('onResponse', async (request, reply) => record(request, reply, String(reply.statusCode)));
}
