/**
 * One framework's catalog as an OSCAL catalog: the framework's groups, each
 * requirement a control (token-safe ID, the framework's own ID in a `label`
 * prop, evidentia's own-words label as title and statement), and the SOC 2
 * mappings as links. No standard's text is shipped, so the statement says
 * no more than the label, unless the user asks for the official text they
 * imported from their licensed copy into their locker: then it is the
 * statement's prose, and the document says it holds licensed text.
 *
 * A mapping link reads from the control holding it to the linked requirement
 * (`rel` is the OSCAL relationship: `A.5.16` `superset-of` `CC6.2`); `href`
 * names the other framework's catalog in back-matter and `resource-fragment`
 * the requirement's control ID there, since that requirement lives in
 * another document.
 */
import { getFramework, mappingSets, mappingsFor, soc2, type FrameworkId, type MappingView, type Requirement } from '@evidentia/catalog';
import type { CatalogTextEntry } from '@evidentia/locker';
import { COLLECTOR_VERSION } from '@evidentia/evidence';
import { contentUuid, markupText, OSCAL_VERSION, stableUuid, statementId, tokenId } from './datatypes.js';
import { prop, type CatalogDocument, type Control, type Group, type Link, type Property, type Resource } from './model.js';

/** The frameworks a catalog's links point into: every other one from SOC 2, SOC 2 from the others. */
function linkedFrameworks(framework: FrameworkId): FrameworkId[] {
  return framework === 'soc2' ? mappingSets.map((set) => set.target) : ['soc2'];
}

function setBetween(framework: FrameworkId, other: FrameworkId) {
  return mappingSets.find((set) => set.target === (framework === 'soc2' ? other : framework));
}

function catalogResourceUuid(framework: FrameworkId): string {
  return stableUuid('catalog-reference', framework);
}

/** The other framework's catalog, as the target of mapping links, with the mapping set's provenance. */
function linkedCatalog(framework: FrameworkId, other: FrameworkId): Resource {
  const catalog = getFramework(other);
  const set = setBetween(framework, other);
  return {
    uuid: catalogResourceUuid(other),
    title: markupText(`${catalog.name} ${catalog.version}`),
    description: `The OSCAL catalog evidentia exports for ${markupText(catalog.name)} (\`evidentia export oscal-catalog --framework ${other}\`); mapping links name its control IDs in resource-fragment.`,
    props: [
      prop('framework', other),
      ...(set ? [prop('mapping-set', set.id), prop('mapping-author', set.provenance.author), prop('mapping-method', set.provenance.method), prop('mapping-date', set.provenance.date)] : []),
    ],
  };
}

function mappingLink(view: MappingView): Link {
  return {
    href: `#${catalogResourceUuid(view.toFramework)}`,
    rel: view.relationship,
    'resource-fragment': tokenId(view.toFramework, view.to),
    text: markupText(`${view.relationship} ${view.to}: ${view.rationale}`),
  };
}

/** Official text by requirement ID, as imported into the locker (`evidentia catalog import-text`). */
export type OfficialText = ReadonlyMap<string, CatalogTextEntry>;

function importResourceUuid(entry: CatalogTextEntry): string {
  return stableUuid('official-text-import', entry.source.hash);
}

/** Where the official text came from: the user's file, by name and SHA-256, and the locker object holding it. */
function importResource(entry: CatalogTextEntry): Resource {
  const { sourceName, sourceSha256, importedAt, hash } = entry.source;
  return {
    uuid: importResourceUuid(entry),
    title: markupText(`Official text imported from ${sourceName}`),
    description: markupText(`Imported into the evidence locker on ${importedAt} (object ${hash}); file SHA-256 ${sourceSha256}. Licensed text: not for redistribution.`),
    props: [prop('source-sha256', sourceSha256), prop('locker-object', hash)],
  };
}

function control(framework: FrameworkId, requirement: Requirement, official: OfficialText): Control {
  const id = tokenId(framework, requirement.id);
  const text = official.get(requirement.id);
  const props: Property[] = [
    { name: 'label', value: requirement.id },
    ...(requirement.theme ? [prop('theme', requirement.theme)] : []),
    ...(text ? [prop('statement-source', 'official-text')] : []),
  ];
  const links = mappingsFor(requirement.id).filter((view) => view.relationship !== 'no-relationship').map(mappingLink);
  return {
    id,
    title: markupText(requirement.label),
    props,
    ...(links.length > 0 ? { links } : {}),
    parts: [
      {
        id: statementId(id),
        name: 'statement',
        prose: markupText(text?.text ?? requirement.label),
        ...(text ? { links: [{ href: `#${importResourceUuid(text)}`, rel: 'reference' }] } : {}),
      },
    ],
  };
}

function groupProps(framework: FrameworkId, group: { id: string; theme?: string }): Property[] {
  const category = framework === 'soc2' ? soc2.groups.find((g) => g.id === group.id)?.category : undefined;
  return [{ name: 'label', value: group.id }, ...(group.theme ? [prop('theme', group.theme)] : []), ...(category ? [prop('category', category)] : [])];
}

/**
 * The last change of the catalog's content that carries a time: the newest mapping provenance date, or
 * the newest import of the official text it holds, so a catalog holding text imported since (or text
 * imported again, corrected) is never dated as the document it replaces.
 */
function lastModified(framework: FrameworkId, official: OfficialText): string {
  const dates = linkedFrameworks(framework).flatMap((other) => setBetween(framework, other)?.provenance.date ?? []);
  const mapped = `${dates.sort().at(-1) ?? '1970-01-01'}T00:00:00Z`;
  const imported = [...official.values()].map((entry) => entry.source.importedAt);
  return [mapped, ...imported].reduce((latest, date) => (Date.parse(date) > Date.parse(latest) ? date : latest));
}

/** The official text imports a catalog's statements come from, by their locker sequence. */
function importsText(official: OfficialText): string {
  const sequences = [...new Set([...official.values()].map((entry) => entry.source.sequence))].sort((a, b) => a - b);
  return sequences.length === 0 ? '' : `, official text from import ${sequences.join(', ')}`;
}

export function catalogDocument(framework: FrameworkId, official: OfficialText = new Map()): CatalogDocument {
  const catalog = getFramework(framework);
  const imports = [...new Map([...official.values()].map((entry) => [entry.source.hash, importResource(entry)])).values()];
  const licensed = imports.length > 0 ? `\n\n${official.size} statement(s) hold official text the user imported from their licensed copy (see back-matter): not for redistribution.` : '';
  const groups: Group[] = catalog.groups.map((group) => ({
    id: tokenId(framework, group.id),
    title: markupText(group.title),
    props: groupProps(framework, group),
    controls: catalog.requirements.filter((requirement) => requirement.group === group.id).map((requirement) => control(framework, requirement, official)),
  }));
  const source: Resource = {
    uuid: stableUuid('catalog-source', framework),
    title: markupText(`${catalog.name} ${catalog.version}`),
    citation: { text: markupText(catalog.source) },
    remarks: markupText(catalog.licence),
  };
  const body = {
    metadata: {
      title: markupText(`${catalog.name} ${catalog.version}: requirement IDs with evidentia's own-words labels`),
      'last-modified': lastModified(framework, official),
      version: `${catalog.version}, evidentia ${COLLECTOR_VERSION}${importsText(official)}`,
      'oscal-version': OSCAL_VERSION,
      props: [prop('framework', framework), prop('framework-version', catalog.version)],
      remarks:
        `Requirement IDs and structure of ${markupText(catalog.name)}; every title is evidentia's own few words, not the standard's text. ` +
        `Source: ${markupText(catalog.source)}. Licence: ${markupText(catalog.licence)}.\n\n` +
        'A mapping link reads from the control holding it to the linked requirement: rel is the OSCAL relationship, href the other catalog in back-matter, resource-fragment the control ID there.' +
        licensed,
    },
    groups,
    'back-matter': { resources: [source, ...linkedFrameworks(framework).map((other) => linkedCatalog(framework, other)), ...imports] },
  };
  return { catalog: { uuid: contentUuid('catalog', body), ...body } };
}
