/**
 * `evidentia verify` started from the runs page. The check itself runs in a
 * child process the CLI's `serve` command starts (the same command, so the
 * same messages, witnesses included): re-hashing a locker takes a while and
 * must not hold up the pages other users are reading. One runs at a time;
 * the last result is kept for everyone to see until the next one.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sameToken } from './sessions.js';

/** Starts one `evidentia verify` over the served locker, stopped when `signal` aborts; resolves with its exit code and what it printed. */
export type VerifyStarter = (signal: AbortSignal) => Promise<{ code: number | null; output: string }>;

export interface VerifyResult {
  startedBy: string;
  startedAt: string;
  /** Null while it runs. */
  finishedAt: string | null;
  /** The exit code of `evidentia verify` (0 verified, 1 problems, 2 could not run); null while it runs or when it was killed. */
  code: number | null;
  output: string;
}

export class VerifyRuns {
  private last: VerifyResult | null = null;
  private running: Promise<void> | null = null;
  private readonly stopping = new AbortController();

  constructor(
    private readonly starter: VerifyStarter | null,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Whether this portal can start a verify at all (the CLI gives it a starter). */
  get available(): boolean {
    return this.starter !== null;
  }

  latest(): VerifyResult | null {
    return this.last;
  }

  /** Starts a verify unless one is running; false when one was (its result will show). */
  start(user: string): boolean {
    if (!this.starter || this.running) return false;
    const result: VerifyResult = { startedBy: user, startedAt: this.now().toISOString(), finishedAt: null, code: null, output: '' };
    this.last = result;
    this.running = this.starter(this.stopping.signal)
      .then(
        ({ code, output }) => Object.assign(result, { code, output }),
        (error: unknown) => Object.assign(result, { code: null, output: `the verify could not be started: ${error instanceof Error ? error.message : String(error)}` }),
      )
      .then(() => {
        result.finishedAt = this.now().toISOString();
        this.running = null;
      });
    return true;
  }

  /** Resolves when the running verify (if any) has finished. */
  async settled(): Promise<void> {
    await this.running;
  }

  /** Stops a running verify (the server is closing) and waits for it to end. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running;
  }
}

/** POST /runs/verify: starts a verify (CSRF checked) and sends the user back to the runs page, where the result shows. */
export function registerVerifyRoute(app: FastifyInstance, runs: VerifyRuns, refuse: (reply: FastifyReply, request: FastifyRequest, status: number, message: string) => unknown): void {
  app.post('/runs/verify', async (request, reply) => {
    const form = (request.body ?? {}) as Record<string, string | undefined>;
    if (!sameToken(form.csrf, request.session!.csrf)) return refuse(reply, request, 403, 'The form had no valid CSRF token: reload the runs page and try again.');
    if (!runs.available) return refuse(reply, request, 404, 'Verify is not available in this portal: run `evidentia verify`.');
    // A second start while one runs is not an error: the page shows the running one.
    runs.start(request.session!.user);
    return reply.redirect('/runs#verify', 303);
  });
}
