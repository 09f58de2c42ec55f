/**
 * GitHub benchmark: what the real collection pipeline (config loader, runner,
 * GitHub connector, SDK evidence fetch, locker) costs in GitHub requests and
 * rate limit against a synthetic organization, for an initial collection and
 * for an unchanged re-run an hour later, where conditional GETs come back 304.
 * The figures are only reported for a run that verifies and whose records
 * match the synthetic population exactly; anything else throws.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccessAccount, ChangeRequest, ConfigSetting } from '@evidentia/evidence';
import { initLocker, openLocker, type Locker, type ManifestStream } from '@evidentia/locker';
import { loadConfig, type LoadedConfig } from '../collector/src/config/load.js';
import { collect } from '../collector/src/runner.js';
import { startSyntheticGitHub, type RequestCounts, type SyntheticGitHub, type SyntheticOrg } from './github-synthetic-server.js';
import type { BenchSection } from './section.js';

const UNTIL = new Date('2026-07-01T00:00:00Z');
const HOUR = 3_600_000;
/** The scenarios: merged PRs and repositories. The last is the large org of issue 15 (200 repositories, 10,025 merged PRs). */
const SIZES: Array<{ pullRequests: number; repositories: number }> = [
  { pullRequests: 1_000, repositories: 60 },
  { pullRequests: 10_000, repositories: 60 },
  { pullRequests: 10_025, repositories: 200 },
];
const STREAMS = ['members', 'branch_protection', 'pull_requests'] as const;
const TARGET_REQUESTS_PER_1000_PRS = 15;
const TARGET_RERUN_PERCENT = 5;
const TARGET_CONNECTOR_PER_1000_PRS = 30;

/**
 * The same scenarios measured by this benchmark at commit ea043aa, before branch
 * protection was read in batched GraphQL queries (one REST branch, classic
 * protection and rules request per repository): first-run requests of the
 * whole connector and of branch_protection, and the re-run's rate-limit cost.
 */
const BEFORE_BATCHING: Record<string, { connector: number; branchProtection: number; rerunCost: number }> = {
  '1000/60': { connector: 178, branchProtection: 157, rerunCost: 14 },
  '10000/60': { connector: 295, branchProtection: 157, rerunCost: 14 },
  '10025/200': { connector: 655, branchProtection: 517, rerunCost: 37 },
};

interface StreamFigures {
  manifest: ManifestStream;
  /** What the server served while the stream ran. */
  served: RequestCounts;
}

interface RunFigures {
  seconds: number;
  streams: Record<string, StreamFigures>;
}

interface Scenario {
  pullRequests: number;
  repositories: number;
  org: SyntheticOrg;
  first: RunFigures;
  second: RunFigures;
}

const ZERO: RequestCounts = { rest200: 0, rest304: 0, restError: 0, graphql: 0 };
const sum = (a: RequestCounts, b: RequestCounts): RequestCounts => ({ rest200: a.rest200 + b.rest200, rest304: a.rest304 + b.rest304, restError: a.restError + b.restError, graphql: a.graphql + b.graphql });
const minus = (a: RequestCounts, b: RequestCounts): RequestCounts => ({ rest200: a.rest200 - b.rest200, rest304: a.rest304 - b.rest304, restError: a.restError - b.restError, graphql: a.graphql - b.graphql });
/** Requests that count against GitHub's rate limit: everything but a 304. */
const cost = (c: RequestCounts) => c.rest200 + c.restError + c.graphql;
const total = (c: RequestCounts) => cost(c) + c.rest304;
const stream = (run: RunFigures, name: string): StreamFigures => {
  const figures = run.streams[name];
  if (!figures) throw new Error(`benchmark run has no ${name} stream`);
  return figures;
};
const runServed = (run: RunFigures) => Object.values(run.streams).reduce((acc, s) => sum(acc, s.served), ZERO);
const runRecords = (run: RunFigures) => Object.values(run.streams).reduce((acc, s) => acc + s.manifest.recordCount, 0);
const runSnapshots = (run: RunFigures) => Object.values(run.streams).reduce((acc, s) => acc + s.manifest.snapshotCount, 0);
const int = (value: number) => value.toLocaleString('en-US');
const percent = (part: number, whole: number) => (whole === 0 ? 0 : (100 * part) / whole);

/** One collection run through the real runner, with the server's counters read around each stream. */
async function measuredRun(server: SyntheticGitHub, config: LoadedConfig, locker: Locker, range: { since?: Date; until?: Date; now: Date }): Promise<RunFigures> {
  const served: Record<string, RequestCounts> = {};
  let before = server.counts();
  const started = performance.now();
  const result = await collect({
    config,
    locker,
    trigger: 'bench',
    since: range.since,
    until: range.until,
    now: () => range.now,
    onStreamStart: () => {
      before = server.counts();
    },
    onStreamEnd: (progress) => {
      served[progress.stream] = minus(server.counts(), before);
    },
  });
  const seconds = (performance.now() - started) / 1000;
  if (server.unexpected.length > 0) throw new Error(`the connector sent requests the synthetic GitHub does not know: ${server.unexpected.slice(0, 3).join('; ')}`);
  if (result.manifest.status !== 'complete') throw new Error(`benchmark run ended ${result.manifest.status}: ${result.manifest.streams.map((s) => `${s.stream} ${s.status} ${s.error ?? ''}`).join('; ')}`);
  const streams: Record<string, StreamFigures> = {};
  for (const manifest of result.manifest.streams) {
    const counts = served[`${manifest.instance}/${manifest.stream}`];
    // The client's count (the manifest) and the server's must agree: a retry or a stray request would skew every figure.
    if (!counts || total(counts) !== manifest.requests) throw new Error(`${manifest.stream}: the manifest counts ${manifest.requests} requests, the server ${counts ? total(counts) : 'none'}`);
    streams[manifest.stream] = { manifest, served: counts };
  }
  return { seconds, streams };
}

function assertSameKeys(what: string, actual: string[], expected: string[]): void {
  const want = new Set(expected);
  const extra = actual.filter((key) => !want.has(key));
  if (actual.length !== want.size || new Set(actual).size !== actual.length || extra.length > 0) {
    throw new Error(`${what}: the locker holds ${actual.length} records, the synthetic org ${want.size}${extra.length > 0 ? ` (unexpected: ${extra.slice(0, 3).join(', ')})` : ''}`);
  }
}

/** The locker's latest records must be exactly the synthetic population, with the facts that make them evidence. */
async function assertPopulation(locker: Locker, org: SyntheticOrg, first: RunFigures, second: RunFigures): Promise<void> {
  const accounts = [];
  const samlSso: string[] = [];
  for await (const record of locker.records({ stream: 'github/members' })) {
    // The stream also states the organization's SAML SSO (one access.config record; the synthetic org has none).
    if (record.kind === 'access.config') samlSso.push(record.key);
    else accounts.push({ key: record.key, data: AccessAccount.parse(record.data) });
  }
  assertSameKeys('members (SAML SSO)', samlSso, [`saml_sso:${org.org}`]);
  const people = [...org.members, ...org.collaborators];
  assertSameKeys('members', accounts.map((a) => a.key), people.map((u) => `user:${u.login}`));
  const admins = accounts.filter((a) => a.data.privileged).length;
  const without2fa = accounts.filter((a) => a.data.mfa === 'disabled').length;
  if (admins !== org.members.filter((u) => u.admin).length || without2fa !== people.filter((u) => !u.twoFactor).length) throw new Error(`members: ${admins} admins and ${without2fa} without 2FA do not match the synthetic org`);

  const branches = [];
  for await (const record of locker.records({ stream: 'github/branch_protection' })) branches.push({ key: record.key, data: ConfigSetting.parse(record.data) });
  // Every repository is a record: an archived one says so (read-only, protection not read) and is not present.
  assertSameKeys('branch_protection', branches.map((b) => b.key), org.repos.map((r) => `${org.org}/${r.name}@main`));
  const archived = branches.filter((b) => (b.data.settings as { archived?: boolean }).archived === true).length;
  if (archived !== org.repos.filter((r) => r.archived).length) throw new Error('branch_protection: the archived repositories do not match the synthetic org');
  if (branches.filter((b) => !b.data.present).length !== org.repos.filter((r) => r.archived || r.protection === 'none').length) throw new Error('branch_protection: the unprotected branches do not match the synthetic org');

  const changes = [];
  for await (const record of locker.records({ stream: 'github/pull_requests' })) changes.push({ key: record.key, data: ChangeRequest.parse(record.data) });
  assertSameKeys('pull_requests', changes.map((c) => c.key), org.pullRequests.map((pr) => pr.key));
  const reviews = changes.reduce((acc, c) => acc + c.data.approvals.length, 0);
  if (reviews !== org.pullRequests.reduce((acc, pr) => acc + pr.reviews, 0)) throw new Error(`pull_requests: ${reviews} reviews recorded, not the synthetic org's`);

  const expected = { members: people.length + samlSso.length, branch_protection: org.repos.length, pull_requests: org.pullRequests.length };
  for (const name of STREAMS) {
    if (stream(first, name).manifest.recordCount !== expected[name]) throw new Error(`${name}: the first run recorded ${stream(first, name).manifest.recordCount} records, expected ${expected[name]}`);
  }
  // Nothing changed: the state streams must observe the very same record sets, and no PR was merged in the re-run's window.
  for (const name of ['members', 'branch_protection']) {
    if (stream(second, name).manifest.recordSet !== stream(first, name).manifest.recordSet) throw new Error(`${name}: the unchanged re-run observed a different record set`);
  }
  if (stream(second, 'pull_requests').manifest.recordCount !== 0) throw new Error('pull_requests: the re-run found PRs in a window the synthetic org leaves empty');
}

async function runScenario({ pullRequests, repositories }: { pullRequests: number; repositories: number }): Promise<Scenario> {
  const server = await startSyntheticGitHub({ pullRequests, repositories, until: UNTIL });
  const dir = await mkdtemp(join(tmpdir(), 'evidentia-bench-github-'));
  try {
    const file = join(dir, 'evidentia.yaml');
    const yaml = ['locker: ./locker', 'connectors:', '  github:', '    config:', `      org: ${server.population.org}`, '      token: ${env:GITHUB_TOKEN}', `      baseUrl: ${server.baseUrl}`, ''];
    await writeFile(file, yaml.join('\n'));
    const config = await loadConfig(file, { GITHUB_TOKEN: 'bench' });
    await initLocker(config.lockerDir);
    const locker = await openLocker(config.lockerDir);
    try {
      // The initial collection: the connector's 90-day lookback, stated explicitly as the window the synthetic org fills.
      const first = await measuredRun(server, config, locker, { since: server.population.windowStart, until: UNTIL, now: UNTIL });
      // An hour later, as a scheduler would run it: no range given, so pull_requests starts at its cursor less the 1-hour overlap.
      const second = await measuredRun(server, config, locker, { now: new Date(UNTIL.getTime() + HOUR) });
      const report = await locker.verify();
      if (!report.ok) throw new Error(`benchmark locker failed verification: ${report.problems[0]?.message}`);
      await assertPopulation(locker, server.population, first, second);
      return { pullRequests, repositories, org: server.population, first, second };
    } finally {
      await locker.close();
    }
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function describeOrg(org: SyntheticOrg): string {
  const active = org.repos.filter((r) => !r.archived);
  const mode = (m: string) => active.filter((r) => r.protection === m).length;
  const avgReviews = org.pullRequests.reduce((acc, pr) => acc + pr.reviews, 0) / Math.max(1, org.pullRequests.length);
  return [
    `- ${int(org.members.length)} members (${org.members.filter((u) => u.admin).length} owners, ${org.members.filter((u) => !u.twoFactor).length} without 2FA) and ${org.collaborators.length} outside collaborators (${org.collaborators.filter((u) => !u.twoFactor).length} without 2FA), each of them with write access to one repository (the members stream asks for every repository's outside collaborators, 100 repositories per GraphQL query); no pending invitation (the listing is asked for, one request); no SAML SSO.`,
    `- ${org.repos.length} repositories, ${org.repos.length - active.length} archived; of the ${active.length} active ones ${mode('classic')} have classic protection only, ${mode('both')} classic protection and a ruleset, ${mode('ruleset')} a ruleset only and ${mode('none')} no protection.`,
    `- Merged PRs spread evenly over the 90 days before ${UNTIL.toISOString().replace('.000Z', 'Z')}, 1–3 reviews each (${avgReviews.toFixed(1)} on average), none in the last 2 hours.`,
  ].join('\n');
}

function streamTable(s: Scenario): string {
  const rows = [...STREAMS.map((name) => ({ name, a: stream(s.first, name), b: stream(s.second, name) })), { name: '**whole run**', a: null, b: null }];
  const lines = ['| stream | 1st run: requests | 1st run: records | 2nd run: requests | 2nd run: 304 (free) | 2nd run: rate-limit cost | 2nd vs 1st cost |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: |'];
  for (const row of rows) {
    const first = row.a ? row.a.served : runServed(s.first);
    const second = row.b ? row.b.served : runServed(s.second);
    const records = row.a ? row.a.manifest.recordCount : runRecords(s.first);
    lines.push(`| ${row.name} | ${int(total(first))} | ${int(records)} | ${int(total(second))} | ${int(second.rest304)} | ${int(cost(second))} | ${percent(cost(second), cost(first)).toFixed(1)} % |`);
  }
  return lines.join('\n');
}

function render(scenarios: Scenario[]): string {
  const [sample] = scenarios;
  if (!sample) throw new Error('no benchmark scenario ran');
  const perThousand = (s: Scenario) => (1000 * stream(s.first, 'pull_requests').manifest.requests) / s.pullRequests;
  const connectorPerThousand = (s: Scenario) => (1000 * total(runServed(s.first))) / s.pullRequests;
  const rerun = (s: Scenario, name?: string) => (name ? percent(cost(stream(s.second, name).served), cost(stream(s.first, name).served)) : percent(cost(runServed(s.second)), cost(runServed(s.first))));
  const verdict = (value: number, limit: number, unit: string) => `${value.toFixed(1)}${unit} ${value <= limit ? '— met' : '— **missed**'}`;
  const targets = [
    { label: `pull_requests requests per 1,000 merged PRs, 1st run ≤ ${TARGET_REQUESTS_PER_1000_PRS}`, value: perThousand, limit: TARGET_REQUESTS_PER_1000_PRS, unit: '' },
    { label: `whole connector requests per 1,000 merged PRs, 1st run ≤ ${TARGET_CONNECTOR_PER_1000_PRS}`, value: connectorPerThousand, limit: TARGET_CONNECTOR_PER_1000_PRS, unit: '' },
    { label: `2nd-run rate-limit cost ≤ ${TARGET_RERUN_PERCENT} % of the 1st, whole run`, value: (s: Scenario) => rerun(s), limit: TARGET_RERUN_PERCENT, unit: ' %' },
    { label: `2nd-run rate-limit cost ≤ ${TARGET_RERUN_PERCENT} % of the 1st, pull_requests`, value: (s: Scenario) => rerun(s, 'pull_requests'), limit: TARGET_RERUN_PERCENT, unit: ' %' },
  ];
  const out: string[] = [
    'What the GitHub connector costs in requests and rate limit, end to end: the real config loader, runner, connector, SDK fetch (retries, ETag revalidation, snapshots) and a real SQLite locker, against a synthetic GitHub on 127.0.0.1 (`bench/github-synthetic-server.ts`). It serves REST with `Link` pagination and an `ETag` on every 200, answers `If-None-Match` with `304 Not Modified` (GitHub does not count 304s against the rate limit), and answers the connector\'s GraphQL documents (each stream\'s overview: `MembersOverview` with the organization totals, the first SAML identities page and the first outside-collaborator batch, `ProtectionOverview` with the totals and the first branch-protection batch; the later batches by node id; the merged-PR search with the 1,000-result ceiling). Requests are counted at the server, by kind, and must equal the per-stream `requests` in each manifest.',
    '',
    'Two runs per organization: the initial collection (90-day lookback for `pull_requests`), then an unchanged re-run an hour later with no range given, so `pull_requests` searches from its cursor less the one-hour overlap and finds nothing. **Rate-limit cost** = requests that were not 304. Every figure below comes from runs whose locker passed `verify` and whose records equal the synthetic population (accounts, active repositories, merged PRs and their reviews); otherwise the benchmark throws.',
    '',
    '**Synthetic organization** (`bench-corp`, generated deterministically):',
    '',
    describeOrg(sample.org),
    `- The ${int(scenarios.at(-1)!.pullRequests)}-PR scenario uses an organization of ${scenarios.at(-1)!.repositories} repositories with the same mix (the large org of issue 15).`,
    '',
  ];
  for (const s of scenarios) out.push(`### ${int(s.pullRequests)} merged PRs, ${s.repositories} repositories`, '', streamTable(s), '');
  out.push('**Runs**', '', '| merged PRs | run | wall time | records observed | snapshots | REST 200 | REST 304 | REST 404 | GraphQL |', '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const s of scenarios) {
    for (const [label, run] of [['1st (initial)', s.first], ['2nd (+1 h, unchanged)', s.second]] as const) {
      const c = runServed(run);
      out.push(`| ${int(s.pullRequests)} | ${label} | ${run.seconds.toFixed(2)} s | ${int(runRecords(run))} | ${int(runSnapshots(run))} | ${int(c.rest200)} | ${int(c.rest304)} | ${int(c.restError)} | ${int(c.graphql)} |`);
    }
  }
  out.push('', '**Before and after batched branch protection** (the same synthetic orgs measured by this benchmark at ea043aa, where each repository cost a branch, a classic-protection and a rules request):', '', '| merged PRs, repositories | whole connector, 1st run: before → after | per 1,000 merged PRs: before → after | ratio after / before | branch_protection, 1st run: before → after | 2nd-run rate-limit cost: before → after |', '| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const s of scenarios) {
    const before = BEFORE_BATCHING[`${s.pullRequests}/${s.repositories}`];
    if (!before) continue;
    const after = total(runServed(s.first));
    const per = (n: number) => ((1000 * n) / s.pullRequests).toFixed(1);
    out.push(`| ${int(s.pullRequests)}, ${s.repositories} | ${int(before.connector)} → ${int(after)} | ${per(before.connector)} → ${per(after)} | ${(after / before.connector).toFixed(2)} | ${int(before.branchProtection)} → ${int(total(stream(s.first, 'branch_protection').served))} | ${before.rerunCost} (${percent(before.rerunCost, before.connector).toFixed(1)} %) → ${cost(runServed(s.second))} (${rerun(s).toFixed(1)} %) |`);
  }
  out.push('', 'In the re-run, `records observed` are the state streams\' sets, identical (same record-set hash, checked) to the first run\'s: the locker stores no new record, and the 304s are recorded as snapshots of the stored bodies.');
  out.push('', '**Targets**', '', `| target | ${scenarios.map((s) => `${int(s.pullRequests)} PRs, ${s.repositories} repos`).join(' | ')} |`, `| --- | ${scenarios.map(() => '---:').join(' | ')} |`);
  for (const t of targets) out.push(`| ${t.label} | ${scenarios.map((s) => verdict(t.value(s), t.limit, t.unit)).join(' | ')} |`);

  const why: string[] = [];
  const fixed = runServed(sample.second);
  if (scenarios.some((s) => rerun(s) > TARGET_RERUN_PERCENT)) {
    why.push(`- **Whole re-run above ${TARGET_RERUN_PERCENT} %.** An unchanged re-run still costs ${cost(fixed)} requests whatever the number of PRs: ${fixed.graphql} GraphQL POSTs, one per stream (members' \`MembersOverview\`, branch_protection's \`ProtectionOverview\`, the PR search; a POST cannot be made conditional, and each stream needs at least one) plus one more per stream for each further 100 repositories (a batch of its own), and ${fixed.restError} REST error answers (preconditions do not apply to error responses). Every REST GET that answered 200 the first time is a free 304. Against a small first run that fixed cost is ${rerun(sample).toFixed(1)} % at ${int(sample.pullRequests)} PRs.`);
  }
  if (scenarios.some((s) => rerun(s, 'pull_requests') > TARGET_RERUN_PERCENT)) {
    why.push(`- **pull_requests re-run above ${TARGET_RERUN_PERCENT} % at small volumes.** The re-run's search is one GraphQL POST (its \`GET /user\` is a free 304), so the ratio is 1 / (1st-run requests: one \`GET /user\` plus a search per 100 PRs): below ${int(100 * (100 / TARGET_RERUN_PERCENT - 1))} merged PRs in 90 days it cannot reach ${TARGET_RERUN_PERCENT} %. In absolute terms it is the minimum: one request per run.`);
  }
  if (scenarios.some((s) => perThousand(s) > TARGET_REQUESTS_PER_1000_PRS)) {
    why.push('- **pull_requests above the per-1,000 target.** More than 1,000 results per search force range splits; each split costs one wasted first-page request.');
  }
  if (scenarios.some((s) => connectorPerThousand(s) > TARGET_CONNECTOR_PER_1000_PRS)) {
    const members = scenarios.map((s) => `${int(total(stream(s.first, 'members').served))} at ${s.repositories} repositories`).join(', ');
    why.push(`- **Whole connector above ${TARGET_CONNECTOR_PER_1000_PRS} per 1,000 PRs.** GitHub has no organization-wide listing of outside collaborators' repository access, so members asks for every repository's outside collaborators (one GraphQL query per 100 repositories, REST only where GraphQL cannot say it), besides the pending invitations: members' first-run requests are ${members}. They grow with the repositories, not the PRs, so a small PR volume or many repositories misses a per-PR target.`);
  }
  for (const s of scenarios) {
    const searches = stream(s.first, 'pull_requests').served.graphql;
    const ideal = Math.ceil(s.pullRequests / 100);
    if (searches > ideal) why.push(`- At ${int(s.pullRequests)} PRs the first run sent ${searches} searches for ${ideal} pages of 100: ${searches - ideal} more, from halving ranges that report over 1,000 results (the first page of each halved range is discarded) and from halves that end in partly-filled pages.`);
  }
  if (why.length > 0) out.push('', '**Notes on the figures**', '', ...why);
  out.push(
    '',
    'Wall time is for a loopback server in the same process, with no network latency: it measures the collector (parsing, hashing, snapshots, SQLite) and the connector\'s pace under GitHub\'s secondary limits (13 requests a second after a burst of 60, `connectors/github/src/pace.ts`), not GitHub. Against github.com the runs are sequential requests, so expect roughly the request count times the API latency on top.',
    '',
    '**Reproduce:** `pnpm bench` (every section, into BENCHMARKS.md), `pnpm bench github` (this section only, printed), or directly: `node --conditions=source --import tsx -e "import(\'./bench/github.ts\').then(m => m.benchGitHub()).then(s => console.log(s.markdown))"`.',
  );
  return out.join('\n');
}

/** The GitHub section of BENCHMARKS.md. */
export async function benchGitHub(): Promise<BenchSection> {
  const scenarios: Scenario[] = [];
  for (const size of SIZES) scenarios.push(await runScenario(size));
  if (process.env.BENCH_GITHUB_RAW) process.stderr.write(`${JSON.stringify(scenarios.map((s) => ({ prs: s.pullRequests, repos: s.repositories, first: runServed(s.first), second: runServed(s.second), streams: Object.fromEntries(STREAMS.map((n) => [n, [stream(s.first, n).served, stream(s.second, n).served]])) })))}\n`);
  return { title: 'GitHub connector: requests and rate-limit cost', markdown: render(scenarios) };
}
