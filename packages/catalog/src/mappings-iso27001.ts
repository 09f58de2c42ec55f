/**
 * SOC 2 → ISO/IEC 27001:2022, for the areas the collector serves first:
 * access, change, logging, incidents and personnel. Evidentia's own expert
 * judgement; an auditor may map differently, which is why every line says why.
 */
import { MappingSet } from './mapping.js';

export const soc2ToIso27001 = MappingSet.parse({
  id: 'soc2-iso27001',
  source: 'soc2',
  target: 'iso27001',
  provenance: { author: 'evidentia project', method: 'expert judgement', date: '2026-11-26' },
  mappings: [
    { source: 'CC6.1', target: 'A.5.15', relationship: 'intersects-with', rationale: 'Both set access rules; CC6.1 also covers the technical safeguards, A.5.15 physical access' },
    { source: 'CC6.1', target: 'A.8.3', relationship: 'intersects-with', rationale: 'Restricting access to information is one of the safeguards CC6.1 asks for' },
    { source: 'CC6.1', target: 'A.8.5', relationship: 'intersects-with', rationale: 'Authentication is part of logical access security, which CC6.1 treats more broadly' },
    { source: 'CC6.2', target: 'A.5.16', relationship: 'subset-of', rationale: 'Registering and removing users is one stage of the identity life cycle A.5.16 covers' },
    { source: 'CC6.2', target: 'A.5.18', relationship: 'intersects-with', rationale: 'Both cover granting and removing access; A.5.18 adds periodic review of rights' },
    { source: 'CC6.3', target: 'A.5.18', relationship: 'intersects-with', rationale: 'Both cover changing and removing rights by role; each has parts the other lacks' },
    { source: 'CC6.3', target: 'A.8.2', relationship: 'intersects-with', rationale: 'Least privilege in CC6.3 includes admin rights, which A.8.2 treats in more depth' },
    { source: 'CC6.3', target: 'A.5.3', relationship: 'intersects-with', rationale: 'CC6.3 asks for segregation of duties in access; A.5.3 applies it beyond access' },
    { source: 'CC8.1', target: 'A.8.32', relationship: 'superset-of', rationale: 'CC8.1 spans authorising, testing and approving changes; A.8.32 is the change control within it' },
    { source: 'CC8.1', target: 'A.8.29', relationship: 'intersects-with', rationale: 'Testing changes overlaps security testing before acceptance' },
    { source: 'CC8.1', target: 'A.8.9', relationship: 'intersects-with', rationale: 'Configuration changes fall under both; A.8.9 also covers baselines and monitoring' },
    { source: 'CC7.2', target: 'A.8.16', relationship: 'equal-to', rationale: 'Both ask that systems be watched for anomalies that may signal attacks or errors' },
    { source: 'CC7.2', target: 'A.8.15', relationship: 'intersects-with', rationale: 'Monitoring relies on logs; A.8.15 also covers protecting and keeping them' },
    { source: 'CC7.3', target: 'A.5.25', relationship: 'equal-to', rationale: 'Both ask that security events be assessed to decide which are incidents' },
    { source: 'CC7.4', target: 'A.5.26', relationship: 'superset-of', rationale: 'CC7.4 covers the whole response programme; A.5.26 is responding per procedure' },
    { source: 'CC7.4', target: 'A.5.24', relationship: 'intersects-with', rationale: 'A defined response programme overlaps planning and roles for incident handling' },
    { source: 'CC7.4', target: 'A.5.28', relationship: 'intersects-with', rationale: 'Response includes keeping evidence; A.5.28 sets how it is preserved' },
    { source: 'CC7.5', target: 'A.5.27', relationship: 'intersects-with', rationale: 'Recovery in CC7.5 includes lessons learned, which is the core of A.5.27' },
    { source: 'CC7.5', target: 'A.5.26', relationship: 'intersects-with', rationale: 'Recovering from an incident is the last part of responding to it' },
    { source: 'CC1.4', target: '7.2', relationship: 'intersects-with', rationale: 'Both want competent staff; CC1.4 adds hiring and retention, 7.2 records of competence' },
    { source: 'CC1.4', target: 'A.6.1', relationship: 'intersects-with', rationale: 'Background checks are one way CC1.4 staff are vetted before hire' },
    { source: 'CC1.4', target: 'A.6.3', relationship: 'intersects-with', rationale: 'Developing staff includes the security training A.6.3 asks for' },
  ],
});
