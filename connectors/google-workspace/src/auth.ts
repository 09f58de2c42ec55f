/**
 * Service-account authentication, the part that needs no network: reading
 * the JSON key and signing the RS256 JWT assertion that a service account with
 * domain-wide delegation exchanges for an access token acting as an admin
 * (the exchange itself is I/O and lives in client.ts). Built on node:crypto:
 * google-auth-library fixes the token URL, which tests must point elsewhere.
 */
import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { z } from 'zod';

/** The OAuth grant type of a JWT bearer assertion (RFC 7523). */
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** Lifetime Google accepts at most for an assertion: one hour. */
const ASSERTION_LIFETIME_SECONDS = 3600;

const ServiceAccountKeyFile = z.object({
  type: z.literal('service_account'),
  client_email: z.email(),
  client_id: z.string().optional(),
  private_key_id: z.string().optional(),
  private_key: z.string().min(1),
});

/** The parts of a service account key the connector uses. */
export interface ServiceAccountKey {
  clientEmail: string;
  clientId: string | null;
  keyId: string | null;
  privateKey: KeyObject;
}

/**
 * Parse the JSON key file. Errors name the missing field or the problem, never
 * the key's content.
 */
export function parseServiceAccountKey(json: string): ServiceAccountKey {
  let value: unknown;
  try {
    value = JSON.parse(json) as unknown;
  } catch {
    throw new Error('serviceAccount.key is not JSON: give the service account key file as downloaded from the Google Cloud console');
  }
  const parsed = ServiceAccountKeyFile.safeParse(value);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.') || '(root)');
    throw new Error(`serviceAccount.key is not a service account key file (check ${[...new Set(fields)].join(', ')})`);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(parsed.data.private_key);
  } catch {
    throw new Error('serviceAccount.key: private_key is not a PEM private key');
  }
  return { clientEmail: parsed.data.client_email, clientId: parsed.data.client_id ?? null, keyId: parsed.data.private_key_id ?? null, privateKey };
}

export interface AssertionClaims {
  scopes: readonly string[];
  /** The admin to act as (domain-wide delegation). */
  subject: string;
  /** The token endpoint the assertion is sent to. */
  audience: string;
  now: Date;
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** The signed assertion: iss = the service account, sub = the admin, scope = space-separated scopes. */
export function serviceAccountAssertion(key: ServiceAccountKey, claims: AssertionClaims): string {
  const issuedAt = Math.floor(claims.now.getTime() / 1000);
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', ...(key.keyId ? { kid: key.keyId } : {}) }));
  const payload = base64url(
    JSON.stringify({
      iss: key.clientEmail,
      sub: claims.subject,
      scope: claims.scopes.join(' '),
      aud: claims.audience,
      iat: issuedAt,
      exp: issuedAt + ASSERTION_LIFETIME_SECONDS,
    }),
  );
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), key.privateKey);
  return `${header}.${payload}.${base64url(signature)}`;
}

/** The identity recorded in provenance when collecting through a service account. */
export function serviceAccountIdentity(clientEmail: string, subject: string): string {
  return `${subject} (via service account ${clientEmail})`;
}
