/**
 * Which snapshots a piece of work rests on, for API clients that return only
 * parsed bodies and hide the response headers carrying the snapshot hash
 * (jira.js, @slack/web-api, the AWS SDK). The evidence fetch reports every
 * recorded snapshot hash to the scopes open in the current async context, so
 * requests a client makes deep inside its own code are still attributed
 * exactly, and concurrent scopes never mix.
 *
 * One AsyncLocalStorage for the process (an instance per stream run would
 * stay registered with Node for the life of a long-running daemon); each
 * scope names the evidence fetch that owns it, so a fetch only reports to
 * scopes opened through its own stream context.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** A value with the snapshot hashes of the responses it was built from. */
export interface WithSources<T> {
  value: T;
  /** Snapshot hashes in the order first recorded, without duplicates. */
  sources: string[];
}

interface Scope {
  owner: object;
  sources: Set<string>;
}

const openScopes = new AsyncLocalStorage<readonly Scope[]>();

/** The scopes of one evidence fetch: `record` is called by the fetch, `sourcesOf` by connectors. */
export interface SourcesScopes {
  /**
   * Run `work` and return, with its value, the snapshot hashes of every
   * response the owning fetch recorded while it ran (nested scopes each
   * receive them). A scope that sees no recorded response has no sources.
   */
  readonly sourcesOf: <T>(work: () => Promise<T>) => Promise<WithSources<T>>;
  /** Report a recorded snapshot hash to every scope of this fetch open in the current async context. */
  readonly record: (hash: string) => void;
}

/** The scopes for one evidence fetch. */
export function createSourcesScopes(): SourcesScopes {
  const owner = {};
  return {
    sourcesOf: async <T>(work: () => Promise<T>): Promise<WithSources<T>> => {
      const sources = new Set<string>();
      const value = await openScopes.run([...(openScopes.getStore() ?? []), { owner, sources }], work);
      return { value, sources: [...sources] };
    },
    record: (hash) => {
      for (const scope of openScopes.getStore() ?? []) {
        if (scope.owner === owner) scope.sources.add(hash);
      }
    },
  };
}
