/**
 * The privilege rule and the event normalization on their own: names and
 * documents that make a user privileged, and the actors CloudTrail records
 * for services, assumed roles and failed sign-ins.
 */
import { describe, expect, it } from '@jest/globals';
import { auditEventRecord } from './normalize-events.js';
import { defaultVersionGrantsEverything, grantsEverything, isPrivilegedPolicyName } from './privilege.js';
import type { LookupEvent, ManagedPolicyDetail } from './schema.js';

const encoded = (document: unknown) => encodeURIComponent(JSON.stringify(document));

describe('privilege rule', () => {
  it('knows AWS admin policies and any policy named *admin*', () => {
    expect(['AdministratorAccess', 'IAMFullAccess', 'DbAdmins', 'break-glass-admin'].every(isPrivilegedPolicyName)).toBe(true);
    expect(['ReadOnlyAccess', 'PowerUserAccess', 'SecurityAudit'].some(isPrivilegedPolicyName)).toBe(false);
  });

  it('finds Action "*" on Resource "*" in a policy document, as a string or in a list', () => {
    expect(grantsEverything(encoded({ Statement: { Effect: 'Allow', Action: '*', Resource: '*' } }), 'p')).toBe(true);
    expect(grantsEverything(encoded({ Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: '*' }, { Effect: 'Allow', Action: ['*'], Resource: ['*'] }] }), 'p')).toBe(true);
    expect(grantsEverything(encoded({ Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] }), 'p')).toBe(false);
    expect(grantsEverything(encoded({ Statement: [{ Effect: 'Allow', Action: 'iam:*', Resource: '*' }] }), 'p')).toBe(false);
    expect(grantsEverything(encoded({ Statement: [{ Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::bucket/*' }] }), 'p')).toBe(false);
  });

  it('refuses a document it cannot read rather than calling it harmless', () => {
    expect(() => grantsEverything('%7Bnot json', 'inline policy X of user y')).toThrow(/inline policy X of user y: the policy document is not URL-encoded JSON/);
    expect(() => grantsEverything(encoded({ Statement: [{ Effect: 'Maybe' }] }), 'p')).toThrow(/Statement\.0\.Effect/);
  });

  it('judges a customer-managed policy by its default version only', () => {
    const everything = encoded({ Statement: { Effect: 'Allow', Action: '*', Resource: '*' } });
    const some = encoded({ Statement: { Effect: 'Allow', Action: 'ec2:*', Resource: '*' } });
    const policy = (defaultVersion: string | undefined, v1: string, v2: string): ManagedPolicyDetail => ({
      PolicyName: 'platform-ops',
      Arn: 'arn:aws:iam::123456789012:policy/platform-ops',
      DefaultVersionId: defaultVersion,
      PolicyVersionList: [
        { VersionId: 'v1', IsDefaultVersion: defaultVersion === 'v1', Document: v1 },
        { VersionId: 'v2', IsDefaultVersion: defaultVersion === 'v2', Document: v2 },
      ],
    });
    expect(defaultVersionGrantsEverything(policy('v2', some, everything))).toBe(true);
    expect(defaultVersionGrantsEverything(policy('v1', some, everything))).toBe(false);
    expect(defaultVersionGrantsEverything(policy('v2', everything, some))).toBe(false);
    // Without DefaultVersionId, the version flagged IsDefaultVersion applies.
    expect(defaultVersionGrantsEverything({ ...policy('v2', some, everything), DefaultVersionId: undefined })).toBe(true);
    expect(() => defaultVersionGrantsEverything(policy('v3', some, everything))).toThrow(
      'customer-managed policy platform-ops (arn:aws:iam::123456789012:policy/platform-ops): GetAccountAuthorizationDetails gives no document for its default version v3',
    );
  });
});

function event(record: Record<string, unknown>, extra: Partial<LookupEvent> = {}): LookupEvent {
  return { EventId: 'e1', EventName: String(record.eventName), EventTime: new Date('2026-06-01T00:00:00Z'), CloudTrailEvent: JSON.stringify(record), ...extra };
}

describe('auditEventRecord', () => {
  it('marks AWS services as bots and names assumed-role sessions by their role', () => {
    const service = auditEventRecord(event({ eventName: 'CreateServiceLinkedRole', userIdentity: { type: 'AWSService', invokedBy: 'autoscaling.amazonaws.com' }, requestParameters: { roleName: 'AWSServiceRoleForAutoScaling' } }), 'a'.repeat(64));
    expect(service.data).toMatchObject({ actor: { login: 'autoscaling.amazonaws.com', name: null, bot: true }, target: 'AWSServiceRoleForAutoScaling', sourceAddress: null, outcome: 'success' });
    const role = auditEventRecord(
      event({ eventName: 'CreateUser', userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::123456789012:assumed-role/Deployer/ci', sessionContext: { sessionIssuer: { userName: 'Deployer' } } } }),
      'a'.repeat(64),
    );
    expect(role.data.actor).toEqual({ login: 'arn:aws:sts::123456789012:assumed-role/Deployer/ci', name: 'Deployer', bot: false });
    expect(role.data.target).toBeNull();
  });

  it('fails naming the event when its CloudTrail JSON is unreadable', () => {
    expect(() => auditEventRecord({ EventId: 'e2', EventTime: new Date(), CloudTrailEvent: '{"eventName":' }, 'a'.repeat(64))).toThrow(/event e2 carries a CloudTrailEvent that is not JSON/);
  });
});
