/**
 * The config schema and the helpers that interpret it: one way to
 * authenticate, secrets only as references, typos refused, API roots
 * normalized, and the per-stream scopes stay read-only.
 */
import { describe, expect, it } from '@jest/globals';
import { Secret } from '@evidentia/sdk';
import { GoogleWorkspaceConfig, rootUrl, STREAM_SCOPES, tokenUrl } from './config.js';

const token = new Secret('test-token-not-real', '${env:GWS_TOKEN}');
const serviceAccount = { key: new Secret('{}', '${file:/k.json}'), subject: 'erin@example.com' };

describe('GoogleWorkspaceConfig', () => {
  it('accepts a service account or a token, and refuses neither or both', () => {
    expect(GoogleWorkspaceConfig.parse({ domain: 'example.com', serviceAccount })).toMatchObject({ customer: 'my_customer' });
    expect(GoogleWorkspaceConfig.safeParse({ domain: 'example.com', accessToken: token, tokenOwner: 'erin@example.com' }).success).toBe(true);
    expect(GoogleWorkspaceConfig.safeParse({ domain: 'example.com' }).error?.issues[0]).toMatchObject({ path: ['serviceAccount'], message: 'one of serviceAccount or accessToken is required' });
    expect(GoogleWorkspaceConfig.safeParse({ domain: 'example.com', serviceAccount, accessToken: token }).success).toBe(false);
    expect(GoogleWorkspaceConfig.safeParse({ domain: 'example.com', serviceAccount, tokenOwner: 'erin@example.com' }).error?.issues[0]?.path).toEqual(['tokenOwner']);
  });

  it('refuses literal secrets, typos, a bad domain or customer id', () => {
    expect(GoogleWorkspaceConfig.safeParse({ domain: 'example.com', accessToken: 'ya29.literal' }).success).toBe(false);
    expect(GoogleWorkspaceConfig.safeParse({ domain: 'example.com', serviceAccount: { ...serviceAccount, subjet: 'x' } }).success).toBe(false);
    expect(GoogleWorkspaceConfig.safeParse({ domain: 'https://example.com', accessToken: token }).success).toBe(false);
    expect(GoogleWorkspaceConfig.safeParse({ domain: 'example.com', accessToken: token, customer: 'acme' }).success).toBe(false);
    expect(GoogleWorkspaceConfig.safeParse({ domain: 'example.com', accessToken: token, customer: 'C03az79cb' }).success).toBe(true);
  });

  it('defaults the API root and the token endpoint to Google’s', () => {
    expect(rootUrl({})).toBe('https://admin.googleapis.com/');
    expect(rootUrl({ rootUrl: 'http://127.0.0.1:8080' })).toBe('http://127.0.0.1:8080/');
    expect(tokenUrl({})).toBe('https://oauth2.googleapis.com/token');
  });

  it('asks each stream for read-only scopes only', () => {
    expect(Object.values(STREAM_SCOPES).flat().every((scope) => scope.endsWith('.readonly'))).toBe(true);
  });
});
