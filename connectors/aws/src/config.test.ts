/**
 * The config schema: accounts with optional roles, regions, secret-only
 * static credentials, the LookupEvents pace, and typos refused.
 */
import { describe, expect, it } from '@jest/globals';
import { Secret } from '@evidentia/sdk';
import { accountRegions, AwsConfig, systemId } from './config.js';

const key = (value: string) => new Secret(value, '${env:AWS_KEY}');

describe('AwsConfig', () => {
  it('accepts the default credential chain, roles with external IDs and per-account regions', () => {
    const config = AwsConfig.parse({
      accounts: [{ alias: 'acme-prod', roleArn: 'arn:aws:iam::123456789012:role/evidentia-readonly', externalId: 'acme-7f3a' }, { alias: 'acme-dev', regions: ['eu-west-1'] }],
      regions: ['us-east-1', 'eu-central-1'],
    });
    expect(config.lookupEventsPerSecond).toBe(2);
    expect(accountRegions(config, config.accounts[0]!)).toEqual(['us-east-1', 'eu-central-1']);
    expect(accountRegions(config, config.accounts[1]!)).toEqual(['eu-west-1']);
    expect(systemId(config)).toBe('aws:acme-prod+acme-dev');
  });

  it('takes static credentials only as secret references', () => {
    const base = { accounts: [{ alias: 'a' }], regions: ['us-east-1'] };
    expect(AwsConfig.safeParse({ ...base, credentials: { accessKeyId: key('AKIAIOSFODNN7EXAMPLE'), secretAccessKey: key('s') } }).success).toBe(true);
    expect(AwsConfig.safeParse({ ...base, credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: key('s') } }).success).toBe(false);
  });

  it('refuses typos, bad ARNs and regions, an external ID without a role and repeated aliases', () => {
    const bad = (config: unknown) => AwsConfig.safeParse(config).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)[0];
    expect(bad({ accounts: [{ alias: 'a' }], regions: ['us-east-1'], region: 'x' })).toMatch(/Unrecognized key/);
    expect(bad({ accounts: [{ alias: 'a', roleArn: 'arn:aws:iam::12:role/x' }], regions: ['us-east-1'] })).toMatch(/^accounts\.0\.roleArn: an IAM role ARN/);
    expect(bad({ accounts: [{ alias: 'a' }], regions: ['Virginia'] })).toMatch(/^regions\.0: an AWS region/);
    expect(bad({ accounts: [{ alias: 'a', externalId: 'xyz' }], regions: ['us-east-1'] })).toBe('accounts.0.externalId: externalId needs roleArn');
    expect(bad({ accounts: [{ alias: 'a' }, { alias: 'a' }], regions: ['us-east-1'] })).toBe('accounts: account aliases must be unique');
    expect(bad({ accounts: [], regions: ['us-east-1'] })).toMatch(/^accounts:/);
    expect(bad({ accounts: [{ alias: 'a' }], regions: ['us-east-1'], lookupEventsPerSecond: 0 })).toMatch(/^lookupEventsPerSecond:/);
  });
});
