/**
 * A synthetic AWS account served by a programmatic HTTP server on 127.0.0.1,
 * for the scale test and the benchmark (bench/aws.ts): IAM (query protocol,
 * XML), STS and CloudTrail (JSON 1.1) answers generated on the fly for any
 * number of users and events, so volume costs no fixture files. It speaks
 * just enough of each API for the connector's calls; it is not a mock of AWS.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { AddressInfo } from 'node:net';
import { ServerRateLimit, THROTTLED } from './simulator-rate-limit.js';

export interface SyntheticAccountOptions {
  users: number;
  /** Events per region across both LookupEvents queries; one in five is a console sign-in. */
  events: number;
  /** Entities per GetAccountAuthorizationDetails page (AWS may return fewer than MaxItems). Default 1000. */
  userPageSize?: number;
  /** Groups users are spread over (every 7th user is also in Admins; group-0 holds the customer-managed platform-ops, which grants everything). Default 20. */
  groups?: number;
  /** LookupEvents' rate limit per region, enforced with ThrottlingException (AWS: 2); default none. */
  lookupEventsPerSecond?: number;
  /** Milliseconds every answer is held back, as a round trip to AWS would be; default 0. */
  latencyMs?: number;
}

export interface SyntheticAccount {
  readonly baseUrl: string;
  /** Requests answered so far, by action (`iam:GetAccountAuthorizationDetails`, `cloudtrail:LookupEvents`, …), throttled ones included. */
  readonly requests: Map<string, number>;
  /** LookupEvents requests refused with ThrottlingException. */
  throttled(): number;
  close(): Promise<void>;
}

const ACCOUNT = '123456789012';
const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const DAY = 86_400_000;

const userName = (i: number) => `user-${String(i).padStart(5, '0')}`;
const member = (inner: string) => `<member>${inner}</member>`;
const xml = (action: string, inner: string) =>
  `<${action}Response xmlns="${IAM_NS}"><${action}Result>${inner}</${action}Result><ResponseMetadata><RequestId>00000000-0000-4000-8000-000000000000</RequestId></ResponseMetadata></${action}Response>`;
const list = (tag: string, items: string[]) => `<${tag}>${items.map(member).join('')}</${tag}>`;
/** The account's customer-managed policies (every other attached policy is AWS-managed). */
const CUSTOMER_POLICIES = ['platform-ops', 'ci-deploy'];
const policyArn = (name: string) => (CUSTOMER_POLICIES.includes(name) ? `arn:aws:iam::${ACCOUNT}:policy/${name}` : `arn:aws:iam::aws:policy/${name}`);
const attached = (names: string[]) => list('AttachedManagedPolicies', names.map((name) => `<PolicyName>${name}</PolicyName><PolicyArn>${policyArn(name)}</PolicyArn>`));
const encodedDocument = (statement: object) => encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [statement] }));
const document = encodedDocument({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::acme-data/*' });
const everything = encodedDocument({ Effect: 'Allow', Action: '*', Resource: '*' });
const inline = (tag: string, names: string[]) => list(tag, names.map((name) => `<PolicyName>${name}</PolicyName><PolicyDocument>${document}</PolicyDocument>`));
/** Users are created, and every third one's key, from this time on. */
const KEY_BASE = Date.parse('2024-01-01T00:00:00Z');
const time = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');

/** When user `i` was created, as its report row and its listing both say: a user created again under its name since the report would differ. */
const userCreated = (i: number) => KEY_BASE + i * 60_000;

function credentialReport(users: number): string {
  const header = 'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
  const rows = [header, `<root_account>,arn:aws:iam::${ACCOUNT}:root,2023-01-10T09:00:00+00:00,not_supported,2026-02-14T10:30:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`];
  const base = KEY_BASE;
  for (let i = 0; i < users; i++) {
    const created = time(userCreated(i));
    const key = i % 3 === 0 ? `true,${time(KEY_BASE + i * 3_600_000)},${time(base + 400 * DAY)},us-east-1,s3` : 'false,N/A,N/A,N/A,N/A';
    rows.push(`${userName(i)},arn:aws:iam::${ACCOUNT}:user/${userName(i)},${created},true,${time(base + 500 * DAY)},${created},N/A,${i % 9 === 0 ? 'false' : 'true'},${key},false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`);
  }
  return Buffer.from(`${rows.join('\n')}\n`).toString('base64');
}

/** User `i`: in one of the groups (and in Admins every 7th), ReadOnlyAccess and the harmless customer-managed ci-deploy every 10th, an inline policy every 50th. */
function userDetail(i: number, options: Required<SyntheticAccountOptions>): string {
  const name = userName(i);
  const groups = [`group-${i % options.groups}`, ...(i % 7 === 0 ? ['Admins'] : [])];
  return `<Path>/</Path><UserName>${name}</UserName><UserId>AIDA${String(i).padStart(17, '0')}</UserId><Arn>arn:aws:iam::${ACCOUNT}:user/${name}</Arn><CreateDate>${new Date(userCreated(i)).toISOString()}</CreateDate>${inline('UserPolicyList', i % 50 === 0 ? [`inline-${i}`] : [])}${list('GroupList', groups)}${attached(i % 10 === 0 ? ['ReadOnlyAccess', 'ci-deploy'] : [])}`;
}

/** Every group but Admins holds an inline policy and ReadOnlyAccess (group-0 also platform-ops); Admins holds AdministratorAccess. */
function groupDetail(name: string): string {
  const admins = name === 'Admins';
  const managed = admins ? ['AdministratorAccess'] : name === 'group-0' ? ['ReadOnlyAccess', 'platform-ops'] : ['ReadOnlyAccess'];
  return `<Path>/</Path><GroupName>${name}</GroupName><GroupId>AGPA${name}</GroupId><Arn>arn:aws:iam::${ACCOUNT}:group/${name}</Arn><CreateDate>2024-01-01T00:00:00Z</CreateDate>${inline('GroupPolicyList', admins ? [] : ['team-policy'])}${attached(managed)}`;
}

/** A customer-managed policy with its versions: platform-ops allows everything in its default v2 (not in the older v1); ci-deploy only reads a bucket. */
function policyDetail(name: string): string {
  const version = (id: string, isDefault: boolean, body: string) => `<Document>${body}</Document><VersionId>${id}</VersionId><IsDefaultVersion>${isDefault}</IsDefaultVersion><CreateDate>2024-01-01T00:00:00Z</CreateDate>`;
  const versions = name === 'platform-ops' ? [version('v1', false, document), version('v2', true, everything)] : [version('v1', true, document)];
  return `<PolicyName>${name}</PolicyName><PolicyId>ANPA${name}</PolicyId><Arn>${policyArn(name)}</Arn><Path>/</Path><DefaultVersionId>v${versions.length}</DefaultVersionId><AttachmentCount>1</AttachmentCount><IsAttachable>true</IsAttachable><CreateDate>2024-01-01T00:00:00Z</CreateDate><UpdateDate>2024-01-01T00:00:00Z</UpdateDate>${list('PolicyVersionList', versions)}`;
}

/** The entities the filter asks for (users, groups, then customer-managed policies), paginated over with a numeric Marker. */
function authorizationDetails(params: URLSearchParams, options: Required<SyntheticAccountOptions>): string {
  const filter = [...params].filter(([key]) => key.startsWith('Filter.member.')).map(([, value]) => value);
  const wanted = (kind: string) => filter.length === 0 || filter.includes(kind);
  const groups = [...Array.from({ length: options.groups }, (_, g) => `group-${g}`), 'Admins'];
  const entities = [
    ...(wanted('User') ? Array.from({ length: options.users }, (_, i) => ({ list: 'User', render: () => userDetail(i, options) })) : []),
    ...(wanted('Group') ? groups.map((name) => ({ list: 'Group', render: () => groupDetail(name) })) : []),
    ...(wanted('LocalManagedPolicy') ? CUSTOMER_POLICIES.map((name) => ({ list: 'LocalManagedPolicy', render: () => policyDetail(name) })) : []),
  ];
  const start = Number(params.get('Marker') ?? 0);
  const end = Math.min(entities.length, start + Math.min(options.userPageSize, Number(params.get('MaxItems') ?? 100)));
  const page = entities.slice(start, end);
  const of = (kind: string, tag: string) => list(tag, page.filter((entity) => entity.list === kind).map((entity) => entity.render()));
  return `<IsTruncated>${end < entities.length}</IsTruncated>${end < entities.length ? `<Marker>${end}</Marker>` : ''}${of('User', 'UserDetailList')}${of('Group', 'GroupDetailList')}<RoleDetailList/>${of('LocalManagedPolicy', 'Policies')}`;
}

function iamAnswer(params: URLSearchParams, options: Required<SyntheticAccountOptions>): string {
  const action = params.get('Action') ?? '';
  switch (action) {
    case 'GetCallerIdentity':
      return xml(action, `<Arn>arn:aws:iam::${ACCOUNT}:user/evidentia-collector</Arn><UserId>AIDAEVIDENTIACOLLECTOR</UserId><Account>${ACCOUNT}</Account>`);
    case 'GenerateCredentialReport':
      return xml(action, '<State>COMPLETE</State>');
    case 'GetCredentialReport':
      return xml(action, `<Content>${credentialReport(options.users)}</Content><ReportFormat>text/csv</ReportFormat><GeneratedTime>2026-06-30T23:50:00Z</GeneratedTime>`);
    case 'GetAccountAuthorizationDetails':
      return xml(action, authorizationDetails(params, options));
    case 'ListAccessKeys': {
      // Every third user holds a key (credentialReport), created at the time the report gives.
      const name = params.get('UserName') ?? '';
      const i = Number(name.slice('user-'.length));
      const member = i % 3 === 0 ? `<member><UserName>${name}</UserName><AccessKeyId>AKIA${String(i).padStart(16, '0')}</AccessKeyId><Status>Active</Status><CreateDate>${time(KEY_BASE + i * 3_600_000)}</CreateDate></member>` : '';
      return xml(action, `<AccessKeyMetadata>${member}</AccessKeyMetadata><IsTruncated>false</IsTruncated>`);
    }
    default:
      throw new Error(`synthetic account: no answer for ${action}`);
  }
}

interface LookupRequest {
  LookupAttributes: Array<{ AttributeKey: string; AttributeValue: string }>;
  StartTime?: number;
  EndTime?: number;
  MaxResults?: number;
  NextToken?: string;
}

function lookupEvents(request: LookupRequest, options: Required<SyntheticAccountOptions>): unknown {
  const attribute = request.LookupAttributes[0];
  // Only IAM events and sign-ins are generated: any other query (a management event by name) finds none.
  if (attribute?.AttributeKey === 'EventName' && attribute.AttributeValue !== 'ConsoleLogin') return { Events: [] };
  const logins = attribute?.AttributeValue === 'ConsoleLogin';
  const total = logins ? Math.floor(options.events / 5) : options.events - Math.floor(options.events / 5);
  const end = (request.EndTime ?? Date.now() / 1000) * 1000;
  const step = (end - (request.StartTime ?? end / 1000 - 90 * 86_400) * 1000) / (total + 1);
  const offset = Number(request.NextToken ?? 0);
  const count = Math.min(request.MaxResults ?? 50, total - offset);
  const Events = Array.from({ length: count }, (_, k) => {
    const n = offset + k;
    const at = Math.floor((end - (n + 1) * step) / 1000);
    const EventId = `${logins ? 'c' : 'a'}${String(n).padStart(7, '0')}-0000-4000-8000-000000000000`;
    const name = logins ? 'ConsoleLogin' : ['CreateUser', 'AttachUserPolicy', 'CreateAccessKey', 'DeleteUser'][n % 4]!;
    const actor = userName(n % Math.max(1, options.users));
    const record = {
      eventVersion: '1.09',
      userIdentity: { type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: `arn:aws:iam::${ACCOUNT}:user/${actor}`, accountId: ACCOUNT, userName: actor },
      eventTime: new Date(at * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      eventSource: logins ? 'signin.amazonaws.com' : 'iam.amazonaws.com',
      eventName: name,
      awsRegion: 'us-east-1',
      sourceIPAddress: '203.0.113.10',
      userAgent: 'aws-cli/2.15.0',
      requestParameters: logins ? null : { userName: userName((n + 1) % Math.max(1, options.users)) },
      responseElements: logins ? { ConsoleLogin: n % 10 === 0 ? 'Failure' : 'Success' } : null,
      eventID: EventId,
      eventType: logins ? 'AwsConsoleSignIn' : 'AwsApiCall',
      recipientAccountId: ACCOUNT,
    };
    return { EventId, EventName: name, EventTime: at, EventSource: record.eventSource, Username: actor, Resources: [], CloudTrailEvent: JSON.stringify(record) };
  });
  return { Events, ...(offset + count < total ? { NextToken: String(offset + count) } : {}) };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Start the synthetic account; point the connector's `endpoint` at `baseUrl`. */
export async function startSyntheticAccount(input: SyntheticAccountOptions): Promise<SyntheticAccount> {
  const options: Required<SyntheticAccountOptions> = { userPageSize: 1000, groups: 20, lookupEventsPerSecond: Infinity, latencyMs: 0, ...input };
  const limit = Number.isFinite(options.lookupEventsPerSecond) ? new ServerRateLimit(options.lookupEventsPerSecond) : null;
  const requests = new Map<string, number>();
  const count = (action: string) => requests.set(action, (requests.get(action) ?? 0) + 1);
  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    if (options.latencyMs > 0) await delay(options.latencyMs);
    const target = request.headers['x-amz-target'];
    if (typeof target === 'string') {
      const operation = target.slice(target.indexOf('.') + 1);
      count(`cloudtrail:${operation}`);
      // One region is served, so the limit's key is the operation.
      if (operation === 'LookupEvents' && limit && !limit.admit(operation)) {
        response.writeHead(THROTTLED.status, { 'content-type': 'application/x-amz-json-1.1' }).end(THROTTLED.body);
        return;
      }
      const answer = operation === 'LookupEvents' ? lookupEvents(JSON.parse(body) as LookupRequest, options) : operation === 'DescribeTrails' ? { trailList: [] } : null;
      if (answer === null) throw new Error(`synthetic account: no answer for ${operation}`);
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(answer));
      return;
    }
    const params = new URLSearchParams(body);
    count(`${params.get('Version') === '2011-06-15' ? 'sts' : 'iam'}:${params.get('Action')}`);
    response.writeHead(200, { 'content-type': 'text/xml' }).end(iamAnswer(params, options));
  }
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => response.writeHead(500, { 'content-type': 'text/plain' }).end(String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    throttled: () => limit?.throttled ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
