/** OIDC start-up refusals that need no provider: a secret the command could not resolve is named by its reference, never revealed. */
import { describe, expect, it } from '@jest/globals';
import { OidcSignIn } from './oidc.js';
import { OidcSettings } from './oidc-settings.js';

const unresolved = {
  reference: '${env:OIDC_SECRET}',
  reveal(): string {
    throw new Error('secret ${env:OIDC_SECRET} was not resolved: this command runs without credentials');
  },
};

describe('OidcSignIn.discover', () => {
  it('names the unresolved client secret by its reference before asking the issuer anything', async () => {
    const settings = OidcSettings.parse({ issuer: 'http://127.0.0.1:9', clientId: 'portal', clientSecret: unresolved, redirectUrl: 'http://127.0.0.1:8080/sign-in/oidc/callback', roles: [{ group: 'security', role: 'team' }] });
    await expect(OidcSignIn.discover(settings)).rejects.toThrow('portal.oidc.clientSecret ${env:OIDC_SECRET}: not available to this command (an unset environment variable or an unreadable file)');
  });
});
