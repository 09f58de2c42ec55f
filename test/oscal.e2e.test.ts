/**
 * OSCAL export through the CLI: the four catalogs and the demo period's
 * results as OSCAL JSON that conforms to evidentia's schema (and to NIST's
 * when EVIDENTIA_OSCAL_SCHEMA_DIR provides it; NIST's files could not be
 * obtained where this was written, so that check is otherwise not run), the
 * same bytes from the same input, and --validate-with refusing to write a
 * document the user's schema rejects.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getFramework } from '../packages/catalog/src/index.js';
import type { AssessmentResultsDocument, CatalogDocument } from '../packages/publish/src/oscal/model.js';
import { nistProblems } from '../packages/publish/src/oscal/nist-schemas.test-support.js';
import { conformanceProblems, NIST_SCHEMA_FILES, type OscalKind } from '../packages/publish/src/oscal/validate.js';
import { DEMO_PERIOD, demoLocker, runCli } from './cli.js';

const PERIOD = ['--period', DEMO_PERIOD];
let locker: string;
let dir: string;

beforeAll(async () => {
  ({ dir, locker } = await demoLocker('oscal'));
}, 60_000);

async function exported<T>(kind: OscalKind, args: string[], out: string): Promise<T> {
  const result = await runCli([...args, '--out', out]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(result.stdout).toContain(`OSCAL 1.1.2 ${kind} written to ${out}`);
  const document = JSON.parse(await readFile(out, 'utf8')) as T;
  expect(conformanceProblems(kind, document)).toEqual([]);
  const nist = await nistProblems(kind, document);
  if (nist) expect(nist).toEqual([]);
  return document;
}

describe('evidentia export oscal-catalog', () => {
  it('writes each framework\'s catalog with a control per requirement and the mapping links', async () => {
    await Promise.all(
      (['soc2', 'iso27001', 'nis2', 'c5'] as const).map(async (framework) => {
        const document = await exported<CatalogDocument>('catalog', ['export', 'oscal-catalog', '--framework', framework], join(dir, `${framework}.json`));
        const controls = (document.catalog.groups ?? []).flatMap((group) => group.controls ?? []);
        expect(controls).toHaveLength(getFramework(framework).requirements.length);
        expect(controls.some((control) => (control.links ?? []).length > 0)).toBe(true);
      }),
    );
  }, 60_000);

  it('writes the same bytes each time', async () => {
    const files = [join(dir, 'iso-1.json'), join(dir, 'iso-2.json')];
    await Promise.all(files.map((file) => exported('catalog', ['export', 'oscal-catalog', '--framework', 'iso27001'], file)));
    expect(await readFile(files[1]!, 'utf8')).toBe(await readFile(files[0]!, 'utf8'));
  }, 60_000);

  it('exits 2 on a framework it does not know', async () => {
    const result = await runCli(['export', 'oscal-catalog', '--framework', 'pci-dss', '--out', join(dir, 'x.json')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--framework expects soc2, iso27001, nis2, c5');
  });
});

describe('evidentia export oscal-results', () => {
  const stateOf = (document: AssessmentResultsDocument, id: string) => document['assessment-results'].results[0]!.findings!.find((f) => f.target['target-id'] === `${id}_smt`)?.target.status.state;

  it("writes the demo period's results with a finding per criterion in scope, the same bytes each time", async () => {
    const files = [join(dir, 'results-1.json'), join(dir, 'results-2.json')];
    // The demo period up to an instant already past: a period reaching "now" ends when each export reads it.
    const settled = ['--period', `2026-04-02..${new Date().toISOString()}`];
    const [document] = await Promise.all(files.map((file) => exported<AssessmentResultsDocument>('assessment-results', ['export', 'oscal-results', '--locker', locker, ...settled], file)));
    expect(await readFile(files[1]!, 'utf8')).toBe(await readFile(files[0]!, 'utf8'));
    const result = document!['assessment-results'].results[0]!;
    expect(result.findings).toHaveLength(result['reviewed-controls']['control-selections'][0]!['include-controls']!.length);
    expect(result.observations!.filter((o) => o.props?.some((p) => p.name === 'check-id'))).toHaveLength(15);
    // The demo's pull requests include unapproved merges.
    expect(stateOf(document!, 'CC8.1')).toBe('not-satisfied');
    // Without a configuration coverage cannot be judged, so nothing is claimed satisfied.
    expect(result.findings!.every((finding) => finding.target.status.state === 'not-satisfied')).toBe(true);
    expect(result.remarks).toContain('coverage could not be judged');
  }, 60_000);

  it('judges ISO 27001 through the SOC 2 mappings, partial support never satisfied', async () => {
    const config = join(dir, 'evidentia.yaml');
    await writeFile(config, `locker: ${JSON.stringify(locker)}\nconnectors: {}\nframeworks: [iso27001]\n`);
    const document = await exported<AssessmentResultsDocument>('assessment-results', ['export', 'oscal-results', '--config', config, '--framework', 'iso27001', ...PERIOD], join(dir, 'iso.json'));
    const findings = document['assessment-results'].results[0]!.findings!;
    expect(stateOf(document, 'A.8.32')).toBe('not-satisfied');
    // The demo's one clean SOC 2 criterion (CC7.2) now carries the trail stopped for 40 minutes, so no ISO
    // requirement reached through it is satisfied, and the finding says which check's exception prevents it
    // (the satisfied path is unit-tested in publish/src/oscal/findings.test.ts).
    expect(findings.filter((finding) => finding.target.status.state === 'satisfied')).toEqual([]);
    expect(findings.find((finding) => finding.target['target-id'] === 'A.8.15_smt')?.description).toContain('CC7.2 intersects-with (partial support only): not satisfied: 1 exception(s) found (cloudtrail-never-stopped)');
    for (const finding of findings.filter((f) => f.props?.some((p) => p.name === 'status' && p.value === 'partial'))) expect(finding.target.status.state).toBe('not-satisfied');
    expect(findings.map((finding) => finding.target['target-id'])).toContain('iso27001-7.2_smt');
  }, 60_000);
});

describe('evidentia export oscal-results with a period OSCAL cannot date', () => {
  it('exits 2 naming the start when the period starts before 1900 (outside OSCAL date-times), and writes nothing', async () => {
    const out = join(dir, 'before-1900.json');
    const result = await runCli(['export', 'oscal-results', '--locker', locker, '--period', '1899-12-01..2026-06-30', '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--period 1899-12-01..2026-06-30: OSCAL date-times run from 1900-01-01 to 2999-12-31 (NIST\'s schema refuses others); this period starts 1899-12-01T00:00:00.000Z');
    expect(existsSync(out)).toBe(false);
    // 1900 itself is a date OSCAL has: written, and valid.
    const document = await exported<AssessmentResultsDocument>('assessment-results', ['export', 'oscal-results', '--locker', locker, '--period', '1900-01-01..2026-06-30'], join(dir, 'from-1900.json'));
    expect(document['assessment-results'].results[0]!.start).toBe('1900-01-01T00:00:00.000Z');
  }, 60_000);
});

describe('--validate-with', () => {
  const strict = { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', required: ['profile'], properties: { catalog: { type: 'object', properties: { uuid: { type: 'string', pattern: '^\\p{L}+$' } } } } };

  it("refuses to write a document the user's schema rejects, naming each problem's path", async () => {
    const schema = join(dir, 'strict.json');
    await writeFile(schema, JSON.stringify(strict));
    const out = join(dir, 'rejected.json');
    const result = await runCli(['export', 'oscal-catalog', '--framework', 'nis2', '--out', out, '--validate-with', schema]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`fails ${schema} with 2 problem(s), nothing written`);
    expect(result.stderr).toContain("/: must have required property 'profile'");
    expect(result.stderr).toContain('/catalog/uuid: must match pattern');
    expect(existsSync(out)).toBe(false);
  });

  it("finds NIST's file name in a folder, and passes a document it accepts", async () => {
    const folder = join(dir, 'schemas');
    await mkdir(folder);
    await writeFile(join(folder, NIST_SCHEMA_FILES['assessment-results']), JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', required: ['assessment-results'] }));
    const out = join(dir, 'accepted.json');
    const result = await runCli(['export', 'oscal-results', '--locker', locker, ...PERIOD, '--out', out, '--validate-with', folder]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`valid against evidentia's OSCAL schema and ${join(folder, NIST_SCHEMA_FILES['assessment-results'])}`);
    const missing = await runCli(['export', 'oscal-catalog', '--framework', 'c5', '--out', join(dir, 'c5.json'), '--validate-with', folder]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(NIST_SCHEMA_FILES.catalog);
  }, 60_000);
});

describe('evidentia export oscal-results after evidence added between collections', () => {
  it('dates the results by the newest document, so a document that changes a finding never reads as the same revision', async () => {
    const config = join(dir, 'with-requests.yaml');
    await writeFile(config, `locker: ${JSON.stringify(locker)}\nconnectors: {}\nrequests:\n  items:\n    boundary-review: {}\n`);
    // The demo period up to an instant already past, so exporting again reads the same period.
    const settled = ['--period', `2026-04-02..${new Date().toISOString()}`];
    const results = (name: string) => exported<AssessmentResultsDocument>('assessment-results', ['export', 'oscal-results', '--config', config, ...settled], join(dir, name));
    const cc66 = (document: AssessmentResultsDocument) => document['assessment-results'].results[0]!.findings!.find((f) => f.target['target-id'] === 'CC6.6_smt')!.description;
    const before = await results('before-document.json');
    await writeFile(join(dir, 'firewall.csv'), 'rule,decision\nallow-443,keep\n');
    const added = await runCli(['evidence', 'add', '--config', config, '--request', 'boundary-review', '--effective', '2026-04-10', '--by', 'grc@acme.example', join(dir, 'firewall.csv')]);
    expect(added.code).toBe(0);
    const after = await results('after-document.json');
    // The document changed what the results say of CC6.6 (its first quarter fulfilled late, no longer overdue), so they are another revision: a later last-modified, a new UUID.
    expect(cc66(before)).toContain('request boundary-review overdue since');
    expect(cc66(after)).toContain('request boundary-review fulfilled late');
    expect(cc66(after)).not.toBe(cc66(before));
    expect(after['assessment-results'].uuid).not.toBe(before['assessment-results'].uuid);
    const [was, is] = [before, after].map((document) => Date.parse(document['assessment-results'].metadata['last-modified']));
    expect(is).toBeGreaterThan(was!);
    // Exported again with nothing added: the same document.
    expect(await results('again.json')).toEqual(after);
  }, 120_000);
});
