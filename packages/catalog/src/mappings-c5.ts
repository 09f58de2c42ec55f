/**
 * SOC 2 → BSI C5:2020, for access, change, logging, incidents and personnel.
 * Evidentia's own expert judgement, criterion by criterion.
 */
import { MappingSet } from './mapping.js';

export const soc2ToC5 = MappingSet.parse({
  id: 'soc2-c5',
  source: 'soc2',
  target: 'c5',
  provenance: { author: 'evidentia project', method: 'expert judgement', date: '2026-11-26' },
  mappings: [
    { source: 'CC6.1', target: 'IDM-01', relationship: 'intersects-with', rationale: 'Both need access rules; CC6.1 also covers the technical safeguards' },
    { source: 'CC6.1', target: 'IDM-09', relationship: 'intersects-with', rationale: 'Authentication is one part of the logical access security in CC6.1' },
    { source: 'CC6.2', target: 'IDM-02', relationship: 'superset-of', rationale: 'CC6.2 covers registering and removing users; IDM-02 is the registration side' },
    { source: 'CC6.2', target: 'IDM-04', relationship: 'intersects-with', rationale: 'Removing access when it is no longer needed is shared by both' },
    { source: 'CC6.3', target: 'IDM-04', relationship: 'intersects-with', rationale: 'Both adjust rights as roles change' },
    { source: 'CC6.3', target: 'IDM-05', relationship: 'intersects-with', rationale: 'Reviewing rights supports the least privilege CC6.3 asks for' },
    { source: 'CC6.3', target: 'IDM-06', relationship: 'intersects-with', rationale: 'Least privilege includes admin rights, which IDM-06 treats in depth' },
    { source: 'CC8.1', target: 'DEV-03', relationship: 'intersects-with', rationale: 'Both need a change process; DEV-03 is about the written rules for it' },
    { source: 'CC8.1', target: 'DEV-06', relationship: 'superset-of', rationale: 'Testing changes before release is one element of CC8.1' },
    { source: 'CC8.1', target: 'DEV-07', relationship: 'intersects-with', rationale: 'CC8.1 wants changes documented; DEV-07 wants them logged' },
    { source: 'CC8.1', target: 'DEV-09', relationship: 'superset-of', rationale: 'Approving changes before production is one element of CC8.1' },
    { source: 'CC8.1', target: 'DEV-10', relationship: 'intersects-with', rationale: 'Separate environments support safe change; CC8.1 does not demand them outright' },
    { source: 'CC7.2', target: 'OPS-10', relationship: 'intersects-with', rationale: 'Monitoring rests on logging rules; OPS-10 also sets what is logged' },
    { source: 'CC7.2', target: 'OPS-12', relationship: 'intersects-with', rationale: 'Both aim to spot security-relevant events in systems' },
    { source: 'CC7.2', target: 'OPS-13', relationship: 'intersects-with', rationale: 'Log access and retention support monitoring; CC7.2 does not set retention' },
    { source: 'CC7.3', target: 'SIM-01', relationship: 'intersects-with', rationale: 'Evaluating events follows the incident policy SIM-01 asks for' },
    { source: 'CC7.3', target: 'SIM-02', relationship: 'intersects-with', rationale: 'Classifying events as incidents is the first part of handling them' },
    { source: 'CC7.4', target: 'SIM-02', relationship: 'intersects-with', rationale: 'Both cover handling incidents once identified' },
    { source: 'CC7.4', target: 'SIM-03', relationship: 'intersects-with', rationale: 'Response includes documenting and communicating incidents' },
    { source: 'CC7.5', target: 'SIM-05', relationship: 'superset-of', rationale: 'CC7.5 covers recovery and lessons learned; SIM-05 is the learning part' },
    { source: 'CC1.4', target: 'HR-01', relationship: 'intersects-with', rationale: 'Checking qualification and trustworthiness is part of hiring capable staff' },
    { source: 'CC1.4', target: 'HR-03', relationship: 'intersects-with', rationale: 'Developing staff includes security awareness and training' },
  ],
});
