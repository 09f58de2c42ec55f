/**
 * `evidentia demo`: the real collector against recorded fixtures served on
 * 127.0.0.1, so a newcomer sees collection, verification and the resulting
 * evidence without credentials or network. Everything except the transport is
 * the production path: config loading, runner, locker, verify. Its config is
 * written beside the locker (and names it), so every reading command works on
 * the demo locker with that config; nothing is left anywhere else.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { writeFileAtomic } from '@evidentia/evidence';
import { openLocker } from '@evidentia/locker';
import { startReplayServer } from '@evidentia/cassettes';
import { builtInConnectors } from '../all-built-in-connectors.js';
import { loadConfig } from '../config/load.js';
import { DEFAULT_CONFIG, initLockerAt } from '../context.js';
import { signingSettings } from '../config/signing.js';
import { keyCustodyOf } from '../signing/custody.js';
import { collect } from '../runner.js';
import { createProgress } from '../output/progress.js';
import { renderTable, UsageError } from '@evidentia/audit';
import { invocationOf } from '../output/invocation.js';
import { renderRunSummary, abortOnSignals } from './collect.js';
import { renderVerifyReport } from './verify.js';
import type { Wrap } from './wrap.js';

/**
 * The custom connector example, collected in the demo to show custom connectors at work: in a checkout
 * config/examples/hr-export, in an installed package the copy packing lays beside dist/ (scripts/prepack.mjs).
 */
const EXAMPLE_DIR = [new URL('../../../config/examples/hr-export/', import.meta.url), new URL('../../demo/hr-export/', import.meta.url)]
  .map((url) => fileURLToPath(url))
  .find((dir) => existsSync(dir));
const EXAMPLE_CONNECTOR = join(EXAMPLE_DIR ?? '', 'connector.ts');
const EXAMPLE_EXPORT = join(EXAMPLE_DIR ?? '', 'people.json');

/** The period the bundled fixtures were recorded for. */
export const DEMO_PERIOD = { since: new Date('2026-04-02T00:00:00Z'), until: new Date('2026-07-01T00:00:00Z') };
export const DEMO_TOKEN_VARIABLE = 'EVIDENTIA_DEMO_TOKEN';
const DEMO_TRIGGER = 'demo';

/**
 * The demo's config: every built-in connector's own demo entry (each keeps its
 * cassettes and config beside its code), pointed at the one replay server
 * that serves them all, plus the custom connector example.
 */
export function demoConfig(lockerDir: string, baseUrl: string): string {
  const connectors: Record<string, unknown> = {};
  for (const [id, connector] of Object.entries(builtInConnectors)) {
    if (connector.demo) connectors[id] = { config: connector.demo.config(baseUrl, `\${env:${DEMO_TOKEN_VARIABLE}}`) };
  }
  connectors.hr = { module: EXAMPLE_CONNECTOR, config: { exportFile: EXAMPLE_EXPORT } };
  return `${DEMO_CONFIG_HEADER}
# Reading commands (records, verify, status, coverage, check, report, export) work with it; collect does
# not: the replay server it names ran only while the demo did. \`evidentia demo\` again collects anew.
${stringify({ locker: lockerDir, connectors })}${DEMO_PORTAL_EXAMPLE}`;
}

/**
 * The portal needs a user, and the demo ships no password that works: the example stays commented
 * until its hash is replaced by one \`serve hash-password\` printed for a password of the user's.
 */
export const DEMO_PORTAL_EXAMPLE = `
# The portal (\`evidentia serve\`) signs in the users listed here. Print a password's hash with
# \`read -rs PW; printf %s "$PW" | evidentia serve hash-password\`, then uncomment the lines
# below and replace the placeholder with that hash:
# portal:
#   users:
#     - name: demo
#       role: admin
#       passwordHash: "REPLACE WITH THE HASH FROM serve hash-password"
`;

const DEMO_CONFIG_HEADER = '# Written by `evidentia demo`: the collector pointed at the bundled fixtures.';

/** The demo's config file, beside the locker; refused (before anything runs) where a config of the user's already is. */
async function demoConfigFile(lockerDir: string): Promise<string> {
  const file = join(dirname(lockerDir), 'evidentia.yaml');
  if (existsSync(file) && !(await readFile(file, 'utf8')).startsWith(DEMO_CONFIG_HEADER)) {
    throw new UsageError(`--locker ${lockerDir}: the demo writes its configuration beside the locker, but ${file} exists and is not the demo's; choose a locker in another folder`);
  }
  return file;
}

/**
 * Refuse a locker that holds collections of the user's: the demo's evidence (the fixtures' accounts, changes,
 * inventories) would join theirs for good, as nothing is ever removed from a locker. Again on a demo locker is fine.
 */
async function refuseLockerInUse(lockerDir: string): Promise<void> {
  if (!existsSync(join(lockerDir, 'locker.db'))) return;
  const locker = await openLocker(lockerDir, { readonly: true });
  try {
    const own = (await locker.runs()).filter((run) => run.trigger !== DEMO_TRIGGER).length;
    if (own > 0) {
      throw new UsageError(
        `--locker ${lockerDir}: this locker holds ${own} collection run(s) of its own (not the demo's); the demo would add the bundled fixtures' evidence to it for good: choose a new folder for the demo`,
      );
    }
  } finally {
    await locker.close();
  }
}

/** The commands to try next, as the user started evidentia, naming the demo's config unless it is the one found by default. */
function nextCommands(configFile: string, period: string): string {
  const run = invocationOf(process.env, process.argv[1], process.cwd());
  const config = configFile === resolve(DEFAULT_CONFIG) ? '' : ` --config ${shellWord(configFile)}`;
  const commands = [
    'records --control CC8.1',
    'verify',
    'status',
    `coverage --period ${period}`,
    `check --period ${period}`,
    `report --period ${period} --out report.html`,
    `export bundle --period ${period} --out bundle.zip`,
  ];
  const portal = [
    `portal: read -rs PW; printf %s "$PW" | ${run} serve hash-password`,
    `        then put that hash in the commented portal: example at the end of ${configFile}, uncomment it, and run`,
    `        ${run} serve${config}   (then open http://127.0.0.1:8080/ and sign in as demo)`,
  ];
  return [...commands.map((command, n) => `${n === 0 ? 'try: ' : '     '}${run} ${command}${config}`), ...portal].join('\n');
}

/** A path as one shell word (quoted only when it needs to be). */
const shellWord = (text: string) => (/^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`);

function demoCassettes(): string[] {
  return Object.values(builtInConnectors).flatMap((connector) => connector.demo?.cassettes ?? []);
}

export function registerDemo(program: Command, wrap: Wrap): void {
  program
    .command('demo')
    .description('collect from bundled fixtures on 127.0.0.1 into a locker, verify it and show the evidence')
    .option('--locker <dir>', 'keep the demo locker here for inspection (default: a temporary directory)')
    .action(
      wrap(async (flags: { locker?: string }) => {
        const lockerDir = flags.locker ? resolve(flags.locker) : join(await mkdtemp(join(tmpdir(), 'evidentia-demo-')), 'locker');
        const configFile = await demoConfigFile(lockerDir);
        await refuseLockerInUse(lockerDir);
        const server = await startReplayServer(demoCassettes());
        const interruption = abortOnSignals();
        try {
          // The demo keeps its key where `init` would (the default key directory), so the commands it suggests can sign too.
          const custody = keyCustodyOf(signingSettings(undefined, process.cwd()));
          // The locker first: where it cannot be made, no config is left behind either.
          const key = await initLockerAt(lockerDir, custody);
          await writeFileAtomic(configFile, demoConfig(lockerDir, server.baseUrl));
          // The fixtures accept any token; this placeholder only exercises the ${env:…} reference path.
          const config = await loadConfig(configFile, { ...process.env, [DEMO_TOKEN_VARIABLE]: 'demo-placeholder' });
          const locker = await openLocker(lockerDir, { custody });
          try {
            const progress = createProgress(process.stderr, process.stderr.isTTY ? 'bar' : 'lines');
            const result = await collect({
              config,
              locker,
              since: DEMO_PERIOD.since,
              until: DEMO_PERIOD.until,
              // Replayed as of the day the fixtures were recorded, so retention limits (Google keeps 180 days) fall where they did.
              now: () => DEMO_PERIOD.until,
              trigger: DEMO_TRIGGER,
              signal: interruption.signal,
              onStreamStart: (p) => progress.start(p),
              onStreamEnd: (p) => progress.end(p),
            });
            progress.stop();
            const report = await locker.verify();
            const perKind = new Map<string, number>();
            const perControl = new Map<string, number>();
            for await (const record of locker.records({})) {
              perKind.set(record.kind, (perKind.get(record.kind) ?? 0) + 1);
              for (const control of record.controls) perControl.set(control, (perControl.get(control) ?? 0) + 1);
            }
            const out = process.stdout;
            out.write(`\nevidentia demo: fixtures served on ${server.baseUrl}\n\n`);
            out.write(renderRunSummary(result));
            out.write(`\nrecords per kind\n${renderTable(['kind', 'records'], [...perKind].sort())}`);
            out.write(`\nrecords per criterion\n${renderTable(['criterion', 'records'], [...perControl].sort())}`);
            out.write(`\n${renderVerifyReport(report)}`);
            out.write(`\nlocker: ${lockerDir} (signing key ${key.keyId.slice(0, 16)}…, private key in ${custody.location})\n`);
            out.write(`config: ${configFile} (names the locker; reading commands work with it)\n`);
            // The inventories were observed today, so the audit period runs from the fixtures' start to today.
            const period = `${DEMO_PERIOD.since.toISOString().slice(0, 10)}..${new Date().toISOString().slice(0, 10)}`;
            out.write(`${nextCommands(configFile, period)}\n`);
            return result.manifest.status === 'complete' && report.ok ? 0 : 1;
          } finally {
            await locker.close();
          }
        } finally {
          interruption.dispose();
          await server.close();
        }
      }),
    );
}
