/**
 * The AWS SDK clients this connector uses, loaded with the first account a
 * stream connects to (AwsAccount.connect), not with the connector: reading a
 * config that names AWS (status, coverage, check) does not load the SDK.
 */
import type * as CloudTrail from '@aws-sdk/client-cloudtrail';
import type * as Iam from '@aws-sdk/client-iam';
import type * as IdentityStore from '@aws-sdk/client-identitystore';
import type * as Sts from '@aws-sdk/client-sts';

export interface AwsSdk {
  cloudTrail: typeof CloudTrail;
  iam: typeof Iam;
  identityStore: typeof IdentityStore;
  sts: typeof Sts;
}

let loading: Promise<AwsSdk> | undefined;

export function loadAwsSdk(): Promise<AwsSdk> {
  loading ??= Promise.all([import('@aws-sdk/client-cloudtrail'), import('@aws-sdk/client-iam'), import('@aws-sdk/client-sts'), import('@aws-sdk/client-identitystore')]).then(([cloudTrail, iam, sts, identityStore]) => ({ cloudTrail, iam, sts, identityStore }));
  return loading;
}
