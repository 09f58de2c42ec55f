/**
 * The portal under load (issue 17): `evidentia serve` (the compiled CLI, a
 * child process) on a synthetic locker of EVIDENTIA_BENCH_PORTAL_RECORDS
 * access.account records (a million by default; bench/synthetic-locker.ts),
 * EVIDENTIA_BENCH_PORTAL_READERS signed-in readers (20) each requesting the
 * main pages in turn — readiness, exceptions, the evidence list, coverage,
 * runs and the population CSV for the month — for
 * EVIDENTIA_BENCH_PORTAL_SECONDS (60). Reported: pages per second, p50/p95
 * latency per page, failed requests, and the server's peak resident set.
 * Measured here, never asserted in tests.
 *
 * A quick trial: EVIDENTIA_BENCH_PORTAL_RECORDS=10000 EVIDENTIA_BENCH_PORTAL_SECONDS=15 pnpm bench portal
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeProbe } from './memory.js';
import type { BenchSection } from './section.js';
import { writeSyntheticLocker } from './synthetic-locker.js';

const isJudging = (body: Buffer) => body.includes('<p id="judging">');

/** Reads an answer to its end, counting its bytes and keeping only its first 64 KiB (a page's head): a reader holds no download. */
async function drain(response: Response): Promise<{ bytes: number; head: Buffer }> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of response.body ?? []) {
    if (bytes < 65_536) chunks.push(Buffer.from(chunk as Uint8Array));
    bytes += (chunk as Uint8Array).byteLength;
  }
  return { bytes, head: Buffer.concat(chunks) };
}
const RECORDS = Number(process.env.EVIDENTIA_BENCH_PORTAL_RECORDS ?? 1_000_000);
const READERS = Number(process.env.EVIDENTIA_BENCH_PORTAL_READERS ?? 20);
const SECONDS = Number(process.env.EVIDENTIA_BENCH_PORTAL_SECONDS ?? 60);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LAUNCHER = join(ROOT, 'collector/bin/evidentia.js');
const RUN_AT = '2026-03-15T02:00:00.000Z';
const PERIOD = '2026-03-01..2026-03-31';
const USER = 'bench';
const PASSWORD = 'bench pass phrase for the load test';

const PAGES: Array<{ name: string; path: string }> = [
  { name: 'readiness', path: `readiness?framework=soc2&period=${PERIOD}` },
  { name: 'exceptions', path: `exceptions?period=${PERIOD}` },
  { name: 'evidence list', path: `evidence?kind=access.account&period=${PERIOD}` },
  { name: 'coverage', path: `coverage?period=${PERIOD}` },
  { name: 'runs', path: `runs?period=${PERIOD}` },
  { name: 'population CSV', path: `populations/population.csv?kind=access.account&period=${PERIOD}` },
];

const cli = (args: string[], input?: string) =>
  execFileSync(process.execPath, [LAUNCHER, ...args], { input, env: { ...process.env, NODE_OPTIONS: '', EVIDENTIA_FROM_SOURCE: '' } }).toString();

/** The session cookie of a signed-in reader (the sign-in form's CSRF token first, as a browser). */
async function signIn(base: string): Promise<string> {
  const form = await fetch(`${base}sign-in`);
  const cookies = form.headers.getSetCookie().map((cookie) => cookie.split(';')[0]!);
  const csrf = /name="csrf" value="([^"]+)"/.exec(await form.text())?.[1];
  if (!csrf) throw new Error('the sign-in page has no CSRF token');
  const signedIn = await fetch(`${base}sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies.join('; ') },
    body: new URLSearchParams({ csrf, name: USER, password: PASSWORD }).toString(),
  });
  if (signedIn.status !== 303 && signedIn.status !== 302) throw new Error(`sign-in answered ${signedIn.status}`);
  return [...cookies, ...signedIn.headers.getSetCookie().map((cookie) => cookie.split(';')[0]!)].join('; ');
}

const percentile = (sorted: number[], p: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!);

export async function benchPortal(): Promise<BenchSection> {
  execFileSync('pnpm', ['-s', 'build'], { cwd: ROOT, stdio: 'inherit' });
  const work = await mkdtemp(join(tmpdir(), 'evidentia-bench-portal-'));
  try {
    const locker = join(work, 'locker');
    const ingestSeconds = await writeSyntheticLocker(locker, RECORDS, { runAt: RUN_AT });
    process.stderr.write(`  ${RECORDS} records written in ${ingestSeconds.toFixed(1)} s\n`);
    const hash = cli(['serve', 'hash-password'], `${PASSWORD}\n`).trim();
    const config = join(work, 'evidentia.yaml');
    await writeFile(config, [`locker: ${JSON.stringify(locker)}`, 'connectors: {}', 'portal:', '  users:', `    - name: ${USER}`, '      role: team', `      passwordHash: "${hash}"`, ''].join('\n'));
    const probe = await writeProbe(work);
    const report = join(work, 'rss-probe.out');
    const server = spawn(process.execPath, ['--import', probe, LAUNCHER, 'serve', '--config', config, '--listen', '127.0.0.1:0'], {
      cwd: work,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '', EVIDENTIA_FROM_SOURCE: '', EVIDENTIA_KEYS_DIR: join(work, 'keys'), EVIDENTIA_BENCH_PROBE: report },
    });
    let stderr = '';
    server.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    const closed = new Promise<number | null>((resolve) => server.on('close', resolve));
    const base = await new Promise<string>((resolve, reject) => {
      let out = '';
      server.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const url = /portal: (http:\/\/\S+)/.exec(out)?.[1];
        if (url) resolve(url.endsWith('/') ? url : `${url}/`);
      });
      void closed.then((code) => reject(new Error(`serve exited ${code} before listening: ${stderr}`)));
    });
    const load = () => loadavg()[0]!.toFixed(1);
    const loads = [load()];
    const cookies = await Promise.all(Array.from({ length: READERS }, () => signIn(base)));
    // Each page once, alone, right after start: what the first reader of a page waits (nothing judged or read yet).
    const cold = new Map<string, number>();
    for (const page of PAGES) {
      const started = performance.now();
      // A page whose judgement is still being made answers a "Judging the period" page: asked again until it is the page.
      for (;;) {
        const response = await fetch(`${base}${page.path}`, { headers: { cookie: cookies[0]! }, redirect: 'manual' });
        const body = Buffer.from(await response.arrayBuffer());
        if (response.status !== 200) throw new Error(`${page.name} answered ${response.status}`);
        if (!isJudging(body)) break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      cold.set(page.name, performance.now() - started);
      process.stderr.write(`  ${page.name}, first request: ${Math.round(cold.get(page.name)!)} ms\n`);
    }
    const latencies = new Map<string, number[]>(PAGES.map((page) => [page.name, []]));
    let failed = 0;
    let judging = 0;
    const errors = new Set<string>();
    let bytes = 0;
    const began = performance.now();
    const until = began + SECONDS * 1000;
    await Promise.all(
      cookies.map(async (cookie, reader) => {
        for (let turn = reader; performance.now() < until; turn++) {
          const page = PAGES[turn % PAGES.length]!;
          const started = performance.now();
          try {
            const response = await fetch(`${base}${page.path}`, { headers: { cookie }, redirect: 'manual' });
            const body = await drain(response);
            if (response.status !== 200) failed++;
            bytes += body.bytes;
            // "Judging the period" is an answer but not the page: counted apart, not as a page served.
            if (isJudging(body.head)) judging++;
            else latencies.get(page.name)!.push(performance.now() - started);
          } catch (error) {
            // A connection the server dropped is a failed page, said with its cause, not the end of the bench.
            failed++;
            errors.add(`${page.name}: ${String((error as Error).cause ?? error)}`);
          }
        }
      }),
    );
    const elapsed = (performance.now() - began) / 1000;
    loads.push(load());
    if (server.exitCode !== null) throw new Error(`serve ended during the load (exit ${server.exitCode}): ${stderr}`);
    server.kill('SIGTERM');
    const code = await closed;
    if (code !== 0) throw new Error(`serve exited ${code}: ${stderr}`);
    const peakRssMiB = Number(await readFile(report, 'utf8'));
    const all = [...latencies.values()].flat().sort((a, b) => a - b);
    const htmlPages = PAGES.filter((page) => !page.path.includes('.csv')).flatMap((page) => latencies.get(page.name)!).sort((a, b) => a - b);
    const ms = (value: number) => (Number.isNaN(value) ? '—' : `${Math.round(value).toLocaleString('en')} ms`);
    const rows = PAGES.map((page) => {
      const sorted = latencies.get(page.name)!.sort((a, b) => a - b);
      return `| ${page.name} | ${ms(cold.get(page.name)!)} | ${sorted.length} | ${ms(percentile(sorted, 50))} | ${ms(percentile(sorted, 95))} | ${ms(sorted.at(-1) ?? NaN)} |`;
    });
    return {
      title: 'The portal under load (issue 17)',
      markdown: [
        `\`evidentia serve\` (the compiled CLI in its own process) on a synthetic locker of ${RECORDS.toLocaleString('en')} access.account records in one inventory run (written through the writer API in ${ingestSeconds.toFixed(1)} s), ${READERS} signed-in readers (role team) on 127.0.0.1 each requesting readiness, exceptions, the evidence list, coverage, runs and the population CSV for the month (\`${PERIOD}\`) in turn for ${SECONDS} s, a request at a time per reader, after each page was requested once alone (the first column: nothing judged or read yet; the portal keeps a period's judgement until the locker changes). The server's peak resident set is its own \`process.resourceUsage().maxRSS\` at exit. 1-minute load average ${loads.join(' → ')}.`,
        '',
        `**${(all.length / elapsed).toFixed(2)} pages per second** (${all.length} in ${elapsed.toFixed(1)} s, ${failed} not answered 200, ${judging} answered "Judging the period"${errors.size > 0 ? ` (${[...errors].join('; ')})` : ''}, ${(bytes / 2 ** 20).toFixed(1)} MiB served); p95 over all pages ${ms(percentile(all, 95))}, over the HTML pages (every one but the download) ${ms(percentile(htmlPages, 95))}; server peak RSS **${peakRssMiB.toFixed(1)} MiB**.`,
        '',
        '| page | first request after start, alone | requests under load | p50 | p95 | slowest |',
        '| --- | ---: | ---: | ---: | ---: | ---: |',
        ...rows,
      ].join('\n'),
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
