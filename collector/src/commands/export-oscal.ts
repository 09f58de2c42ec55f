/**
 * `evidentia export oscal-catalog|oscal-results`: the catalogs and a
 * period's results as OSCAL 1.1.2 JSON for GRC tools that read OSCAL. Every
 * document is checked against evidentia's OSCAL conformance schema before it
 * is written, and with `--validate-with` against a schema the user has (NIST's
 * published one); an invalid document is not written and the export exits 1
 * with each problem's path.
 */
import type { Command } from 'commander';
import { FRAMEWORK_IDS, type FrameworkId, isFrameworkId } from '@evidentia/catalog';
import { configuredChecks, UsageError } from '@evidentia/audit';
import { writeFileAtomic } from '@evidentia/evidence';
import { catalogDocument, conformanceProblems, exportResults, loadSchema, type OfficialText, OSCAL_DATE_RANGE, OSCAL_VERSION, type OscalKind, problemsOf, renderProblems, type UserSchema } from '@evidentia/publish';
import { lockerOf, openLockerFor, periodInputs } from '../context.js';
import type { Wrap } from './wrap.js';

interface OutputFlags {
  out: string;
  validateWith?: string;
}

interface ResultsFlags extends OutputFlags {
  config?: string;
  locker?: string;
  period: string;
  framework?: string;
}

function frameworkOf(value: string): FrameworkId {
  if (!isFrameworkId(value)) throw new UsageError(`--framework expects ${FRAMEWORK_IDS.join(', ')}, got "${value}"`);
  return value;
}

/** Validate, then write; nothing is written when either schema rejects the document. */
async function finish(kind: OscalKind, document: unknown, flags: OutputFlags, external: UserSchema | null, summary: string): Promise<number> {
  const own = conformanceProblems(kind, document);
  if (own.length > 0) {
    process.stderr.write(`evidentia: the ${kind} document does not conform to evidentia's OSCAL schema (a bug in evidentia), nothing written:\n${renderProblems(own)}`);
    return 1;
  }
  const problems = external ? problemsOf(external.validate, document) : [];
  if (external && problems.length > 0) {
    process.stderr.write(`evidentia: the ${kind} document fails ${external.file} with ${problems.length} problem(s), nothing written:\n${renderProblems(problems)}`);
    return 1;
  }
  await writeFileAtomic(flags.out, `${JSON.stringify(document, null, 2)}\n`);
  const checked = external ? `evidentia's OSCAL schema and ${external.file}` : "evidentia's OSCAL schema";
  process.stdout.write(`OSCAL ${OSCAL_VERSION} ${kind} written to ${flags.out}: ${summary}; valid against ${checked}\n`);
  return 0;
}

interface CatalogFlags extends OutputFlags {
  framework: string;
  withOfficialText?: boolean;
  config?: string;
  locker?: string;
}

/**
 * The official text imported into the locker, only when asked for and from
 * a locker named explicitly: licensed text never lands in an export by default.
 */
async function officialTextFor(framework: FrameworkId, flags: CatalogFlags): Promise<OfficialText> {
  if (!flags.withOfficialText) return new Map();
  if (!flags.locker && !flags.config) throw new UsageError('--with-official-text reads the text you imported: name the locker with --locker or --config');
  const locker = await openLockerFor(flags);
  try {
    const entries = await locker.catalogText(framework);
    if (entries.length === 0) throw new UsageError(`the locker ${locker.dir} holds no official text for ${framework}; import it with \`evidentia catalog import-text FILE --framework ${framework}\``);
    return new Map(entries.map((entry) => [entry.id, entry]));
  } finally {
    await locker.close();
  }
}

const VALIDATE_WITH = ['--validate-with <schema>', "also validate against this JSON Schema (e.g. NIST's OSCAL schema file, or a folder holding it)"] as const;

export function registerExportOscal(exporter: Command, wrap: Wrap): void {
  exporter
    .command('oscal-catalog')
    .description('a framework catalog as an OSCAL catalog (JSON): groups, requirements as controls, SOC 2 mappings as links')
    .requiredOption('--framework <id>', FRAMEWORK_IDS.join(', '))
    .requiredOption('--out <file>', 'JSON file to write')
    .option('--with-official-text', 'use the official text you imported into the locker as statement prose (licensed text: the file is not for redistribution)')
    .option('--config <file>', 'configuration file naming the locker (with --with-official-text)')
    .option('--locker <dir>', 'locker directory (with --with-official-text)')
    .option(...VALIDATE_WITH)
    .action(
      wrap(async (flags: CatalogFlags) => {
        const framework = frameworkOf(flags.framework);
        const external = flags.validateWith ? await loadSchema(flags.validateWith, 'catalog') : null;
        const official = await officialTextFor(framework, flags);
        const document = catalogDocument(framework, official);
        const groups = document.catalog.groups ?? [];
        const controls = groups.flatMap((group) => group.controls ?? []);
        const links = controls.reduce((sum, control) => sum + (control.links?.length ?? 0), 0);
        const text = official.size > 0 ? `, ${official.size} statements with your official text (not for redistribution)` : '';
        return finish('catalog', document, flags, external, `${groups.length} groups, ${controls.length} controls, ${links} mapping links${text}`);
      }),
    );
  exporter
    .command('oscal-results')
    .description("a period's check results and coverage as OSCAL assessment-results (JSON): a finding per requirement in scope")
    .requiredOption('--period <A..B>', 'audit period, e.g. 2026-01-01..2026-06-30')
    .requiredOption('--out <file>', 'JSON file to write')
    .option('--framework <id>', `${FRAMEWORK_IDS.join(', ')}; other than soc2, judged through the SOC 2 mappings`, 'soc2')
    .option('--config <file>', 'configuration file (check settings, people aliases, schedules for coverage, scope)')
    .option('--locker <dir>', 'locker directory')
    .option(...VALIDATE_WITH)
    .action(
      wrap(async (flags: ResultsFlags) => {
        const { config, period } = await periodInputs(flags);
        // The end is never later than now; a start OSCAL cannot write is the user's to move, not a document to fail on.
        if (period.since.getTime() < Date.parse(OSCAL_DATE_RANGE.first)) {
          throw new UsageError(
            `--period ${flags.period}: OSCAL date-times run from ${OSCAL_DATE_RANGE.first.slice(0, 10)} to ${OSCAL_DATE_RANGE.last.slice(0, 10)} (NIST's schema refuses others); this period starts ${period.since.toISOString()}: start it on ${OSCAL_DATE_RANGE.first.slice(0, 10)} or later`,
          );
        }
        const framework = frameworkOf(flags.framework ?? 'soc2');
        const external = flags.validateWith ? await loadSchema(flags.validateWith, 'assessment-results') : null;
        const checks = await configuredChecks(config);
        const locker = await lockerOf(flags, config);
        try {
          const document = await exportResults({ locker, config, period, framework, checks });
          const [result] = document['assessment-results'].results;
          const findings = result?.findings ?? [];
          const satisfied = findings.filter((finding) => finding.target.status.state === 'satisfied').length;
          return await finish('assessment-results', document, flags, external, `${findings.length} findings (${satisfied} satisfied), ${result?.observations?.length ?? 0} observations`);
        } finally {
          await locker.close();
        }
      }),
    );
}
