/**
 * Which request the fault proxy (fault-proxy.ts) breaks, and how: a seeded
 * schedule, so a failing reliability test replays exactly. Transient faults
 * are drawn in turn (every type gets its go) at a given rate, and never more
 * than three in a row on the same request, so a client that retries like
 * the SDK (six attempts) always gets through: what a transient fault may
 * cost is time, never evidence. A persistent fault (a revoked token, a
 * service that stays down) answers every request from a given one on.
 */
import { seededRandom } from './seeded-random.js';

export const TRANSIENT_FAULTS = ['rate-limit', 'server-error', 'reset', 'truncate', 'repeat-page'] as const;
export type TransientFault = (typeof TRANSIENT_FAULTS)[number];
export type PersistentFault = 'unauthorized' | 'server-error';
export type FaultType = TransientFault | 'unauthorized';

export interface FaultPlan {
  seed: number;
  /** Chance that a request draws the next transient fault (0 for none). */
  rate?: number;
  /** The transient faults drawn, in turn (default: all). */
  types?: readonly TransientFault[];
  /** From this request on (1-based), every request is answered with this fault. */
  persistent?: { from: number; fault: PersistentFault };
  /** Retry-After of an injected 429, in seconds (the SDK waits it out, so keep it small). */
  retryAfterSeconds?: number;
}

/** A request as the schedule sees it: its identity (method, URL, body) and whether it asks for the page after one already served. */
export interface ScheduledRequest {
  key: string;
  nextPage: boolean;
}

/** Faults in a row the same request may get: the SDK's six attempts must leave room to succeed. */
const MAX_IN_A_ROW = 3;

export class FaultSchedule {
  readonly injected: Record<FaultType, number> = { 'rate-limit': 0, 'server-error': 0, reset: 0, truncate: 0, 'repeat-page': 0, unauthorized: 0 };
  readonly random: () => number;
  private requests = 0;
  private turn = 0;
  private burst = 0;
  /** Faults drawn that wait for a request they can apply to (a page to repeat, a body to cut). */
  private readonly pending = new Set<TransientFault>();
  private readonly inARow = new Map<string, number>();

  constructor(private readonly plan: FaultPlan) {
    this.random = seededRandom(plan.seed);
  }

  /** The fault for this request, or null to pass it through. The proxy reports back with `applied` or `passed`. */
  next(request: ScheduledRequest): FaultType | null {
    this.requests++;
    const { persistent } = this.plan;
    if (persistent && this.requests >= persistent.from) return persistent.fault;
    if ((this.inARow.get(request.key) ?? 0) >= MAX_IN_A_ROW) return null;
    if (this.burst > 0) {
      this.burst--;
      return 'server-error';
    }
    if (request.nextPage && this.pending.has('repeat-page')) return 'repeat-page';
    if (this.pending.has('truncate')) return 'truncate';
    if (this.random() >= (this.plan.rate ?? 0)) return null;
    const types = this.plan.types ?? TRANSIENT_FAULTS;
    const fault = types[this.turn++ % types.length]!;
    if (fault === 'repeat-page' || fault === 'truncate') {
      this.pending.add(fault);
      return fault === 'repeat-page' && !request.nextPage ? null : fault;
    }
    // A burst: up to two more 5xx answers follow this one.
    if (fault === 'server-error') this.burst = Math.floor(this.random() * 3);
    return fault;
  }

  /** The fault was served on this request. */
  applied(key: string, fault: FaultType): void {
    this.injected[fault]++;
    if (fault === 'repeat-page' || fault === 'truncate') this.pending.delete(fault);
    this.inARow.set(key, (this.inARow.get(key) ?? 0) + 1);
  }

  /** The request was answered by the server as it is. */
  passed(key: string): void {
    this.inARow.delete(key);
  }

  /** Requests seen so far. */
  seen(): number {
    return this.requests;
  }
}
