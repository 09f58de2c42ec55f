/**
 * GitHub App authentication, the part that needs no network: the RS256 JSON
 * Web Token an app signs with its private key to ask for an installation
 * access token (the exchange itself is I/O and lives in client.ts). Built on
 * node:crypto so the connector needs no JWT dependency.
 */
import { createPrivateKey, sign } from 'node:crypto';

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

/**
 * The app JWT: back-dated a minute against clock drift (as GitHub advises)
 * and expiring ten minutes after that, within GitHub's ten-minute ceiling.
 */
export function appJwt(appId: string, privateKeyPem: string, now: Date = new Date()): string {
  let key;
  try {
    key = createPrivateKey(privateKeyPem);
  } catch (error) {
    throw new Error(`app.privateKey is not a PEM private key (${error instanceof Error ? error.message : String(error)})`);
  }
  const issuedAt = Math.floor(now.getTime() / 1000) - 60;
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
  const payload = base64url(JSON.stringify({ iat: issuedAt, exp: issuedAt + 600, iss: appId }));
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), key);
  return `${header}.${payload}.${base64url(signature)}`;
}

/** The identity recorded in provenance when collecting as an app installation. */
export function appIdentity(appId: string, installationId: string): string {
  return `app:${appId}/installation:${installationId}`;
}
