/**
 * CloudTrail events (from LookupEvents) as audit.event records: who (the
 * event's userIdentity), did what (eventName), to what (the event's
 * resources, else the IAM names in its request), when, from where and with
 * which outcome. Pure, like normalize.ts.
 */
import type { RecordInput } from '@evidentia/sdk';
import { CloudTrailRecord, parseResponse, type LookupEvent } from './schema.js';

type Actor = NonNullable<RecordInput<'audit.event'>['data']['actor']>;

/**
 * Request parameters that name what an event acted on, most specific first:
 * IAM entities, then the management events' trails, buckets, keys, security
 * groups, SCPs, detectors and recorders.
 */
const TARGET_PARAMETERS = [
  'userName', 'groupName', 'roleName', 'policyArn', 'policyName', 'instanceProfileName', 'accessKeyId', 'serialNumber',
  'trailName', 'name', 'bucketName', 'keyId', 'groupId', 'policyId', 'targetId', 'policyType', 'detectorId', 'configurationRecorderName', 'deliveryChannelName',
];

function actorOf(event: LookupEvent, record: CloudTrailRecord): Actor | null {
  const identity = record.userIdentity;
  const name = identity?.userName ?? identity?.sessionContext?.sessionIssuer?.userName ?? event.Username ?? null;
  const login = identity?.arn ?? identity?.invokedBy ?? identity?.principalId ?? name;
  if (login === null) return null;
  return { login, name, bot: identity?.type === 'AWSService' };
}

/** An access key ID (AKIA… long-term, ASIA… temporary) as records show it: its prefix and last four, never whole. */
const ACCESS_KEY_ID = /\b(A[KS]IA)[A-Z0-9]{8,}([A-Z0-9]{4})\b/g;
export const maskAccessKeyIds = (text: string) => text.replace(ACCESS_KEY_ID, '$1…$2');

function targetOf(event: LookupEvent, record: CloudTrailRecord): string | null {
  const resources = (event.Resources ?? []).flatMap((resource) => (resource.ResourceName ? [resource.ResourceName] : []));
  if (resources.length > 0) return maskAccessKeyIds(resources.join(', '));
  for (const name of TARGET_PARAMETERS) {
    const value = record.requestParameters?.[name];
    if (typeof value === 'string' && value !== '') return maskAccessKeyIds(value);
  }
  return null;
}

/** `errorCode` when the call failed; a console sign-in that failed says so only in its response elements. */
function outcomeOf(record: CloudTrailRecord): string {
  if (record.errorCode) return record.errorCode;
  return record.responseElements?.ConsoleLogin === 'Failure' ? 'failure' : 'success';
}

/** One CloudTrail event, key = its EventId; `controls`: criteria beyond the stream's (a management event's). */
export function auditEventRecord(event: LookupEvent, source: string, controls: string[] = []): RecordInput<'audit.event'> {
  let json: unknown;
  try {
    json = JSON.parse(event.CloudTrailEvent);
  } catch {
    throw new Error(`cloudtrail:LookupEvents: event ${event.EventId} carries a CloudTrailEvent that is not JSON`);
  }
  const record = parseResponse(`cloudtrail:LookupEvents event ${event.EventId}`, CloudTrailRecord, json);
  const at = event.EventTime.toISOString();
  return {
    key: event.EventId,
    occurredAt: at,
    data: {
      actor: actorOf(event, record),
      action: event.EventName ?? record.eventName,
      target: targetOf(event, record),
      at,
      sourceAddress: record.sourceIPAddress ?? null,
      outcome: outcomeOf(record),
    },
    sources: [source],
    ...(controls.length > 0 ? { controls } : {}),
  };
}
