/**
 * Sign-in sessions, kept in memory: a session id (the cookie) and its own
 * CSRF token, both 256 random bits, ending after `idleMs` without a request
 * and a day after sign-in however busy (an account removed at the IdP, or
 * a stolen cookie kept warm, holds no session longer than that).
 * A restart signs everyone out, which is acceptable for a read-only portal
 * and keeps session secrets out of the locker and off disk.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Role } from './settings.js';

export interface Session {
  id: string;
  user: string;
  role: Role;
  csrf: string;
  /** When it was opened: it ends LIFETIME_MS later whatever its use. */
  opened: number;
  lastSeen: number;
  /** An auditor signed in through OIDC whose rule names audit periods: only these (else all of portal.auditPeriods). */
  periods?: readonly string[];
  /** How the session was opened (the audit log says it at sign-out). */
  via: 'password' | 'oidc';
  /** The IdP's ID token of an OIDC session, kept here (memory only) as the id_token_hint of its RP-initiated logout. */
  idToken?: string;
}

/** What a session carries besides its user and role. */
export interface SessionOrigin {
  via: Session['via'];
  periods?: readonly string[];
  idToken?: string;
}

export const newToken = (): string => randomBytes(32).toString('base64url');

/** The longest a session lives, however busy: sign in again after a day. */
export const LIFETIME_MS = 24 * 3_600_000;

/** Constant-time equality of two tokens; false for a missing one. */
export function sameToken(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false;
  // Compared as bytes: a string as long as the token but with other than ASCII in it is longer in bytes, which timingSafeEqual throws on.
  const [a, b] = [Buffer.from(given), Buffer.from(expected)];
  return a.length === b.length && timingSafeEqual(a, b);
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly idleMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  create(user: string, role: Role, origin: SessionOrigin = { via: 'password' }): Session {
    this.sweep();
    const now = this.clock();
    const session: Session = { id: newToken(), user, role, csrf: newToken(), opened: now, lastSeen: now, ...origin };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session of this id (its idle time restarted), or null: idle too long, or a day old. */
  get(id: string | undefined): Session | null {
    if (!id) return null;
    const session = this.sessions.get(id);
    if (!session) return null;
    const now = this.clock();
    if (this.ended(session, now)) {
      this.sessions.delete(id);
      return null;
    }
    session.lastSeen = now;
    return session;
  }

  destroy(id: string): void {
    this.sessions.delete(id);
  }

  get size(): number {
    return this.sessions.size;
  }

  private sweep(): void {
    const now = this.clock();
    for (const [id, session] of this.sessions) if (this.ended(session, now)) this.sessions.delete(id);
  }

  private ended(session: Session, now: number): boolean {
    return now - session.lastSeen > this.idleMs || now - session.opened > LIFETIME_MS;
  }
}
