/**
 * The registry of built-in connectors: registering one is one line here,
 * `<id>: () => import('<package>')` (plus its workspace dependency in
 * collector/package.json, which pnpm needs to link it). A connector loads
 * when a config names it, so a command never pays for the API clients
 * (the AWS SDK, Octokit, Google's client) of connectors it does not use.
 * A test checks these ids against the folders in connectors/ and each
 * definition's rules.
 */
import type { ConnectorDefinition } from '@evidentia/sdk';

const modules: Readonly<Record<string, () => Promise<{ default: unknown }>>> = {
  aws: () => import('@evidentia/connector-aws'),
  github: () => import('@evidentia/connector-github'),
  'google-workspace': () => import('@evidentia/connector-google-workspace'),
  jira: () => import('@evidentia/connector-jira'),
  slack: () => import('@evidentia/connector-slack'),
};

export const BUILT_IN_CONNECTOR_IDS: readonly string[] = Object.keys(modules);

/** The built-in connector `id`, or undefined when there is none by that id. */
export async function builtInConnector(id: string): Promise<ConnectorDefinition<unknown> | undefined> {
  const load = Object.hasOwn(modules, id) ? modules[id] : undefined;
  return load ? ((await load()).default as ConnectorDefinition<unknown>) : undefined;
}
