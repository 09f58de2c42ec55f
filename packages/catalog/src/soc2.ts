/**
 * The SOC 2 Trust Services Criteria as data. Criterion IDs and their grouping
 * are facts about the standard; every title and label here is evidentia's own
 * plain-words summary, kept short so it reads as a pointer to the criterion,
 * not a copy of it. The AICPA text stays with the AICPA.
 */
import { Framework, type Category, type GroupId } from './schema.js';

interface GroupSource {
  id: GroupId;
  category: Category;
  title: string;
  /** Criterion ID → own-words label. */
  criteria: Record<string, string>;
}

const groups: GroupSource[] = [
  {
    id: 'CC1', category: 'security', title: 'Control environment',
    criteria: {
      'CC1.1': 'Integrity and ethics are set from the top and upheld',
      'CC1.2': 'An independent board watches over how internal control works',
      'CC1.3': 'Structure, reporting lines and decision rights are set out',
      'CC1.4': 'Finding, training and keeping capable staff',
      'CC1.5': 'Each person answers for their part in internal control',
    },
  },
  {
    id: 'CC2', category: 'security', title: 'Information and communication',
    criteria: {
      'CC2.1': 'Controls run on information that is relevant and reliable',
      'CC2.2': 'Staff are told what controls aim for and what their role is',
      'CC2.3': 'Matters that affect controls are shared with outside parties',
    },
  },
  {
    id: 'CC3', category: 'security', title: 'Risk assessment',
    criteria: {
      'CC3.1': 'Objectives are clear enough to judge risks against',
      'CC3.2': 'Risks to objectives are spotted, analysed and given a response',
      'CC3.3': 'The chance of fraud is weighed when assessing risk',
      'CC3.4': 'Changes that could weaken controls are spotted and assessed',
    },
  },
  {
    id: 'CC4', category: 'security', title: 'Monitoring',
    criteria: {
      'CC4.1': 'Ongoing and one-off checks confirm that controls exist and work',
      'CC4.2': 'Control weaknesses reach the people who must fix them, in time',
    },
  },
  {
    id: 'CC5', category: 'security', title: 'Control activities',
    criteria: {
      'CC5.1': 'Controls are chosen to bring risks down to an acceptable level',
      'CC5.2': 'General controls over technology are chosen and built',
      'CC5.3': 'Policies say what is expected; procedures put them into practice',
    },
  },
  {
    id: 'CC6', category: 'security', title: 'Logical and physical access',
    criteria: {
      'CC6.1': 'Technical access security over systems, data and their architecture',
      'CC6.2': 'Accounts are created only after approval and removed when not needed',
      'CC6.3': 'Access is granted, changed and revoked by role, with least privilege',
      'CC6.4': 'Only authorized people can physically reach facilities and hardware',
      'CC6.5': 'Data on retired assets is destroyed before protection ends',
      'CC6.6': 'Threats from outside the system boundary are kept out',
      'CC6.7': 'Data is protected while sent, moved or taken out of the system',
      'CC6.8': 'Malicious or unapproved software is blocked or caught',
    },
  },
  {
    id: 'CC7', category: 'security', title: 'System operations',
    criteria: {
      'CC7.1': 'Risky configuration changes and new weaknesses are detected',
      'CC7.2': 'Systems are watched for unusual activity that may signal an attack',
      'CC7.3': 'Security events are assessed to decide whether they are incidents',
      'CC7.4': 'Incidents are handled by a set plan: contain, fix, communicate',
      'CC7.5': 'Systems are restored after incidents and lessons are applied',
    },
  },
  {
    id: 'CC8', category: 'security', title: 'Change management',
    criteria: {
      'CC8.1': 'Changes to systems are approved, tested and reviewed before release',
    },
  },
  {
    id: 'CC9', category: 'security', title: 'Risk mitigation',
    criteria: {
      'CC9.1': 'Planned measures limit the harm of business disruption',
      'CC9.2': 'Risk from vendors and business partners is assessed and managed',
    },
  },
  {
    id: 'A1', category: 'availability', title: 'Availability',
    criteria: {
      'A1.1': 'Capacity is tracked and planned to keep up with demand',
      'A1.2': 'Environmental safeguards, backups and recovery infrastructure exist',
      'A1.3': 'Recovery plans are tried out to show that they work',
    },
  },
  {
    id: 'PI1', category: 'processing_integrity', title: 'Processing integrity',
    criteria: {
      'PI1.1': 'What processing should produce, and from which data, is defined',
      'PI1.2': 'Inputs are checked to be complete and correct',
      'PI1.3': 'Processing runs completely, correctly and on time',
      'PI1.4': 'Outputs are complete, correct and reach only the intended recipients',
      'PI1.5': 'Stored data stays complete, correct and current',
    },
  },
  {
    id: 'C1', category: 'confidentiality', title: 'Confidentiality',
    criteria: {
      'C1.1': 'Confidential information is recognised and kept protected',
      'C1.2': 'Confidential information is destroyed when no longer needed',
    },
  },
  {
    id: 'P1', category: 'privacy', title: 'Privacy notice',
    criteria: {
      'P1.1': 'People are told how their personal information is handled',
    },
  },
  {
    id: 'P2', category: 'privacy', title: 'Choice and consent',
    criteria: {
      'P2.1': 'People are offered choices about their data and their consent is kept',
    },
  },
  {
    id: 'P3', category: 'privacy', title: 'Collection of personal information',
    criteria: {
      'P3.1': 'Personal information is collected only for the stated purposes',
      'P3.2': 'Explicit consent is obtained where collection calls for it',
    },
  },
  {
    id: 'P4', category: 'privacy', title: 'Use, retention and disposal',
    criteria: {
      'P4.1': 'Personal information is used only for the purposes people were told',
      'P4.2': 'Personal information is kept no longer than it is needed',
      'P4.3': 'Personal information is disposed of securely',
    },
  },
  {
    id: 'P5', category: 'privacy', title: 'Access and correction',
    criteria: {
      'P5.1': 'People can see the personal information held about them',
      'P5.2': 'People can have their personal information corrected',
    },
  },
  {
    id: 'P6', category: 'privacy', title: 'Disclosure and breach notification',
    criteria: {
      'P6.1': 'Personal information goes to third parties only with consent',
      'P6.2': 'Permitted disclosures of personal information are recorded',
      'P6.3': 'Unauthorized disclosures, breaches included, are recorded',
      'P6.4': 'Vendors that handle personal information are bound to protect it',
      'P6.5': 'Vendors must report breaches of personal information to us',
      'P6.6': 'Affected people and authorities are told about breaches',
      'P6.7': 'People can learn what of their data was shared, and with whom',
    },
  },
  {
    id: 'P7', category: 'privacy', title: 'Data quality',
    criteria: {
      'P7.1': 'Personal information is kept accurate, complete and relevant',
    },
  },
  {
    id: 'P8', category: 'privacy', title: 'Complaints and monitoring',
    criteria: {
      'P8.1': 'Privacy complaints are handled and compliance is monitored',
    },
  },
];

export const soc2 = Framework.parse({
  id: 'soc2',
  name: 'SOC 2 Trust Services Criteria',
  version: '2017 TSC (points of focus revised 2022)',
  source: 'AICPA Trust Services Criteria, TSP section 100',
  licence: "IDs and structure are facts; labels are evidentia's own words; the AICPA text is not reproduced",
  groups: groups.map(({ id, category, title }) => ({ id, category, title })),
  criteria: groups.flatMap((group) =>
    Object.entries(group.criteria).map(([id, label]) => ({ id, category: group.category, group: group.id, label })),
  ),
});
