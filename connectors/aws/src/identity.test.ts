/** Which IAM users are service identities, and which person an IAM user is matched to. */
import { describe, expect, it } from '@jest/globals';
import { AwsConfig } from './config.js';
import type { ReportEntry } from './credential-report.js';
import { identityOf, type IdentityConfig } from './identity.js';
import type { UserDetail } from './schema.js';

const detail = (name: string, extra: Partial<UserDetail> = {}): UserDetail => ({
  UserName: name,
  Arn: `arn:aws:iam::123456789012:user/${name}`,
  Path: '/',
  CreateDate: new Date('2025-01-01T00:00:00Z'),
  Tags: [],
  GroupList: [],
  AttachedManagedPolicies: [],
  UserPolicyList: [],
  ...extra,
});
const row = (password: boolean, keys: number): ReportEntry => ({
  user: 'x',
  arn: 'x',
  createdAt: null,
  passwordEnabled: password,
  passwordLastUsed: null,
  passwordLastChanged: null,
  mfaActive: false,
  accessKeys: Array.from({ length: keys }, (_, i) => ({ slot: i === 0 ? 'access_key_1' : 'access_key_2', active: true, lastRotated: null, lastUsed: null })),
});
const config = (extra: Record<string, unknown> = {}): IdentityConfig => AwsConfig.parse({ accounts: [{ alias: 'acme' }], regions: ['us-east-1'], ...extra });

describe('identityOf', () => {
  it('makes a user with access keys and no console password a service identity, unless switched off', () => {
    expect(identityOf(detail('ci'), row(false, 1), config())).toEqual({ accountType: 'service', email: null, attributes: { consoleAccess: false, serviceBecause: 'access keys and no console password' } });
    expect(identityOf(detail('ci'), row(false, 1), config({ serviceIdentities: { accessKeyOnly: false } })).accountType).toBe('user');
    // No keys and no password: nobody's service; it simply cannot sign in (the MFA check reads consoleAccess).
    expect(identityOf(detail('idle'), row(false, 0), config())).toEqual({ accountType: 'user', email: null, attributes: { consoleAccess: false } });
    // Created after the credential report: nothing known about its credentials.
    expect(identityOf(detail('new'), undefined, config())).toEqual({ accountType: 'user', email: null, attributes: {} });
  });

  it('applies the configured patterns, tags and paths, saying which rule matched', () => {
    const rules = config({ serviceIdentities: { patterns: ['^svc-'], tags: [{ key: 'account-type', values: ['service', 'robot'] }, { key: 'automation' }], paths: ['/service/'] } });
    const because = (user: UserDetail) => identityOf(user, row(true, 0), rules).attributes.serviceBecause;
    expect(because(detail('SVC-backup'))).toBe('SVC-backup matches the configured pattern ^svc-');
    expect(because(detail('a', { Tags: [{ Key: 'account-type', Value: 'robot' }] }))).toBe('tag account-type=robot (configured service tag)');
    expect(because(detail('b', { Tags: [{ Key: 'account-type', Value: 'human' }] }))).toBeUndefined();
    expect(because(detail('c', { Tags: [{ Key: 'automation', Value: '' }] }))).toBe('tag automation= (configured service tag)');
    expect(because(detail('d', { Path: '/service/etl/' }))).toBe('path /service/etl/ is under the configured service path /service/');
    expect(because(detail('e', { Path: '/people/' }))).toBeUndefined();
  });

  it("takes the person's email from an owner tag, else from an email-like user name", () => {
    expect(identityOf(detail('erin.admin', { Tags: [{ Key: 'Owner', Value: ' erin@example.com ' }] }), row(true, 0), config())).toMatchObject({ email: 'erin@example.com', attributes: { emailFrom: 'tag Owner' } });
    expect(identityOf(detail('dana@example.com'), row(true, 0), config())).toMatchObject({ email: 'dana@example.com', attributes: { emailFrom: 'user name' } });
    // A tag that holds no email is no owner; only the configured tags are read.
    expect(identityOf(detail('x', { Tags: [{ Key: 'owner', Value: 'team-platform' }] }), row(true, 0), config()).email).toBeNull();
    expect(identityOf(detail('x', { Tags: [{ Key: 'contact', Value: 'x@example.com' }] }), row(true, 0), config({ ownerTags: ['contact'] })).email).toBe('x@example.com');
  });

  it('refuses a pattern that is not a regular expression and a path that is not an IAM path, naming them', () => {
    const result = AwsConfig.safeParse({ accounts: [{ alias: 'acme' }], regions: ['us-east-1'], serviceIdentities: { patterns: ['svc-('], paths: ['service'] } });
    expect(result.success).toBe(false);
    const issues = result.error!.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    expect(issues).toEqual([expect.stringMatching(/^serviceIdentities\.patterns\.0: not a valid regular expression: /), 'serviceIdentities.paths.0: an IAM path such as /service/ (starts and ends with /)']);
  });
});
