import { describe, expect, it } from '@jest/globals';
import { inspect } from 'node:util';
import { z } from 'zod';
import { Secret, secret } from './secret.js';

describe('Secret', () => {
  const token = new Secret('s3cr3t-value', '${env:GITHUB_TOKEN}');
  it('never shows its value when serialized, printed or inspected', () => {
    expect(JSON.stringify({ token })).toBe('{"token":"[secret ${env:GITHUB_TOKEN}]"}');
    expect(`${token}`).toBe('[secret]');
    expect(inspect({ token })).not.toContain('s3cr3t-value');
    expect(token.reveal()).toBe('s3cr3t-value');
  });
  it('an unresolved reference satisfies the schema but cannot be revealed', () => {
    const unresolved = Secret.unresolved('${env:GITHUB_TOKEN}');
    expect(z.object({ token: secret() }).safeParse({ token: unresolved }).success).toBe(true);
    expect(() => unresolved.reveal()).toThrow('secret ${env:GITHUB_TOKEN} was not resolved');
  });

  it('the secret() field refuses literal strings', () => {
    const schema = z.object({ token: secret() });
    expect(schema.safeParse({ token: token }).success).toBe(true);
    const literal = schema.safeParse({ token: 'literal' });
    expect(literal.success).toBe(false);
    expect(literal.error?.issues[0]?.message).toContain('${env:NAME}');
  });
});
