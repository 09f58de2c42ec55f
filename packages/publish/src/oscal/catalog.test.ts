import { describe, expect, it } from '@jest/globals';
import { FRAMEWORK_IDS, getFramework, mappingsFor } from '@evidentia/catalog';
import type { CatalogTextEntry } from '@evidentia/locker';
import { catalogDocument } from './catalog.js';
import { isToken } from './datatypes.js';
import type { Control } from './model.js';
import { nistProblems } from './nist-schemas.test-support.js';
import { conformanceProblems } from './validate.js';

const controlsOf = (framework: (typeof FRAMEWORK_IDS)[number]): Control[] => (catalogDocument(framework).catalog.groups ?? []).flatMap((group) => group.controls ?? []);
const control = (framework: (typeof FRAMEWORK_IDS)[number], label: string) => controlsOf(framework).find((c) => c.props?.some((p) => p.name === 'label' && p.value === label));

describe('OSCAL catalog export', () => {
  it.each(FRAMEWORK_IDS)('%s: conforms, with a group per group and a control per requirement', async (framework) => {
    const document = catalogDocument(framework);
    expect(conformanceProblems('catalog', document)).toEqual([]);
    const nist = await nistProblems('catalog', document);
    if (nist) expect(nist).toEqual([]);

    const catalog = getFramework(framework);
    const groups = document.catalog.groups ?? [];
    expect(groups.map((group) => group.props?.find((p) => p.name === 'label')?.value)).toEqual(catalog.groups.map((group) => group.id));
    const controls = controlsOf(framework);
    expect(controls.map((c) => c.props?.find((p) => p.name === 'label')?.value)).toEqual(catalog.requirements.map((requirement) => requirement.id));
    const ids = [...groups.map((group) => group.id!), ...controls.flatMap((c) => [c.id, ...(c.parts ?? []).map((part) => part.id!)])];
    expect(ids.filter((id) => !isToken(id))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(FRAMEWORK_IDS)('%s: the same catalog exports the same document', (framework) => {
    expect(JSON.stringify(catalogDocument(framework))).toBe(JSON.stringify(catalogDocument(framework)));
  });

  it('gives ISO clauses token IDs and keeps their own ID as the label', () => {
    expect(control('iso27001', '4.1')).toMatchObject({ id: 'iso27001-4.1', parts: [{ id: 'iso27001-4.1_smt', name: 'statement' }] });
  });

  it('carries the SOC 2 mappings as links, read from the control holding them, into the other catalog in back-matter', () => {
    const soc2 = catalogDocument('soc2');
    const iso = catalogDocument('iso27001');
    const isoResource = soc2.catalog['back-matter']?.resources?.find((resource) => resource.props?.some((p) => p.name === 'framework' && p.value === 'iso27001'));
    expect(isoResource).toBeDefined();
    expect(control('soc2', 'CC8.1')?.links).toContainEqual(expect.objectContaining({ href: `#${isoResource!.uuid}`, rel: 'superset-of', 'resource-fragment': 'A.8.32' }));
    expect(control('iso27001', 'A.5.16')?.links).toContainEqual(expect.objectContaining({ rel: 'superset-of', 'resource-fragment': 'CC6.2' }));
    expect(control('iso27001', '7.2')?.links).toContainEqual(expect.objectContaining({ rel: 'intersects-with', 'resource-fragment': 'CC1.4' }));
    const soc2Resource = iso.catalog['back-matter']?.resources?.find((resource) => resource.props?.some((p) => p.name === 'framework' && p.value === 'soc2'));
    for (const link of controlsOf('iso27001').flatMap((c) => c.links ?? [])) expect(link.href).toBe(`#${soc2Resource!.uuid}`);
    // Every mapping except an explicit no-relationship becomes a link.
    const expected = getFramework('soc2').requirements.flatMap((r) => mappingsFor(r.id)).filter((view) => view.relationship !== 'no-relationship').length;
    expect(controlsOf('soc2').reduce((sum, c) => sum + (c.links?.length ?? 0), 0)).toBe(expected);
  });

  it('uses official text only when given, as statement prose linked to the import it came from', () => {
    const source = { sequence: 1, hash: 'a'.repeat(64), framework: 'iso27001', entryCount: 1, sourceName: 'annex-a.csv', sourceSha256: 'b'.repeat(64), importedAt: '2026-11-20T10:00:00.000Z' };
    const entry: CatalogTextEntry = { framework: 'iso27001', id: 'A.5.15', text: 'Synthetic text for A.5.15 with a [link](http://x) and <b>tag</b>', source };
    const withText = catalogDocument('iso27001', new Map([['A.5.15', entry]]));
    expect(conformanceProblems('catalog', withText)).toEqual([]);
    const controls = (withText.catalog.groups ?? []).flatMap((group) => group.controls ?? []);
    const a515 = controls.find((c) => c.id === 'A.5.15')!;
    const resource = withText.catalog['back-matter']?.resources?.find((r) => r.props?.some((p) => p.name === 'source-sha256' && p.value === source.sourceSha256));
    expect(resource?.description).toContain('not for redistribution');
    expect(a515.parts?.[0]).toMatchObject({ prose: expect.stringContaining('Synthetic text for A.5.15'), links: [{ href: `#${resource!.uuid}`, rel: 'reference' }] });
    // The user's text is Markdown-escaped like any other text: it cannot become a link or HTML in a GRC tool.
    expect(a515.parts?.[0]?.prose).toContain('\\[link\\](http\\://x) and \\<b\\>tag');
    expect(a515.props).toContainEqual(expect.objectContaining({ name: 'statement-source', value: 'official-text' }));
    expect(withText.catalog.metadata.remarks).toContain('1 statement(s) hold official text');
    // Other controls keep the own-words label; the default export carries no official text at all.
    expect(controls.find((c) => c.id === 'A.5.16')?.parts?.[0]?.prose).toBe(control('iso27001', 'A.5.16')?.title);
    expect(JSON.stringify(catalogDocument('iso27001'))).not.toContain('Synthetic text');
    expect(withText.catalog.uuid).not.toBe(catalogDocument('iso27001').catalog.uuid);
  });

  it('dates and versions a catalog holding official text by its newest import, so it never reads as the revision it replaces', () => {
    const plain = catalogDocument('iso27001').catalog.metadata;
    const entryOf = (id: string, sequence: number, importedAt: string): CatalogTextEntry => ({
      framework: 'iso27001',
      id,
      text: `Synthetic text for ${id}`,
      source: { sequence, hash: String(sequence).repeat(64), framework: 'iso27001', entryCount: 1, sourceName: 'annex-a.csv', sourceSha256: 'b'.repeat(64), importedAt },
    });
    // Imported after the newest mapping date: the catalog's content changed then.
    const later = catalogDocument('iso27001', new Map([['A.5.15', entryOf('A.5.15', 1, '2099-01-02T03:04:05.000Z')], ['A.5.16', entryOf('A.5.16', 2, '2099-02-03T04:05:06.000Z')]])).catalog.metadata;
    expect(later['last-modified']).toBe('2099-02-03T04:05:06.000Z');
    expect(later.version).toBe(`${plain.version}, official text from import 1, 2`);
    // Imported before it: the mapping date stays the newest, the version still names the import.
    const earlier = catalogDocument('iso27001', new Map([['A.5.15', entryOf('A.5.15', 1, '2000-01-01T00:00:00.000Z')]])).catalog.metadata;
    expect(earlier['last-modified']).toBe(plain['last-modified']);
    expect(earlier.version).toBe(`${plain.version}, official text from import 1`);
  });
});
