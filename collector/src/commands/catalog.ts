/** `evidentia catalog`: the frameworks' requirements and how SOC 2 criteria map to them. */
import type { Command } from 'commander';
import { findRequirement, frameworks, getFramework, isFrameworkId, mappingsFor, type Catalog } from '@evidentia/catalog';
import { UsageError } from '../errors.js';
import { renderTable } from '../output/table.js';
import type { Wrap } from '../main.js';

function frameworkNamed(id: string): Catalog {
  if (!isFrameworkId(id)) throw new UsageError(`unknown framework ${JSON.stringify(id)}; known: ${frameworks.map((f) => f.id).join(', ')}`);
  return getFramework(id);
}

/** Requirements of one framework, or of all of them in catalog order. */
export function listRequirements(framework?: string) {
  const selected = framework === undefined ? frameworks : [frameworkNamed(framework)];
  return selected.flatMap((catalog) =>
    catalog.requirements.map(({ id, group, label, theme }) => ({ framework: catalog.id, id, group, label, theme: theme ?? null })),
  );
}

/** One requirement, by any framework's ID, with its mappings read from it outwards. */
export function showRequirement(id: string) {
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
    mappings: mappingsFor(requirement.id).map(({ to, toFramework, relationship, rationale, set }) => ({ to, framework: toFramework, relationship, rationale, set })),
  };
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function registerCatalog(program: Command, wrap: Wrap): void {
  const catalog = program.command('catalog').description('browse framework requirements and their mappings');
  catalog
    .command('list')
    .description('list requirements of one or all frameworks')
    .option('--framework <id>', `one of ${frameworks.map((f) => f.id).join(', ')}`)
    .option('--json', 'print JSON')
    .action(
      wrap(async (flags: { framework?: string; json?: boolean }) => {
        const rows = listRequirements(flags.framework);
        if (flags.json) print(rows);
        else process.stdout.write(renderTable(['framework', 'id', 'label'], rows.map((r) => [r.framework, r.id, r.label])));
        return 0;
      }),
    );
  catalog
    .command('show')
    .description('show one requirement and how it maps to other frameworks')
    .argument('<id>', 'a requirement ID from any framework, e.g. CC6.2, A.5.16, NIS2.21.2.b, IDM-02')
    .option('--json', 'print JSON')
    .action(
      wrap(async (id: string, flags: { json?: boolean }) => {
        const shown = showRequirement(id);
        if (flags.json) {
          print(shown);
          return 0;
        }
        process.stdout.write(`${shown.id}  ${shown.label}\n${shown.frameworkName}, group ${shown.group}${shown.theme ? `, ${shown.theme}` : ''}\n\n`);
        if (shown.mappings.length === 0) process.stdout.write('no mappings\n');
        else process.stdout.write(renderTable(['relationship', 'to', 'framework', 'rationale'], shown.mappings.map((m) => [m.relationship, m.to, m.framework, m.rationale])));
        return 0;
      }),
    );
}
