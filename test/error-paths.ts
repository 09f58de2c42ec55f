/**
 * The error paths error-paths.e2e.test.ts walks: for every command of
 * `evidentia --help`, the ways a user gets its input wrong, each with the
 * exit code it must give (2 usage or input, 1 the work failed).
 */
import { join } from 'node:path';
import { DEMO_PERIOD } from './cli.js';

export interface Paths {
  /** A locker filled by the demo. */
  locker: string;
  /** A directory holding a locker.db of random bytes and an unreadable public key. */
  garbageLocker: string;
  dir: string;
  file: string;
  missing: string;
  garbageYaml: string;
  /** YAML, but not a valid configuration. */
  wrongYaml: string;
  /** A valid configuration whose locker is a plain file. */
  okYaml: string;
  /** Random bytes. */
  garbage: string;
  brokenJsonl: string;
}

export interface ErrorPathCase {
  args: string[];
  code: 1 | 2;
  /** Lines allowed on stderr (a configuration error lists each problem on its own line). */
  lines?: number;
}

const NO_RUNS = '2020-01-01..2020-01-31';

export function errorPathCases(p: Paths): ErrorPathCase[] {
  const usage = (...args: string[]): ErrorPathCase => ({ args, code: 2 });
  const config = (...args: string[]): ErrorPathCase => ({ args, code: 2, lines: 4 });
  const lockers = (command: string[]): ErrorPathCase[] => [
    usage(...command, '--locker', p.missing),
    usage(...command, '--locker', p.file),
    usage(...command, '--locker', p.garbageLocker),
    config(...command, '--config', p.missing),
    config(...command, '--config', p.dir),
    config(...command, '--config', p.garbageYaml),
  ];
  const missingDir = (name: string) => join(p.missing, name);
  return [
    usage('--bogus'),
    usage('no-such-command'),
    usage('init', '--locker', p.file),
    usage('init', '--locker', p.garbageLocker),
    config('init', '--config', p.garbageYaml),
    usage('collect'),
    config('collect', '--config', p.missing),
    config('collect', '--config', p.garbageYaml),
    config('collect', '--config', p.wrongYaml),
    usage('collect', '--config', p.okYaml),
    usage('collect', '--config', p.okYaml, '--locker', p.garbageLocker),
    usage('collect', '--config', p.okYaml, '--since', 'yesterday-ish'),
    usage('collect', '--config', p.okYaml, '--connector', 'nosuch'),
    ...lockers(['runs']),
    usage('runs', '--bogus'),
    ...lockers(['records']),
    usage('records', '--locker', p.locker, '--at', 'not-a-time'),
    usage('records', '--locker', p.locker, '--limit', '-1'),
    usage('records', '--locker', p.locker, '--control', 'NOPE.99'),
    ...lockers(['verify']),
    usage('verify', '--bundle', p.missing),
    usage('verify', '--bundle', p.dir),
    usage('verify', '--bundle', p.garbage),
    usage('verify', '--locker', p.locker, '--public-key', p.missing),
    usage('verify', '--locker', p.locker, '--public-key', p.dir),
    usage('verify', '--locker', p.locker, '--public-key', p.garbage),
    usage('connectors', '--bogus'),
    config('connectors', '--config', p.garbageYaml),
    usage('connectors', 'new'),
    usage('connectors', 'new', 'Bad_Name', '--dir', join(p.missing, 'x')),
    usage('connectors', 'new', 'github', '--dir', join(p.missing, 'x')),
    usage('connectors', 'new', 'acme-hr', '--dir', p.locker),
    usage('connectors', 'new', 'acme-hr', '--dir', p.file),
    usage('connectors', 'try'),
    config('connectors', 'try', '--config', p.missing, '--connector', 'github', '--stream', 'members'),
    usage('connectors', 'try', '--config', p.okYaml, '--connector', 'nosuch', '--stream', 'members'),
    usage('connectors', 'try', '--config', p.okYaml, '--connector', 'github', '--stream', 'nosuch'),
    usage('connectors', 'try', '--config', p.okYaml, '--connector', 'github', '--stream', 'members', '--limit', '0'),
    usage('connectors', 'try', '--config', p.okYaml, '--connector', 'github', '--stream', 'members', '--cassette', p.missing),
    usage('connectors', 'try', '--config', p.okYaml, '--connector', 'github', '--stream', 'members', '--cassette', p.garbage),
    usage('demo', '--locker', p.file),
    usage('fixtures', 'record'),
    config('fixtures', 'record', '--config', p.missing, '--connector', 'github', '--stream', 'members', '--out', join(p.dir, 'c.json')),
    usage('fixtures', 'record', '--config', p.okYaml, '--connector', 'nosuch', '--stream', 'members', '--out', join(p.dir, 'c.json')),
    config('doctor', '--config', p.missing),
    config('doctor', '--config', p.garbageYaml),
    usage('doctor', '--config', p.okYaml, '--connector', 'nosuch'),
    ...lockers(['check', '--period', DEMO_PERIOD]),
    usage('check', '--locker', p.locker, '--period', 'last-quarter'),
    usage('check', '--locker', p.locker, '--period', '2026-06-30..2026-01-01'),
    usage('check', '--locker', p.locker, '--period', DEMO_PERIOD, '--check', 'nosuch'),
    usage('check', '--locker', p.locker, '--period', DEMO_PERIOD, '--control', 'NOPE.99'),
    ...lockers(['report', '--period', DEMO_PERIOD, '--out', join(p.dir, 'r.html')]),
    usage('report', '--locker', p.locker, '--period', 'last-quarter', '--out', join(p.dir, 'r.html')),
    usage('report', '--locker', p.locker, '--period', DEMO_PERIOD, '--out', missingDir('r.html')),
    usage('report', '--locker', p.locker, '--period', DEMO_PERIOD, '--out', p.dir),
    usage('export', 'population', '--locker', p.locker, '--period', DEMO_PERIOD, '--out', join(p.dir, 'p.csv')),
    usage('export', 'population', '--locker', p.locker, '--period', DEMO_PERIOD, '--control', 'CC6.1', '--out', join(p.dir, 'p.pdf')),
    usage('export', 'population', '--locker', p.locker, '--period', DEMO_PERIOD, '--control', 'CC6.1', '--out', missingDir('p.csv')),
    usage('export', 'population', '--locker', p.garbageLocker, '--period', DEMO_PERIOD, '--control', 'CC6.1', '--out', join(p.dir, 'p.csv')),
    usage('export', 'population', '--locker', p.locker, '--period', DEMO_PERIOD, '--control', 'cc6.1', '--out', join(p.dir, 'p.csv')),
    usage('export', 'population', '--locker', p.locker, '--period', DEMO_PERIOD, '--control', 'A.8.32', '--out', join(p.dir, 'p.csv')),
    usage('export', 'population', '--locker', p.locker, '--period', DEMO_PERIOD, '--kind', 'change.requests', '--out', join(p.dir, 'p.csv')),
    usage('export', 'population', '--locker', p.locker, '--period', DEMO_PERIOD, '--kind', 'change.request', '--format', 'csv', '--out', join(p.dir, 'p.jsonl')),
    ...lockers(['export', 'bundle', '--period', DEMO_PERIOD, '--out', join(p.dir, 'b.zip')]),
    usage('export', 'bundle', '--locker', p.locker, '--period', NO_RUNS, '--out', join(p.dir, 'b.zip')),
    usage('export', 'bundle', '--locker', p.locker, '--period', DEMO_PERIOD, '--out', missingDir('b.zip')),
    usage('export', 'bundle', '--locker', p.locker, '--period', DEMO_PERIOD, '--out', p.dir),
    usage('export', 'oscal-catalog', '--framework', 'nope', '--out', join(p.dir, 'c.json')),
    usage('export', 'oscal-catalog', '--framework', 'soc2', '--out', missingDir('c.json')),
    usage('export', 'oscal-catalog', '--framework', 'soc2', '--out', join(p.dir, 'c.json'), '--validate-with', p.missing),
    usage('export', 'oscal-catalog', '--framework', 'soc2', '--out', join(p.dir, 'c.json'), '--validate-with', p.garbage),
    usage('export', 'oscal-catalog', '--framework', 'soc2', '--out', join(p.dir, 'c.json'), '--with-official-text', '--locker', p.garbageLocker),
    usage('export', 'oscal-results', '--locker', p.locker, '--period', 'last-quarter', '--out', join(p.dir, 'o.json')),
    usage('export', 'oscal-results', '--locker', p.locker, '--period', DEMO_PERIOD, '--framework', 'nope', '--out', join(p.dir, 'o.json')),
    usage('export', 'oscal-results', '--locker', p.garbageLocker, '--period', DEMO_PERIOD, '--out', join(p.dir, 'o.json')),
    usage('export', 'oscal-results', '--locker', p.locker, '--period', DEMO_PERIOD, '--out', missingDir('o.json')),
    usage('sample', '--population', p.missing, '--size', '1'),
    usage('sample', '--population', p.dir, '--size', '1'),
    usage('sample', '--population', `${p.garbage}`, '--size', '1'),
    usage('sample', '--population', p.brokenJsonl, '--size', '1'),
    usage('sample', '--population', p.brokenJsonl, '--size', '0'),
    usage('sample', '--control', 'CC6.1', '--size', '1', '--locker', p.locker),
    usage('sample', '--control', 'CC6.1', '--period', DEMO_PERIOD, '--size', '1', '--locker', p.garbageLocker),
    usage('sample', '--control', 'CC99.1', '--period', DEMO_PERIOD, '--size', '1', '--locker', p.locker),
    usage('sample', '--kind', 'device', '--period', DEMO_PERIOD, '--size', '1', '--locker', p.locker),
    config('daemon', '--config', p.missing),
    config('daemon', '--config', p.garbageYaml),
    usage('daemon', '--config', p.okYaml, '--log-level', 'loud'),
    usage('daemon', '--config', p.okYaml, '--serve', 'everywhere'),
    ...lockers(['status']),
    usage('status', '--locker', p.locker, '--days', 'x'),
    ...lockers(['coverage', '--period', DEMO_PERIOD]),
    usage('coverage', '--locker', p.locker, '--period', 'last-quarter'),
    ...lockers(['readiness', '--period', DEMO_PERIOD]),
    ...lockers(['serve', '--listen', '127.0.0.1:0']),
    usage('serve', '--config', p.okYaml, '--listen', '127.0.0.1:0'),
    usage('readiness', '--locker', p.locker, '--period', 'last-quarter'),
    usage('readiness', '--locker', p.locker, '--framework', 'nope'),
    usage('catalog', 'list', '--framework', 'nope'),
    usage('catalog', 'show', 'NOPE.99'),
    usage('catalog', 'import-text', p.missing, '--framework', 'soc2', '--locker', p.locker),
    usage('catalog', 'import-text', p.garbage, '--framework', 'soc2', '--locker', p.locker),
    usage('catalog', 'import-text', p.brokenJsonl, '--framework', 'nope', '--locker', p.locker),
    usage('catalog', 'import-text', p.dir, '--framework', 'soc2', '--locker', p.garbageLocker),
    ...lockers(['evidence', 'list']),
    ...lockers(['evidence', 'show', '1']),
    usage('evidence', 'show', '99', '--locker', p.locker),
    usage('evidence', 'add', p.file),
    config('evidence', 'add', '--request', 'risk-assessment', p.file, '--config', p.missing),
    usage('evidence', 'add', '--request', 'nosuch', p.file, '--config', p.okYaml),
    ...lockers(['exception', 'list']),
    usage('exception', 'revoke', 'x', '--reason', 'r', '--approver', 'a', '--locker', p.locker),
    usage('exception', 'accept', 'nosuch', 'item', '--reason', 'r', '--until', '2099-01-01', '--approver', 'a', '--locker', p.locker),
    config('exception', 'accept', 'mfa-enabled', 'item', '--config', p.missing),
    ...lockers(['access-review', 'status']),
    usage('access-review', 'start'),
    usage('access-review', 'start', '--system', 'github:acme', '--config', p.okYaml),
    config('access-review', 'start', '--system', 'github:acme', '--config', p.missing),
    usage('access-review', 'start', '--system', 'github:acme', '--out', 'review.txt', '--locker', p.locker),
    usage('access-review', 'import', p.missing, '--locker', p.locker),
    usage('access-review', 'import', p.garbage, '--locker', p.locker),
    usage('access-review', 'import', p.dir, '--locker', p.locker),
    ...lockers(['key', 'rotate']),
    usage('key', 'nosuch'),
    usage('key', 'rotate', '--bogus'),
  ];
}
