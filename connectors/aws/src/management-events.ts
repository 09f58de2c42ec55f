/**
 * The management events that matter for CC7.2 (and the criteria each also
 * serves), collected by name from CloudTrail's event history: logging turned
 * off or changed, storage opened up, keys disabled, the network opened, the
 * organization's guardrails changed, detection turned off. Users extend the
 * list with `managementEvents` in the config. LookupEvents filters on one
 * attribute per request, so each name is its own query; an event of another
 * source with the same name (IAM's CreatePolicy is not Organizations') is
 * left to its own query.
 */

export interface ManagementEvent {
  /** The CloudTrail eventSource, e.g. `cloudtrail.amazonaws.com`. */
  source: string;
  /** The CloudTrail eventName, e.g. `StopLogging`. */
  name: string;
  /** Criteria beyond the stream's (CC6.2, CC7.2). */
  controls: string[];
}

const group = (source: string, controls: string[], names: string[]): ManagementEvent[] => names.map((name) => ({ source, name, controls }));

export const DEFAULT_MANAGEMENT_EVENTS: readonly ManagementEvent[] = [
  // The audit trail itself: the logging-throughout check reads StopLogging, StartLogging, DeleteTrail and CreateTrail.
  ...group('cloudtrail.amazonaws.com', [], ['StopLogging', 'StartLogging', 'DeleteTrail', 'CreateTrail', 'UpdateTrail', 'PutEventSelectors', 'PutInsightSelectors']),
  ...group('s3.amazonaws.com', ['CC6.1', 'CC6.6'], ['PutBucketPolicy', 'DeleteBucketPolicy', 'PutBucketAcl', 'PutBucketPublicAccessBlock', 'DeleteBucketPublicAccessBlock']),
  ...group('kms.amazonaws.com', ['CC6.1'], ['DisableKey', 'ScheduleKeyDeletion']),
  ...group('ec2.amazonaws.com', ['CC6.6'], ['AuthorizeSecurityGroupIngress']),
  ...group('organizations.amazonaws.com', ['CC6.3'], ['CreatePolicy', 'UpdatePolicy', 'DeletePolicy', 'AttachPolicy', 'DetachPolicy', 'DisablePolicyType', 'LeaveOrganization']),
  ...group('guardduty.amazonaws.com', ['CC7.1'], ['DeleteDetector', 'UpdateDetector', 'DisassociateFromAdministratorAccount']),
  ...group('config.amazonaws.com', ['CC7.1'], ['StopConfigurationRecorder', 'DeleteConfigurationRecorder', 'DeleteDeliveryChannel']),
];

/** The default list and the configured additions, each source and name once. */
export function monitoredEvents(extra: ReadonlyArray<{ source: string; name: string }>): ManagementEvent[] {
  const all = new Map<string, ManagementEvent>();
  for (const event of [...DEFAULT_MANAGEMENT_EVENTS, ...extra.map((e) => ({ ...e, controls: [] }))]) {
    const key = `${event.source} ${event.name}`;
    if (!all.has(key)) all.set(key, event);
  }
  return [...all.values()];
}
