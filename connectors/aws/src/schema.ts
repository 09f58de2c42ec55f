/**
 * Zod schemas for what the connector reads from AWS: the SDK clients'
 * outputs (the fields we use; the SDK types every member optional), the
 * credential report's CSV rows, IAM policy documents and the CloudTrail event
 * JSON inside LookupEvents. Everything is parsed here, at the edge, so a
 * changed shape fails naming the call and the field. The raw responses are
 * kept as snapshots anyway.
 */
import { z } from 'zod';

const page = { IsTruncated: z.boolean().optional(), Marker: z.string().optional() };

export const CallerIdentity = z.object({ Account: z.string().regex(/^\d{12}$/), Arn: z.string(), UserId: z.string().optional() });

export const AssumedCredentials = z.object({
  Credentials: z.object({ AccessKeyId: z.string(), SecretAccessKey: z.string(), SessionToken: z.string(), Expiration: z.date() }),
});

export const GenerateReportOutput = z.object({ State: z.enum(['STARTED', 'INPROGRESS', 'COMPLETE']) });

export const CredentialReportOutput = z.object({
  Content: z.instanceof(Uint8Array),
  ReportFormat: z.literal('text/csv').optional(),
  GeneratedTime: z.date().optional(),
});

const AttachedPolicies = z.array(z.object({ PolicyName: z.string(), PolicyArn: z.string() })).default([]);
/** Inline policies with their documents (URL-encoded JSON, as IAM returns them). */
const InlinePolicies = z.array(z.object({ PolicyName: z.string(), PolicyDocument: z.string() })).default([]);

/** A user as GetAccountAuthorizationDetails describes it: its groups, attached managed policies and inline policies. */
export const UserDetail = z.object({
  UserName: z.string(),
  Arn: z.string(),
  /** The user's unique id (AIDA…), which a rename keeps. */
  UserId: z.string().optional(),
  /** `/` unless the user was created under a path such as `/service/`. */
  Path: z.string().default('/'),
  CreateDate: z.date(),
  Tags: z.array(z.object({ Key: z.string(), Value: z.string().default('') })).default([]),
  GroupList: z.array(z.string()).default([]),
  AttachedManagedPolicies: AttachedPolicies,
  UserPolicyList: InlinePolicies,
});
export type UserDetail = z.infer<typeof UserDetail>;

export const GroupDetail = z.object({ GroupName: z.string(), Arn: z.string(), AttachedManagedPolicies: AttachedPolicies, GroupPolicyList: InlinePolicies });
export type GroupDetail = z.infer<typeof GroupDetail>;

/**
 * A customer-managed policy with every stored version (documents URL-encoded
 * JSON). Only the default version applies; the version fields are optional
 * here so a missing default document fails naming the policy (privilege.ts),
 * not as a bare schema path.
 */
export const ManagedPolicyDetail = z.object({
  PolicyName: z.string(),
  Arn: z.string(),
  DefaultVersionId: z.string().optional(),
  PolicyVersionList: z.array(z.object({ VersionId: z.string().optional(), IsDefaultVersion: z.boolean().optional(), Document: z.string().optional() })).default([]),
});
export type ManagedPolicyDetail = z.infer<typeof ManagedPolicyDetail>;

/** One page of GetAccountAuthorizationDetails; the connector filters on one entity type per listing. */
export const AuthorizationDetailsOutput = z.object({
  UserDetailList: z.array(UserDetail).default([]),
  GroupDetailList: z.array(GroupDetail).default([]),
  Policies: z.array(ManagedPolicyDetail).default([]),
  ...page,
});

/** A user's access keys (at most two); the IDs are reduced to their last four characters before any record holds them. */
export const ListAccessKeysOutput = z.object({
  AccessKeyMetadata: z.array(z.object({ AccessKeyId: z.string().min(4), Status: z.string().optional(), CreateDate: z.date().optional() })).default([]),
});

export const PasswordPolicyOutput = z.object({
  PasswordPolicy: z.object({
    MinimumPasswordLength: z.number().optional(),
    RequireSymbols: z.boolean().optional(),
    RequireNumbers: z.boolean().optional(),
    RequireUppercaseCharacters: z.boolean().optional(),
    RequireLowercaseCharacters: z.boolean().optional(),
    AllowUsersToChangePassword: z.boolean().optional(),
    ExpirePasswords: z.boolean().optional(),
    MaxPasswordAge: z.number().optional(),
    PasswordReusePrevention: z.number().optional(),
    HardExpiry: z.boolean().optional(),
  }),
});
export type PasswordPolicy = z.infer<typeof PasswordPolicyOutput>['PasswordPolicy'];

export const Trail = z.object({
  Name: z.string(),
  TrailARN: z.string(),
  HomeRegion: z.string(),
  IsMultiRegionTrail: z.boolean().optional(),
  IsOrganizationTrail: z.boolean().optional(),
  LogFileValidationEnabled: z.boolean().optional(),
  IncludeGlobalServiceEvents: z.boolean().optional(),
  S3BucketName: z.string().optional(),
  KmsKeyId: z.string().optional(),
  CloudWatchLogsLogGroupArn: z.string().optional(),
});
export type Trail = z.infer<typeof Trail>;
export const DescribeTrailsOutput = z.object({ trailList: z.array(Trail).default([]) });

export const TrailStatus = z.object({
  IsLogging: z.boolean(),
  LatestDeliveryError: z.string().optional(),
  LatestDeliveryTime: z.date().optional(),
  StartLoggingTime: z.date().optional(),
  StopLoggingTime: z.date().optional(),
});
export type TrailStatus = z.infer<typeof TrailStatus>;

export const LookupEvent = z.object({
  EventId: z.string(),
  EventName: z.string().optional(),
  EventTime: z.date(),
  EventSource: z.string().optional(),
  Username: z.string().optional(),
  Resources: z.array(z.object({ ResourceType: z.string().optional(), ResourceName: z.string().optional() })).optional(),
  CloudTrailEvent: z.string(),
});
export type LookupEvent = z.infer<typeof LookupEvent>;
/** IdentityStore ListUsers: the Identity Center users, with their emails (the primary one marked). */
export const IdentityCenterUser = z.object({
  UserId: z.string(),
  UserName: z.string().optional(),
  DisplayName: z.string().optional(),
  Emails: z.array(z.object({ Value: z.string().optional(), Primary: z.boolean().optional() })).optional(),
});
export type IdentityCenterUser = z.infer<typeof IdentityCenterUser>;
export const ListIdentityCenterUsersOutput = z.object({ Users: z.array(IdentityCenterUser).default([]), NextToken: z.string().optional() });
export const LookupEventsOutput = z.object({ Events: z.array(LookupEvent).default([]), NextToken: z.string().optional() });

const jsonObject = z.record(z.string(), z.unknown());

/** The CloudTrail record inside LookupEvents' `CloudTrailEvent` string (the fields the audit.event needs). */
export const CloudTrailRecord = z.object({
  eventName: z.string(),
  eventTime: z.string().optional(),
  userIdentity: z
    .object({
      type: z.string().optional(),
      arn: z.string().optional(),
      userName: z.string().optional(),
      principalId: z.string().optional(),
      invokedBy: z.string().optional(),
      sessionContext: z.object({ sessionIssuer: z.object({ userName: z.string().optional() }).optional() }).optional(),
    })
    .optional(),
  sourceIPAddress: z.string().optional(),
  errorCode: z.string().optional(),
  requestParameters: jsonObject.nullish(),
  responseElements: jsonObject.nullish(),
});
export type CloudTrailRecord = z.infer<typeof CloudTrailRecord>;

const oneOrMany = z.union([z.string(), z.array(z.string())]).transform((value) => (Array.isArray(value) ? value : [value]));

/** An IAM policy document: only what the "grants everything" rule reads. */
export const PolicyDocument = z.object({
  Statement: z
    .union([z.array(z.unknown()), z.unknown()])
    .transform((value) => (Array.isArray(value) ? value : [value]))
    .pipe(z.array(z.object({ Effect: z.enum(['Allow', 'Deny']), Action: oneOrMany.optional(), Resource: oneOrMany.optional() }))),
});
export type PolicyDocument = z.infer<typeof PolicyDocument>;

/** Parse a value, or throw an error that names the call and the offending field. */
export function parseResponse<S extends z.ZodType>(what: string, schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 3).map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
  throw new Error(`unexpected response shape from ${what}: ${issues.join('; ')}`);
}
