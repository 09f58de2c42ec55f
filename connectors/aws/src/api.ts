/**
 * The AWS operations the streams and the doctor use, each one typed SDK
 * command sent through `AwsAccount.call` (parsed, named by its IAM action,
 * with its snapshot), and the two pagination styles: IAM's
 * `Marker`/`IsTruncated` and CloudTrail's `NextToken`. A page token seen
 * twice is an error rather than an endless loop.
 */
import {
  DescribeTrailsCommand,
  GetTrailStatusCommand,
  LookupEventsCommand,
  type LookupAttribute,
} from '@aws-sdk/client-cloudtrail';
import {
  GenerateCredentialReportCommand,
  GetAccountPasswordPolicyCommand,
  GetCredentialReportCommand,
  GetGroupPolicyCommand,
  GetUserPolicyCommand,
  ListAttachedGroupPoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupPoliciesCommand,
  ListGroupsForUserCommand,
  ListUserPoliciesCommand,
  ListUsersCommand,
} from '@aws-sdk/client-iam';
import type { AwsAccount, Sourced } from './client.js';
import * as S from './schema.js';

/** The largest page IAM list operations return. */
const IAM_PAGE_SIZE = 1000;
/** The largest page LookupEvents returns. */
const LOOKUP_PAGE_SIZE = 50;

type Marked = { IsTruncated?: boolean; Marker?: string };

/** Every page of an IAM list, following Marker while IsTruncated. */
export async function* iamPages<T extends Marked>(what: string, fetchPage: (marker: string | undefined) => Promise<Sourced<T>>): AsyncGenerator<Sourced<T>> {
  const seen = new Set<string>();
  let marker: string | undefined;
  for (;;) {
    const page = await fetchPage(marker);
    yield page;
    if (!page.value.IsTruncated) return;
    marker = page.value.Marker;
    if (!marker) throw new Error(`${what}: IsTruncated without a Marker`);
    if (seen.has(marker)) throw new Error(`${what}: pagination loops back to a Marker already read`);
    seen.add(marker);
  }
}

/** Every item of an IAM list, with the snapshots of all its pages. */
export async function iamList<T extends Marked, I>(what: string, fetchPage: (marker: string | undefined) => Promise<Sourced<T>>, items: (page: T) => I[]): Promise<{ items: I[]; sources: string[] }> {
  const all: I[] = [];
  const sources: string[] = [];
  for await (const page of iamPages(what, fetchPage)) {
    all.push(...items(page.value));
    sources.push(page.source);
  }
  return { items: all, sources };
}

export const generateCredentialReport = (a: AwsAccount) =>
  a.call('iam:GenerateCredentialReport', S.GenerateReportOutput, (o) => a.iam.send(new GenerateCredentialReportCommand({}), o));
export const getCredentialReport = (a: AwsAccount) => a.call('iam:GetCredentialReport', S.CredentialReportOutput, (o) => a.iam.send(new GetCredentialReportCommand({}), o));
export const listUsers = (a: AwsAccount, marker?: string, maxItems = IAM_PAGE_SIZE) =>
  a.call('iam:ListUsers', S.ListUsersOutput, (o) => a.iam.send(new ListUsersCommand({ Marker: marker, MaxItems: maxItems }), o));
export const listGroupsForUser = (a: AwsAccount, user: string, marker?: string) =>
  a.call('iam:ListGroupsForUser', S.ListGroupsOutput, (o) => a.iam.send(new ListGroupsForUserCommand({ UserName: user, Marker: marker, MaxItems: IAM_PAGE_SIZE }), o));
export const listAttachedUserPolicies = (a: AwsAccount, user: string, marker?: string) =>
  a.call('iam:ListAttachedUserPolicies', S.AttachedPoliciesOutput, (o) => a.iam.send(new ListAttachedUserPoliciesCommand({ UserName: user, Marker: marker, MaxItems: IAM_PAGE_SIZE }), o));
export const listUserPolicies = (a: AwsAccount, user: string, marker?: string) =>
  a.call('iam:ListUserPolicies', S.PolicyNamesOutput, (o) => a.iam.send(new ListUserPoliciesCommand({ UserName: user, Marker: marker, MaxItems: IAM_PAGE_SIZE }), o));
export const getUserPolicy = (a: AwsAccount, user: string, policy: string) =>
  a.call('iam:GetUserPolicy', S.InlinePolicyOutput, (o) => a.iam.send(new GetUserPolicyCommand({ UserName: user, PolicyName: policy }), o));
export const listAttachedGroupPolicies = (a: AwsAccount, group: string, marker?: string) =>
  a.call('iam:ListAttachedGroupPolicies', S.AttachedPoliciesOutput, (o) => a.iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: group, Marker: marker, MaxItems: IAM_PAGE_SIZE }), o));
export const listGroupPolicies = (a: AwsAccount, group: string, marker?: string) =>
  a.call('iam:ListGroupPolicies', S.PolicyNamesOutput, (o) => a.iam.send(new ListGroupPoliciesCommand({ GroupName: group, Marker: marker, MaxItems: IAM_PAGE_SIZE }), o));
export const getGroupPolicy = (a: AwsAccount, group: string, policy: string) =>
  a.call('iam:GetGroupPolicy', S.InlinePolicyOutput, (o) => a.iam.send(new GetGroupPolicyCommand({ GroupName: group, PolicyName: policy }), o));
export const getAccountPasswordPolicy = (a: AwsAccount) =>
  a.call('iam:GetAccountPasswordPolicy', S.PasswordPolicyOutput, (o) => a.iam.send(new GetAccountPasswordPolicyCommand({}), o));

export const describeTrails = (a: AwsAccount, region: string) =>
  a.call('cloudtrail:DescribeTrails', S.DescribeTrailsOutput, (o) => a.cloudTrail(region).send(new DescribeTrailsCommand({ includeShadowTrails: true }), o));
export const getTrailStatus = (a: AwsAccount, region: string, trail: string) =>
  a.call('cloudtrail:GetTrailStatus', S.TrailStatus, (o) => a.cloudTrail(region).send(new GetTrailStatusCommand({ Name: trail }), o));

export interface LookupQuery {
  attribute: LookupAttribute;
  /** Null: no bound (LookupEvents then covers the last 90 days). */
  since: Date | null;
  until: Date | null;
}

export const lookupEvents = (a: AwsAccount, region: string, query: LookupQuery, nextToken?: string, maxResults = LOOKUP_PAGE_SIZE) =>
  a.call('cloudtrail:LookupEvents', S.LookupEventsOutput, (o) =>
    a.cloudTrail(region).send(
      new LookupEventsCommand({ LookupAttributes: [query.attribute], StartTime: query.since ?? undefined, EndTime: query.until ?? undefined, MaxResults: maxResults, NextToken: nextToken }),
      o,
    ),
  );
