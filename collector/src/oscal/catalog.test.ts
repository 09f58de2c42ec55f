import { describe, expect, it } from '@jest/globals';
import { FRAMEWORK_IDS, getFramework, mappingsFor } from '@evidentia/catalog';
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
});
