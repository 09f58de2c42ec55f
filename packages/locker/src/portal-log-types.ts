/** The shapes of the portal's audit log (portal-log.ts), apart from its schema and storage, so the Locker interface can name them. */
export const PORTAL_LOG_ACTIONS = ['sign-in', 'sign-in-failed', 'sign-out', 'view', 'download', 'verify-start'] as const;
export type PortalLogAction = (typeof PORTAL_LOG_ACTIONS)[number];

/** One event as the portal reports it. */
export interface PortalLogInput {
  action: PortalLogAction;
  /** The signed-in user, or the name a failed sign-in gave when it is a configured user ("(unknown)" otherwise). */
  user: string;
  role: string | null;
  /** The page or download (path and query), or what was attempted; a sign-out's says how the session was opened: `/sign-out (password)` or `/sign-out (oidc)`. */
  target: string;
  /** The HTTP status answered. */
  outcome: string;
  address: string;
  /** When it happened in the portal (the batch is recorded later, at recordedAt). */
  at: string;
}

/** One event as read back (`evidentia portal-log`). */
export interface PortalLogEntry extends PortalLogInput {
  sequence: number;
  hash: string;
  recordedAt: string;
}
