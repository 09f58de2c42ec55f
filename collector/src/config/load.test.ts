import { describe, expect, it } from '@jest/globals';
import { createRequire } from 'node:module';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Secret } from '@evidentia/sdk';
import { auditTimezone, ConfigError } from '@evidentia/audit';
import { loadConfig, loadLockerLocation, loadWitnesses } from './load.js';

async function configFile(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'evidentia-config-'));
  const file = join(dir, 'evidentia.yaml');
  await writeFile(file, text);
  return file;
}

async function problemsOf(text: string, env: NodeJS.ProcessEnv = {}) {
  const file = await configFile(text);
  try {
    await loadConfig(file, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const configError = error as ConfigError;
    expect(configError.file).toBe(file);
    expect(configError.message).toContain(file);
    return configError.problems;
  }
  throw new Error('expected a configuration error');
}

const github = (extra = '') => `connectors:\n  github:\n    config:\n      org: acme-corp\n      token: \${env:GITHUB_TOKEN}\n${extra}`;

describe('loadConfig', () => {
  it('resolves secret references to Secret objects and the locker relative to the file', async () => {
    const file = await configFile(`locker: ./evidence\n${github()}`);
    const config = await loadConfig(file, { GITHUB_TOKEN: 'from-env' });
    expect(config.lockerDir).toBe(join(file, '..', 'evidence'));
    const instance = config.instances[0];
    expect(instance?.id).toBe('github');
    const token = (instance?.config as { token: Secret }).token;
    expect(token).toBeInstanceOf(Secret);
    expect(token.reveal()).toBe('from-env');
    expect(instance?.streams.map((s) => s.name)).toEqual(['members', 'branch_protection', 'pull_requests']);
  });

  it('reads frameworks and SOC 2 categories, always keeping soc2 and security', async () => {
    const file = await configFile('connectors: {}\nframeworks: [c5, iso27001]\nsoc2:\n  categories: [privacy, availability]\n');
    const config = await loadConfig(file, {});
    expect(config.frameworks).toEqual(['soc2', 'iso27001', 'c5']);
    expect(config.soc2?.categories).toEqual(['security', 'availability', 'privacy']);
    const defaults = await loadConfig(await configFile('connectors: {}\n'), {});
    expect(defaults.frameworks).toEqual(['soc2']);
    expect(defaults.soc2?.categories).toEqual(['security']);
    expect((await problemsOf('connectors: {}\nframeworks: [pci]\n'))[0]?.path).toBe('frameworks.0');
  });

  it('reads the audit time zone from timezone or its alias daemon.timezone, and refuses two different ones', async () => {
    const zoneOf = async (text: string) => auditTimezone(await loadConfig(await configFile(`connectors: {}\n${text}`), {}));
    expect(await zoneOf('')).toBe('UTC');
    expect(await zoneOf('timezone: Europe/Berlin\n')).toBe('Europe/Berlin');
    expect(await zoneOf('daemon:\n  timezone: Europe/Berlin\n')).toBe('Europe/Berlin');
    expect(await zoneOf('timezone: Europe/Berlin\ndaemon:\n  timezone: Europe/Berlin\n')).toBe('Europe/Berlin');
    expect(await problemsOf('connectors: {}\ntimezone: Europe/Berlin\ndaemon:\n  timezone: America/New_York\n')).toEqual([
      { path: 'timezone', line: 2, message: '"Europe/Berlin" differs from daemon.timezone "America/New_York" (an alias of timezone): give one of them' },
    ]);
    expect(await problemsOf('connectors: {}\ndaemon:\n  timezone: Europe/Atlantis\n')).toEqual([
      { path: 'daemon.timezone', line: 3, message: 'unknown time zone "Europe/Atlantis" (expected an IANA name such as UTC or Europe/Berlin)' },
    ]);
  });

  it('refuses a schedule the daemon cannot read, under the key and line where it was written', async () => {
    const problems = await problemsOf(github('    schedule: "0 25 * * *"\n    streams:\n      members:\n        schedule: "*/0 * * * *"\n'), { GITHUB_TOKEN: 'x' });
    expect(problems).toEqual([
      { path: 'connectors.github.streams.members.schedule', line: 9, message: 'minute field "*/0": the step in "*/0" must be a positive whole number (expected a cron expression such as "0 2 * * *")' },
      { path: 'connectors.github.schedule', line: 6, message: 'hour field "25": 25 is outside 0-23 (expected a cron expression such as "0 2 * * *")' },
    ]);
  });

  it('refuses a schedule that reads but never fires, rather than a daemon idle on it', async () => {
    const problems = await problemsOf(github('    schedule: "0 2 30 2 *"\n    streams:\n      members:\n        schedule: "0 2 31 4 *"\n'), { GITHUB_TOKEN: 'x' });
    const never = 'never fires: no date in the next 9 years matches its day-of-month, month and day-of-week fields together';
    expect(problems).toEqual([
      { path: 'connectors.github.streams.members.schedule', line: 9, message: never },
      { path: 'connectors.github.schedule', line: 6, message: never },
    ]);
  });

  it('refuses a request timeout or document size limit past what Node.js can wait for or read, rather than failing every request or file later', async () => {
    const problems = await problemsOf('collector:\n  requestTimeoutSeconds: 5000000\nconnectors: {}\ndocuments:\n  maxFileMegabytes: 100000\n');
    expect(problems).toEqual([
      { path: 'collector.requestTimeoutSeconds', line: 2, message: 'at most 2147483 seconds (about 24 days), the longest a timer waits' },
      { path: 'documents.maxFileMegabytes', line: 5, message: 'at most 2047: a document is read whole, and Node.js reads at most 2 GiB at once' },
    ]);
    const largest = await loadConfig(await configFile('collector:\n  requestTimeoutSeconds: 2147483\nconnectors: {}\ndocuments:\n  maxFileMegabytes: 2047\n'), {});
    expect([largest.requestTimeoutMs, largest.documents?.maxFileMegabytes]).toEqual([2_147_483_000, 2047]);
  });

  it("refuses a stream time limit that is not a positive number of seconds a timer can wait, naming its key; a connector's own overrides the collector's", async () => {
    const env = { GITHUB_TOKEN: 'from-env' };
    const problems = await problemsOf(github('    streamTimeoutSeconds: 0\n') + 'collector:\n  streamTimeoutSeconds: 5000000\n', env);
    expect(problems.map(({ path, message }) => ({ path, message }))).toEqual([
      { path: 'collector.streamTimeoutSeconds', message: 'at most 2147483 seconds (about 24 days), the longest a timer waits' },
      { path: 'connectors.github.streamTimeoutSeconds', message: expect.stringMatching(/>0/) },
    ]);
    expect((await problemsOf(github('    streamTimeoutSeconds: two hours\n'), env)).map(({ path }) => path)).toEqual(['connectors.github.streamTimeoutSeconds']);
    const limits = await loadConfig(await configFile(`${github('    streamTimeoutSeconds: 90\n')}  other:\n    type: github\n    config:\n      org: acme-labs\n      token: \${env:GITHUB_TOKEN}\n`), env);
    expect(limits.instances.map((instance) => [instance.id, instance.streamTimeoutMs])).toEqual([
      ['github', 90_000],
      ['other', 12 * 3_600_000],
    ]);
  });

  it('refuses a request due on a day the calendar does not have, rather than rolling it over or failing every ledger later', async () => {
    const request = (due: string) => `connectors: {}\nrequests:\n  items:\n    pen-test:\n      title: Pen test\n      criteria: [CC4.1]\n      owner: ciso\n      frequency: once\n      due: ${due}\n`;
    for (const due of ['2026-02-30', '2026-13-45', '2025-02-29']) {
      expect(await problemsOf(request(due))).toEqual([{ path: 'requests.items.pen-test.due', line: 9, message: 'expected a day such as 2026-03-31' }]);
    }
    expect((await loadConfig(await configFile(request('2028-02-29')), {})).requests?.[0]?.due).toBe('2028-02-29');
  });

  it('reads the locker location and key custody without needing the credentials', async () => {
    const file = await configFile(`locker: ./evidence\n${github()}`);
    expect(await loadLockerLocation(file, { EVIDENTIA_KEYS_DIR: '/srv/keys' })).toEqual({ dir: join(file, '..', 'evidence'), signing: { type: 'file', dir: '/srv/keys' } });
    expect((await loadLockerLocation(file, { XDG_CONFIG_HOME: '/home/x/.cfg' })).signing).toEqual({ type: 'file', dir: '/home/x/.cfg/evidentia/keys' });
    const relative = await configFile(`signing:\n  type: file\n  dir: ./keys\n${github()}`);
    expect((await loadLockerLocation(relative, {})).signing).toEqual({ type: 'file', dir: join(relative, '..', 'keys') });
    const kms = await configFile(`signing:\n  type: kms\n  keyId: alias/evidentia\n  region: eu-west-1\n${github()}`);
    expect((await loadLockerLocation(kms, {})).signing).toEqual({ type: 'kms', keyId: 'alias/evidentia', region: 'eu-west-1' });
  });

  it('refuses an empty locker path rather than making the config\'s own folder the locker', async () => {
    const file = await configFile(`locker: ""\n${github()}`);
    await expect(loadLockerLocation(file, {})).rejects.toThrow(/locker \(line 1\): expected a directory path/);
    expect(await problemsOf(`locker: ""\n${github()}`, { GITHUB_TOKEN: 'x' })).toEqual([{ path: 'locker', line: 1, message: 'expected a directory path, such as ./locker' }]);
  });

  it('names each unknown key by its own path and line, at the top level too', async () => {
    const problems = await problemsOf(`${github('    streams:\n      members:\n        shedule: "0 3 * * *"\n')}witness:\n  - type: file\nnotification: {}\n`, { GITHUB_TOKEN: 'x' });
    expect(problems).toEqual([
      { path: 'connectors.github.streams.members.shedule', line: 8, message: 'unknown setting "shedule"' },
      { path: 'witness', line: 10, message: 'unknown setting "witness"' },
      { path: 'notification', line: 11, message: 'unknown setting "notification"' },
    ]);
  });

  it('refuses a secret reference where a plain value belongs, the locker included, for every command alike', async () => {
    const refused = (reference: string) => `${reference} is a secret reference, which only a credential setting reads; write the value itself here`;
    const file = await configFile(`locker: \${env:LOCKER}\nsigning:\n  type: file\n  dir: \${env:KEYS}\n${github()}`);
    // init, runs and verify read only the locker's location: they made a folder literally named ${env:LOCKER}.
    const location = await loadLockerLocation(file, { LOCKER: '/srv/locker', KEYS: '/srv/keys' }).catch((caught: unknown) => caught);
    expect(location).toBeInstanceOf(ConfigError);
    expect((location as ConfigError).problems).toEqual([
      { path: 'locker', line: 1, message: refused('${env:LOCKER}') },
      { path: 'signing.dir', line: 4, message: refused('${env:KEYS}') },
    ]);
    expect(await problemsOf(`locker: \${env:LOCKER}\n${github()}`, { LOCKER: '/srv/locker', GITHUB_TOKEN: 'x' })).toEqual([{ path: 'locker', line: 1, message: refused('${env:LOCKER}') }]);
    const witnessed = await configFile('witnesses:\n  - type: file\n    path: ${env:WITNESS_LOG}\nconnectors: {}\n');
    const witnessError = await loadWitnesses(witnessed).catch((caught: unknown) => caught);
    expect((witnessError as ConfigError).problems).toEqual([{ path: 'witnesses.0.path', line: 3, message: refused('${env:WITNESS_LOG}') }]);
    const org = await problemsOf('connectors:\n  github:\n    config:\n      org: ${env:ORG}\n      token: ${env:GITHUB_TOKEN}\n', { ORG: 'acme', GITHUB_TOKEN: 'x' });
    expect(org).toEqual([{ path: 'connectors.github.config.org', line: 4, message: refused('${env:ORG}') }]);
  });

  it('names the line of a signing entry it cannot use', async () => {
    const file = await configFile(`signing:\n  type: kms\n  region: eu-west-1\n${github()}`);
    await expect(loadLockerLocation(file, {})).rejects.toThrow(/signing\.keyId.*line 2/s);
  });

  it("resolves only the portal's secret for serve (credentials 'portal'): connector tokens stay unread", async () => {
    const oidc = `portal:\n  oidc:\n    issuer: https://idp.example.com\n    clientId: portal\n    clientSecret: \${env:OIDC_SECRET}\n    redirectUrl: https://evidence.example.com/sign-in/oidc/callback\n    roles:\n      - group: security\n        role: team\n`;
    const file = await configFile(`${github()}${oidc}`);
    const config = await loadConfig(file, { OIDC_SECRET: 'from-the-env' }, { credentials: 'portal' });
    expect(config.portal?.oidc?.clientSecret?.reveal()).toBe('from-the-env');
    const token = (config.instances[0]!.config as { token: Secret }).token;
    expect(() => token.reveal()).toThrow(/was not resolved/);
    await expect(loadConfig(file, { GITHUB_TOKEN: 'x' }, { credentials: 'portal' })).rejects.toThrow(/portal\.oidc\.clientSecret.*OIDC_SECRET/s);
    // collect and a daemon without the portal need no portal secret: it is left unresolved, not refused.
    const collecting = await loadConfig(file, { GITHUB_TOKEN: 'x' });
    expect((collecting.instances[0]!.config as { token: Secret }).token.reveal()).toBe('x');
    expect(() => collecting.portal?.oidc?.clientSecret?.reveal()).toThrow(/was not resolved/);
  });

  it('names the path and line of an unset environment variable', async () => {
    const problems = await problemsOf(github());
    expect(problems).toEqual([{ path: 'connectors.github.config.token', message: expect.stringContaining('GITHUB_TOKEN'), line: 5 }]);
  });

  it('refuses an empty secret file, as it refuses an empty environment variable, naming path, line and file', async () => {
    const file = await configFile('connectors:\n  github:\n    config:\n      org: acme-corp\n      token: ${file:token.txt}\n');
    const token = join(file, '..', 'token.txt');
    for (const content of ['', '\n', '  \r\n']) {
      await writeFile(token, content);
      const error = await loadConfig(file, {}).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([{ path: 'connectors.github.config.token', line: 5, message: `secret file ${token} (referenced as \${file:token.txt}) is empty` }]);
    }
    const blank = await problemsOf(github(), { GITHUB_TOKEN: ' \n' });
    expect(blank).toEqual([{ path: 'connectors.github.config.token', line: 5, message: 'environment variable GITHUB_TOKEN (referenced as ${env:GITHUB_TOKEN}) is empty' }]);
    await writeFile(token, 'from-a-file\n');
    expect(((await loadConfig(file, {})).instances[0]!.config as { token: Secret }).token.reveal()).toBe('from-a-file');
  });

  it('refuses a literal token, wherever it is written', async () => {
    const fakeToken = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
    const problems = await problemsOf(`connectors:\n  github:\n    config:\n      org: acme-corp\n      token: plain-text\n      note: ${fakeToken}\n`);
    expect(problems.map((p) => p.path).sort()).toEqual(['connectors.github.config.note', 'connectors.github.config.token']);
    expect(problems.find((p) => p.path.endsWith('note'))?.message).toContain('GitHub token');
  });

  it('refuses a URL with a user name or password in any setting, naming the file, key and line but not the password', async () => {
    const file = await configFile(
      'connectors:\n  jira:\n    config:\n      host: https://svc:P4ss-w0rd@jira.internal\n      email: svc@acme.example\n      apiToken: ${env:JIRA_TOKEN}\n' +
        'notifications:\n  slack:\n    token: ${env:SLACK_TOKEN}\n    channel: C0123\n    apiUrl: https://relay@slack.internal/api\n',
    );
    const error = await loadConfig(file, { JIRA_TOKEN: 'x', SLACK_TOKEN: 'y' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    const refusal = 'this URL carries a user name or password; remove them and give the credential in its own setting as a secret reference such as ${env:NAME}';
    expect((error as ConfigError).problems).toEqual([
      { path: 'connectors.jira.config.host', line: 4, message: refusal },
      { path: 'notifications.slack.apiUrl', line: 11, message: refusal },
    ]);
    expect((error as ConfigError).message).toContain(`invalid configuration in ${file}`);
    expect((error as ConfigError).message).not.toContain('P4ss-w0rd');
  });

  it("reports the connector's own schema problems under its config path", async () => {
    const problems = await problemsOf(`connectors:\n  github:\n    config:\n      token: \${env:GITHUB_TOKEN}\n      orgg: typo\n`, { GITHUB_TOKEN: 'x' });
    const paths = problems.map((p) => p.path);
    expect(paths).toContain('connectors.github.config.org');
    expect(problems.some((p) => p.path.startsWith('connectors.github.config') && /orgg/.test(p.message))).toBe(true);
  });

  it('rejects unknown connector types, streams and criteria', async () => {
    const problems = await problemsOf(
      `${github('    streams:\n      members:\n        controls: [CC6.9]\n      issues: {}\n')}  gitlab:\n    config: {}\n`,
      { GITHUB_TOKEN: 'x' },
    );
    const byPath = Object.fromEntries(problems.map((p) => [p.path, p.message]));
    expect(byPath['connectors.gitlab.type']).toContain('unknown connector type "gitlab"');
    expect(byPath['connectors.github.streams.issues']).toContain('has no stream issues');
    expect(byPath['connectors.github.streams.members.controls']).toContain('CC6.9');
  });

  it('refuses a controls override that names no configured stream or kind, or a criterion the catalog lacks, under its own key', async () => {
    const overrides = [
      '  github/membres: [CC6.1]', // a typo of members
      '  gh/members: [CC6.1]', // no connector gh
      '  incident.record: [CC7.3]', // a kind, but github collects none
      '  acme.devices: [CC6.8]', // a custom kind no connector declares
    ];
    const problems = await problemsOf(`${github()}controls:\n${overrides.join('\n')}\n`, { GITHUB_TOKEN: 'x' });
    const byPath = Object.fromEntries(problems.map((p) => [p.path, p]));
    expect(Object.keys(byPath).sort()).toEqual(['controls.acme.devices', 'controls.gh/members', 'controls.github/membres', 'controls.incident.record']);
    expect(byPath['controls.github/membres']).toEqual({ path: 'controls.github/membres', line: 7, message: 'connector github has no stream membres; it has members, branch_protection, pull_requests' });
    expect(byPath['controls.gh/members']?.message).toBe('no connector gh in connectors (there are: github)');
    expect(byPath['controls.incident.record']?.message).toBe('no configured stream collects incident.record records (they collect access.account, change.config, change.request); this override would change nothing');
    expect(byPath['controls.acme.devices']?.line).toBe(10);
    // A key that is no kind at all says what a key must be, not zod's "Invalid key in record".
    const notAKind = await problemsOf(`${github()}controls:\n  change.requests: [CC8.1]\n`, { GITHUB_TOKEN: 'x' });
    expect(notAKind).toEqual([expect.objectContaining({ path: 'controls.change.requests', line: 7, message: expect.stringContaining('key must be <instance>/<stream> or a record kind') })]);
    // A criterion the catalog lacks is refused once, under the key that names it, even for a connector switched off.
    const unknown = await problemsOf(`${github('    enabled: false\n')}controls:\n  github/members: [CC6.9]\n  change.request: [CC8.9]\n`, { GITHUB_TOKEN: 'x' });
    expect(unknown.map((p) => [p.path, p.line])).toEqual([['controls.github/members', 8], ['controls.change.request', 9]]);
    expect(unknown[0]?.message).toContain('CC6.9');
    for (const key of ['change.request', 'github/pull_requests']) {
      const used = await problemsOf(`${github()}controls:\n  ${key}: [CC8.9]\n`, { GITHUB_TOKEN: 'x' });
      expect(used).toEqual([{ path: `controls.${key}`, line: 7, message: expect.stringContaining('CC8.9') }]);
    }
  });

  it('applies a controls override for a stream or a kind that is configured', async () => {
    const file = await configFile(`${github()}controls:\n  github/members: [CC6.1]\n  change.request: [CC8.1, CC7.1]\n`);
    const config = await loadConfig(file, { GITHUB_TOKEN: 'x' });
    const streams = Object.fromEntries(config.instances[0]!.streams.map((stream) => [stream.name, stream.controls]));
    expect(streams).toEqual({ members: ['CC6.1'], branch_protection: ['CC8.1'], pull_requests: ['CC7.1', 'CC8.1'] });
  });

  it('refuses a YAML alias bomb as a configuration error, not a bug', async () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const name of 'bcdefg') levels.push(`${name}: &${name} [${Array(9).fill(`*${levels.at(-1)![0]}`).join(', ')}]`);
    const file = await configFile(`${levels.join('\n')}\nconnectors: {}\n`);
    for (const load of [() => loadConfig(file, {}), () => loadLockerLocation(file, {})]) {
      const error = await load().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([{ path: '', message: 'YAML: Excessive alias count indicates a resource exhaustion attack' }]);
    }
  });

  it('merges a << key as YAML merge keys do, and refuses a tag it does not know, with its line', async () => {
    const shared = 'connectors:\n  github:\n    config: &github\n      org: acme-corp\n      token: ${env:GITHUB_TOKEN}\n      repositories: { exclude: [sandbox-*] }\n';
    const merged = await loadConfig(await configFile(`${shared}  github-labs:\n    type: github\n    config:\n      <<: *github\n      org: acme-labs\n`), { GITHUB_TOKEN: 'x' });
    expect(merged.instances.map((instance) => [instance.id, (instance.config as { org: string }).org, (instance.config as { repositories: unknown }).repositories])).toEqual([
      ['github', 'acme-corp', expect.objectContaining({ exclude: ['sandbox-*'] })],
      ['github-labs', 'acme-labs', expect.objectContaining({ exclude: ['sandbox-*'] })],
    ]);
    const tagged = await problemsOf(`${shared}notifications: !slack {}\n`, { GITHUB_TOKEN: 'x' });
    expect(tagged).toEqual([{ path: '', line: 7, message: 'YAML: Unresolved tag: !slack at line 7, column 16:' }]);
  });

  it('refuses one identifier listed for two people in people.aliases, which would judge them as one person', async () => {
    const problems = await problemsOf('connectors: {}\npeople:\n  aliases:\n    alice@acme.example: [al, alice-gh]\n    bob@acme.example: [bob-gh, AL]\n    carol@acme.example: [Bob@acme.example]\n');
    expect(problems).toEqual([
      { path: 'people.aliases.bob@acme.example.1', line: 5, message: '"AL" is also listed for alice@acme.example: an identifier names one person, and two people sharing one are judged as one' },
      { path: 'people.aliases.carol@acme.example.0', line: 6, message: '"Bob@acme.example" is also listed for bob@acme.example: an identifier names one person, and two people sharing one are judged as one' },
    ]);
    expect((await loadConfig(await configFile('connectors: {}\npeople:\n  aliases:\n    alice@acme.example: [al, AL, alice-gh]\n'), {})).people.aliases).toEqual({ 'alice@acme.example': ['al', 'AL', 'alice-gh'] });
  });

  it('refuses a revoke SLA past what a date can hold, rather than failing the access-review check with "Invalid time value"', async () => {
    expect(await problemsOf('connectors: {}\naccessReviews:\n  systems: [github:acme-corp]\n  revokeSlaDays: 1000000000\n')).toEqual([
      { path: 'accessReviews.revokeSlaDays', line: 4, message: 'at most 36500 days (a hundred years)' },
    ]);
    expect((await loadConfig(await configFile('connectors: {}\naccessReviews:\n  revokeSlaDays: 36500\n'), {})).accessReviews).toMatchObject({ revokeSlaDays: 36500 });
  });

  it('refuses a system listed twice under accessReviews.systems, which judged it twice', async () => {
    expect(await problemsOf('connectors: {}\naccessReviews:\n  systems: [github:acme-corp, aws:123456789012, github:acme-corp]\n')).toEqual([
      { path: 'accessReviews.systems.2', line: 3, message: 'github:acme-corp is listed twice: each system is reviewed once per window' },
    ]);
  });

  it('reports YAML syntax errors with their line', async () => {
    const problems = await problemsOf('connectors:\n  github:\n    config: [unclosed\n');
    expect(problems[0]?.message).toMatch(/^YAML:/);
    expect(problems[0]?.line).toBeGreaterThan(0);
  });

  it('loads a custom connector from a path relative to the config file', async () => {
    const example = join(process.cwd(), 'config/examples/hr-export');
    const file = await configFile(`connectors:\n  hr:\n    module: ${join(example, 'connector.ts')}\n    config:\n      exportFile: ${join(example, 'people.json')}\n`);
    const config = await loadConfig(file, {});
    expect(config.instances[0]?.definition.id).toBe('hr-export');
    const missing = await problemsOf(`connectors:\n  hr:\n    module: ./nowhere.ts\n`);
    expect(missing[0]).toMatchObject({ path: 'connectors.hr.module', message: expect.stringContaining('does not exist') });
  });

  it("names the connector and its config when a custom connector's own schema throws on the config instead of refusing it", async () => {
    const file = await configFile(`connectors:\n  hr:\n    module: ./hr.mjs\n    config:\n      url: not a url\n`);
    const zod = pathToFileURL(createRequire(import.meta.url).resolve('zod')).href;
    // A transform that reads the value without checking it first: zod lets what it throws through safeParse.
    await writeFile(
      join(dirname(file), 'hr.mjs'),
      `import { z } from ${JSON.stringify(zod)};
export default { id: 'hr', version: '1.0.0', title: 'HR', credentials: [], system: () => 'hr:x',
  configSchema: z.object({ url: z.string() }).transform((config) => ({ host: new URL(config.url).host })),
  streams: { staff: { type: 'state', kind: 'access.account', description: 'staff', controls: ['CC6.1'], async collect() {} } } };
`,
    );
    const refused = await loadConfig(file, {}).then(() => null, (error: unknown) => error);
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as ConfigError).problems).toEqual([expect.objectContaining({ path: 'connectors.hr.config', message: expect.stringContaining("connector hr's configSchema threw on this config: Invalid URL") })]);
  });
});
