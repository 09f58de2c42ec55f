/**
 * What the simulated AWS account (simulator.ts) holds: IAM users, groups and
 * customer-managed policies, the password policy, CloudTrail trails and
 * events. Plain data the soak test edits between runs and reads to compute
 * what the locker must hold; the answers are rendered from it per request.
 */
import { createHash } from 'node:crypto';

export interface SimUser {
  name: string;
  createdAt: string;
  groups: string[];
  /** Attached managed policies by name: customer-managed when the account lists the name, else AWS-managed. */
  managed: string[];
  inline: string[];
  mfa: boolean;
  password: { changedAt: string; lastUsedAt: string | null } | null;
  accessKey: { active: boolean; rotatedAt: string; lastUsedAt: string | null } | null;
  /** IAM path (default `/`) and tags, for the service-identity and owner rules. */
  path?: string;
  tags?: Record<string, string>;
}

export interface SimGroup {
  name: string;
  managed: string[];
  inline: string[];
}

export interface SimPolicy {
  name: string;
  /** Its default version allows `*` on `*`. */
  grantsEverything: boolean;
}

export interface SimTrail {
  name: string;
  homeRegion: string;
  multiRegion: boolean;
  logging: boolean;
  latestDeliveryTime: string;
}

export interface SimEvent {
  id: string;
  at: string;
  region: string;
  /** `iam.amazonaws.com`, `signin.amazonaws.com`, or a management event's service (`cloudtrail.amazonaws.com`, …). */
  source: string;
  name: string;
  actor: string;
  target: string | null;
  failed: boolean;
}

export interface AccountState {
  accountId: string;
  users: SimUser[];
  groups: SimGroup[];
  policies: SimPolicy[];
  passwordPolicy: { minimumLength: number } | null;
  trails: SimTrail[];
  events: SimEvent[];
  /** IAM Identity Center's identity store and its users (IdentityStore ListUsers); absent: none. */
  identityCenter?: { identityStoreId: string; users: Array<{ userId: string; userName: string; displayName?: string; email?: string }> };
}

export const userArn = (accountId: string, name: string) => `arn:aws:iam::${accountId}:user/${name}`;

/**
 * The ID of a simulated user's access key: `AKIA` and 16 characters derived
 * from the name and the key's creation time, so a rotated key has another ID
 * (tests compute its last four from it).
 */
export const accessKeyIdOf = (name: string, createdAt: string) => `AKIA${createHash('sha256').update(`${name} ${new Date(createdAt).toISOString()}`).digest('hex').slice(0, 16).toUpperCase()}`;
export const trailArn = (accountId: string, trail: SimTrail) => `arn:aws:cloudtrail:${trail.homeRegion}:${accountId}:trail/${trail.name}`;

/** The groups and customer-managed policies of a typical account, shared by the soak test and the 30-day bench. */
export const TYPICAL_GROUPS: SimGroup[] = [
  { name: 'Admins', managed: ['AdministratorAccess'], inline: [] },
  { name: 'Developers', managed: ['ReadOnlyAccess'], inline: ['team-policy'] },
  { name: 'Platform', managed: ['platform-ops'], inline: [] },
  { name: 'Support', managed: ['ReadOnlyAccess'], inline: [] },
];
export const TYPICAL_POLICIES: SimPolicy[] = [
  { name: 'platform-ops', grantsEverything: true },
  { name: 'ci-deploy', grantsEverything: false },
];
