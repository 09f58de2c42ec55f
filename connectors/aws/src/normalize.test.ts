/**
 * The privilege rule and the event normalization on their own: names and
 * documents that make a user privileged, and the actors CloudTrail records
 * for services, assumed roles and failed sign-ins.
 */
import { describe, expect, it } from '@jest/globals';
import { auditEventRecord } from './normalize-events.js';
import { grantsEverything, isPrivilegedPolicyName } from './privilege.js';
import type { LookupEvent } from './schema.js';

const encoded = (document: unknown) => encodeURIComponent(JSON.stringify(document));

describe('privilege rule', () => {
  it('knows AWS admin policies and any policy named *admin*', () => {
    expect(['AdministratorAccess', 'IAMFullAccess', 'DbAdmins', 'break-glass-admin'].every(isPrivilegedPolicyName)).toBe(true);
    expect(['ReadOnlyAccess', 'PowerUserAccess', 'SecurityAudit'].some(isPrivilegedPolicyName)).toBe(false);
  });

  it('finds Action "*" on Resource "*" in an inline document, as a string or in a list', () => {
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
