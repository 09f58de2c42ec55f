/**
 * SOC 2 → NIS2 (Directive (EU) 2022/2555): access, change, logging, incidents
 * and personnel first, then risk, suppliers, vulnerabilities, cryptography,
 * evaluation and continuity. Evidentia's own expert judgement. SOC 2 sets no
 * deadlines for telling regulators, so the Article 23 stages are at most an
 * overlap, never covered by SOC 2 evidence alone.
 */
import { MappingSet } from './mapping.js';

export const soc2ToNis2 = MappingSet.parse({
  id: 'soc2-nis2',
  source: 'soc2',
  target: 'nis2',
  provenance: { author: 'evidentia project', method: 'expert judgement', date: '2026-11-26' },
  mappings: [
    { source: 'CC6.1', target: 'NIS2.21.2.i', relationship: 'intersects-with', rationale: 'Access control policy is shared; 21.2.i adds personnel security and asset management' },
    { source: 'CC6.1', target: 'NIS2.21.2.j', relationship: 'intersects-with', rationale: 'Strong authentication is one safeguard CC6.1 may rely on; 21.2.j also covers secure comms' },
    { source: 'CC6.2', target: 'NIS2.21.2.i', relationship: 'subset-of', rationale: 'Granting and removing user access is part of the access control 21.2.i requires' },
    { source: 'CC6.3', target: 'NIS2.21.2.i', relationship: 'subset-of', rationale: 'Role-based, least-privilege access is part of the access control 21.2.i requires' },
    { source: 'CC8.1', target: 'NIS2.21.2.e', relationship: 'intersects-with', rationale: 'Controlled changes are part of secure maintenance; 21.2.e adds vulnerability handling' },
    { source: 'CC7.2', target: 'NIS2.21.2.b', relationship: 'subset-of', rationale: 'Detecting anomalies is the detection step of incident handling' },
    { source: 'CC7.3', target: 'NIS2.21.2.b', relationship: 'subset-of', rationale: 'Deciding which events are incidents is the analysis step of incident handling' },
    { source: 'CC7.4', target: 'NIS2.21.2.b', relationship: 'subset-of', rationale: 'Responding to incidents is the response step of incident handling' },
    { source: 'CC7.5', target: 'NIS2.21.2.b', relationship: 'subset-of', rationale: 'Recovering from incidents is the recovery step of incident handling' },
    { source: 'CC7.4', target: 'NIS2.23.4.a', relationship: 'intersects-with', rationale: 'CC7.4 includes telling those affected, but sets no 24-hour warning to the CSIRT' },
    { source: 'CC7.4', target: 'NIS2.23.4.b', relationship: 'intersects-with', rationale: 'CC7.4 includes telling those affected, but sets no 72-hour notification' },
    { source: 'CC7.5', target: 'NIS2.23.4.d', relationship: 'intersects-with', rationale: 'Root cause and lessons learned feed the final report; its deadline is NIS2 only' },
    { source: 'CC1.4', target: 'NIS2.21.2.g', relationship: 'intersects-with', rationale: 'Developing staff includes the security training 21.2.g asks for' },
    { source: 'CC1.4', target: 'NIS2.21.2.i', relationship: 'intersects-with', rationale: 'Vetting and keeping capable staff overlaps personnel security' },
    { source: 'CC1.4', target: 'NIS2.20.1', relationship: 'no-relationship', rationale: 'Management approving the risk measures is governance, not staff competence' },
    { source: 'CC3.2', target: 'NIS2.21.2.a', relationship: 'intersects-with', rationale: 'Risk analysis is part of the policies 21.2.a requires; CC3.2 sets how risks are assessed' },
    { source: 'CC9.2', target: 'NIS2.21.2.d', relationship: 'subset-of', rationale: 'Managing vendor risk is part of the supply chain security 21.2.d requires' },
    { source: 'CC7.1', target: 'NIS2.21.2.e', relationship: 'intersects-with', rationale: 'Finding and fixing vulnerabilities is shared; 21.2.e adds secure acquisition and development' },
    { source: 'CC6.7', target: 'NIS2.21.2.h', relationship: 'intersects-with', rationale: 'Encrypting data in transit is one use of cryptography that 21.2.h wants policies for' },
    { source: 'CC6.7', target: 'NIS2.21.2.j', relationship: 'intersects-with', rationale: 'Protecting data in transit overlaps securing communications' },
    { source: 'CC4.1', target: 'NIS2.21.2.f', relationship: 'intersects-with', rationale: 'Both ask that controls be evaluated to see whether they work' },
    { source: 'CC2.2', target: 'NIS2.21.2.g', relationship: 'intersects-with', rationale: 'Telling staff their security duties overlaps cyber hygiene and training' },
    { source: 'A1.2', target: 'NIS2.21.2.c', relationship: 'intersects-with', rationale: 'Backups and recovery infrastructure are part of business continuity' },
    { source: 'A1.3', target: 'NIS2.21.2.c', relationship: 'intersects-with', rationale: 'Testing recovery is part of business continuity and disaster recovery' },
  ],
});
