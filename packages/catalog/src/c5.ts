/**
 * BSI C5:2020 (Cloud Computing Compliance Criteria Catalogue) as data: the
 * 121 basic criteria in 17 areas. IDs and areas follow the BSI catalogue;
 * labels are evidentia's own few words, not the BSI criterion text.
 *
 * Source note: the per-area ranges follow the published C5:2020 structure
 * and add up to the catalogue's 121 criteria. On 2026-11-26 every ID, each
 * area's count and each label's topic were checked against a public
 * machine-readable copy of the catalogue; the IDs and counts matched, and
 * nine labels on the wrong topic (PS-05, OPS-11 to OPS-18) were rewritten.
 * The optional additional criteria are not included.
 */
import { Catalog } from './requirement.js';

const areas: Array<{ id: string; title: string; requirements: Record<string, string> }> = [
  { id: 'OIS', title: 'Organisation of information security', requirements: {
    'OIS-01': 'An information security management system is run',
    'OIS-02': 'Top management sets the security policy',
    'OIS-03': 'Interfaces and dependencies are known and documented',
    'OIS-04': 'Conflicting duties are separated',
    'OIS-05': 'Contacts with authorities and interest groups are kept',
    'OIS-06': 'A risk management policy exists',
    'OIS-07': 'Risks are managed according to that policy',
  } },
  { id: 'SP', title: 'Security policies and instructions', requirements: {
    'SP-01': 'Policies are documented, communicated and available',
    'SP-02': 'Policies are reviewed and approved regularly',
    'SP-03': 'Exceptions to policies are controlled',
  } },
  { id: 'HR', title: 'Personnel', requirements: {
    'HR-01': 'Staff qualification and trustworthiness are checked',
    'HR-02': 'Employment terms include security duties',
    'HR-03': 'Security awareness and training for staff',
    'HR-04': 'Disciplinary measures for breaches',
    'HR-05': 'Duties on leaving or changing role',
    'HR-06': 'Confidentiality agreements',
  } },
  { id: 'AM', title: 'Asset management', requirements: {
    'AM-01': 'An inventory of assets is kept',
    'AM-02': 'Rules for acceptable use and safe handling of assets',
    'AM-03': 'Hardware is brought into service in a controlled way',
    'AM-04': 'Hardware is retired in a controlled way',
    'AM-05': 'Staff commit to proper use and return of assets',
    'AM-06': 'Assets are classified and labelled',
  } },
  { id: 'PS', title: 'Physical security', requirements: {
    'PS-01': 'Physical and environmental security requirements are set',
    'PS-02': 'Data centres are built with redundancy',
    'PS-03': 'Site perimeters are protected',
    'PS-04': 'Physical access to sites is controlled',
    'PS-05': 'Buildings are protected against fire and smoke',
    'PS-06': 'Protection from power failure',
    'PS-07': 'Operating and environmental conditions are monitored',
  } },
  { id: 'OPS', title: 'Operations', requirements: {
    'OPS-01': 'Capacity is planned',
    'OPS-02': 'Capacity is monitored',
    'OPS-03': 'Customers can control and monitor their resources',
    'OPS-04': 'Rules for protection against malware',
    'OPS-05': 'Malware protection is in place',
    'OPS-06': 'A backup and recovery concept',
    'OPS-07': 'Backups are monitored',
    'OPS-08': 'Restores are tested regularly',
    'OPS-09': 'Backups are stored safely',
    'OPS-10': 'Rules for logging and monitoring',
    'OPS-11': 'Rules for collecting and using customer usage metadata',
    'OPS-12': 'Who may read logs, how long they are kept and when they are deleted',
    'OPS-13': 'Logs are searched automatically for security-relevant events',
    'OPS-14': 'Logs are kept centrally, protected from change and sent securely',
    'OPS-15': 'Logged access can be traced to a user and a tenant',
    'OPS-16': 'Only authorised staff may reach or reconfigure the logging tools',
    'OPS-17': 'Failures of the logging and monitoring tools are noticed',
    'OPS-18': 'A concept for handling vulnerabilities, malfunctions and errors',
    'OPS-19': 'Penetration tests are run',
    'OPS-20': 'Vulnerability handling is measured and assessed',
    'OPS-21': 'Customers are involved when incidents affect them',
    'OPS-22': 'Known vulnerabilities are tested for and documented',
    'OPS-23': 'Systems are hardened',
    'OPS-24': "Customers' data is kept apart in shared infrastructure",
  } },
  { id: 'IDM', title: 'Identity and access management', requirements: {
    'IDM-01': 'A policy for user accounts and access rights',
    'IDM-02': 'Users are registered and given rights under control',
    'IDM-03': 'Accounts are locked after inactivity or failed logins',
    'IDM-04': 'Rights are withdrawn or adjusted when duties change',
    'IDM-05': 'Access rights are reviewed regularly',
    'IDM-06': 'Privileged access is restricted and controlled',
    'IDM-07': 'Customers are told when provider staff access their data',
    'IDM-08': 'Authentication secrets are kept confidential',
    'IDM-09': 'Authentication mechanisms fit the risk',
  } },
  { id: 'CRY', title: 'Cryptography and key management', requirements: {
    'CRY-01': 'A policy for using encryption',
    'CRY-02': 'Data in transit is encrypted',
    'CRY-03': 'Sensitive stored data is encrypted',
    'CRY-04': 'Keys are managed securely',
  } },
  { id: 'COS', title: 'Communication security', requirements: {
    'COS-01': 'Technical safeguards protect the network',
    'COS-02': 'Security requirements for internal network connections',
    'COS-03': 'Network connections are monitored',
    'COS-04': 'Access between networks is controlled',
    'COS-05': 'Administration uses separate networks',
    'COS-06': 'Traffic in shared networks is kept apart',
    'COS-07': 'The network topology is documented',
    'COS-08': 'Rules for transferring data',
  } },
  { id: 'PI', title: 'Portability and interoperability', requirements: {
    'PI-01': 'Input and output interfaces are documented and secure',
    'PI-02': 'Contracts cover handing data back',
    'PI-03': 'Data is deleted securely',
  } },
  { id: 'DEV', title: 'Procurement, development and change of systems', requirements: {
    'DEV-01': 'Rules for building or buying information systems',
    'DEV-02': 'Outsourced development is controlled',
    'DEV-03': 'Rules for managing changes',
    'DEV-04': 'Staff are trained in secure development and delivery',
    'DEV-05': 'Changes are risk-assessed, categorised and prioritised',
    'DEV-06': 'Changes are tested',
    'DEV-07': 'Changes are logged',
    'DEV-08': 'Source code is under version control',
    'DEV-09': 'Release to production needs approval',
    'DEV-10': 'Development, test and production are kept apart',
  } },
  { id: 'SSO', title: 'Control and monitoring of service providers and suppliers', requirements: {
    'SSO-01': 'Rules for controlling and monitoring third parties',
    'SSO-02': 'Suppliers are risk-assessed',
    'SSO-03': 'A list of service providers and suppliers is kept',
    'SSO-04': 'Supplier compliance is monitored',
    'SSO-05': 'An exit strategy for each key supplier',
  } },
  { id: 'SIM', title: 'Security incident management', requirements: {
    'SIM-01': 'A policy for security incident management',
    'SIM-02': 'Security incidents are handled',
    'SIM-03': 'Incidents are documented and reported',
    'SIM-04': 'Users must report incidents to a central point',
    'SIM-05': 'Incidents are evaluated and lessons learned',
  } },
  { id: 'BCM', title: 'Business continuity and emergency management', requirements: {
    'BCM-01': 'Top management is responsible for continuity',
    'BCM-02': 'Rules for business impact analysis',
    'BCM-03': 'Business continuity is planned',
    'BCM-04': 'Continuity plans are checked, updated and tested',
  } },
  { id: 'COM', title: 'Compliance', requirements: {
    'COM-01': 'Applicable legal and contractual requirements are identified',
    'COM-02': 'A policy for planning and running audits',
    'COM-03': 'The ISMS is audited internally',
    'COM-04': 'Management is informed about security performance',
  } },
  { id: 'INQ', title: 'Dealing with investigation requests from authorities', requirements: {
    'INQ-01': 'Investigation requests are legally assessed',
    'INQ-02': 'Customers are told about investigation requests',
    'INQ-03': 'Conditions for giving data to investigators',
    'INQ-04': 'Disclosure to investigators is limited',
  } },
  { id: 'PSS', title: 'Product safety and security', requirements: {
    'PSS-01': 'Guidance and recommendations for customers',
    'PSS-02': 'Vulnerabilities of the cloud service are identified',
    'PSS-03': 'A public list of known vulnerabilities',
    'PSS-04': 'Error handling and logging in the service',
    'PSS-05': 'Authentication mechanisms offered to customers',
    'PSS-06': 'Sessions are managed securely',
    'PSS-07': 'Customer authentication secrets are kept confidential',
    'PSS-08': 'A roles and rights concept',
    'PSS-09': 'Authorisation mechanisms',
    'PSS-10': 'Software-defined networking is secured',
    'PSS-11': 'Images for virtual machines and containers are secured',
    'PSS-12': 'Customers can choose where their data is processed and stored',
  } },
];

export const c5 = Catalog.parse({
  id: 'c5',
  name: 'BSI C5',
  version: 'C5:2020',
  source: 'BSI Cloud Computing Compliance Criteria Catalogue C5:2020, basic criteria (IDs and areas only)',
  licence: "IDs and areas are facts; labels are evidentia's own words; the BSI criterion text is not reproduced",
  groups: areas.map(({ id, title }) => ({ id, title })),
  requirements: areas.flatMap((area) =>
    Object.entries(area.requirements).map(([id, label]) => ({ id, framework: 'c5', group: area.id, label })),
  ),
});
