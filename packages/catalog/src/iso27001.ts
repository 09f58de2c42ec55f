/**
 * ISO/IEC 27001:2022 as data: the requirement clauses 4 to 10 and the 93
 * Annex A controls. The numbering and the four Annex A themes are facts about
 * the standard; every label is evidentia's own few words, a pointer to the
 * requirement and never its text. ISO text is copyrighted and sold by ISO and
 * its national bodies; whoever holds a licence reads the wording there.
 */
import { Catalog, type Theme } from './requirement.js';

interface GroupSource {
  id: string;
  title: string;
  theme?: Theme;
  /** Requirement ID → own-words label. */
  requirements: Record<string, string>;
}

const clauses: GroupSource[] = [
  { id: '4', title: 'Context of the organization', requirements: {
    '4.1': 'Know the internal and external issues that bear on the ISMS',
    '4.2': 'Know who has a stake in the ISMS and what they expect',
    '4.3': 'Decide and write down what the ISMS covers',
    '4.4': 'Set up, run, keep up and improve the ISMS',
  } },
  { id: '5', title: 'Leadership', requirements: {
    '5.1': 'Top management visibly drives and backs the ISMS',
    '5.2': 'Top management sets the security policy',
    '5.3': 'Security roles and who answers for what are assigned',
  } },
  { id: '6', title: 'Planning', requirements: {
    '6.1.1': 'Plan how to deal with risks and opportunities for the ISMS',
    '6.1.2': 'A repeatable way to find, analyse and rate security risks',
    '6.1.3': 'Choose risk treatments, compare with Annex A, write the SoA',
    '6.2': 'Security objectives are set and there is a plan to reach them',
    '6.3': 'Changes to the ISMS are planned before they are made',
  } },
  { id: '7', title: 'Support', requirements: {
    '7.1': 'The ISMS gets the people, money and tools it needs',
    '7.2': 'People doing ISMS work are competent, with proof kept',
    '7.3': 'Staff know the policy, their part and the cost of failing it',
    '7.4': 'Decide what is communicated about the ISMS, to whom and when',
    '7.5.1': 'The ISMS keeps the documents it and the standard call for',
    '7.5.2': 'Documents are identified, formatted, reviewed and approved',
    '7.5.3': 'Documents are controlled: available, protected, versioned',
  } },
  { id: '8', title: 'Operation', requirements: {
    '8.1': 'Run the planned processes and control outsourced parts',
    '8.2': 'Risk assessments are repeated on schedule and on change',
    '8.3': 'The risk treatment plan is carried out, with results kept',
  } },
  { id: '9', title: 'Performance evaluation', requirements: {
    '9.1': 'Decide what to measure about security and evaluate the results',
    '9.2.1': 'Internal audits check the ISMS conforms and works',
    '9.2.2': 'An audit programme sets scope, frequency and impartial auditors',
    '9.3.1': 'Top management reviews the ISMS at planned intervals',
    '9.3.2': 'What the management review must consider',
    '9.3.3': 'Management review ends in recorded decisions and changes',
  } },
  { id: '10', title: 'Improvement', requirements: {
    '10.1': 'Keep making the ISMS more suitable and effective',
    '10.2': 'Nonconformities are fixed at the root, with records kept',
  } },
];

const annexA: GroupSource[] = [
  { id: 'A.5', title: 'Organizational controls', theme: 'organizational', requirements: {
    'A.5.1': 'Security policies are approved, published and reviewed',
    'A.5.2': 'Security roles and duties are defined and given out',
    'A.5.3': 'Conflicting duties are split between different people',
    'A.5.4': 'Managers make staff follow the security rules',
    'A.5.5': 'Keep in touch with the relevant authorities',
    'A.5.6': 'Keep in touch with security forums and specialist groups',
    'A.5.7': 'Gather and analyse information about threats',
    'A.5.8': 'Security is built into project management',
    'A.5.9': 'Keep an inventory of information and related assets, with owners',
    'A.5.10': 'Rules for acceptable use and handling of assets',
    'A.5.11': 'Assets are handed back when someone leaves or changes role',
    'A.5.12': 'Information is classified by its security needs',
    'A.5.13': 'Information is labelled according to its class',
    'A.5.14': 'Rules for transferring information inside and outside',
    'A.5.15': 'Rules for physical and logical access, based on need',
    'A.5.16': 'Identities are managed over their whole life',
    'A.5.17': 'Passwords and other secrets are issued and handled safely',
    'A.5.18': 'Access rights are granted, reviewed, changed and removed',
    'A.5.19': 'Manage the security risks of using suppliers',
    'A.5.20': 'Security terms are agreed with each supplier',
    'A.5.21': 'Manage security risks in the ICT supply chain',
    'A.5.22': 'Watch supplier security and manage changes to their service',
    'A.5.23': 'Security in buying, using, running and leaving cloud services',
    'A.5.24': 'Plan and prepare for handling security incidents',
    'A.5.25': 'Assess security events and decide which are incidents',
    'A.5.26': 'Respond to incidents following written procedures',
    'A.5.27': 'Learn from incidents to strengthen controls',
    'A.5.28': 'Collect and preserve evidence about security events',
    'A.5.29': 'Keep security at the right level during disruption',
    'A.5.30': 'ICT is ready to support business continuity',
    'A.5.31': 'Know and meet legal, regulatory and contractual obligations',
    'A.5.32': 'Protect intellectual property rights',
    'A.5.33': 'Records are protected from loss, tampering and misuse',
    'A.5.34': 'Privacy and personal data are protected as the law requires',
    'A.5.35': 'The security approach is reviewed independently',
    'A.5.36': 'Compliance with security policies is checked regularly',
    'A.5.37': 'Operating procedures are written down and available',
  } },
  { id: 'A.6', title: 'People controls', theme: 'people', requirements: {
    'A.6.1': 'Candidates are background-checked before joining',
    'A.6.2': 'Employment terms state security duties',
    'A.6.3': 'Staff get security awareness and training',
    'A.6.4': 'A disciplinary process for security breaches',
    'A.6.5': 'Security duties that last past leaving or moving role',
    'A.6.6': 'Confidentiality agreements are signed and reviewed',
    'A.6.7': 'Security for people working remotely',
    'A.6.8': 'A way for staff to report security events',
  } },
  { id: 'A.7', title: 'Physical controls', theme: 'physical', requirements: {
    'A.7.1': 'Secure areas have defined perimeters',
    'A.7.2': 'Entry to secure areas is controlled',
    'A.7.3': 'Offices, rooms and facilities are secured',
    'A.7.4': 'Premises are watched for unauthorised entry',
    'A.7.5': 'Protection from physical and environmental threats',
    'A.7.6': 'Rules for working inside secure areas',
    'A.7.7': 'Desks and screens are left clear',
    'A.7.8': 'Equipment is placed and protected well',
    'A.7.9': 'Assets taken off-site are protected',
    'A.7.10': 'Storage media are managed through their life',
    'A.7.11': 'Power and other utilities are protected from failure',
    'A.7.12': 'Power and data cables are protected',
    'A.7.13': 'Equipment is maintained correctly',
    'A.7.14': 'Equipment is wiped before disposal or reuse',
  } },
  { id: 'A.8', title: 'Technological controls', theme: 'technological', requirements: {
    'A.8.1': 'Laptops, phones and other endpoints are protected',
    'A.8.2': 'Privileged access is limited and managed',
    'A.8.3': 'Access to information is restricted per the access rules',
    'A.8.4': 'Access to source code and dev tools is controlled',
    'A.8.5': 'Authentication is secure and fits the access risk',
    'A.8.6': 'Capacity is monitored and planned',
    'A.8.7': 'Protection against malware, with user awareness',
    'A.8.8': 'Technical vulnerabilities are found, assessed and fixed',
    'A.8.9': 'Configurations are set, recorded, monitored and reviewed',
    'A.8.10': 'Information is deleted when no longer needed',
    'A.8.11': 'Data is masked where policy calls for it',
    'A.8.12': 'Measures against data leaking out',
    'A.8.13': 'Backups are taken and tested',
    'A.8.14': 'Enough redundancy to stay available',
    'A.8.15': 'Activity, errors and events are logged and the logs protected',
    'A.8.16': 'Systems and networks are watched for unusual behaviour',
    'A.8.17': 'Clocks are synchronised to agreed sources',
    'A.8.18': 'Powerful utility programs are restricted',
    'A.8.19': 'Software installation on live systems is controlled',
    'A.8.20': 'Networks and their devices are secured',
    'A.8.21': 'Network services have agreed security features',
    'A.8.22': 'Networks are split into segments',
    'A.8.23': 'Access to outside websites is filtered',
    'A.8.24': 'Rules for cryptography and key management',
    'A.8.25': 'A secure development life cycle',
    'A.8.26': 'Security requirements are set for applications',
    'A.8.27': 'Secure engineering principles for system design',
    'A.8.28': 'Code is written securely',
    'A.8.29': 'Security is tested during development and acceptance',
    'A.8.30': 'Outsourced development is directed and checked',
    'A.8.31': 'Development, test and production are kept apart',
    'A.8.32': 'Changes to systems go through change management',
    'A.8.33': 'Test data is chosen and protected with care',
    'A.8.34': 'Audits and tests on live systems are planned to limit impact',
  } },
];

export const iso27001 = Catalog.parse({
  id: 'iso27001',
  name: 'ISO/IEC 27001',
  version: '2022',
  source: 'ISO/IEC 27001:2022, clauses 4 to 10 and Annex A (reference IDs only)',
  licence: "Numbering and structure only; labels are evidentia's own words; ISO text is not reproduced",
  groups: [...clauses, ...annexA].map(({ id, title, theme }) => ({ id, title, theme })),
  requirements: [...clauses, ...annexA].flatMap((group) =>
    Object.entries(group.requirements).map(([id, label]) => ({ id, framework: 'iso27001', group: group.id, label, theme: group.theme })),
  ),
});
