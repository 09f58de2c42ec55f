/**
 * Shared by the connector's tests: where the recorded fixtures live, configs
 * pointing at the replay server (token auth, or a service account whose key
 * is generated at test time, never stored), and cassette helpers for tests
 * that derive a variant of a recorded fixture.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Secret } from '@evidentia/sdk';
import type { CassetteInput } from '@evidentia/testing';
import { GoogleWorkspaceConfig } from './config.js';

/** The fake token every fixture run uses; it must never appear in a snapshot. */
export const TEST_TOKEN = 'test-token-not-real';

/** Absolute path of a cassette in connectors/google-workspace/fixtures. */
export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
}

/** A cassette from connectors/google-workspace/fixtures, parsed, to derive a variant from. */
export function loadFixture(name: string): CassetteInput {
  return JSON.parse(readFileSync(fixturePath(name), 'utf8')) as CassetteInput;
}

/** Token auth against the replay server, validated by the real schema. */
export function tokenConfig(extra: Record<string, unknown> = {}): (baseUrl: string) => GoogleWorkspaceConfig {
  return (baseUrl) =>
    GoogleWorkspaceConfig.parse({ domain: 'example.com', accessToken: new Secret(TEST_TOKEN, '${env:GWS_TOKEN}'), tokenOwner: 'erin@example.com', rootUrl: baseUrl, ...extra });
}

/** A service account key file with a freshly generated RSA key. */
export function serviceAccountKeyFile(clientEmail = 'evidentia@acme-evidence.iam.gserviceaccount.com'): { json: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const json = JSON.stringify({
    type: 'service_account',
    project_id: 'acme-evidence',
    private_key_id: 'test-key-id-1',
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: clientEmail,
    client_id: '100000000000000000001',
    token_uri: 'https://oauth2.googleapis.com/token',
  });
  return { json, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

/** Service-account auth with the token endpoint on the replay server. */
export function serviceAccountConfig(keyJson: string): (baseUrl: string) => GoogleWorkspaceConfig {
  return (baseUrl) =>
    GoogleWorkspaceConfig.parse({
      domain: 'example.com',
      serviceAccount: { key: new Secret(keyJson, '${file:/etc/evidentia/gws-key.json}'), subject: 'erin@example.com', tokenUrl: `${baseUrl}/token` },
      rootUrl: baseUrl,
    });
}

/** A one-interaction GET answered with Google's JSON error body. */
export function googleError(path: string, status: number, message: string, reasons: { reason: string; detail?: string }): CassetteInput['interactions'][number] {
  const details = reasons.detail ? [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: reasons.detail, domain: 'googleapis.com', metadata: { service: 'admin.googleapis.com' } }] : undefined;
  return {
    request: { method: 'GET', path },
    response: {
      status,
      headers: { 'content-type': 'application/json; charset=UTF-8' },
      body: { error: { code: status, message, errors: [{ message, domain: 'global', reason: reasons.reason }], status: status === 403 ? 'PERMISSION_DENIED' : 'UNAUTHENTICATED', ...(details ? { details } : {}) } },
    },
  };
}
