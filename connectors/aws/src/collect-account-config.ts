/**
 * The `account_config` stream: each account's password policy (access.config,
 * CC6.1) and its CloudTrail trails with their logging status (change.config,
 * CC7.2). Trails are listed per configured region with shadow trails, so a
 * multi-region trail is seen everywhere it logs but recorded once, and a
 * region that no trail covers is recorded as such. A trail deleted between
 * its listing and its status read is an in-scope item gap, not a failure.
 */
import type { StreamContext } from '@evidentia/sdk';
import * as api from './api.js';
import { AwsAccount } from './client.js';
import type { AwsConfig } from './config.js';
import { awsErrorCode } from './errors.js';
import { passwordPolicyRecord, regionWithoutTrailRecord, trailRecord } from './normalize.js';
import type { Trail } from './schema.js';

export async function collectAccountConfig(ctx: StreamContext<AwsConfig>): Promise<void> {
  for (const config of ctx.config.accounts) {
    const account = await AwsAccount.connect(ctx, ctx.config, config);
    await passwordPolicy(ctx, account);
    await trails(ctx, account);
  }
}

async function passwordPolicy(ctx: StreamContext<AwsConfig>, account: AwsAccount): Promise<void> {
  try {
    const policy = await api.getAccountPasswordPolicy(account);
    await ctx.emit(passwordPolicyRecord(account.accountId, policy.value.PasswordPolicy, policy.source));
  } catch (error) {
    // IAM answers NoSuchEntity when the account has no password policy: that answer is the evidence.
    if (awsErrorCode(error) !== 'NoSuchEntity') throw error;
    await ctx.emit(passwordPolicyRecord(account.accountId, null, await account.keepErrorResponse(error)));
  }
}

async function trails(ctx: StreamContext<AwsConfig>, account: AwsAccount): Promise<void> {
  const found = new Map<string, { trail: Trail; region: string; sources: string[] }>();
  for (const region of account.regions) {
    const listed = await api.describeTrails(account, region);
    if (listed.value.trailList.length === 0) await ctx.emit(regionWithoutTrailRecord(account.accountId, region, listed.source));
    for (const trail of listed.value.trailList) {
      const known = found.get(trail.TrailARN);
      if (!known) found.set(trail.TrailARN, { trail, region, sources: [listed.source] });
      else {
        known.sources.push(listed.source);
        // Ask for a trail's status in its home region when that region is collected, else where it was first seen.
        if (trail.HomeRegion === region) known.region = region;
      }
    }
  }
  for (const { trail, region, sources } of found.values()) {
    const status = await api.getTrailStatus(account, region, trail.TrailARN).catch((error: unknown) => {
      // Deleted between its listing and this request: the others are still read; its status is unknown, not "not logging".
      if (awsErrorCode(error) !== 'TrailNotFound') throw error;
      const reason = `cloudtrail:GetTrailStatus in ${region} of ${account.alias} answered TrailNotFound (deleted after DescribeTrails listed it): its logging status is unknown until the next run`;
      ctx.itemGap({ item: `trail ${trail.TrailARN}`, reason, inScope: true });
      return null;
    });
    if (status) await ctx.emit(trailRecord(trail, status.value, [...sources, status.source]));
  }
}
