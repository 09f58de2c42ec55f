/**
 * NIS2 (Directive (EU) 2022/2555) as data: the governance duties of Article
 * 20, the risk-management measures of Article 21(2) and the reporting stages
 * of Article 23(4). IDs follow the article structure, e.g. `NIS2.21.2.b` for
 * Article 21(2)(b). Labels are evidentia's own summaries, not the legal text.
 *
 * Attribution: source EUR-Lex, © European Union, https://eur-lex.europa.eu/.
 * EU legal acts may be reused with acknowledgement of the source
 * (Commission Decision 2011/833/EU); only the official Journal text is
 * authentic.
 */
import { Catalog } from './requirement.js';

const groups: Array<{ id: string; title: string; requirements: Record<string, string> }> = [
  { id: 'NIS2.20', title: 'Article 20: governance', requirements: {
    'NIS2.20.1': 'Management approves, oversees and answers for the security measures',
    'NIS2.20.2': 'Management members take cybersecurity training; staff are offered it',
  } },
  { id: 'NIS2.21', title: 'Article 21(2): risk-management measures', requirements: {
    'NIS2.21.2.a': 'Policies on risk analysis and information system security',
    'NIS2.21.2.b': 'Incident handling',
    'NIS2.21.2.c': 'Business continuity, backups, disaster recovery and crisis management',
    'NIS2.21.2.d': 'Supply chain security, including supplier relationships',
    'NIS2.21.2.e': 'Security in acquiring, building and maintaining systems; vulnerabilities',
    'NIS2.21.2.f': 'Assessing whether the risk measures work',
    'NIS2.21.2.g': 'Basic cyber hygiene and security training',
    'NIS2.21.2.h': 'Use of cryptography and encryption',
    'NIS2.21.2.i': 'Personnel security, access control and asset management',
    'NIS2.21.2.j': 'MFA or continuous authentication; secured communications',
  } },
  { id: 'NIS2.23', title: 'Article 23(4): reporting significant incidents', requirements: {
    'NIS2.23.4.a': 'Early warning to the CSIRT or authority within 24 hours',
    'NIS2.23.4.b': 'Incident notification with first assessment within 72 hours',
    'NIS2.23.4.c': 'Intermediate report when the CSIRT or authority asks',
    'NIS2.23.4.d': 'Final report within one month of the notification',
  } },
];

export const nis2 = Catalog.parse({
  id: 'nis2',
  name: 'NIS2 Directive',
  version: 'Directive (EU) 2022/2555 of 14 December 2022',
  source: 'Official Journal of the European Union L 333, 27.12.2022, via EUR-Lex',
  licence: 'EU law, reusable with attribution: © European Union, EUR-Lex (Decision 2011/833/EU); labels are summaries',
  groups: groups.map(({ id, title }) => ({ id, title })),
  requirements: groups.flatMap((group) =>
    Object.entries(group.requirements).map(([id, label]) => ({ id, framework: 'nis2', group: group.id, label })),
  ),
});
