/**
 * The CloudTrail side of the simulated account (JSON 1.1): trails as
 * DescribeTrails lists them in a region (shadow trails included), their
 * status, and the events one LookupEvents query matches, newest first as
 * CloudTrail returns them, within its 90 days. simulator.ts pages over them.
 */
import type { AccountState, SimEvent, SimTrail } from './simulator-state.js';
import { trailArn, userArn } from './simulator-state.js';

const DAY_MS = 86_400_000;
const RETENTION_MS = 90 * DAY_MS;
const seconds = (iso: string) => Date.parse(iso) / 1000;

export function describeTrails(state: AccountState, region: string): unknown {
  const trails = state.trails.filter((t) => t.homeRegion === region || t.multiRegion);
  return {
    trailList: trails.map((t) => ({
      Name: t.name,
      TrailARN: trailArn(state.accountId, t),
      HomeRegion: t.homeRegion,
      IsMultiRegionTrail: t.multiRegion,
      S3BucketName: `acme-trail-${t.name}`,
      IncludeGlobalServiceEvents: t.multiRegion,
      LogFileValidationEnabled: true,
      IsOrganizationTrail: false,
    })),
  };
}

export function trailStatus(trail: SimTrail): unknown {
  return { IsLogging: trail.logging, LatestDeliveryTime: seconds(trail.latestDeliveryTime), StartLoggingTime: seconds('2024-01-02T00:00:00Z'), ...(trail.logging ? {} : { StopLoggingTime: seconds(trail.latestDeliveryTime) }) };
}

export interface LookupRequest {
  LookupAttributes?: Array<{ AttributeKey: string; AttributeValue: string }>;
  StartTime?: number;
  EndTime?: number;
  MaxResults?: number;
  NextToken?: string;
}

/** The events of one query in one region, newest first; both time bounds inclusive, as LookupEvents has them. */
export function matchingEvents(state: AccountState, region: string, request: LookupRequest, now: Date): SimEvent[] {
  const attribute = request.LookupAttributes?.[0];
  const start = Math.max(request.StartTime === undefined ? -Infinity : request.StartTime * 1000, now.getTime() - RETENTION_MS);
  const end = request.EndTime === undefined ? Infinity : request.EndTime * 1000;
  const matches = (e: SimEvent) =>
    !attribute || (attribute.AttributeKey === 'EventSource' && e.source === attribute.AttributeValue) || (attribute.AttributeKey === 'EventName' && e.name === attribute.AttributeValue);
  return state.events
    .filter((e) => e.region === region && matches(e) && Date.parse(e.at) >= start && Date.parse(e.at) <= end)
    .sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || a.id.localeCompare(b.id));
}

/** One event as LookupEvents returns it, the CloudTrail record as a JSON string inside. */
export function lookupEvent(state: AccountState, e: SimEvent): unknown {
  const login = e.name === 'ConsoleLogin';
  const record = {
    eventVersion: '1.09',
    userIdentity: { type: 'IAMUser', principalId: `AIDA${e.actor.toUpperCase()}`, arn: userArn(state.accountId, e.actor), accountId: state.accountId, userName: e.actor },
    eventTime: e.at.replace(/\.\d{3}Z$/, 'Z'),
    eventSource: e.source,
    eventName: e.name,
    awsRegion: e.region,
    sourceIPAddress: '203.0.113.10',
    userAgent: 'aws-cli/2.15.0',
    requestParameters: e.target === null ? null : e.source === 'cloudtrail.amazonaws.com' ? { name: e.target } : { userName: e.target },
    responseElements: login ? { ConsoleLogin: e.failed ? 'Failure' : 'Success' } : null,
    ...(e.failed && !login ? { errorCode: 'AccessDenied' } : {}),
    eventID: e.id,
    eventType: login ? 'AwsConsoleSignIn' : 'AwsApiCall',
    recipientAccountId: state.accountId,
  };
  return { EventId: e.id, EventName: e.name, EventTime: seconds(e.at), EventSource: e.source, Username: e.actor, Resources: [], CloudTrailEvent: JSON.stringify(record) };
}
