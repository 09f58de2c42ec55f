/**
 * `pnpm screenshots`: the README's portal screenshots (docs/portal/*.png),
 * taken on the demo locker with the browser test's setup, signed in as the
 * auditor. Each is one viewport (no full pages) at scale 1, to keep the
 * committed images small. Prints each path and its size.
 */
import { statSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DEMO_PERIOD, REPO_ROOT } from './cli.js';
import { AUDITOR_PASSWORD, signInAt, startDemoPortal } from './portal-demo.js';

const OUT = join(REPO_ROOT, 'docs', 'portal');

const portal = await startDemoPortal('Root key kept for break-glass; rotated quarterly (RISK-12)');
try {
  await mkdir(OUT, { recursive: true });
  const context = await portal.browser.newContext({ viewport: { width: 1000, height: 640 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await signInAt(page, portal.base, 'audrey', AUDITOR_PASSWORD);
  const shoot = async (name: string, path: string, scrollTo?: string) => {
    await page.goto(`${portal.base}${path}`);
    if (scrollTo) await page.locator(scrollTo).first().evaluate((element) => element.scrollIntoView({ block: 'start' }));
    const file = join(OUT, `${name}.png`);
    await page.screenshot({ path: file });
    console.log(`${file} (${Math.round(statSync(file).size / 1024)} KiB)`);
  };
  const period = encodeURIComponent(DEMO_PERIOD);
  await shoot('readiness', `readiness?period=${period}`);
  await shoot('coverage', `coverage?period=${period}`, 'section.stream[data-stream="github/pull_requests"]');
  await shoot('exceptions', `exceptions?period=${period}&check=access-keys`);
  await page.goto(`${portal.base}evidence?kind=access.account&period=${period}`);
  const record = (await page.locator('#evidence tbody tr a').first().getAttribute('href'))!;
  await shoot('evidence', `evidence?kind=access.account&period=${period}`);
  await shoot('record', record.slice(1), '#snapshots');
  await context.close();
} finally {
  await portal.browser.close();
  portal.server.child.kill('SIGTERM');
  await portal.server.done;
  await rm(portal.dir, { recursive: true, force: true });
}
