/**
 * The AWS connector's configuration: which accounts (each with a friendly
 * alias, and optionally a role to assume), which regions, how to
 * authenticate (the SDK's default provider chain unless static credentials
 * are given as secret references), an endpoint override for local servers,
 * and the LookupEvents pace. Objects are strict, so a typo is a
 * configuration error rather than a silently ignored key.
 */
import { z } from 'zod';
import { secret, ServiceAccountRules } from '@evidentia/sdk';

/** CloudTrail LookupEvents allows two requests per second per account and region. */
const DEFAULT_LOOKUP_EVENTS_PER_SECOND = 2;

const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as us-east-1');
const regions = z.array(region).min(1).refine((list) => new Set(list).size === list.length, 'regions must not repeat');

export const AwsAccountConfig = z
  .object({
    /** A friendly name for the account, used in the system id and in messages, e.g. `acme-prod`. */
    alias: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/i, 'letters, digits, - and _'),
    /** A role to assume in the account; without it the base credentials are used as they are. */
    roleArn: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, 'an IAM role ARN such as arn:aws:iam::123456789012:role/evidentia-readonly').optional(),
    /** The external ID the role's trust policy requires (a shared identifier, not a secret). */
    externalId: z.string().regex(/^[\w+=,.@:/-]{2,1224}$/, 'an external ID (2–1224 characters: letters, digits and +=,.@:/-)').optional(),
    /** Regions for this account; default: the connector's `regions`. */
    regions: regions.optional(),
  })
  .strict()
  .refine((account) => account.externalId === undefined || account.roleArn !== undefined, { path: ['externalId'], message: 'externalId needs roleArn' });

export type AwsAccountConfig = z.output<typeof AwsAccountConfig>;

export const AwsConfig = z
  .object({
    accounts: z.array(AwsAccountConfig).min(1),
    /** Regions whose trails and events are collected (IAM is global). */
    regions,
    /** One endpoint for IAM, STS and CloudTrail instead of AWS's (tests, the demo, VPC endpoints behind one proxy). */
    endpoint: z.url({ protocol: /^https?$/ }).optional(),
    /** Static base credentials; without them the SDK's default provider chain (env, profile, instance role) is used. */
    credentials: z.object({ accessKeyId: secret(), secretAccessKey: secret(), sessionToken: secret().optional() }).strict().optional(),
    /** Management events collected beyond the default list (management-events.ts), by CloudTrail source and name. */
    managementEvents: z
      .array(z.object({ source: z.string().regex(/^[a-z0-9-]+\.amazonaws\.com$/, 'a CloudTrail event source such as rds.amazonaws.com'), name: z.string().regex(/^[A-Za-z0-9]+$/, 'a CloudTrail event name such as DeleteDBInstance') }).strict())
      .default([]),
    /** LookupEvents requests per second per account and region (AWS publishes 2; the pacer keeps a little under it). */
    lookupEventsPerSecond: z.number().positive().max(1000).default(DEFAULT_LOOKUP_EVENTS_PER_SECOND),
    /** Which IAM users are service identities: by default a user with access keys and no console password; add patterns, tags and paths. */
    serviceIdentities: ServiceAccountRules.extend({ accessKeyOnly: z.boolean().default(true) }).strict().optional(),
    /** The IAM Identity Center identity store whose users are listed beside the IAM users (their emails match people, and an IAM user named like one of them takes its email). */
    identityCenter: z.object({ identityStoreId: z.string().regex(/^d-[0-9a-f]{10}$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'an identity store ID such as d-1234567890'), region }).strict().optional(),
    /** Tags (keys compared case-insensitively) whose value is the email of the user's person or owner, to match IAM users to people; default `email` and `owner`. */
    ownerTags: z.array(z.string().min(1)).optional(),
  })
  .strict()
  .refine((config) => new Set(config.accounts.map((a) => a.alias)).size === config.accounts.length, { path: ['accounts'], message: 'account aliases must be unique' });

export type AwsConfig = z.output<typeof AwsConfig>;

/** The regions collected for an account. */
export function accountRegions(config: Pick<AwsConfig, 'regions'>, account: AwsAccountConfig): string[] {
  return account.regions ?? config.regions;
}

/** The system id of records: `aws:<alias>[+<alias>…]`. */
export function systemId(config: Pick<AwsConfig, 'accounts'>): string {
  return `aws:${config.accounts.map((account) => account.alias).join('+')}`;
}
