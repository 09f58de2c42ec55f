/**
 * CloudTrail at the real rate limit: the cloudtrail_events stream against the
 * synthetic account enforcing LookupEvents' published 2 requests per second
 * (ThrottlingException above it) with 50 ms of latency per answer, through
 * the official SDK client and the SDK's evidence fetch, in real time. The
 * figure is the collection's wall time beside its floor, the LookupEvents
 * requests divided by the limit, measured in the same run, and the requests
 * the account throttled. `EVIDENTIA_BENCH_CT_EVENTS` sets the size (default
 * 20,000 events, about 430 requests and 4 minutes).
 */
import { MemorySink, runStream, Secret } from '@evidentia/sdk';
import { awsConnector, AwsConfig } from '../connectors/aws/src/index.js';
import { startSyntheticAccount } from '../connectors/aws/src/synthetic-account.js';
import type { BenchSection } from './section.js';

/** AWS's published LookupEvents limit per account and region. */
const LIMIT = 2;
const LATENCY_MS = 50;
const EVENTS = Number(process.env.EVIDENTIA_BENCH_CT_EVENTS ?? 20_000);
const UNTIL = new Date();
const SINCE = new Date(UNTIL.getTime() - 30 * 86_400_000);

const int = (n: number) => Math.round(n).toLocaleString('en-US');

export async function benchCloudTrailPace(): Promise<BenchSection> {
  if (!(EVENTS > 0)) throw new Error(`EVIDENTIA_BENCH_CT_EVENTS must be a positive number of events, not ${process.env.EVIDENTIA_BENCH_CT_EVENTS}`);
  const account = await startSyntheticAccount({ users: 50, events: EVENTS, lookupEventsPerSecond: LIMIT, latencyMs: LATENCY_MS });
  try {
    const key = (value: string) => new Secret(value, '${env:BENCH}');
    const config = AwsConfig.parse({
      accounts: [{ alias: 'bench' }],
      regions: ['us-east-1'],
      endpoint: account.baseUrl,
      credentials: { accessKeyId: key('AKIAIOSFODNN7EXAMPLE'), secretAccessKey: key('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY') },
    });
    const sink = new MemorySink();
    const started = performance.now();
    const outcome = await runStream({ connector: awsConnector, instance: 'aws', config, stream: 'cloudtrail_events', sink, cursor: null, since: SINCE, until: UNTIL, collectorVersion: 'bench' });
    const seconds = (performance.now() - started) / 1000;
    if (outcome.status !== 'complete') throw new Error(`cloudtrail_events did not complete: ${outcome.error}`);
    if (sink.records.length !== EVENTS) throw new Error(`cloudtrail_events emitted ${sink.records.length} records, not the ${EVENTS} events of the account`);
    const lookups = account.requests.get('cloudtrail:LookupEvents') ?? 0;
    const throttled = account.throttled();
    const floor = lookups / LIMIT;
    const ratio = seconds / floor;
    process.stderr.write(`cloudtrail pace: ${lookups} LookupEvents requests (${throttled} throttled) in ${seconds.toFixed(1)} s; floor ${floor.toFixed(1)} s; ${ratio.toFixed(3)} × the floor\n`);
    const markdown = [
      `The \`cloudtrail_events\` stream against the synthetic account (\`connectors/aws/src/synthetic-account.ts\`) enforcing LookupEvents' published limit of ${LIMIT} requests per second (a token bucket of ${LIMIT} per second holding ${LIMIT}, ThrottlingException above it), every answer held back ${LATENCY_MS} ms, through the official SDK client and the SDK's evidence fetch with the connector's default pace (a token bucket per account and region at 95 % of the limit, shared by first attempts and retries, slowed by throttling). ${int(EVENTS)} events in one region over 30 days (80 % IAM management events, 20 % console sign-ins, pages of 50), plus one query per monitored management event. The floor is the LookupEvents requests divided by the limit, from the same run.`,
      '',
      '| LookupEvents requests | throttled | wall time | floor (requests ÷ limit) | ratio |',
      '| --- | --- | --- | --- | --- |',
      `| ${int(lookups)} | ${int(throttled)} | ${seconds.toFixed(1)} s | ${floor.toFixed(1)} s | **${ratio.toFixed(3)} ×** |`,
      '',
      `Target: at most 1.1 × the floor and no throttled request. Size: \`EVIDENTIA_BENCH_CT_EVENTS=${EVENTS}\`.`,
    ].join('\n');
    return { title: 'CloudTrail at the real rate limit', markdown };
  } finally {
    await account.close();
  }
}
