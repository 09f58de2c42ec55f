/**
 * End to end on the demo locker: an exception accepted through the CLI shows
 * as accepted (never a pass, exit 1 kept) in `check`, its --json, the report
 * and the bundle; one accepted months ago with a last day already past has
 * lapsed; bad input is refused whole with one line and exit 2; a revocation
 * is a new entry; and `verify` names an edited acceptance.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { KeyDirectory, openLocker } from '@evidentia/locker';
import { readZipEntries } from '../packages/publish/src/bundle/rewrite-zip.js';
import { DEMO_PERIOD, demoLocker, runCli, TEST_KEYS_DIR } from './cli.js';

interface Finding {
  item: string;
  status: string;
  acceptance?: { id: number; status: string; approver: string; until: string; reason: string };
}
interface Results {
  checks: { id: string; result: string; accepted: number; counts: { exception: number }; findings: Finding[] }[];
  acceptances: { accepted: number; unused: { id: number }[] };
}

let dir: string;
let locker: string;
let config: string;
const cli = (...args: string[]) => runCli([...args, '--config', config]);
const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
const UNTIL = day(30);

async function listed(): Promise<{ id: number; status: string }[]> {
  const list = await cli('exception', 'list', '--all', '--json');
  expect(list.code).toBe(0);
  return JSON.parse(list.stdout) as { id: number; status: string }[];
}

const finding = (results: Results, check: string, item: string) => results.checks.find((c) => c.id === check)!.findings.find((f) => f.item === item)!;

beforeAll(async () => {
  ({ dir, locker } = await demoLocker('exceptions'));
  config = join(dir, 'evidentia.yaml');
  await writeFile(config, ['locker: ./locker', 'connectors: {}', 'exceptions:', '  approver: ciso@acme.example', ''].join('\n'));
  // An acceptance recorded on 1 May with 30 June as its last day: by today it has lapsed. Written through the locker with that day's clock, signed with the demo's key.
  const past = await openLocker(locker, { custody: new KeyDirectory(TEST_KEYS_DIR), now: () => new Date('2026-05-01T09:00:00Z') });
  try {
    await past.acceptException({ check: 'branch-protection', item: 'acme-corp/docs-site@main', reason: 'docs only, until the migration', approver: 'cto@acme.example', until: '2026-06-30', recordedBy: 'grc@acme.example' });
  } finally {
    await past.close();
  }
}, 300_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('accepted exceptions', () => {
  it('shows an accepted exception as accepted, never as a pass, in check, report and bundle; a lapsed one stands', async () => {
    const accepted = await cli('exception', 'accept', 'mfa-enabled', 'bob', '--reason', 'hardware key on order', '--until', UNTIL);
    expect([accepted.code, accepted.stderr]).toEqual([0, '']);
    expect(accepted.stdout).toBe(`accepted exception #2: mfa-enabled bob until ${UNTIL}, approved by ciso@acme.example\n`);

    const json = await cli('check', '--period', DEMO_PERIOD, '--json');
    expect(json.code).toBe(1);
    const results = JSON.parse(json.stdout) as Results;
    expect(finding(results, 'mfa-enabled', 'bob')).toMatchObject({ status: 'exception', acceptance: { id: 2, status: 'accepted', approver: 'ciso@acme.example', until: UNTIL, reason: 'hardware key on order' } });
    expect(finding(results, 'branch-protection', 'acme-corp/docs-site@main')).toMatchObject({ status: 'exception', acceptance: { id: 1, status: 'lapsed', until: '2026-06-30' } });
    const mfa = results.checks.find((c) => c.id === 'mfa-enabled')!;
    expect(mfa).toMatchObject({ result: 'exceptions', accepted: 1 });
    expect(results.acceptances).toMatchObject({ accepted: 1, unused: [] });

    const human = await cli('check', '--period', DEMO_PERIOD, '--check', 'mfa-enabled', 'branch-protection');
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/\nbranch-protection +CC8\.1 +\d+ +1 +0 +0 +EXCEPTIONS\n/);
    expect(human.stdout).toMatch(/\nmfa-enabled +CC6\.1 +\d+ +\d+ +\d+ +0 +EXCEPTIONS \(1 accepted\)\n/);
    expect(human.stdout).toContain(`ACCEPTED (#2) until ${UNTIL}, approved by ciso@acme.example: hardware key on order`);
    expect(human.stdout).toContain('acceptance #1 lapsed after 2026-06-30, approved by cto@acme.example');

    const only = await cli('check', '--period', DEMO_PERIOD, '--check', 'branch-protection');
    expect(only.code).toBe(1);

    const report = await cli('report', '--period', DEMO_PERIOD, '--out', join(dir, 'report.html'));
    expect(report.code).toBe(0);
    const html = await readFile(join(dir, 'report.html'), 'utf8');
    expect(html).toContain(`<span class="status accepted">accepted</span> (#2) until ${UNTIL}, approved by ciso@acme.example: hardware key on order`);
    expect(html).toContain('acceptance #1 lapsed after 2026-06-30');

    const bundle = join(dir, 'bundle.zip');
    expect((await cli('export', 'bundle', '--period', DEMO_PERIOD, '--out', bundle)).code).toBe(0);
    const entries = await readZipEntries(bundle);
    const bundled = JSON.parse(entries.get('checks/results.json')!.toString()) as Results;
    expect(finding(bundled, 'mfa-enabled', 'bob').acceptance).toMatchObject({ status: 'accepted' });
    expect(entries.get('acceptances/entries.jsonl')!.toString().trimEnd().split('\n')).toHaveLength(2);
    const verified = await runCli(['verify', '--bundle', bundle]);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain('2 exception acceptance entries');
  }, 600_000);

  it('refuses bad input whole, each with one clear line and exit 2', async () => {
    const before = await listed();
    const refusals: Array<[string[], RegExp]> = [
      [['nope', 'bob', '--reason', 'r', '--until', UNTIL], /^evidentia: unknown check "nope": checks are pull-request-approved, .*\n$/],
      [['mfa-enabled', 'nobody', '--reason', 'r', '--until', UNTIL], /^evidentia: mfa-enabled raised no exception for item "nobody" over \d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2} \(it raised "[^\n]*\): check the item key, give --period, or add --force to accept it anyway\n$/],
      [['mfa-enabled', 'bob', '--reason', 'r', '--until', '2026-01-01'], /^evidentia: --until 2026-01-01 is in the past \(today is \d{4}-\d{2}-\d{2} in UTC\): an acceptance must hold from now on\n$/],
      // A last day in 9999 accepted the risk for good: an acceptance is approved again at least yearly.
      [['mfa-enabled', 'bob', '--reason', 'r', '--until', '9999-12-31'], /^evidentia: --until 9999-12-31 is more than a year after today \(\d{4}-\d{2}-\d{2} in UTC\): an accepted risk is approved again at least yearly; give a day up to \d{4}-\d{2}-\d{2}\n$/],
      [['mfa-enabled', 'bob', '--reason', 'r', '--until', '2027-02-30'], /^evidentia: --until expects a day such as 2026-03-31, got "2027-02-30"\n$/],
      [['mfa-enabled', 'bob', '--until', UNTIL], /^evidentia: --reason is required: say why the risk is accepted\n$/],
      // White space as who recorded it was signed into the entry as it was.
      [['mfa-enabled', 'bob', '--reason', 'r', '--until', UNTIL, '--by', '  '], /^evidentia: --by names no one: it is only white space\n$/],
    ];
    for (const [args, message] of refusals) {
      const refused = await cli('exception', 'accept', ...args);
      expect([refused.code, refused.stderr]).toEqual([2, expect.stringMatching(message)]);
    }
    // Without a config naming an approver (none in this folder), and without --approver: refused.
    const noApprover = await runCli(['exception', 'accept', 'mfa-enabled', 'bob', '--reason', 'r', '--until', UNTIL, '--locker', locker], { cwd: locker });
    expect([noApprover.code, noApprover.stderr]).toEqual([2, 'evidentia: --approver is required: name who approved it (or set exceptions.approver in the config)\n']);
    expect(await listed()).toEqual(before);
  }, 600_000);

  it('revokes by a new entry, and verify names an edited acceptance', async () => {
    const revoked = await cli('exception', 'revoke', '2', '--reason', 'key arrived');
    expect(revoked.code).toBe(0);
    expect((await listed()).map(({ id, status }) => [id, status])).toEqual([
      [1, 'lapsed'],
      [2, 'revoked'],
    ]);
    const blank = await cli('exception', 'revoke', '2', '--reason', 'again', '--by', ' ');
    expect([blank.code, blank.stderr]).toEqual([2, 'evidentia: --by names no one: it is only white space\n']);
    const again = await cli('exception', 'revoke', '2', '--reason', 'again');
    expect([again.code, again.stderr]).toEqual([2, expect.stringMatching(/^evidentia: acceptance 2 was already revoked by entry 3 at /)]);
    const json = JSON.parse((await cli('check', '--period', DEMO_PERIOD, '--check', 'mfa-enabled', '--json')).stdout) as Results;
    expect(finding(json, 'mfa-enabled', 'bob').acceptance).toMatchObject({ status: 'revoked' });
    expect((await cli('verify')).code).toBe(0);

    // Someone with file access stretches the lapsed acceptance's last day.
    const db = new Database(join(locker, 'locker.db'));
    try {
      for (const name of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'exception_acceptances'").pluck().all() as string[]) db.exec(`DROP TRIGGER ${name}`);
      db.prepare("UPDATE exception_acceptances SET until_day = '2099-12-31' WHERE sequence = 1").run();
    } finally {
      db.close();
    }
    const verified = await cli('verify');
    expect(verified.code).toBe(1);
    expect(verified.stdout).toMatch(/\nPROBLEM acceptance-altered: acceptance 1 \(branch-protection, item "acme-corp\/docs-site@main"\): until_day in the exception_acceptances table differ from its entry [0-9a-f]{64}/);
  }, 600_000);
});
