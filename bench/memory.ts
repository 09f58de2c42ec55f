/**
 * Peak memory of the CLI (issue 15), each command a child process running
 * the compiled launcher (collector/bin/evidentia.js → dist/) as a user would,
 * its peak resident set read from the child itself (a module imported first
 * reports process.resourceUsage().maxRSS at exit):
 *  - `collect` of the large org of issue 15 (LARGE_ORG: 200 repositories
 *    with 10,025 merged PRs, 5,000 IAM users, 100,000 CloudTrail events,
 *    10,000 Jira tickets, Google accounts and Slack members): the 30-day
 *    benchmark's five simulators given those sizes (times THIRTY_DAYS_SCALE)
 *    on 127.0.0.1 in this process, one config naming all five, one run into
 *    a fresh locker;
 *  - `check`, `report` and `export bundle` for the month of a synthetic
 *    locker of EVIDENTIA_BENCH_MEMORY_RECORDS access.account records (a
 *    million by default; bench/synthetic-locker.ts, through the writer API);
 *    0 skips them, to measure the collect alone.
 * Target: ≤ 200 MB (190.7 MiB) each. Measured here, never asserted in tests.
 *
 * Run alone: pnpm bench memory   (the collect alone: EVIDENTIA_BENCH_MEMORY_RECORDS=0 pnpm bench memory;
 * a quick trial: EVIDENTIA_BENCH_MEMORY_RECORDS=100000 THIRTY_DAYS_SCALE=0.25 pnpm bench memory)
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initLocker } from '@evidentia/locker';
import type { BenchSection } from './section.js';
import { writeSyntheticLocker } from './synthetic-locker.js';
import { awsSystem } from './thirty-days/aws.js';
import { githubSystem } from './thirty-days/github.js';
import { googleWorkspaceSystem } from './thirty-days/google-workspace.js';
import { jiraSystem } from './thirty-days/jira.js';
import { SCALE, scaled } from './thirty-days/simulated-system.js';
import { slackSystem } from './thirty-days/slack.js';

const RECORDS = Number(process.env.EVIDENTIA_BENCH_MEMORY_RECORDS ?? 1_000_000);
/** The large org of issue 15, as bench/aws.ts, bench/github.ts, bench/jira.ts, bench/google-workspace.ts and bench/slack.ts measure each connector on it. */
const LARGE_ORG = { repositories: 200, mergedPullRequests: 10_025, iamUsers: 5_000, cloudTrailEvents: 100_000, jiraTickets: 10_000, googleAccounts: 10_000, slackMembers: 10_000 };
const ORG = Object.fromEntries(Object.entries(LARGE_ORG).map(([name, size]) => [name, scaled(size)])) as typeof LARGE_ORG;
const int = (n: number) => n.toLocaleString('en');
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LAUNCHER = join(ROOT, 'collector/bin/evidentia.js');
const TARGET_MIB = 200e6 / 2 ** 20;
const RUN_AT = '2026-03-15T02:00:00.000Z';
const PERIOD = '2026-03-01..2026-03-31';

export interface CliMeasure {
  seconds: number;
  peakRssMiB: number;
  code: number | null;
  stdout: string;
}

const PROBE = "import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => writeFileSync(process.env.EVIDENTIA_BENCH_PROBE, String(process.resourceUsage().maxRSS / 1024)));\n";

/** Write the exit probe into `work`; returns its path. */
export async function writeProbe(work: string): Promise<string> {
  const probe = join(work, 'rss-probe.mjs');
  await writeFile(probe, PROBE);
  return probe;
}

/** Run the compiled CLI with `args` to its end; `ok` lists the exit codes that mean it did its work. */
export async function measureCli(work: string, probe: string, args: string[], env: Record<string, string>, ok: number[] = [0]): Promise<CliMeasure> {
  const report = join(work, 'rss-probe.out');
  const began = performance.now();
  // Asynchronous: the simulators answering the collect run in this process's event loop.
  const child = spawn(process.execPath, ['--import', probe, LAUNCHER, ...args], {
    cwd: work,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '', FORCE_COLOR: '0', EVIDENTIA_FROM_SOURCE: '', EVIDENTIA_KEYS_DIR: join(work, 'keys'), EVIDENTIA_BENCH_PROBE: report, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
  const seconds = (performance.now() - began) / 1000;
  if (!ok.includes(code ?? -1)) throw new Error(`evidentia ${args.join(' ')} exited ${code ?? signal}: ${stderr.slice(-2000)}`);
  const peakRssMiB = Number(await readFile(report, 'utf8'));
  // Each figure as it comes: a long run stopped part way still tells what it measured.
  process.stderr.write(`  evidentia ${args[0]}${args[0] === 'export' ? ' bundle' : ''}: ${seconds.toFixed(1)} s, peak RSS ${peakRssMiB.toFixed(1)} MiB\n`);
  return { seconds, peakRssMiB, code, stdout };
}

const mib = (value: number) => value.toFixed(1);
const row = (name: string, m: CliMeasure, what: string) =>
  `| ${name} | ${what} | ${m.seconds.toFixed(1)} s | ${mib(m.peakRssMiB)} MiB | ${(m.peakRssMiB / TARGET_MIB).toFixed(2)} | ${m.peakRssMiB <= TARGET_MIB ? 'met' : 'not met'} |`;

async function measureCollect(work: string, probe: string): Promise<CliMeasure> {
  // The org is generated around the present: the CLI runs on the real clock.
  const start = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  const systems = [
    await awsSystem(start, { users: ORG.iamUsers, historyEvents: ORG.cloudTrailEvents }),
    await googleWorkspaceSystem(start, { users: ORG.googleAccounts }),
    await slackSystem(start, { members: ORG.slackMembers }),
    await githubSystem(start, { repositories: ORG.repositories, historyPullRequests: ORG.mergedPullRequests }),
    await jiraSystem(start, { tickets: ORG.jiraTickets }),
  ];
  try {
    const lockerDir = join(work, 'collect-locker');
    const configFile = join(work, 'evidentia.yaml');
    await writeFile(configFile, `locker: ${JSON.stringify(lockerDir)}\nconnectors:\n${systems.map((s) => s.yaml).join('\n')}\n`);
    await initLocker(lockerDir);
    for (const system of systems) system.beforeRun(1, start);
    const measured = await measureCli(work, probe, ['collect', '--config', configFile, '--json'], Object.assign({}, ...systems.map((s) => s.env)) as Record<string, string>);
    const manifest = JSON.parse(measured.stdout) as { status?: string; streams?: Array<{ instance: string; stream: string; recordCount: number }> };
    if (manifest.status !== 'complete') throw new Error(`the benchmark collect is ${manifest.status}`);
    process.stderr.write(`  records: ${(manifest.streams ?? []).map((s) => `${s.instance}/${s.stream} ${int(s.recordCount)}`).join(', ')}\n`);
    return measured;
  } finally {
    await Promise.all(systems.map((s) => s.close()));
  }
}

interface ReadCommands {
  records: number;
  ingestSeconds: number;
  checked: CliMeasure;
  reported: CliMeasure;
  reportMiB: number;
  exported: CliMeasure;
  zipMiB: number;
}

/** `check`, `report` and `export bundle` of a synthetic locker of RECORDS records. */
async function measureReadCommands(work: string, probe: string): Promise<ReadCommands> {
  const locker = join(work, 'locker');
  const ingestSeconds = await writeSyntheticLocker(locker, RECORDS, { runAt: RUN_AT });
  process.stderr.write(`  ${RECORDS} records written in ${ingestSeconds.toFixed(1)} s\n`);
  const at = ['--locker', locker, '--period', PERIOD];
  // check exits 1 when it found exceptions: the synthetic accounts have some.
  const checked = await measureCli(work, probe, ['check', ...at], {}, [0, 1]);
  const reported = await measureCli(work, probe, ['report', ...at, '--out', join(work, 'report.html')], {});
  const reportMiB = (await stat(join(work, 'report.html'))).size / 2 ** 20;
  const exported = await measureCli(work, probe, ['export', 'bundle', ...at, '--out', join(work, 'bundle.zip')], {});
  const zipMiB = (await stat(join(work, 'bundle.zip'))).size / 2 ** 20;
  return { records: RECORDS, ingestSeconds, checked, reported, reportMiB, exported, zipMiB };
}

const orgText = () =>
  `${int(ORG.repositories)} GitHub repositories with ${int(ORG.mergedPullRequests)} merged PRs, ${int(ORG.iamUsers)} IAM users, ${int(ORG.cloudTrailEvents)} CloudTrail events, ${int(ORG.jiraTickets)} Jira tickets, ${int(ORG.googleAccounts)} Google accounts, ${int(ORG.slackMembers)} Slack members`;

export async function benchMemory(): Promise<BenchSection> {
  execFileSync('pnpm', ['-s', 'build'], { cwd: ROOT, stdio: 'inherit' });
  const work = await mkdtemp(join(tmpdir(), 'evidentia-bench-memory-'));
  try {
    const probe = await writeProbe(work);
    const load = () => loadavg()[0]!.toFixed(1);
    const loads = [load()];
    const collected = await measureCollect(work, probe);
    loads.push(load());
    const read = RECORDS > 0 ? await measureReadCommands(work, probe) : null;
    if (read) loads.push(load());
    const n = read ? int(read.records) : '';
    return {
      title: 'Peak memory of the CLI (issue 15)',
      markdown: [
        `Each command runs the compiled CLI (\`collector/bin/evidentia.js\`, dist/ built by \`pnpm build\` first) in a child process of its own; its peak resident set is the child's own \`process.resourceUsage().maxRSS\` at exit. Target: ≤ 200 MB (${mib(TARGET_MIB)} MiB) for each. The machine is shared: 1-minute load average ${loads.join(' → ')} over the runs.`,
        '',
        `- collect: the large org of issue 15${SCALE === 1 ? '' : ` at scale ${SCALE}`} (${orgText()}; the 30-day benchmark's simulators in bench/thirty-days/ given those sizes, on 127.0.0.1, the real SDK clients), one config with all five, one \`collect\` into a fresh locker, which must end complete.`,
        ...(read ? [`- check, report, export bundle: a locker of ${n} access.account records in one inventory run (written through the writer API in ${read.ingestSeconds.toFixed(1)} s), each command for the month around it (\`--period ${PERIOD}\`).`] : ['- check, report, export bundle: not measured (`EVIDENTIA_BENCH_MEMORY_RECORDS=0`).']),
        '',
        '| command | on | time | peak RSS | ÷ target | target |',
        '| --- | --- | ---: | ---: | ---: | --- |',
        row('`collect`', collected, 'the large org, first run'),
        ...(read
          ? [
              row('`check`', read.checked, `${n} records`),
              row('`report`', read.reported, `${n} records (${mib(read.reportMiB)} MiB HTML)`),
              row('`export bundle`', read.exported, `${n} records (${mib(read.zipMiB)} MiB zip)`),
            ]
          : []),
      ].join('\n'),
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
