/**
 * The IAM side of the simulated account (query protocol, XML): the credential
 * report rendered from the users as they were when it was generated, and the
 * GetAccountAuthorizationDetails entities of one filter in name order, which
 * simulator.ts pages over. Shapes follow IAM's documented responses closely
 * enough for the official SDK client to parse them.
 */
import type { AccountState, SimGroup, SimPolicy, SimUser } from './simulator-state.js';
import { accessKeyIdOf, userArn } from './simulator-state.js';

const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const member = (inner: string) => `<member>${inner}</member>`;
const list = (tag: string, items: string[]) => `<${tag}>${items.map(member).join('')}</${tag}>`;
const reportTime = (iso: string | null | undefined) => (iso ? new Date(iso).toISOString().replace(/\.\d{3}Z$/, '+00:00') : 'N/A');

export const iamXml = (action: string, inner: string) =>
  `<${action}Response xmlns="${IAM_NS}"><${action}Result>${inner}</${action}Result><ResponseMetadata><RequestId>00000000-0000-4000-8000-000000000000</RequestId></ResponseMetadata></${action}Response>`;

export const iamError = (code: string, message: string) =>
  `<ErrorResponse xmlns="${IAM_NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>00000000-0000-4000-8000-000000000001</RequestId></ErrorResponse>`;

const encodedDocument = (statement: object) => encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [statement] }));
const harmless = encodedDocument({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::acme-data/*' });
const everything = encodedDocument({ Effect: 'Allow', Action: '*', Resource: '*' });

function attached(state: AccountState, names: string[]): string {
  const arn = (name: string) => (state.policies.some((p) => p.name === name) ? `arn:aws:iam::${state.accountId}:policy/${name}` : `arn:aws:iam::aws:policy/${name}`);
  return list('AttachedManagedPolicies', names.map((name) => `<PolicyName>${name}</PolicyName><PolicyArn>${arn(name)}</PolicyArn>`));
}
const inline = (tag: string, names: string[]) => list(tag, names.map((name) => `<PolicyName>${name}</PolicyName><PolicyDocument>${harmless}</PolicyDocument>`));

/** The credential report of `users` (the root account first), base64 as GetCredentialReport carries it. */
export function credentialReportContent(state: AccountState, users: SimUser[]): string {
  const header =
    'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
  const root = `<root_account>,arn:aws:iam::${state.accountId}:root,2023-01-10T09:00:00+00:00,not_supported,2026-02-14T10:30:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`;
  const rows = users.map((u) => {
    const password = u.password ? `true,${reportTime(u.password.lastUsedAt)},${reportTime(u.password.changedAt)},N/A` : 'false,N/A,N/A,N/A';
    const key = u.accessKey ? `${u.accessKey.active},${reportTime(u.accessKey.rotatedAt)},${reportTime(u.accessKey.lastUsedAt)},us-east-1,s3` : 'false,N/A,N/A,N/A,N/A';
    return `${u.name},${userArn(state.accountId, u.name)},${reportTime(u.createdAt)},${password},${u.mfa},${key},false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`;
  });
  return Buffer.from(`${[header, root, ...rows].join('\n')}\n`).toString('base64');
}

const tagList = (tags: Record<string, string> | undefined) =>
  (tags ? list('Tags', Object.entries(tags).map(([key, value]) => `<Key>${key}</Key><Value>${value}</Value>`)) : '');

const userDetail = (state: AccountState, u: SimUser) =>
  `<Path>${u.path ?? '/'}</Path><UserName>${u.name}</UserName><UserId>AIDA${u.name.toUpperCase()}</UserId><Arn>${userArn(state.accountId, u.name)}</Arn><CreateDate>${u.createdAt}</CreateDate>${tagList(u.tags)}${inline('UserPolicyList', u.inline)}${list('GroupList', u.groups)}${attached(state, u.managed)}`;

const groupDetail = (state: AccountState, g: SimGroup) =>
  `<Path>/</Path><GroupName>${g.name}</GroupName><GroupId>AGPA${g.name.toUpperCase()}</GroupId><Arn>arn:aws:iam::${state.accountId}:group/${g.name}</Arn><CreateDate>2024-01-01T00:00:00Z</CreateDate>${inline('GroupPolicyList', g.inline)}${attached(state, g.managed)}`;

function policyDetail(state: AccountState, p: SimPolicy): string {
  const version = `<Document>${p.grantsEverything ? everything : harmless}</Document><VersionId>v1</VersionId><IsDefaultVersion>true</IsDefaultVersion><CreateDate>2024-01-01T00:00:00Z</CreateDate>`;
  return `<PolicyName>${p.name}</PolicyName><PolicyId>ANPA${p.name.toUpperCase()}</PolicyId><Arn>arn:aws:iam::${state.accountId}:policy/${p.name}</Arn><Path>/</Path><DefaultVersionId>v1</DefaultVersionId><AttachmentCount>1</AttachmentCount><IsAttachable>true</IsAttachable><CreateDate>2024-01-01T00:00:00Z</CreateDate><UpdateDate>2024-01-01T00:00:00Z</UpdateDate>${list('PolicyVersionList', [version])}`;
}

export type EntityFilter = 'User' | 'Group' | 'LocalManagedPolicy';

/** The entities of one filter in name order, each rendered as its list member. */
export function authorizationEntities(state: AccountState, filter: EntityFilter): string[] {
  const byName = <T extends { name: string }>(items: T[]) => [...items].sort((a, b) => a.name.localeCompare(b.name));
  if (filter === 'User') return byName(state.users).map((u) => userDetail(state, u));
  if (filter === 'Group') return byName(state.groups).map((g) => groupDetail(state, g));
  return byName(state.policies).map((p) => policyDetail(state, p));
}

/** One GetAccountAuthorizationDetails page of `filter`'s entities. */
export function authorizationPage(filter: EntityFilter, entities: string[], marker: string | null): string {
  const tags = { User: 'UserDetailList', Group: 'GroupDetailList', LocalManagedPolicy: 'Policies' } as const;
  const lists = (['User', 'Group', 'LocalManagedPolicy'] as const).map((kind) => list(tags[kind], kind === filter ? entities : [])).join('');
  return `<IsTruncated>${marker !== null}</IsTruncated>${marker !== null ? `<Marker>${marker}</Marker>` : ''}${lists}<RoleDetailList/>`;
}

/** ListAccessKeys of one user: its one key, created when the report says it was last rotated. */
export function accessKeysXml(state: AccountState, name: string): string | null {
  const user = state.users.find((u) => u.name === name);
  if (!user) return null;
  const key = user.accessKey;
  const member = key ? `<member><UserName>${name}</UserName><AccessKeyId>${accessKeyIdOf(name, key.rotatedAt)}</AccessKeyId><Status>${key.active ? 'Active' : 'Inactive'}</Status><CreateDate>${reportTime(key.rotatedAt)}</CreateDate></member>` : '';
  return `<AccessKeyMetadata>${member}</AccessKeyMetadata><IsTruncated>false</IsTruncated>`;
}

export function passwordPolicyXml(policy: { minimumLength: number }): string {
  return `<PasswordPolicy><AllowUsersToChangePassword>true</AllowUsersToChangePassword><RequireLowercaseCharacters>true</RequireLowercaseCharacters><RequireUppercaseCharacters>true</RequireUppercaseCharacters><MinimumPasswordLength>${policy.minimumLength}</MinimumPasswordLength><RequireNumbers>true</RequireNumbers><RequireSymbols>true</RequireSymbols><ExpirePasswords>false</ExpirePasswords><PasswordReusePrevention>24</PasswordReusePrevention><HardExpiry>false</HardExpiry></PasswordPolicy>`;
}
