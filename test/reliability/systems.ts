/**
 * The simulated systems of the reliability suite: the 30-day benchmark's
 * five (bench/thirty-days/*.ts, the soak tests' simulators on 127.0.0.1) at
 * a small scale where every connector still pages (GitHub's merged-PR
 * search, AWS users and events, Google's users, Slack's members and
 * channels), so a repeated page has somewhere to land, and a
 * run takes about a second.
 */
import type { SimulatedSystem } from '../../bench/thirty-days/simulated-system.js';

export type { SimulatedSystem };
export const CONNECTORS = ['github', 'aws', 'jira', 'google-workspace', 'slack'] as const;
export type ConnectorName = (typeof CONNECTORS)[number];

/** The suite's scale of the 30-day systems (the bench's org is 1). */
export const RELIABILITY_SCALE = '0.1';

/**
 * Start one system over the data it holds at `start` (its first run's state: nothing changes afterwards,
 * so every run of a trial sees the same source). The 30-day modules read their scale when first imported.
 */
export async function startSystem(name: ConnectorName, start: Date): Promise<SimulatedSystem> {
  process.env.THIRTY_DAYS_SCALE ??= RELIABILITY_SCALE;
  const systems = {
    github: async () => (await import('../../bench/thirty-days/github.js')).githubSystem(start),
    aws: async () => (await import('../../bench/thirty-days/aws.js')).awsSystem(start),
    jira: async () => (await import('../../bench/thirty-days/jira.js')).jiraSystem(start),
    'google-workspace': async () => (await import('../../bench/thirty-days/google-workspace.js')).googleWorkspaceSystem(start),
    slack: async () => (await import('../../bench/thirty-days/slack.js')).slackSystem(start),
  };
  const system = await systems[name]();
  system.beforeRun(1, start);
  return system;
}

/** The system's config entry with its API address replaced by `url` (the fault proxy in front of it). */
export function throughProxy(system: SimulatedSystem, url: string): string {
  const address = /http:\/\/127\.0\.0\.1:\d+/.exec(system.yaml)?.[0];
  if (!address) throw new Error(`no 127.0.0.1 address in the ${system.instance} config entry`);
  return system.yaml.replaceAll(address, url);
}

/** The address of the system's simulator (what the proxy forwards to). */
export function addressOf(system: SimulatedSystem): string {
  return /http:\/\/127\.0\.0\.1:\d+/.exec(system.yaml)![0];
}
