/**
 * Jira benchmark: what collecting change tickets costs in requests and time,
 * through the real path (jira.js on the SDK's evidence fetch, runStream,
 * record validation) against a synthetic Jira Cloud on 127.0.0.1 generated in
 * this process: the enhanced JQL search with `nextPageToken` pages of 100
 * issues with their changelogs embedded, and every 50th ticket with a history
 * longer than the 40 entries the search embeds, so it needs the changelog
 * endpoint. The sink counts and hashes, keeping nothing, so the heap figure
 * is the connector's own working set. Requests are counted at the server and
 * must equal the SDK's count; records must equal the tickets generated.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { EvidenceRecord } from '@evidentia/evidence';
import { runStream, Secret, type Provenance, type StreamOutcome, type StreamSink } from '@evidentia/sdk';
import { JiraConfig } from '../connectors/jira/src/config.js';
import { jiraConnector } from '../connectors/jira/src/index.js';
import type { BenchSection } from './section.js';

const SIZES = [1_000, 10_000];
const PAGE = 100;
const EMBEDDED_HISTORY_LIMIT = 40;
const LONG_HISTORY_EVERY = 50;
const LONG_HISTORY = 60;
const SINCE = new Date('2026-04-02T00:00:00Z');
const UNTIL = new Date('2026-07-01T00:00:00Z');
const APPROVERS_FIELD = 'customfield_10050';
/** Live heap is measured after a full garbage collection every this many records. */
const HEAP_SAMPLE_EVERY = 500;

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

interface Served {
  myself: number;
  fields: number;
  count: number;
  search: number;
  changelog: number;
  unexpected: string[];
}

const user = (n: number) => ({ accountId: `712020:bench-${n}`, displayName: `User ${n}`, emailAddress: `user-${n}@example.com`, accountType: 'atlassian' });
const jiraTime = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');
const STATUS = { Open: '1', 'In Review': '10002', Approved: '10003', Deployed: '10004' } as const;
type StatusName = keyof typeof STATUS;

interface History {
  id: string;
  author: ReturnType<typeof user>;
  created: string;
  items: Array<Record<string, string | null>>;
}

/** Ticket n's history: review, approval, deployment, then (for long histories) label edits. */
function histories(n: number): History[] {
  const created = SINCE.getTime() + (n * (UNTIL.getTime() - SINCE.getTime() - 86_400_000)) / 20_000;
  const entry = (index: number, minutes: number, who: number, item: Record<string, string | null>): History => ({
    id: String(n * 100 + index),
    author: user(who),
    created: jiraTime(created + minutes * 60_000),
    items: [item],
  });
  const move = (from: StatusName, to: StatusName) => ({ field: 'status', fieldtype: 'jira', fieldId: 'status', from: STATUS[from], fromString: from, to: STATUS[to], toString: to });
  const steps = [entry(1, 5, n % 7, move('Open', 'In Review')), entry(2, 60, 100 + (n % 3), move('In Review', 'Approved')), entry(3, 120, n % 7, move('Approved', 'Deployed'))];
  const extra = n % LONG_HISTORY_EVERY === 0 ? LONG_HISTORY - steps.length : 0;
  for (let i = 0; i < extra; i++) {
    steps.push(entry(4 + i, 130 + i, n % 7, { field: 'labels', fieldtype: 'jira', fieldId: 'labels', from: null, fromString: '', to: null, toString: `note-${i}` }));
  }
  return steps;
}

function issue(n: number): unknown {
  const all = histories(n);
  const created = all[0]!.created;
  return {
    id: String(100_000 + n),
    key: `CHG-${n}`,
    fields: {
      summary: `Change ${n}`,
      status: { id: STATUS.Deployed, name: 'Deployed' },
      created,
      resolutiondate: null,
      reporter: user(n % 7),
      creator: user(n % 7),
      project: { key: 'CHG' },
      issuetype: { name: 'Change' },
      labels: n % 97 === 0 ? ['emergency'] : [],
      issuelinks: [],
      [APPROVERS_FIELD]: [user(100 + (n % 3))],
    },
    // The search embeds the most recent entries, newest first.
    changelog: { startAt: 0, maxResults: EMBEDDED_HISTORY_LIMIT, total: all.length, histories: all.slice(-EMBEDDED_HISTORY_LIMIT).reverse() },
  };
}

async function body(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return chunks.length === 0 ? {} : (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>);
}

/** A synthetic Jira Cloud serving `tickets` change tickets. */
async function startSyntheticJira(tickets: number): Promise<{ baseUrl: string; served: Served; close(): Promise<void> }> {
  const served: Served = { myself: 0, fields: 0, count: 0, search: 0, changelog: 0, unexpected: [] };
  const send = (response: ServerResponse, status: number, value: unknown) => {
    const text = JSON.stringify(value);
    response.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', 'content-length': String(Buffer.byteLength(text)) });
    response.end(text);
  };
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const route = `${request.method} ${url.pathname}`;
    const changelog = /^GET \/rest\/api\/3\/issue\/CHG-(\d+)\/changelog$/.exec(route);
    if (route === 'GET /rest/api/3/myself') {
      served.myself++;
      return send(response, 200, { ...user(0), timeZone: 'UTC' });
    }
    if (route === 'GET /rest/api/3/field') {
      served.fields++;
      return send(response, 200, [{ id: APPROVERS_FIELD, name: 'Approvers', custom: true, schema: { type: 'array', items: 'user' } }]);
    }
    if (route === 'POST /rest/api/3/search/approximate-count') {
      served.count++;
      await body(request);
      return send(response, 200, { count: tickets });
    }
    if (route === 'POST /rest/api/3/search/jql') {
      served.search++;
      const { nextPageToken, maxResults } = await body(request);
      const start = typeof nextPageToken === 'string' ? Number(nextPageToken.slice('page-'.length)) : 0;
      const end = Math.min(tickets, start + Math.min(PAGE, Number(maxResults)));
      const issues = Array.from({ length: end - start }, (_, i) => issue(start + i + 1));
      return send(response, 200, end < tickets ? { issues, nextPageToken: `page-${end}`, isLast: false } : { issues, isLast: true });
    }
    if (changelog) {
      served.changelog++;
      const all = histories(Number(changelog[1]));
      const startAt = Number(url.searchParams.get('startAt') ?? 0);
      const values = all.slice(startAt, startAt + Number(url.searchParams.get('maxResults') ?? 100));
      return send(response, 200, { startAt, maxResults: 100, total: all.length, isLast: startAt + values.length >= all.length, values });
    }
    served.unexpected.push(route);
    return send(response, 404, { errorMessages: [`no route ${route}`] });
  };
  const server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    served,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A sink that hashes snapshots (records must name real hashes) and counts,
 * keeping nothing; every HEAP_SAMPLE_EVERY records it collects garbage and
 * notes the live heap, which is what "memory stays bounded" is about.
 */
class CountingSink implements StreamSink {
  snapshots = 0;
  records = 0;
  approvals = 0;
  liveHeap: number[] = [];
  constructor(private readonly sampleHeap: boolean) {}
  async putSnapshot(_provenance: Provenance, body: unknown): Promise<string> {
    this.snapshots++;
    return createHash('sha256').update(JSON.stringify(body)).digest('hex');
  }
  async putRecord(record: EvidenceRecord): Promise<string> {
    this.records++;
    this.approvals += (record.data.approvals as unknown[]).length;
    if (this.sampleHeap && this.records % HEAP_SAMPLE_EVERY === 0) {
      collectGarbage();
      this.liveHeap.push(process.memoryUsage().heapUsed);
    }
    return createHash('sha256').update(JSON.stringify(record)).digest('hex');
  }
}

interface Pass {
  outcome: StreamOutcome;
  served: Served;
  sink: CountingSink;
  seconds: number;
}

interface Result {
  tickets: number;
  /** Timed, with no forced garbage collection. */
  timed: Pass;
  /** The same collection again, with the live heap sampled. */
  measured: Pass;
}

const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

async function runPass(tickets: number, sampleHeap: boolean): Promise<Pass> {
  const jira = await startSyntheticJira(tickets);
  const sink = new CountingSink(sampleHeap);
  collectGarbage();
  sink.liveHeap.push(process.memoryUsage().heapUsed);
  try {
    const config = JiraConfig.parse({
      host: 'https://bench.atlassian.net',
      baseUrl: jira.baseUrl,
      email: 'bench@example.com',
      apiToken: new Secret('bench', '${env:JIRA_API_TOKEN}'),
      streams: { changes: { jql: 'project = CHG AND issuetype = Change', approverField: 'Approvers' } },
    });
    const started = performance.now();
    const outcome = await runStream({ connector: jiraConnector, instance: 'jira', config, stream: 'changes', sink, cursor: null, since: SINCE, until: UNTIL, collectorVersion: 'bench', now: () => UNTIL });
    const seconds = (performance.now() - started) / 1000;
    const served = jira.served;
    const total = served.myself + served.fields + served.count + served.search + served.changelog;
    if (outcome.status !== 'complete') throw new Error(`benchmark stream ended ${outcome.status}: ${outcome.error}`);
    if (served.unexpected.length > 0) throw new Error(`the connector sent requests the synthetic Jira does not know: ${served.unexpected.slice(0, 3).join('; ')}`);
    if (total !== outcome.requests) throw new Error(`the SDK counts ${outcome.requests} requests, the server ${total}`);
    if (sink.records !== tickets || outcome.apiTotal !== tickets || sink.approvals !== tickets) throw new Error(`${sink.records} records with ${sink.approvals} approvals for ${tickets} tickets`);
    return { outcome, served, sink, seconds };
  } finally {
    await jira.close();
  }
}

const int = (value: number) => value.toLocaleString('en-US');

function render(results: Result[]): string {
  const lines = [
    'What the Jira connector costs to collect change tickets with their changelogs: jira.js sending through the SDK\'s evidence fetch (retry layer, snapshots), `runStream` with record validation, against a synthetic Jira Cloud on 127.0.0.1 generated in the benchmark process (`bench/jira.ts`). Each ticket has three status changes (review, approval by a named approver, deployment); every 50th has 60 changelog entries, more than the 40 the search embeds, so its changelog is read from `/rest/api/3/issue/{key}/changelog`. The sink hashes and counts, storing nothing. Requests are counted at the server and equal the SDK\'s count; every ticket becomes one `change.request` with its approval, or the benchmark throws.',
    '',
    '| tickets | requests | of which: search pages | changelog pages | fixed (myself, field, count) | requests per 1,000 tickets | snapshots | wall time | tickets/s | live heap: at start → largest during the run |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const { tickets, timed, measured } of results) {
    const { served, outcome, sink, seconds } = timed;
    const fixed = served.myself + served.fields + served.count;
    const heap = measured.sink.liveHeap;
    lines.push(
      `| ${int(tickets)} | ${int(outcome.requests)} | ${int(served.search)} | ${int(served.changelog)} | ${fixed} | ${((1000 * outcome.requests) / tickets).toFixed(1)} | ${int(sink.snapshots)} | ${seconds.toFixed(2)} s | ${int(Math.round(tickets / seconds))} | ${mib(heap[0]!)} → ${mib(Math.max(...heap))} MiB |`,
    );
  }
  lines.push(
    '',
    `Requests are 3 fixed + one search page per 100 tickets + one changelog page per ticket whose history the search truncated. Issues are processed a page at a time, so the live heap stays flat as the tickets grow tenfold; only the set of issue ids seen, for de-duplication across pages, grows with the population. The heap is measured in a second, identical collection that runs a full garbage collection every ${HEAP_SAMPLE_EVERY} records (that pass is not timed). Wall time is for a loopback server with no network latency: against Jira Cloud, add the request count times the API latency (requests are sequential).`,
    '',
    '**Reproduce:** `node --conditions=source --import tsx -e "import(\'./bench/jira.ts\').then(m => m.benchJira()).then(s => console.log(s.markdown))"`.',
  );
  return lines.join('\n');
}

/** The Jira section of BENCHMARKS.md. */
export async function benchJira(): Promise<BenchSection> {
  const results: Result[] = [];
  for (const tickets of SIZES) results.push({ tickets, timed: await runPass(tickets, false), measured: await runPass(tickets, true) });
  return { title: 'Jira connector: requests and time for change tickets with changelogs', markdown: render(results) };
}
