/**
 * The registry of built-in connectors: registering one is one line here,
 * `<id>: await builtIn(import('<package>'))` (plus its workspace dependency
 * in collector/package.json, which pnpm needs to link it). A test checks
 * these ids against the folders in connectors/ and each definition's rules.
 */
import type { ConnectorDefinition } from '@evidentia/sdk';

async function builtIn(module: Promise<{ default: unknown }>): Promise<ConnectorDefinition<unknown>> {
  return (await module).default as ConnectorDefinition<unknown>;
}

export const builtInConnectors: Readonly<Record<string, ConnectorDefinition<unknown>>> = {
  aws: await builtIn(import('@evidentia/connector-aws')),
  github: await builtIn(import('@evidentia/connector-github')),
  'google-workspace': await builtIn(import('@evidentia/connector-google-workspace')),
  jira: await builtIn(import('@evidentia/connector-jira')),
  slack: await builtIn(import('@evidentia/connector-slack')),
};
