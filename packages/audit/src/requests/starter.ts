/**
 * The built-in starter set: one request for each piece of evidence a Type II
 * audit of the Security category asks for that no connector collects, so that
 * with the connectors every Security criterion has an evidence path (a test
 * holds this against the catalog's default links). Titles are our own words.
 */
import type { EvidenceRequest } from './types.js';

type Starter = Omit<EvidenceRequest, 'starter' | 'dueDays' | 'graceDays'> & Partial<Pick<EvidenceRequest, 'dueDays' | 'graceDays'>>;

const STARTERS: Starter[] = [
  { id: 'code-of-conduct', title: 'Staff acknowledged the code of conduct', criteria: ['CC1.1'], owner: 'people lead', frequency: 'yearly' },
  { id: 'board-oversight', title: 'Minutes of the board (or oversight body) reviewing security', criteria: ['CC1.2'], owner: 'chief executive', frequency: 'quarterly' },
  { id: 'org-chart', title: 'Organization chart with security roles and responsibilities', criteria: ['CC1.3', 'CC1.5'], owner: 'people lead', frequency: 'yearly' },
  { id: 'security-policies', title: 'Security policies reviewed and approved by management', criteria: ['CC2.1', 'CC5.3'], owner: 'security lead', frequency: 'yearly' },
  { id: 'security-training', title: 'Security awareness training completed by staff', criteria: ['CC2.2'], owner: 'security lead', frequency: 'yearly' },
  { id: 'external-commitments', title: 'Security commitments published to customers (trust page, terms)', criteria: ['CC2.3'], owner: 'security lead', frequency: 'yearly' },
  { id: 'risk-assessment', title: 'Risk assessment, fraud risk and significant changes included', criteria: ['CC3.1', 'CC3.2', 'CC3.3', 'CC3.4'], owner: 'security lead', frequency: 'yearly' },
  { id: 'control-monitoring', title: 'Control self-assessment and the deficiencies it found, with follow-up', criteria: ['CC4.1', 'CC4.2'], owner: 'security lead', frequency: 'quarterly' },
  { id: 'control-selection', title: 'Control matrix, technology controls included, reviewed', criteria: ['CC5.1', 'CC5.2'], owner: 'security lead', frequency: 'yearly' },
  { id: 'physical-access', title: 'Physical access review of offices, or the hosting provider\'s attestation', criteria: ['CC6.4'], owner: 'IT lead', frequency: 'yearly' },
  { id: 'asset-disposal', title: 'Disposal and wiping records of retired devices and media', criteria: ['CC6.5'], owner: 'IT lead', frequency: 'quarterly', graceDays: 14 },
  { id: 'boundary-review', title: 'Firewall and network boundary rules reviewed', criteria: ['CC6.6'], owner: 'infrastructure lead', frequency: 'quarterly', graceDays: 14 },
  { id: 'encryption', title: 'Encryption in transit and at rest, shown by configuration', criteria: ['CC6.7'], owner: 'infrastructure lead', frequency: 'yearly' },
  { id: 'malware-protection', title: 'Endpoint protection coverage of every device', criteria: ['CC6.8'], owner: 'IT lead', frequency: 'quarterly', graceDays: 14 },
  { id: 'vulnerability-scans', title: 'Vulnerability scan results and their remediation', criteria: ['CC7.1'], owner: 'infrastructure lead', frequency: 'monthly', graceDays: 7 },
  { id: 'continuity-test', title: 'Business continuity and disaster recovery test with its results', criteria: ['CC9.1'], owner: 'infrastructure lead', frequency: 'yearly' },
  { id: 'vendor-reviews', title: 'Risk reviews of critical vendors (their reports, our conclusions)', criteria: ['CC9.2'], owner: 'security lead', frequency: 'yearly' },
  { id: 'background-checks', title: 'Background check for each new hire', criteria: ['CC1.4'], owner: 'people lead', frequency: 'per-event', event: 'joiner', dueDays: 30 },
];

export const STARTER_REQUESTS: readonly EvidenceRequest[] = STARTERS.map((starter) => ({ dueDays: 0, graceDays: 0, ...starter, starter: true }));
