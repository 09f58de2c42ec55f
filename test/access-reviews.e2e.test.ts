/**
 * End to end on the demo locker: a user access review of the GitHub org
 * started from its latest inventory, decided in the workbook (by exceljs, as
 * a reviewer's spreadsheet would), imported in two steps (--partial, then
 * the rest), a later inventory collected by running the demo again, and the
 * access-review-performed check judging the review and its revokes. Bad
 * input (an edited account row, missing decisions, a duplicate import, an
 * unknown system) is refused in one line with nothing stored, and `verify`
 * names a tampered decision. The review is then a population
 * (`export population --kind evidentia.access-review`) sampled the same way
 * for the same seed, and the bundle carries the review chain and the decided
 * workbooks, checked by `verify --bundle` and by the bundle's own verify.mjs.
 *
 * The demo's fixtures are the same on every run, so the later inventory still
 * holds the accounts decided revoke: within their SLA that is open (not
 * assessed), never a pass; a revoke carried out (the account gone or
 * disabled later) is covered by the check's unit tests.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { readZipEntries } from '../packages/publish/src/bundle/rewrite-zip.js';
import { demoLocker, runCli } from './cli.js';

interface Review {
  reviewId: string;
  system: string;
  accounts: number;
  decided: number;
  complete: boolean;
  population: string;
  decisions: { row: number; account: string; decision: string; reviewer: string; decidedAt: string }[];
}
interface Finding {
  item: string;
  system: string | null;
  status: string;
  reason: string;
}

const SYSTEM = 'github:acme-corp';
const DAY_MS = 86_400_000;
const today = () => new Date().toISOString().slice(0, 10);
const PERIOD = `${new Date(Date.now() - 30 * DAY_MS).toISOString().slice(0, 10)}..${today()}`;

let dir: string;
let config: string;
let reviewId: string;
const file = (name: string) => join(dir, name);
const cli = (...args: string[]) => runCli([...args, '--config', config]);

async function reviews(): Promise<Review[]> {
  const status = await cli('access-review', 'status', '--json');
  expect([status.code, status.stderr]).toEqual([0, '']);
  return JSON.parse(status.stdout) as Review[];
}

async function entryCount(): Promise<string> {
  const verified = await cli('verify');
  expect(verified.code).toBe(0);
  return verified.stdout.split('\n')[0]!;
}

/** The workbook `start` wrote, with decisions filled in as a reviewer would (by account), then `change` applied. */
async function decide(out: string, decisions: (suggested: string) => string | null, change: (sheet: ExcelJS.Worksheet) => void = () => {}): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file('review.xlsx'));
  const sheet = workbook.getWorksheet('Review')!;
  const header = (sheet.getRow(1).values as string[]).slice(1);
  const column = (name: string) => header.indexOf(name) + 1;
  sheet.eachRow((row, number) => {
    if (number === 1) return;
    const decision = decisions(String(row.getCell(column('suggested_action')).value));
    if (decision === null) return;
    row.getCell(column('decision')).value = decision;
    row.getCell(column('comment')).value = decision === 'revoke' ? 'no longer needs access' : '';
  });
  change(sheet);
  await workbook.xlsx.writeFile(file(out));
  return file(out);
}

const revokeSuggested = (suggested: string) => (suggested === 'leaver' || suggested === 'no owner' ? 'revoke' : 'keep');

beforeAll(async () => {
  ({ dir } = await demoLocker('access-reviews'));
  // Beside the demo's own evidentia.yaml, which running the demo again needs to find as it left it.
  config = file('reviews.yaml');
  await writeFile(
    config,
    ['locker: ./locker', 'connectors: {}', 'accessReviews:', `  systems: [${SYSTEM}]`, '  frequency: quarterly', '  revokeSlaDays: 14', ''].join('\n'),
  );
}, 300_000);

afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('evidentia access-review', () => {
  it('starts a review from the latest inventory: stored signed, with a workbook and CSV for reviewers', async () => {
    const started = await cli('access-review', 'start', '--system', SYSTEM, '--reviewer', 'lead@acme.example', '--out', file('review.xlsx'), '--csv', file('review.csv'), '--json');
    expect([started.code, started.stderr]).toEqual([0, '']);
    const result = JSON.parse(started.stdout) as { reviewId: string; accounts: number; population: string; suggested: Record<string, number> };
    reviewId = result.reviewId;
    expect(reviewId).toMatch(/^AR-\d{8}-[0-9a-f]{6}$/);
    // The demo org: 9 active accounts, two of people who left, an admin, a bot and outside collaborators nobody owns.
    expect(result.accounts).toBe(9);
    expect(result.suggested).toEqual({ 'no owner': 4, keep: 1, leaver: 2, privileged: 2 });
    const [review] = await reviews();
    expect(review).toMatchObject({ reviewId, system: SYSTEM, accounts: 9, decided: 0, complete: false, population: result.population });
    const csv = await readFile(file('review.csv'), 'utf8');
    expect(csv.split('\r\n')[0]).toBe('review_id,row,system,account,email,display_name,account_type,status,person,roles,privileged,mfa,last_activity,suggested_action,suggestion_reason,decision,reviewer,comment');
    expect(csv).toContain(`${reviewId},3,${SYSTEM},bob-dev,bob@example.com,Bob Okafor,member,active,bob@example.com,member,no,enabled,,leaver,bob@example.com has left (personnel record),,lead@acme.example,`);
    expect(await entryCount()).toMatch(/, 1 access-review entry$/);
  }, 120_000);

  it('refuses an unknown system, an edited account row and missing decisions, storing nothing', async () => {
    const before = await entryCount();
    // White space as who starts a review, or who imports decisions, was signed into the entry as it was.
    const blankReviewer = await cli('access-review', 'start', '--system', SYSTEM, '--reviewer', ' ', '--out', file('blank.xlsx'));
    expect([blankReviewer.code, blankReviewer.stderr]).toEqual([2, 'evidentia: --reviewer names no one: it is only white space\n']);
    const blankBy = await cli('access-review', 'import', file('review.xlsx'), '--by', '\t');
    expect([blankBy.code, blankBy.stderr]).toEqual([2, 'evidentia: --by names no one: it is only white space\n']);
    const unknown = await cli('access-review', 'start', '--system', 'github:nobody', '--out', file('nobody.xlsx'));
    expect([unknown.code, unknown.stderr]).toEqual([2, 'evidentia: --system github:nobody: no account inventory of that system in the locker; systems with one: aws:acme-prod, github:acme-corp, google-workspace:example.com, slack:acme-example\n']);
    const edited = await decide('edited.xlsx', revokeSuggested, (sheet) => {
      // A reviewer "fixing" carol's admin role, and dropping the bot's row.
      sheet.getRow(5).getCell(10).value = 'member';
      sheet.spliceRows(2, 1);
    });
    const refusedEdit = await cli('access-review', 'import', edited);
    expect([refusedEdit.code, refusedEdit.stderr]).toEqual([
      2,
      `evidentia: ${edited}: account rows differ from review ${reviewId}, nothing imported: row 1 (acme-deploy[bot]) removed; row 4 (carol-lead, sheet Review line 4) edited: roles\n`,
    ]);
    const missing = await decide('missing.xlsx', (suggested) => (suggested === 'keep' || suggested === 'privileged' ? null : 'revoke'));
    const refusedMissing = await cli('access-review', 'import', missing);
    expect([refusedMissing.code, refusedMissing.stderr]).toEqual([
      2,
      `evidentia: ${missing}: 3 account(s) of review ${reviewId} have no decision, nothing imported: row 2 (alice-dev); row 4 (carol-lead); row 6 (erin-sec); decide them or import with --partial\n`,
    ]);
    expect(await entryCount()).toBe(before);
    expect((await reviews())[0]!.decided).toBe(0);
  }, 180_000);

  it('refuses to start a review over an existing workbook or CSV, which may hold decisions: the file is kept and nothing stored', async () => {
    const before = await entryCount();
    const filled = await decide('filled.xlsx', revokeSuggested);
    const kept = await readFile(filled);
    const over = await cli('access-review', 'start', '--system', SYSTEM, '--out', filled);
    expect([over.code, over.stderr]).toEqual([2, `evidentia: --out ${filled}: the file already exists; a review never replaces a file (it may hold a reviewer's decisions): choose another name or move it away\n`]);
    const csv = await cli('access-review', 'start', '--system', SYSTEM, '--out', file('fresh.xlsx'), '--csv', file('review.csv'));
    expect([csv.code, csv.stderr]).toEqual([2, `evidentia: --csv ${file('review.csv')}: the file already exists; a review never replaces a file (it may hold a reviewer's decisions): choose another name or move it away\n`]);
    expect(await readFile(filled)).toEqual(kept);
    await expect(readFile(file('fresh.xlsx'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await entryCount()).toBe(before);
    expect(await reviews()).toHaveLength(1);
  }, 180_000);

  it('imports part of the decisions with --partial, then the rest, and refuses the same decisions again', async () => {
    const missing = file('missing.xlsx');
    const partial = await cli('access-review', 'import', missing, '--partial', '--by', 'grc@acme.example');
    expect([partial.code, partial.stderr, partial.stdout]).toEqual([0, '', `review ${reviewId}: recorded 6 decision(s) (keep 0, revoke 6, change 0); 3 account(s) still open\n`]);
    expect((await reviews())[0]).toMatchObject({ decided: 6, complete: false });
    // Every account kept: the six revokes already recorded would change, so nothing is imported.
    const conflicting = await decide('conflicting.xlsx', () => 'keep');
    const refused = await cli('access-review', 'import', conflicting);
    expect([refused.code, refused.stderr]).toEqual([2, expect.stringMatching(/nothing imported: row 1 \(acme-deploy\[bot\]\): already decided revoke by lead@acme\.example at \S+; a recorded decision is not changed; row 3/)]);
    const agreeing = await decide('decided.xlsx', revokeSuggested);
    const completed = await cli('access-review', 'import', agreeing);
    expect([completed.code, completed.stderr, completed.stdout]).toEqual([0, '', `review ${reviewId}: recorded 3 decision(s) (keep 3, revoke 0, change 0); every account decided: complete\n`]);
    const [review] = await reviews();
    expect(review).toMatchObject({ decided: 9, complete: true });
    expect(review!.decisions.map((decision) => [decision.account, decision.decision, decision.reviewer])).toEqual(
      [
        ['acme-deploy[bot]', 'revoke'],
        ['alice-dev', 'keep'],
        ['bob-dev', 'revoke'],
        ['carol-lead', 'keep'],
        ['dan-qa', 'revoke'],
        ['erin-sec', 'keep'],
        ['frank-ops', 'revoke'],
        ['grace-ui', 'revoke'],
        ['olivia-contractor', 'revoke'],
      ].map((decision) => [...decision, 'lead@acme.example']),
    );
    const before = await entryCount();
    for (const again of [agreeing, missing]) {
      const duplicate = await cli('access-review', 'import', again);
      expect([duplicate.code, duplicate.stderr]).toEqual([2, `evidentia: ${again}: duplicate import: this file was already imported into review ${reviewId}, nothing imported\n`]);
    }
    const copy = file('agreeing-copy.xlsx');
    // The same decisions in another file, one comment reworded: a recorded decision is not changed either.
    await decide('agreeing-copy.xlsx', revokeSuggested, (sheet) => (sheet.getCell('R2').value = 'reworded'));
    const sameDecisions = await cli('access-review', 'import', copy);
    expect([sameDecisions.code, sameDecisions.stderr]).toEqual([2, expect.stringContaining('already decided revoke by lead@acme.example')]);
    expect(await entryCount()).toBe(before);
  }, 180_000);

  it('judges the review done and its revokes from a later inventory: still there within the SLA is open, not a pass', async () => {
    const before = await runCli(['check', '--config', config, '--period', PERIOD, '--check', 'access-review-performed', '--json']);
    const beforeFindings = (JSON.parse(before.stdout) as { checks: { findings: Finding[] }[] }).checks[0]!.findings;
    const revokes = beforeFindings.filter((finding) => finding.item.startsWith('revoke '));
    expect(revokes).toHaveLength(6);
    expect(revokes.every((finding) => finding.status === 'not-assessed' && finding.reason.includes(`no inventory of ${SYSTEM} was taken after the decision`))).toBe(true);
    // A later collection: the demo again into the same locker (the same fixtures, so every account is still there).
    const later = await runCli(['demo', '--locker', file('locker')]);
    expect(later.code).toBe(0);
    const checked = await runCli(['check', '--config', config, '--period', PERIOD, '--check', 'access-review-performed', '--json']);
    expect(checked.code).toBe(0);
    const findings = (JSON.parse(checked.stdout) as { checks: { findings: Finding[] }[] }).checks[0]!.findings;
    const window = findings.find((finding) => finding.item.startsWith('quarterly review '))!;
    expect(window).toMatchObject({ system: SYSTEM, status: 'pass' });
    expect(window.reason).toMatch(new RegExp(`^review ${reviewId} started .* all 9 account\\(s\\) decided`));
    const bob = findings.find((finding) => finding.item === `revoke bob-dev (review ${reviewId} row 3)`)!;
    expect(bob.status).toBe('not-assessed');
    expect(bob.reason).toMatch(/; open: due by \S+: still active in the last inventory \(\S+\), so no later inventory shows it carried out$/);
    expect(findings.filter((finding) => finding.status === 'pass')).toHaveLength(1);
  }, 300_000);

  it('exports the decisions as a population, samples it reproducibly, and bundles the review chain for both verifiers', async () => {
    const exported = await cli('export', 'population', '--kind', 'evidentia.access-review', '--period', PERIOD, '--out', file('reviews.csv'));
    expect([exported.code, exported.stderr]).toEqual([0, '']);
    expect(exported.stdout).toMatch(/^9 evidentia\.access-review items from 1 stream run\(s\) written to /);
    const ipe = JSON.parse(await readFile(file('reviews.ipe.json'), 'utf8')) as { items: number; reviewEntries: { kind: string; reviewId: string }[]; lines: string[] };
    expect(ipe.items).toBe(9);
    expect(ipe.reviewEntries.map((entry) => [entry.kind, entry.reviewId])).toEqual([['review', reviewId], ['decisions', reviewId], ['decisions', reviewId]]);
    const csv = (await readFile(file('reviews.csv'), 'utf8')).split('\r\n');
    expect(csv[0]).toBe('kind,system,stream,key,summary,occurred_at,first_observed_at,last_observed_at,record_hash,snapshot_hashes,run_id,criteria,review_id,account,person,privileges,suggested_action,suggestion_reason,decision,reviewer,decided_at,comment');
    const bob = csv.find((line) => line.includes(`${reviewId} row 3,`))!;
    expect(bob).toContain(`,${reviewId},bob-dev,bob@example.com,member,leaver,bob@example.com has left (personnel record),revoke,lead@acme.example,`);
    expect(bob.endsWith(',no longer needs access')).toBe(true);
    const sample = async () => {
      const drawn = await runCli(['sample', '--population', file('reviews.csv'), '--size', '4', '--seed', 'audit-2026', '--json']);
      expect([drawn.code, drawn.stderr]).toEqual([0, '']);
      return JSON.parse(drawn.stdout) as { population: { kind: string; items: number }; picks: { key: string; recordHash: string }[] };
    };
    const first = await sample();
    expect(first.population).toMatchObject({ kind: 'evidentia.access-review', items: 9 });
    expect(first.picks).toHaveLength(4);
    expect((await sample()).picks).toEqual(first.picks);
    const onTheSpot = await cli('sample', '--kind', 'evidentia.access-review', '--period', PERIOD, '--size', '4', '--seed', 'audit-2026', '--json');
    expect((JSON.parse(onTheSpot.stdout) as { picks: unknown[] }).picks).toEqual(first.picks);

    const bundle = file('reviews-bundle.zip');
    const made = await cli('export', 'bundle', '--period', PERIOD, '--out', bundle);
    expect(made.code).toBe(0);
    const entries = await readZipEntries(bundle);
    expect(entries.get('access-reviews/entries.jsonl')!.toString().trimEnd().split('\n')).toHaveLength(3);
    // Both decided workbooks imported (the --partial one and the rest), exactly as imported.
    const files = [...entries.keys()].filter((name) => name.startsWith('access-reviews/files/'));
    expect(files).toHaveLength(2);
    expect(files.map((name) => entries.get(name)!)).toEqual(expect.arrayContaining([await readFile(file('missing.xlsx')), await readFile(file('decided.xlsx'))]));
    const verified = await runCli(['verify', '--bundle', bundle]);
    expect([verified.code, verified.stderr]).toEqual([0, '']);
    expect(verified.stdout).toMatch(/, 3 access-review entries\n/);
    const auditor = file('auditor');
    await mkdir(auditor);
    await copyFile(bundle, join(auditor, 'bundle.zip'));
    await writeFile(join(auditor, 'verify.mjs'), entries.get('verify.mjs')!);
    expect(execFileSync(process.execPath, ['verify.mjs', 'bundle.zip'], { cwd: auditor, env: { PATH: process.env.PATH }, encoding: 'utf8' })).toBe(verified.stdout);
  }, 300_000);

  it('verify names a decision whose stored entry was altered', async () => {
    expect((await reviews())[0]!.complete).toBe(true);
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(file('locker/locker.db'));
    const { hash: decisionsHash } = db.prepare("SELECT hash FROM access_review_entries WHERE kind = 'decisions' ORDER BY sequence LIMIT 1").get() as { hash: string };
    db.close();
    const path = file(`locker/objects/${decisionsHash.slice(0, 2)}/${decisionsHash.slice(2)}`);
    const original = await readFile(path);
    const { gunzipSync, gzipSync } = await import('node:zlib');
    await writeFile(path, gzipSync(Buffer.from(gunzipSync(original).toString('utf8').replace('"decision":"revoke"', '"decision":"keep"'))));
    const verified = await cli('verify');
    expect(verified.code).toBe(1);
    expect(verified.stdout).toMatch(new RegExp(`PROBLEM object-altered: object ${decisionsHash} \\(access-review entry 2 \\(decisions of review ${reviewId}, ${SYSTEM}\\)\\)`));
    await writeFile(path, original);
    expect((await cli('verify')).code).toBe(0);
  }, 120_000);
});
