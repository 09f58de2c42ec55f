/**
 * The commands of `evidentia`, named here and loaded only when they run.
 * Starting the CLI should cost what the command needs: `--version` and
 * `--help` load no command module, and `status` does not load the AWS SDK,
 * exceljs or a browser driver that `collect` or `report` need. Each entry
 * carries what the list of commands in `--help` shows (name, whether it has
 * options, description), so the list needs no module; command-table.test.ts
 * holds these copies to what each module registers.
 */
import type { Command } from 'commander';
import type { Wrap } from './commands/wrap.js';

/** What a command module exports: adds its command (and subcommands) to the program. */
export type Register = (program: Command, wrap: Wrap) => void;

export interface CommandEntry {
  name: string;
  /** Whether the command has options of its own (`name [options]` in the list of commands). */
  options: boolean;
  description: string;
  load(): Promise<Register>;
}

export const COMMANDS: readonly CommandEntry[] = [
  { name: 'init', options: true, description: 'create an evidence locker (SQLite metadata, object store, public signing key; the private key is kept outside, see signing: in the config)', load: async () => (await import('./commands/init.js')).registerInit },
  { name: 'key', options: false, description: "the locker's signing key", load: async () => (await import('./commands/key.js')).registerKey },
  { name: 'collect', options: true, description: 'collect evidence from the configured connectors into the locker', load: async () => (await import('./commands/collect.js')).registerCollect },
  { name: 'runs', options: true, description: 'list collection runs and their status', load: async () => (await import('./commands/runs.js')).registerRuns },
  { name: 'records', options: true, description: 'list evidence records (state streams: the latest complete set, or the set as of --at)', load: async () => (await import('./commands/records.js')).registerRecords },
  { name: 'verify', options: true, description: 'verify the locker: blobs, records, manifests, chain and signatures, and the locker against its witnesses (exit 1 on any problem)', load: async () => (await import('./commands/verify.js')).registerVerify },
  { name: 'connectors', options: true, description: 'list the built-in connectors and the custom ones the config loads, with their streams', load: async () => (await import('./commands/connectors.js')).registerConnectors },
  { name: 'demo', options: true, description: 'collect from bundled fixtures on 127.0.0.1 into a locker, verify it and show the evidence', load: async () => (await import('./commands/demo.js')).registerDemo },
  { name: 'fixtures', options: false, description: 'record API fixtures for connector tests', load: async () => (await import('./commands/fixtures.js')).registerFixtures },
  { name: 'doctor', options: true, description: "check each connector's credentials and permissions (collects nothing)", load: async () => (await import('./commands/doctor.js')).registerDoctor },
  { name: 'check', options: true, description: 'evaluate the checks over the evidence of a period (exit 1 on any exception)', load: async () => (await import('./commands/check.js')).registerCheck },
  { name: 'report', options: true, description: 'write a self-contained HTML report of a period: exceptions, criteria, coverage, evidence, how to verify', load: async () => (await import('./commands/report.js')).registerReport },
  { name: 'export', options: false, description: 'export populations, an audit bundle or OSCAL documents for the auditor and GRC tools', load: async () => (await import('./commands/export.js')).registerExport },
  { name: 'sample', options: true, description: 'draw a reproducible random sample (same seed and population, same sample)', load: async () => (await import('./commands/sample.js')).registerSample },
  { name: 'daemon', options: true, description: 'collect on the configured schedules until stopped (SIGTERM/SIGINT); one daemon per locker', load: async () => (await import('./commands/daemon.js')).registerDaemon },
  { name: 'status', options: true, description: 'the daemon, the last and next run of each stream, open gaps and evidence requests of the last days; exit 1 on an open gap, an overdue request or a request that cannot be judged', load: async () => (await import('./commands/status.js')).registerStatus },
  { name: 'coverage', options: true, description: 'expected vs successful collections and every gap (with its cause), and evidence requests, in an audit period; exit 1 on an open gap, an overdue request or a request that cannot be judged', load: async () => (await import('./commands/coverage.js')).registerCoverage },
  { name: 'catalog', options: false, description: 'browse framework requirements and their mappings; import official requirement text', load: async () => (await import('./commands/catalog.js')).registerCatalog },
  { name: 'evidence', options: false, description: 'documents that answer evidence requests (policies, assessments, reviews)', load: async () => (await import('./commands/evidence.js')).registerEvidence },
  { name: 'readiness', options: true, description: 'gap analysis per requirement: what evidences it, its status (ready, exceptions, overdue, gaps, not assessed, no evidence path) and what is missing; exit 0 whenever it ran', load: async () => (await import('./commands/readiness.js')).registerReadiness },
  { name: 'exception', options: false, description: 'accepted exceptions: still exceptions, marked accepted until their last day', load: async () => (await import('./commands/exception.js')).registerException },
  { name: 'access-review', options: false, description: "user access reviews: a system's accounts decided by reviewers, signed in the locker", load: async () => (await import('./commands/access-review.js')).registerAccessReview },
  { name: 'serve', options: true, description: "serve the read-only portal (readiness, exceptions, runs) to the users in the config's portal: section, until stopped (SIGTERM/SIGINT)", load: async () => (await import('./commands/serve.js')).registerServe },
  { name: 'portal-log', options: true, description: "the portal's audit log: sign-ins, page views, downloads and verify starts, oldest first (signed and chained in the locker)", load: async () => (await import('./commands/portal-log.js')).registerPortalLog },
];
