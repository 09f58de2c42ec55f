/**
 * Reads evidentia.yaml: the only place that touches the config file and the
 * environment. It parses YAML (keeping line numbers for messages), turns
 * secret references into Secret objects, validates the collector's settings
 * and every connector's own config with that connector's schema, and reports
 * every problem at once with file, path and line. Nothing runs until the whole
 * configuration is valid.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument, isMap, isNode, isSeq, type Document, type YAMLMap, type YAMLSeq } from 'yaml';
import type { z } from 'zod';
import { resolveControls, CatalogError, Category, FRAMEWORK_IDS, type FrameworkId } from '@evidentia/catalog';
import { describeError, Secret, secretValuesIn, type ConnectorDefinition, type StreamDefinition } from '@evidentia/sdk';
import { TimeZone } from '@evidentia/time';
import type { EvidenceRequest } from '@evidentia/audit';
import { ConfigError, resolveRequests } from '@evidentia/audit/settings';
import { loadConnector } from '../registry.js';
import { allowTypeScriptChecks } from '../typescript-modules.js';
import { controlOverrideProblems } from './control-overrides.js';
import { ConfigFile, type ConfigFile as ConfigFileSettings } from './schema.js';
import { rememberSecrets } from './known-secrets.js';
import { type Credentials, resolveSecrets, type SecretProblem } from './secrets.js';
import { signingSettings, type SigningSettings } from './signing.js';
import { resolveWitnesses, type WitnessEntry } from './witnesses.js';

export interface ConfiguredStream {
  name: string;
  definition: StreamDefinition<unknown>;
  /** Criteria after config overrides. */
  controls: string[];
  /** Cron expression the daemon collects it on. */
  schedule: string;
  /** State streams: hours without a successful snapshot before coverage shows a gap. */
  maxStalenessHours: number;
}

/** Daily at 02:00 for inventories, hourly for histories. */
export const DEFAULT_SCHEDULES = { state: '0 2 * * *', event: '0 * * * *' } as const;
/** A daily inventory may be late by a few hours before it counts as a gap. */
export const DEFAULT_MAX_STALENESS_HOURS = 36;

export interface ConnectorInstance {
  /** The entry's name in the config, e.g. `github`. */
  id: string;
  definition: ConnectorDefinition<unknown>;
  config: unknown;
  streams: ConfiguredStream[];
  requestBudget: number;
  /** Longest one of its streams may run (absent, in a config built in code: the SDK's default, 12 hours). */
  streamTimeoutMs?: number;
  /** Longest its doctor checks may run (absent, in a config built in code: the SDK's default, 5 minutes). */
  doctorTimeoutMs?: number;
  /** Custom connectors: the module as the config names it (a path relative to the config file, or a package). */
  module?: string;
}

export interface LoadedConfig {
  file: string;
  lockerDir: string;
  /** Where the locker's private signing key is kept. Absent (a config built in code): the default key directory. */
  signing?: SigningSettings;
  requestTimeoutMs: number;
  instances: ConnectorInstance[];
  /** The audit time zone (IANA name); read it through auditTimezone(). Absent (a config built in code) means UTC. */
  timezone?: string;
  daemon: Pick<ConfigFileSettings['daemon'], 'health'>;
  notifications: ConfigFileSettings['notifications'];
  /** Where checkpoints are published; paths resolved against the config file. Absent (a config built in code) means none. */
  witnesses?: WitnessEntry[];
  /** Settings per check id, validated by each check. */
  checks: ConfigFileSettings['checks'];
  people: ConfigFileSettings['people'];
  /** Frameworks in scope, in catalog order; always includes soc2. Absent (a config built in code) means soc2 only. */
  frameworks?: FrameworkId[];
  /** SOC 2 categories in scope; always includes security. Absent means security only. */
  soc2?: { categories: Category[] };
  /** Evidence requests in effect. Absent (a config built in code) means none. */
  requests?: EvidenceRequest[];
  /** Systems under user access review (the access-review-performed check's settings). Absent: none. */
  accessReviews?: ConfigFileSettings['accessReviews'];
  /** How `evidence add` stores documents. Absent (a config built in code): the defaults. */
  documents?: ConfigFileSettings['documents'];
  /** Who approves accepted exceptions. Absent (a config built in code): none, so `--approver` is needed. */
  exceptions?: ConfigFileSettings['exceptions'];
  /** Who may sign in to `evidentia serve` and the periods auditors see. Absent (a config built in code): no users. */
  portal?: ConfigFileSettings['portal'];
}

type Problem = { path: string; message: string };

/** What a reference written where a plain value belongs is told (zod would say "expected string, received Secret"). */
const misplacedReference = (secret: Secret) => `${secret.reference} is a secret reference, which only a credential setting reads; write the value itself here`;

/** The value at `path` inside `input` (what the schema was given), if any. */
function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let value = input;
  for (const key of path) value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

/** The problems of a schema's error under `prefix`; `input` is what the schema was given. */
function zodProblems(error: z.ZodError, prefix: string[], input?: unknown): Problem[] {
  return error.issues.flatMap((issue) => {
    const at = [...prefix, ...issue.path.map(String)];
    // Each unknown key at its own path, so the message gives its line (a top-level typo had none).
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ path: [...at, key].join('.'), message: `unknown setting "${key}"` }));
    // A key a record refuses: what the key's own schema said, not zod's bare "Invalid key in record".
    if (issue.code === 'invalid_key') return [{ path: at.join('.'), message: issue.issues.map((inner) => inner.message).join('; ') || issue.message }];
    const value = issue.code === 'invalid_type' ? valueAt(input, issue.path) : undefined;
    return [{ path: at.join('.'), message: value instanceof Secret ? misplacedReference(value) : issue.message }];
  });
}

/**
 * The line of the deepest node `path` reaches. A key may hold dots itself
 * (people.aliases.ada@acme.example.0), so each step takes the longest run
 * of segments that names a key of the node it is in.
 */
function lineOf(document: Document, lines: LineCounter, path: string): number | undefined {
  const segments = path.split('.').filter(Boolean);
  let node: unknown = document.contents;
  let line: number | undefined;
  for (let at = 0; at < segments.length && (isMap(node) || isSeq(node)); ) {
    const collection: YAMLMap | YAMLSeq = node;
    let end = segments.length;
    while (end > at && !collection.has(segments.slice(at, end).join('.'))) end--;
    if (end === at) break;
    node = collection.get(segments.slice(at, end).join('.'), true);
    if (isNode(node) && node.range) line = lines.linePos(node.range[0]).line;
    at = end;
  }
  return line;
}

/**
 * Read and parse the YAML (merge keys, `<<: *anchor`, merged as YAML tools
 * do, rather than kept as a key named "<<"), or throw ConfigError with the
 * line of each syntax error or warning (a tag it does not know). `value` is
 * the document as plain data; building it refuses an alias bomb.
 */
async function readDocument(file: string): Promise<{ path: string; document: Document; lines: LineCounter; value: unknown }> {
  const path = resolve(file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(path, [{ path: '', message: `cannot read the file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` }]);
  }
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: true, merge: true });
  const problems = [...document.errors, ...document.warnings];
  if (problems.length > 0) {
    throw new ConfigError(
      path,
      problems.map((error) => ({ path: '', message: `YAML: ${error.message.split('\n')[0]}`, line: error.linePos?.[0]?.line })),
    );
  }
  let value: unknown;
  try {
    value = document.toJS();
  } catch (error) {
    // The yaml package refuses aliases that would expand without bound (a ReferenceError, not a document error).
    throw new ConfigError(path, [{ path: '', message: `YAML: ${(error as Error).message}` }]);
  }
  return { path, document, lines, value };
}

/**
 * Only the locker directory and key custody a config names, for commands
 * that need no credentials (init, runs, records, verify): secret references
 * are not resolved and connectors are not loaded.
 */
export async function loadLockerLocation(file: string, env: NodeJS.ProcessEnv = process.env): Promise<{ dir: string; signing: SigningSettings }> {
  const { path, document, lines, value } = await readDocument(file);
  const { locker: lockerText, signing: signingEntry } = (value as { locker?: unknown; signing?: unknown } | null) ?? {};
  // References unresolved, as loadConfig would read them without credentials: one here is refused, not taken as a folder name.
  const raw = resolveSecrets({ locker: lockerText, signing: signingEntry }, { baseDir: dirname(path), env, credentials: false }, []) as { locker?: unknown; signing?: unknown };
  const problems: Problem[] = [];
  const locker = ConfigFile.shape.locker.safeParse(raw.locker);
  if (!locker.success) problems.push({ path: 'locker', message: raw.locker instanceof Secret ? misplacedReference(raw.locker) : 'expected a directory path' });
  const signing = ConfigFile.shape.signing.safeParse(raw.signing);
  if (!signing.success) problems.push(...zodProblems(signing.error, ['signing'], raw.signing));
  if (!locker.success || !signing.success) throw new ConfigError(path, problems.map((p) => ({ ...p, line: lineOf(document, lines, p.path) })));
  return { dir: resolve(dirname(path), locker.data), signing: signingSettings(signing.data, dirname(path), env) };
}

/**
 * Only the witnesses a config names, for `verify`: like the locker directory,
 * they need no credentials and no connector, so a config that is only
 * `locker:` and `witnesses:` is enough. Slack witnesses are write-only and
 * come back as such.
 */
export async function loadWitnesses(file: string): Promise<WitnessEntry[]> {
  const { path, document, lines, value } = await readDocument(file);
  // Unresolved like the locker's location: a reference is refused, not taken as a file name.
  const witnesses = resolveSecrets((value as { witnesses?: unknown } | null)?.witnesses, { baseDir: dirname(path), env: {}, credentials: false }, []);
  const parsed = ConfigFile.shape.witnesses.safeParse(witnesses);
  if (!parsed.success) throw new ConfigError(path, zodProblems(parsed.error, ['witnesses'], witnesses).map((p) => ({ ...p, line: lineOf(document, lines, p.path) })));
  return resolveWitnesses({ witnesses: parsed.data, notifications: {} }, dirname(path), []);
}

/** The top-level `timezone`, or its alias `daemon.timezone`; both given and different is a problem naming both. */
function timezoneOf(settings: ConfigFileSettings, problems: Problem[]): string {
  const [top, alias] = [settings.timezone, settings.daemon.timezone];
  if (top !== undefined && alias !== undefined && top !== alias) {
    problems.push({ path: 'timezone', message: `"${top}" differs from daemon.timezone "${alias}" (an alias of timezone): give one of them` });
  }
  const name = top ?? alias ?? 'UTC';
  try {
    TimeZone.of(name);
  } catch (error) {
    problems.push({ path: top !== undefined ? 'timezone' : 'daemon.timezone', message: (error as Error).message });
  }
  return name;
}

/**
 * Load and validate a config file. Throws ConfigError listing every problem.
 * With `credentials: false` (commands that only read the locker) secret
 * references are checked for form but not resolved.
 */
export async function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env, options: { credentials?: Credentials } = {}): Promise<LoadedConfig> {
  const { path, document, lines, value } = await readDocument(file);
  const problems: Problem[] = [];
  const located = () => problems.map((p) => ({ ...p, line: lineOf(document, lines, p.path) }));
  const baseDir = dirname(path);
  const secretProblems: SecretProblem[] = [];
  const raw = resolveSecrets(value ?? {}, { baseDir, env, credentials: options.credentials }, secretProblems);
  // Before anything can fail on them: a connector schema or module that echoes a value is scrubbed too.
  rememberSecrets(secretValuesIn(raw));
  problems.push(...secretProblems);
  const parsed = ConfigFile.safeParse(raw);
  if (!parsed.success) problems.push(...zodProblems(parsed.error, [], raw));
  if (!parsed.success || problems.length > 0) throw new ConfigError(path, located());

  const settings = parsed.data;
  await allowTypeScriptChecks(settings.checks, baseDir);
  const timezone = timezoneOf(settings, problems);
  const instances: ConnectorInstance[] = [];
  // Every connector listed, switched off or not, for what the controls overrides may name.
  const listed = new Map<string, ConnectorDefinition<unknown> | null>();
  for (const [id, entry] of Object.entries(settings.connectors)) {
    const at = ['connectors', id];
    if (!entry.enabled) {
      // A built-in one is known without loading anything of the user's; a custom one switched off is not loaded.
      listed.set(id, entry.module ? null : await loadConnector(entry.type ?? id, { baseDir, custom: false }).catch(() => null));
      continue;
    }
    let definition: ConnectorDefinition<unknown>;
    try {
      definition = await loadConnector(entry.module ?? entry.type ?? id, { baseDir, custom: entry.module !== undefined });
    } catch (error) {
      listed.set(id, null);
      problems.push({ path: [...at, entry.module ? 'module' : 'type'].join('.'), message: (error as Error).message });
      continue;
    }
    listed.set(id, definition);
    let config: ReturnType<typeof definition.configSchema.safeParse>;
    try {
      config = definition.configSchema.safeParse(entry.config);
    } catch (error) {
      // A custom connector's schema that throws (a transform reading a value it never checked) refuses the config, naming it.
      problems.push({ path: [...at, 'config'].join('.'), message: `connector ${definition.id}'s configSchema threw on this config: ${describeError(error)}` });
      continue;
    }
    if (!config.success) problems.push(...zodProblems(config.error, [...at, 'config'], entry.config));
    for (const name of Object.keys(entry.streams)) {
      if (!Object.hasOwn(definition.streams, name)) {
        problems.push({ path: [...at, 'streams', name].join('.'), message: `connector ${definition.id} has no stream ${name}; it has ${Object.keys(definition.streams).join(', ')}` });
      }
    }
    const streams: ConfiguredStream[] = [];
    for (const [name, stream] of Object.entries(definition.streams)) {
      const streamSettings = entry.streams[name];
      if (streamSettings?.enabled === false) continue;
      const overrides = { ...settings.controls, ...(streamSettings?.controls ? { [`${id}/${name}`]: streamSettings.controls } : {}) };
      try {
        streams.push({
          name,
          definition: stream,
          controls: resolveControls(stream.kind, stream.controls, overrides, `${id}/${name}`),
          schedule: streamSettings?.schedule ?? entry.schedule ?? DEFAULT_SCHEDULES[stream.type],
          maxStalenessHours: streamSettings?.maxStalenessHours ?? DEFAULT_MAX_STALENESS_HOURS,
        });
      } catch (error) {
        if (!(error instanceof CatalogError)) throw error;
        // A top-level override's criteria are reported once, under its own key, by controlOverrideProblems.
        const topLevel = [`${id}/${name}`, stream.kind].some((key) => Object.hasOwn(settings.controls, key));
        if (streamSettings?.controls) problems.push({ path: [...at, 'streams', name, 'controls'].join('.'), message: error.message });
        else if (!topLevel) problems.push({ path: [...at, 'streams', name].join('.'), message: error.message });
      }
    }
    if (config.success) {
      instances.push({ id, definition, config: config.data, streams, requestBudget: entry.requestBudget ?? settings.collector.requestBudget, streamTimeoutMs: (entry.streamTimeoutSeconds ?? settings.collector.streamTimeoutSeconds) * 1000, doctorTimeoutMs: (entry.doctorTimeoutSeconds ?? settings.collector.doctorTimeoutSeconds) * 1000, ...(entry.module ? { module: entry.module } : {}) });
    }
  }
  problems.push(...controlOverrideProblems(settings.controls, listed));
  const witnesses = resolveWitnesses(settings, baseDir, problems);
  const requests = resolveRequests(settings.requests, problems);
  if (problems.length > 0) throw new ConfigError(path, located());
  return {
    file: path,
    lockerDir: resolve(baseDir, settings.locker),
    signing: signingSettings(settings.signing, baseDir, env),
    requestTimeoutMs: settings.collector.requestTimeoutSeconds * 1000,
    instances,
    timezone,
    daemon: { health: settings.daemon.health },
    notifications: settings.notifications,
    witnesses,
    checks: settings.checks,
    people: settings.people,
    frameworks: FRAMEWORK_IDS.filter((id) => id === 'soc2' || settings.frameworks.includes(id)),
    soc2: { categories: Category.options.filter((category) => category === 'security' || settings.soc2.categories.includes(category)) },
    requests,
    documents: settings.documents,
    exceptions: settings.exceptions,
    accessReviews: settings.accessReviews,
    portal: settings.portal,
  };
}
