/**
 * `evidentia doctor` for AWS: one cheap read per IAM action the connector
 * needs, per account (and per region for CloudTrail), so a missing permission
 * is named before a collection fails on it. Where a call needs a name (a
 * trail) the first one listed is used, else a made-up one: CloudTrail checks
 * permissions before existence, so "no such trail" (like IAM's "no password
 * policy") proves the permission is there.
 */
import type { DoctorCheck, DoctorContext } from '@evidentia/sdk';
import * as api from './api.js';
import { AwsAccount } from './client.js';
import type { AwsConfig } from './config.js';
import { AwsCallError, POLICY_HINT } from './errors.js';
import { IAM_EVENTS_QUERY } from './collect-cloudtrail-events.js';

/** Every action the connector calls (the README's policy grants exactly these); with `identityCenter`, also identitystore:ListUsers. */
export const REQUIRED_ACTIONS = [
  'sts:GetCallerIdentity',
  'iam:GenerateCredentialReport',
  'iam:GetCredentialReport',
  'iam:GetAccountAuthorizationDetails',
  'iam:GetAccountPasswordPolicy',
  'iam:ListAccessKeys',
  'cloudtrail:DescribeTrails',
  'cloudtrail:GetTrailStatus',
  'cloudtrail:LookupEvents',
] as const;

/** A name that exists nowhere, for calls that need one. */
const PROBE_NAME = 'evidentia-doctor-probe';

/** Error codes that prove the call was authorized (the answer is about the data, not the caller). */
const PERMITTED = ['NoSuchEntity', 'TrailNotFound', 'CredentialReportNotPresent', 'CredentialReportNotReady', 'CredentialReportExpired'];

async function check(name: string, identity: string, run: () => Promise<string>): Promise<DoctorCheck> {
  const action = name.slice(name.lastIndexOf(' ') + 1);
  try {
    return { name, ok: true, detail: await run() };
  } catch (error) {
    if (!(error instanceof AwsCallError)) return { name, ok: false, detail: error instanceof Error ? error.message : String(error) };
    if (error.code !== null && PERMITTED.includes(error.code)) return { name, ok: true, detail: `permitted (AWS answered ${error.code})` };
    if (error.denied) return { name, ok: false, detail: `${action} is denied for ${identity}; ${POLICY_HINT}` };
    return { name, ok: false, detail: error.message };
  }
}

async function accountChecks(account: AwsAccount): Promise<DoctorCheck[]> {
  const who = account.identity;
  const at = (action: string) => `${account.alias}: ${action}`;
  const checks: DoctorCheck[] = [
    await check(at('iam:GenerateCredentialReport'), who, async () => `report ${(await api.generateCredentialReport(account)).value.State}`),
    await check(at('iam:GetCredentialReport'), who, async () => `report generated ${(await api.getCredentialReport(account)).value.GeneratedTime?.toISOString() ?? '(time unknown)'}`),
    await check(at('iam:GetAccountAuthorizationDetails'), who, async () => (await api.getAuthorizationDetails(account, 'User', undefined, 1), 'permitted')),
    await check(at('iam:GetAccountPasswordPolicy'), who, async () => (await api.getAccountPasswordPolicy(account), 'permitted; the account has a password policy')),
    await check(at('iam:ListAccessKeys'), who, async () => (await api.listAccessKeys(account, PROBE_NAME), 'permitted')),
  ];
  for (const region of account.regions) {
    let trail = PROBE_NAME;
    const inRegion = (action: string) => `${account.alias} ${region}: ${action}`;
    checks.push(
      await check(inRegion('cloudtrail:DescribeTrails'), who, async () => {
        const trails = (await api.describeTrails(account, region)).value.trailList;
        trail = trails[0]?.TrailARN ?? trail;
        return `${trails.length} trail(s)`;
      }),
      await check(inRegion('cloudtrail:GetTrailStatus'), who, async () => (await api.getTrailStatus(account, region, trail), 'permitted')),
      await check(inRegion('cloudtrail:LookupEvents'), who, async () => (await api.lookupEvents(account, region, { attribute: IAM_EVENTS_QUERY.attribute, since: null, until: null }, undefined, 1), 'permitted')),
    );
  }
  return checks;
}

/** The doctor checks of every configured account. */
export async function doctor(ctx: DoctorContext<AwsConfig>): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  let first: AwsAccount | undefined;
  for (const config of ctx.config.accounts) {
    const name = `${config.alias}: ${config.roleArn ? 'sts:AssumeRole, ' : ''}sts:GetCallerIdentity`;
    let account: AwsAccount;
    try {
      account = await AwsAccount.connect({ fetch: ctx.fetch, credentialFetch: ctx.fetch, signal: ctx.signal }, ctx.config, config);
    } catch (error) {
      checks.push({ name, ok: false, detail: `cannot act in the account: ${error instanceof Error ? error.message : String(error)}` });
      continue;
    }
    checks.push({ name, ok: true, detail: `acting as ${account.identity} in account ${account.accountId}` });
    checks.push(...(await accountChecks(account)));
    first ??= account;
  }
  // The identity store is the organization's: read once, through the first account, as the stream does.
  const center = ctx.config.identityCenter;
  if (center && first) {
    const account = first;
    checks.push(await check(`${center.identityStoreId}: identitystore:ListUsers`, account.identity, async () => (await api.identityCenterUsersPage(account, center.identityStoreId, center.region, undefined, 1), 'permitted')));
  }
  return checks;
}
