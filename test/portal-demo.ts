/**
 * The demo locker served by `evidentia serve` with a team member (tess) and
 * an auditor (audrey, limited to the demo period), one exception accepted,
 * and Debian's chromium launched as the report's browser test launches it:
 * what the portal's browser test and `pnpm screenshots` share.
 */
import { execFileSync } from 'node:child_process';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DEMO_PERIOD, demoLocker, portalUrl, REPO_ROOT, runCli, spawnCli } from './cli.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
/** Debian's chromium, headless and quiet (no component updates, sync or QUIC: nothing leaves the machine). */
export const launchChromium = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM, args: ARGS });
export const PASSWORD = 'correct horse battery staple';
export const AUDITOR_PASSWORD = 'auditor pass phrase';

export const hashOf = (password: string) =>
  execFileSync(process.execPath, [join(REPO_ROOT, 'collector/bin/evidentia.js'), 'serve', 'hash-password'], { input: `${password}\n`, env: { ...process.env, NODE_OPTIONS: '' } }).toString().trim();

export interface DemoPortal {
  dir: string;
  config: string;
  base: string;
  server: ReturnType<typeof spawnCli>;
  browser: Browser;
}

/** The demo locker, the root access key's exception accepted with `reason`, the portal listening on 127.0.0.1 and a browser. */
export async function startDemoPortal(reason: string): Promise<DemoPortal> {
  const { dir } = await demoLocker('portal');
  const config = join(dir, 'evidentia.yaml');
  // Half a year from now: an acceptance holds at most a year (it is approved again yearly).
  const until = new Date(Date.now() + 182 * 86_400_000).toISOString().slice(0, 10);
  const accepted = await runCli(['exception', 'accept', 'access-keys', 'root access_key_1', '--reason', reason, '--approver', 'ciso@acme.example', '--until', until, '--config', config]);
  if (accepted.code !== 0) throw new Error(`exception accept exited ${accepted.code}: ${accepted.stderr}`);
  await appendFile(
    config,
    ['portal:', '  users:', '    - name: tess', '      role: team', `      passwordHash: "${hashOf(PASSWORD)}"`, '    - name: audrey', '      role: auditor', `      passwordHash: "${hashOf(AUDITOR_PASSWORD)}"`, `  auditPeriods: ["${DEMO_PERIOD}"]`, ''].join('\n'),
  );
  const server = spawnCli(['serve', '--config', config, '--listen', '127.0.0.1:0']);
  const base = await portalUrl(server);
  const browser = await launchChromium();
  return { dir, config, base, server, browser };
}

export async function signInAt(page: Page, base: string, name: string, password: string): Promise<void> {
  await page.goto(`${base}sign-in`);
  await page.fill('input[name="name"]', name);
  await page.fill('input[name="password"]', password);
  await page.click('button[type="submit"]');
}
