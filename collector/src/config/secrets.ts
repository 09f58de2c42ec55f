/**
 * Secret references in the config: `${env:NAME}` and `${file:PATH}` become
 * `Secret` objects at load time. A literal credential in the file is refused,
 * where a key's name says it holds one, where the value looks like a known
 * token format, and where a URL carries a user name or password (in any
 * setting, a custom connector's too), so secrets never live in a config file
 * or a fixture.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { Secret } from '@evidentia/sdk';

const REFERENCE = /^\$\{(env|file):([^}]+)\}$/;
const SECRET_KEY = /(token|secret|password|passphrase|private_?key|api_?key|credential)s?$/i;
const TOKEN_FORMATS: Array<[string, RegExp]> = [
  ['a GitHub token', /\b(gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,})\b/],
  ['an AWS access key', /\b(AKIA|ASIA)[A-Z0-9]{16}\b/],
  ['a Slack token', /\bxox[abposr]-[A-Za-z0-9-]{10,}/],
  ['a Google API key', /\bAIza[0-9A-Za-z_-]{35}\b/],
  ['a private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
];

export interface SecretProblem {
  path: string;
  message: string;
}

/** Which secret references a command resolves; see ResolveContext.credentials. */
export type Credentials = boolean | 'notifications' | 'portal';

export interface ResolveContext {
  baseDir: string;
  env: NodeJS.ProcessEnv;
  /**
   * False for commands that only read the locker: references stay unresolved
   * (and unrevealable). 'notifications' for commands that only read the
   * locker but may notify (check): only the notifications: section's
   * references are resolved, and one that cannot be is left unresolved
   * rather than refused, so the command still runs (its notice is not sent,
   * and says why) where the notifier's token is not available. 'portal' for
   * `serve`: only the portal: section's references (the OIDC client secret)
   * are resolved, and one that cannot be is refused like any other. With
   * `true`, a portal: reference that cannot be resolved is left unresolved
   * rather than refused: `collect` or `daemon` without `--serve` do not need
   * it (the portal, when started, says it is missing).
   */
  credentials?: Credentials;
  readFile?: (path: string) => string;
}

/** Replace every reference in a parsed config tree by a Secret; collect problems instead of throwing. */
export function resolveSecrets(value: unknown, context: ResolveContext, problems: SecretProblem[], path: string[] = []): unknown {
  if (typeof value === 'string') return resolveString(value, context, problems, path);
  if (Array.isArray(value)) return value.map((item, index) => resolveSecrets(item, context, problems, [...path, String(index)]));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolveSecrets(item, context, problems, [...path, key])]));
  }
  return value;
}

/**
 * An empty or whitespace-only credential is never one: a client handed it
 * sends no credential (Octokit, for one, then asks anonymously and sees only
 * what is public), so it is refused like an unset one.
 */
function blank(value: string): boolean {
  return value.trim() === '';
}

/** Whether a value is a URL with user info (`https://user:password@host`), which clients quote whole in their errors. */
function hasUserInfo(value: string): boolean {
  const text = value.trim();
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return false;
  if (!URL.canParse(text)) return /^[a-z][a-z0-9+.-]*:\/\/[^\s]*@/i.test(text);
  const { username, password } = new URL(text);
  return username !== '' || password !== '';
}

function resolveString(value: string, context: ResolveContext, problems: SecretProblem[], path: string[]): unknown {
  const where = path.join('.');
  const match = REFERENCE.exec(value.trim());
  if (match) {
    if (context.credentials === false) return Secret.unresolved(value);
    if (context.credentials === 'portal' && path[0] !== 'portal') return Secret.unresolved(value);
    const optional = context.credentials === 'notifications' || ((context.credentials ?? true) === true && path[0] === 'portal');
    if (optional && path[0] !== 'notifications') return Secret.unresolved(value);
    const [, scheme, name] = match as unknown as [string, 'env' | 'file', string];
    if (scheme === 'env') {
      const found = context.env[name];
      if (found === undefined || blank(found)) {
        if (optional) return Secret.unresolved(value);
        problems.push({ path: where, message: `environment variable ${name} (referenced as ${value}) is ${found === undefined ? 'not set' : 'empty'}` });
        return undefined;
      }
      return new Secret(found, value);
    }
    const file = isAbsolute(name) ? name : resolve(context.baseDir, name);
    let found: string;
    try {
      found = (context.readFile ?? ((p) => readFileSync(p, 'utf8')))(file).replace(/\r?\n$/, '');
    } catch (error) {
      if (optional) return Secret.unresolved(value);
      problems.push({ path: where, message: `cannot read secret file ${file}: ${(error as Error).message}` });
      return undefined;
    }
    if (!blank(found)) return new Secret(found, value);
    if (optional) return Secret.unresolved(value);
    problems.push({ path: where, message: `secret file ${file} (referenced as ${value}) is empty` });
    return undefined;
  }
  if (value.includes('${')) {
    problems.push({ path: where, message: 'a secret reference must be the whole value, e.g. ${env:NAME}' });
    return value;
  }
  const format = TOKEN_FORMATS.find(([, pattern]) => pattern.test(value));
  if (format) {
    problems.push({ path: where, message: `this looks like ${format[0]} written into the file; use a reference such as \${env:NAME} instead` });
    return value;
  }
  if (hasUserInfo(value)) {
    problems.push({ path: where, message: 'this URL carries a user name or password; remove them and give the credential in its own setting as a secret reference such as ${env:NAME}' });
    return value;
  }
  const key = path[path.length - 1] ?? '';
  if (SECRET_KEY.test(key) && value !== '') {
    problems.push({ path: where, message: `"${key}" must be a secret reference such as \${env:NAME} or \${file:PATH}, not a literal value` });
  }
  return value;
}
