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
  GetAccountAuthorizationDetailsCommand,
  GetAccountPasswordPolicyCommand,
  GetCredentialReportCommand,
} from '@aws-sdk/client-iam';
import type { AwsAccount, Sourced } from './client.js';
import * as S from './schema.js';

/** The largest page IAM list operations (GetAccountAuthorizationDetails included) return. */
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

export const generateCredentialReport = (a: AwsAccount) =>
  a.call('iam:GenerateCredentialReport', S.GenerateReportOutput, (o) => a.iam.send(new GenerateCredentialReportCommand({}), o));
export const getCredentialReport = (a: AwsAccount) => a.call('iam:GetCredentialReport', S.CredentialReportOutput, (o) => a.iam.send(new GetCredentialReportCommand({}), o));
export const getAccountPasswordPolicy = (a: AwsAccount) =>
  a.call('iam:GetAccountPasswordPolicy', S.PasswordPolicyOutput, (o) => a.iam.send(new GetAccountPasswordPolicyCommand({}), o));

/** The entity types the connector lists from GetAccountAuthorizationDetails, one type per listing (LocalManagedPolicy: the customer-managed policies). */
export type AuthorizationEntity = 'User' | 'Group' | 'LocalManagedPolicy';

export const getAuthorizationDetails = (a: AwsAccount, entity: AuthorizationEntity, marker?: string, maxItems = IAM_PAGE_SIZE) =>
  a.call('iam:GetAccountAuthorizationDetails', S.AuthorizationDetailsOutput, (o) =>
    a.iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: [entity], Marker: marker, MaxItems: maxItems }), o),
  );

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
