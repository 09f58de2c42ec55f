/**
 * The service-account JWT: signed RS256 with the key's private key, carrying
 * the claims Google's token endpoint requires (iss, sub, scope, aud, iat,
 * exp), and key-file errors that never repeat the key.
 */
import { createPublicKey, verify } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { parseServiceAccountKey, serviceAccountAssertion } from './auth.js';
import { AUDIT_SCOPE, USER_SCOPE } from './config.js';
import { serviceAccountKeyFile } from './test-support.js';

const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;

describe('service-account assertion', () => {
  it('is an RS256 JWT with the delegation claims, verifiable with the public key', () => {
    const { json, publicKeyPem } = serviceAccountKeyFile('collector@acme.iam.gserviceaccount.com');
    const key = parseServiceAccountKey(json);
    const jwt = serviceAccountAssertion(key, { scopes: [USER_SCOPE, AUDIT_SCOPE], subject: 'erin@example.com', audience: 'https://oauth2.googleapis.com/token', now: new Date('2026-07-01T00:00:00Z') });
    const [header, payload, signature] = jwt.split('.') as [string, string, string];
    expect(decode(header)).toEqual({ alg: 'RS256', typ: 'JWT', kid: 'test-key-id-1' });
    expect(decode(payload)).toEqual({
      iss: 'collector@acme.iam.gserviceaccount.com',
      sub: 'erin@example.com',
      scope: `${USER_SCOPE} ${AUDIT_SCOPE}`,
      aud: 'https://oauth2.googleapis.com/token',
      iat: 1782864000,
      exp: 1782867600,
    });
    expect(verify('sha256', Buffer.from(`${header}.${payload}`), createPublicKey(publicKeyPem), Buffer.from(signature, 'base64url'))).toBe(true);
  });

  it('refuses a key file that is not a service account key, without echoing it', () => {
    expect(() => parseServiceAccountKey('not json')).toThrow('serviceAccount.key is not JSON');
    expect(() => parseServiceAccountKey(JSON.stringify({ type: 'authorized_user', client_email: 'x@example.com', private_key: 'secret-material' }))).toThrow(/\(check type\)$/);
    let message = '';
    try {
      parseServiceAccountKey(JSON.stringify({ type: 'service_account', client_email: 'x@example.com', private_key: 'secret-material' }));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe('serviceAccount.key: private_key is not a PEM private key');
  });
});
