/**
 * `evidentia catalog`: the frameworks' requirements and how SOC 2 criteria map
 * to them, with the official requirement text a licence holder imported into
 * their locker (`import-text`). Browsing needs no config and no locker; when a
 * locker is at hand, its official text is shown too.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { type Catalog, findRequirement, frameworks, getFramework, isFrameworkId, mappingsFor, officialTextEntries, OfficialTextError } from '@evidentia/catalog';
import { type CatalogTextEntry, type Locker, LockerError } from '@evidentia/locker';
import { type OfficialTextFileOptions, readOfficialTextFile, renderTable, terminalSafe, UsageError } from '@evidentia/audit';
import { DEFAULT_CONFIG, lockerDirOf, openLockerFor, type LocationOptions } from '../context.js';
import type { Wrap } from './wrap.js';

function frameworkNamed(id: string): Catalog {
  if (!isFrameworkId(id)) throw new UsageError(`unknown framework ${JSON.stringify(id)}; known: ${frameworks.map((f) => f.id).join(', ')}`);
  return getFramework(id);
}

/** Requirements of one framework, or of all of them in catalog order; `withText` marks those with official text. */
export function listRequirements(framework?: string, withText?: ReadonlySet<string>) {
  const selected = framework === undefined ? frameworks : [frameworkNamed(framework)];
  return selected.flatMap((catalog) =>
    catalog.requirements.map(({ id, group, label, theme }) => ({
      framework: catalog.id,
      id,
      group,
      label,
      theme: theme ?? null,
      ...(withText ? { officialText: withText.has(id) } : {}),
    })),
  );
}

/** One requirement, by any framework's ID, with its mappings read from it outwards and its official text when imported. */
export function showRequirement(id: string, official: CatalogTextEntry | null = null) {
  const requirement = findRequirement(id);
  if (!requirement) throw new UsageError(`unknown requirement ${JSON.stringify(id)}`);
  const framework = getFramework(requirement.framework);
  return {
    id: requirement.id,
    framework: requirement.framework,
    frameworkName: `${framework.name} ${framework.version}`,
    group: requirement.group,
    label: requirement.label,
    theme: requirement.theme ?? null,
    officialText: official?.text ?? null,
    officialTextSource: official
      ? { file: official.source.sourceName, sha256: official.source.sourceSha256, importedAt: official.source.importedAt, import: official.source.sequence }
      : null,
    mappings: mappingsFor(requirement.id).map(({ to, toFramework, relationship, rationale, set }) => ({ to, framework: toFramework, relationship, rationale, set })),
  };
}

/**
 * The locker holding official text, when there is one: --locker (which must
 * be a locker), else the config's, else ./locker. No locker there, or an
 * unreadable ./evidentia.yaml nobody named, means no official text, not an error.
 */
async function lockerWithText(flags: LocationOptions): Promise<Locker | null> {
  if (flags.locker) return openLockerFor(flags);
  let dir: string;
  try {
    dir = await lockerDirOf(flags);
  } catch (error) {
    if (flags.config || !existsSync(DEFAULT_CONFIG)) throw error;
    return null;
  }
  return existsSync(join(dir, 'locker.db')) ? openLockerFor({ locker: dir }) : null;
}

async function readCatalogText(flags: LocationOptions, framework?: string): Promise<CatalogTextEntry[] | null> {
  const locker = await lockerWithText(flags);
  if (!locker) return null;
  try {
    return await locker.catalogText(framework);
  } catch (error) {
    throw error instanceof LockerError ? new UsageError(error.message) : error;
  } finally {
    await locker.close();
  }
}

/** A refused file is the user's to fix: exit 2 with every problem listed. */
function usageOnRefusal<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    throw error instanceof OfficialTextError ? new UsageError(error.message) : error;
  }
}

/** Validate the file completely, then store it as one import: a bad row stores nothing. */
async function importText(file: string, flags: OfficialTextFileOptions & LocationOptions & { framework: string }) {
  const framework = frameworkNamed(flags.framework).id;
  const table = await readOfficialTextFile(file, flags);
  const text = usageOnRefusal(() => officialTextEntries(framework, table.rows, { file: table.name, idColumn: table.idColumn, textColumn: table.textColumn }));
  const locker = await openLockerFor(flags, 'write');
  try {
    const stored = await locker.importCatalogText({ framework, entries: text.entries, sourceName: table.name, sourceSha256: table.sha256 });
    const withText = new Set((await locker.catalogText(framework)).map((entry) => entry.id));
    const withoutText = getFramework(framework).requirements.map((requirement) => requirement.id).filter((id) => !withText.has(id));
    return { import: stored, sheet: table.sheet, notInFile: text.missing, withoutText };
  } catch (error) {
    throw error instanceof LockerError ? new UsageError(error.message) : error;
  } finally {
    await locker.close();
  }
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

type LocatedFlags = LocationOptions & { json?: boolean };

function locationOptions(command: Command): Command {
  return command.option('--config <file>', 'configuration file naming the locker (default ./evidentia.yaml)').option('--locker <dir>', 'locker directory');
}

export function registerCatalog(program: Command, wrap: Wrap): void {
  const catalog = program.command('catalog').description('browse framework requirements and their mappings; import official requirement text');
  locationOptions(
    catalog
      .command('list')
      .description('list requirements of one or all frameworks')
      .option('--framework <id>', `one of ${frameworks.map((f) => f.id).join(', ')}`)
      .option('--with-text', 'mark the requirements whose official text the locker holds')
      .option('--json', 'print JSON'),
  ).action(
    wrap(async (flags: LocatedFlags & { framework?: string; withText?: boolean }) => {
      const text = flags.withText ? await readCatalogText(flags, flags.framework) : undefined;
      if (text === null) throw new UsageError('--with-text reads official text from the locker, and none was found: pass --locker DIR or --config FILE');
      const rows = listRequirements(flags.framework, text ? new Set(text.map((entry) => entry.id)) : undefined);
      if (flags.json) print(rows);
      else if (text) process.stdout.write(renderTable(['framework', 'id', 'text', 'label'], rows.map((r) => [r.framework, r.id, r.officialText ? 'yes' : '', r.label])));
      else process.stdout.write(renderTable(['framework', 'id', 'label'], rows.map((r) => [r.framework, r.id, r.label])));
      return 0;
    }),
  );
  locationOptions(
    catalog
      .command('show')
      .description('show one requirement, its official text when imported, and how it maps to other frameworks')
      .argument('<id>', 'a requirement ID from any framework, e.g. CC6.2, A.5.16, NIS2.21.2.b, IDM-02')
      .option('--json', 'print JSON'),
  ).action(
    wrap(async (id: string, flags: LocatedFlags) => {
      const requirement = findRequirement(id);
      const official = requirement ? (await readCatalogText(flags, requirement.framework))?.find((entry) => entry.id === requirement.id) : undefined;
      const shown = showRequirement(id, official ?? null);
      if (flags.json) {
        print(shown);
        return 0;
      }
      process.stdout.write(`${shown.id}  ${shown.label}\n${shown.frameworkName}, group ${shown.group}${shown.theme ? `, ${shown.theme}` : ''}\n\n`);
      if (shown.officialText !== null && shown.officialTextSource) {
        const { file, importedAt } = shown.officialTextSource;
        const lines = shown.officialText.split('\n').map((line) => `  ${terminalSafe(line)}`);
        process.stdout.write(`Official text (imported from ${terminalSafe(file)} on ${importedAt.slice(0, 10)}):\n${lines.join('\n')}\n\n`);
      }
      if (shown.mappings.length === 0) process.stdout.write('no mappings\n');
      else process.stdout.write(renderTable(['relationship', 'to', 'framework', 'rationale'], shown.mappings.map((m) => [m.relationship, m.to, m.framework, m.rationale])));
      return 0;
    }),
  );
  locationOptions(
    catalog
      .command('import-text')
      .description('import official requirement text from your licensed copy (CSV or XLSX) into the locker; any bad row imports nothing')
      .argument('<file>', 'a .csv (UTF-8) or .xlsx file with a header row naming an ID column and a text column')
      .requiredOption('--framework <id>', `the framework the IDs belong to: ${frameworks.map((f) => f.id).join(', ')}`)
      .option('--sheet <name>', 'XLSX: the sheet to read (default: the first)')
      .option('--id-column <name>', 'header of the requirement ID column', 'id')
      .option('--text-column <name>', 'header of the text column', 'text')
      .option('--json', 'print JSON'),
  ).action(
    wrap(async (file: string, flags: LocatedFlags & OfficialTextFileOptions & { framework: string }) => {
      const result = await importText(file, flags);
      if (flags.json) {
        print(result);
        return 0;
      }
      const { import: stored, withoutText } = result;
      const total = frameworkNamed(flags.framework).requirements.length;
      process.stdout.write(
        `imported official text for ${stored.entryCount} ${stored.framework} requirement(s) from ${terminalSafe(stored.sourceName)}${result.sheet ? ` (sheet ${terminalSafe(result.sheet)})` : ''}: ` +
          `${stored.added} new, ${stored.replaced} replaced, ${stored.unchanged} unchanged (import ${stored.sequence}, object ${stored.hash})\n`,
      );
      process.stdout.write(
        withoutText.length === 0
          ? `the locker now holds official text for all ${total} ${stored.framework} requirements\n`
          : `no official text yet for ${withoutText.length} of ${total} ${stored.framework} requirements: ${withoutText.join(', ')}\n`,
      );
      return 0;
    }),
  );
}
