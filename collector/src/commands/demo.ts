/**
 * `evidentia demo`: the real collector against recorded fixtures served on
 * 127.0.0.1, so a newcomer sees collection, verification and the resulting
 * evidence without credentials or network. Everything except the transport is
 * the production path: config loading, runner, locker, verify.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { openLocker } from '@evidentia/locker';
import { startReplayServer } from '@evidentia/cassettes';
import { builtInConnectors } from '../built-in-connectors.js';
import { loadConfig } from '../config/load.js';
import { initLockerAt } from '../context.js';
import { signingSettings } from '../config/signing.js';
import { keyCustodyOf } from '../signing/custody.js';
import { collect } from '../runner.js';
import { createProgress } from '../output/progress.js';
import { renderTable } from '@evidentia/audit';
import { renderRunSummary, abortOnSignals } from './collect.js';
import { renderVerifyReport } from './verify.js';
import type { Wrap } from './wrap.js';

/** The custom connector example, collected in the demo to show custom connectors at work. */
const EXAMPLE_CONNECTOR = fileURLToPath(new URL('../../../config/examples/hr-export/connector.ts', import.meta.url));
const EXAMPLE_EXPORT = fileURLToPath(new URL('../../../config/examples/hr-export/people.json', import.meta.url));

/** The period the bundled fixtures were recorded for. */
export const DEMO_PERIOD = { since: new Date('2026-04-02T00:00:00Z'), until: new Date('2026-07-01T00:00:00Z') };
export const DEMO_TOKEN_VARIABLE = 'EVIDENTIA_DEMO_TOKEN';

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
  return `# Written by \`evidentia demo\`: the collector pointed at the bundled fixtures.\n${stringify({ locker: lockerDir, connectors })}`;
}

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
        const server = await startReplayServer(demoCassettes());
        const interruption = abortOnSignals();
        try {
          const configFile = join(await mkdtemp(join(tmpdir(), 'evidentia-demo-config-')), 'evidentia.yaml');
          await writeFile(configFile, demoConfig(lockerDir, server.baseUrl));
          // The fixtures accept any token; this placeholder only exercises the ${env:…} reference path.
          const config = await loadConfig(configFile, { ...process.env, [DEMO_TOKEN_VARIABLE]: 'demo-placeholder' });
          // The demo keeps its key where `init` would (the default key directory), so the commands it suggests can sign too.
          const custody = keyCustodyOf(signingSettings(undefined, process.cwd()));
          const key = await initLockerAt(lockerDir, custody);
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
              trigger: 'demo',
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
            // The inventories were observed today, so the audit period runs from the fixtures' start to today.
            const period = `${DEMO_PERIOD.since.toISOString().slice(0, 10)}..${new Date().toISOString().slice(0, 10)}`;
            out.write(
              [
                `try: pnpm evidentia records --locker ${lockerDir} --control CC8.1`,
                `     pnpm evidentia verify --locker ${lockerDir}`,
                `     pnpm evidentia check --locker ${lockerDir} --period ${period}`,
                `     pnpm evidentia report --locker ${lockerDir} --period ${period} --out report.html`,
                `     pnpm evidentia export bundle --locker ${lockerDir} --period ${period} --out bundle.zip`,
                '',
              ].join('\n'),
            );
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
