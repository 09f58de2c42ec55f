/**
 * The AWS account of the 30-day benchmark: 5,000 IAM users and a steady flow
 * of CloudTrail events in one region, served by the soak test's simulator
 * (connectors/aws/src/simulator.ts). Each day a few users join, leave and
 * change, and a few thousand events arrive.
 */
import { SimulatedAccount, TYPICAL_GROUPS, TYPICAL_POLICIES, type SimEvent, type SimUser } from '../../connectors/aws/src/simulator.js';
import { DAY_MS, random, scaled, type SimulatedSystem } from './simulated-system.js';

const EVENTS_PER_DAY = scaled(3_000);

/** Sizes other than the 30-day benchmark's (bench/memory.ts collects the large org of issue 15). */
export interface AwsSizes {
  /** IAM users (5,000 at scale 1). */
  users?: number;
  /** CloudTrail events in the 90 days before run 1, which the first run reads (3,000 at scale 1: the account's history is thinner than its daily flow). */
  historyEvents?: number;
}
const REGION = 'us-east-1';
/** LookupEvents' polite pace (default 2 per second) is lifted, as in bench/aws.ts; the runner's sleep is a no-op here anyway. */
const AWS_LOOKUP_RATE = 1_000;

const rand = random(30);
const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString();

function user(i: number, createdMs: number): SimUser {
  return {
    name: `user-${String(i).padStart(5, '0')}`,
    createdAt: iso(createdMs),
    groups: [['Developers', 'Support', 'Admins', 'Platform'][i % 4]!],
    managed: i % 5 === 0 ? ['ci-deploy'] : [],
    inline: [],
    mfa: i % 3 !== 0,
    password: i % 4 === 3 ? null : { changedAt: iso(createdMs + DAY_MS), lastUsedAt: iso(createdMs + 2 * DAY_MS) },
    accessKey: i % 2 === 0 ? { active: true, rotatedAt: iso(createdMs + 3 * DAY_MS), lastUsedAt: null } : null,
  };
}

let eventSeq = 0;
function event(at: number, users: number): SimEvent {
  const n = ++eventSeq;
  const login = n % 5 === 0;
  return {
    id: `${String(n).padStart(8, '0')}-0000-4000-8000-000000000000`,
    at: iso(at),
    region: REGION,
    source: login ? 'signin.amazonaws.com' : 'iam.amazonaws.com',
    name: login ? 'ConsoleLogin' : ['CreateUser', 'AttachUserPolicy', 'CreateAccessKey', 'DeleteUser'][n % 4]!,
    actor: `user-${String(n % users).padStart(5, '0')}`,
    target: login ? null : `user-${String((n * 7) % users).padStart(5, '0')}`,
    failed: n % 23 === 0,
  };
}

const eventsBetween = (from: number, to: number, count: number, users: number) => Array.from({ length: count }, () => event(from + Math.floor(rand() * (to - from)), users));

export async function awsSystem(start: Date, sizes: AwsSizes = {}): Promise<SimulatedSystem> {
  const userCount = sizes.users ?? scaled(5_000);
  const historyEvents = sizes.historyEvents ?? scaled(3_000);
  const created = start.getTime() - 400 * DAY_MS;
  const sim = await SimulatedAccount.start(
    {
      accountId: '123456789012',
      users: Array.from({ length: userCount }, (_, i) => user(i, created + (i % 300) * DAY_MS)),
      groups: structuredClone(TYPICAL_GROUPS),
      policies: structuredClone(TYPICAL_POLICIES),
      passwordPolicy: { minimumLength: 14 },
      trails: [{ name: 'org-trail', homeRegion: REGION, multiRegion: true, logging: true, latestDeliveryTime: iso(start.getTime() - 300_000) }],
      events: eventsBetween(start.getTime() - 89 * DAY_MS, start.getTime() - 60_000, historyEvents, userCount),
    },
    { iamPageSize: 100, eventPageSize: 50 },
  );
  const state = sim.state;
  let nextUser = userCount;
  let previousRun = start.getTime();
  return {
    instance: 'aws',
    scale: [`AWS: ${userCount.toLocaleString('en-US')} IAM users (GetAccountAuthorizationDetails pages of 100, one credential report per run), one region; CloudTrail ${historyEvents.toLocaleString('en-US')} events in the 90 days before run 1, then ${EVENTS_PER_DAY.toLocaleString('en-US')} a day (LookupEvents pages of 50, pace raised to ${AWS_LOOKUP_RATE} per second); each day 2 users join, 1 leaves, 2 change (MFA, group), and the trail's latest delivery time moves.`],
    yaml: [
      '  aws:',
      '    config:',
      `      endpoint: ${sim.baseUrl}`,
      `      regions: [${REGION}]`,
      `      lookupEventsPerSecond: ${AWS_LOOKUP_RATE}`,
      '      accounts:',
      '        - alias: acme-prod',
      '      credentials:',
      '        accessKeyId: ${env:AWS_ACCESS_KEY_ID}',
      '        secretAccessKey: ${env:AWS_SECRET_ACCESS_KEY}',
    ].join('\n'),
    env: { AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
    beforeRun(run, now) {
      sim.now = now;
      if (run === 1) return;
      state.events.push(...eventsBetween(previousRun, now.getTime(), EVENTS_PER_DAY, userCount));
      previousRun = now.getTime();
      for (let k = 0; k < 2; k++) state.users.push(user(nextUser++, now.getTime() - DAY_MS / 2 + k * 60_000));
      state.users.splice(Math.floor(rand() * state.users.length), 1);
      const mfa = state.users[Math.floor(rand() * state.users.length)]!;
      mfa.mfa = !mfa.mfa;
      const mover = state.users[Math.floor(rand() * state.users.length)]!;
      mover.groups = [mover.groups[0] === 'Support' ? 'Developers' : 'Support'];
      state.trails[0]!.latestDeliveryTime = iso(now.getTime() - 300_000);
    },
    close: () => sim.close(),
  };
}
