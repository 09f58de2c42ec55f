/**
 * The AWS operations the streams and the doctor use, each one typed SDK
 * command sent through `AwsAccount.call` (parsed, named by its IAM action,
 * with its snapshot), and the two lists, IAM's `Marker`/`IsTruncated` and
 * CloudTrail's `NextToken`, both read through the SDK paginator: an entity
 * or event served twice (a repeated page or token, a page shifted by an
 * insertion while paging) is yielded once and never fails the list; only a
 * real loop does, naming the marker or token.
 */
import type { LookupAttribute } from '@aws-sdk/client-cloudtrail';
import { paginate } from '@evidentia/sdk';
import type { z } from 'zod';
import type { AwsAccount } from './client.js';
import * as S from './schema.js';

/** The largest page IAM list operations (GetAccountAuthorizationDetails included) return. */
const IAM_PAGE_SIZE = 1000;
/** The largest page LookupEvents returns. */
const LOOKUP_PAGE_SIZE = 50;

/** One listed entity or event with the snapshot of the page it came from. */
export interface Listed<T> {
  item: T;
  source: string;
}

export const generateCredentialReport = (a: AwsAccount) =>
  a.call('iam:GenerateCredentialReport', S.GenerateReportOutput, (o) => a.iam.send(new a.sdk.iam.GenerateCredentialReportCommand({}), o));
export const getCredentialReport = (a: AwsAccount) => a.call('iam:GetCredentialReport', S.CredentialReportOutput, (o) => a.iam.send(new a.sdk.iam.GetCredentialReportCommand({}), o));
export const getAccountPasswordPolicy = (a: AwsAccount) =>
  a.call('iam:GetAccountPasswordPolicy', S.PasswordPolicyOutput, (o) => a.iam.send(new a.sdk.iam.GetAccountPasswordPolicyCommand({}), o));

export const listAccessKeys = (a: AwsAccount, userName: string) =>
  a.call('iam:ListAccessKeys', S.ListAccessKeysOutput, (o) => a.iam.send(new a.sdk.iam.ListAccessKeysCommand({ UserName: userName }), o));

/** The entity types the connector lists from GetAccountAuthorizationDetails, one type per listing (LocalManagedPolicy: the customer-managed policies). */
export type AuthorizationEntity = 'User' | 'Group' | 'LocalManagedPolicy';

export const getAuthorizationDetails = (a: AwsAccount, entity: AuthorizationEntity, marker?: string, maxItems = IAM_PAGE_SIZE) =>
  a.call('iam:GetAccountAuthorizationDetails', S.AuthorizationDetailsOutput, (o) =>
    a.iam.send(new a.sdk.iam.GetAccountAuthorizationDetailsCommand({ Filter: [entity], Marker: marker, MaxItems: maxItems }), o),
  );

type AuthorizationPage = z.output<typeof S.AuthorizationDetailsOutput>;

/** Every distinct entity of one type, by ARN, following Marker while IsTruncated. */
function listEntities<T extends { Arn: string }>(a: AwsAccount, entity: AuthorizationEntity, pick: (page: AuthorizationPage) => T[]): AsyncGenerator<Listed<T>> {
  return paginate<Listed<T>, string>({
    what: `iam:GetAccountAuthorizationDetails (Filter=${entity}) of ${a.alias}`,
    first: null,
    key: (listed) => listed.item.Arn,
    describeCursor: (marker) => (marker === null ? 'the first page' : `Marker ${marker}`),
    fetchPage: async (marker) => {
      const page = await getAuthorizationDetails(a, entity, marker ?? undefined);
      if (page.value.IsTruncated && !page.value.Marker) throw new Error(`iam:GetAccountAuthorizationDetails (Filter=${entity}) of ${a.alias}: IsTruncated without a Marker`);
      return { items: pick(page.value).map((item) => ({ item, source: page.source })), next: page.value.IsTruncated ? page.value.Marker : null };
    },
  });
}

export const listUsers = (a: AwsAccount) => listEntities(a, 'User', (page) => page.UserDetailList);
export const listGroups = (a: AwsAccount) => listEntities(a, 'Group', (page) => page.GroupDetailList);
export const listCustomerManagedPolicies = (a: AwsAccount) => listEntities(a, 'LocalManagedPolicy', (page) => page.Policies);

export const describeTrails = (a: AwsAccount, region: string) =>
  a.call('cloudtrail:DescribeTrails', S.DescribeTrailsOutput, (o) => a.cloudTrail(region).send(new a.sdk.cloudTrail.DescribeTrailsCommand({ includeShadowTrails: true }), o), region);
export const getTrailStatus = (a: AwsAccount, region: string, trail: string) =>
  a.call('cloudtrail:GetTrailStatus', S.TrailStatus, (o) => a.cloudTrail(region).send(new a.sdk.cloudTrail.GetTrailStatusCommand({ Name: trail }), o), region);

export interface LookupQuery {
  attribute: LookupAttribute;
  /** Null: no bound (LookupEvents then covers the last 90 days). */
  since: Date | null;
  until: Date | null;
}

export const lookupEvents = (a: AwsAccount, region: string, query: LookupQuery, nextToken?: string, maxResults = LOOKUP_PAGE_SIZE) =>
  a.call('cloudtrail:LookupEvents', S.LookupEventsOutput, (o) =>
    a.cloudTrail(region).send(
      new a.sdk.cloudTrail.LookupEventsCommand({ LookupAttributes: [query.attribute], StartTime: query.since ?? undefined, EndTime: query.until ?? undefined, MaxResults: maxResults, NextToken: nextToken }),
      o,
    ),
    region,
  );

/** Every distinct event of one query in one region, by EventId, following NextToken (paced by the account's handler, see pacer.ts). */
export function listEvents(a: AwsAccount, region: string, query: LookupQuery): AsyncGenerator<Listed<S.LookupEvent>> {
  const what = `cloudtrail:LookupEvents (${query.attribute.AttributeKey}=${query.attribute.AttributeValue}) in ${region} of ${a.alias}`;
  return paginate<Listed<S.LookupEvent>, string>({
    what,
    first: null,
    key: (listed) => listed.item.EventId,
    describeCursor: (token) => (token === null ? 'the first page' : `NextToken ${token}`),
    fetchPage: async (token) => {
      const page = await lookupEvents(a, region, query, token ?? undefined);
      return { items: page.value.Events.map((item) => ({ item, source: page.source })), next: page.value.NextToken };
    },
  });
}

/** Every Identity Center user of an identity store, following NextToken (a user served twice is yielded once). */
export function listIdentityCenterUsers(a: AwsAccount, identityStoreId: string, region: string): AsyncGenerator<Listed<S.IdentityCenterUser>> {
  return paginate<Listed<S.IdentityCenterUser>, string>({
    what: `identitystore:ListUsers of ${identityStoreId}`,
    first: null,
    key: (listed) => listed.item.UserId,
    describeCursor: (token) => (token === null ? 'the first page' : `NextToken ${token}`),
    fetchPage: async (token) => {
      const page = await identityCenterUsersPage(a, identityStoreId, region, token ?? undefined);
      return { items: page.value.Users.map((item) => ({ item, source: page.source })), next: page.value.NextToken ?? null };
    },
  });
}

/** One ListUsers page (the doctor asks for one user). */
export const identityCenterUsersPage = (a: AwsAccount, identityStoreId: string, region: string, nextToken?: string, maxResults = 100) =>
  a.call('identitystore:ListUsers', S.ListIdentityCenterUsersOutput, (o) =>
    a.identityStore(region).send(new a.sdk.identityStore.ListUsersCommand({ IdentityStoreId: identityStoreId, NextToken: nextToken, MaxResults: maxResults }), o),
    region,
  );
