/**
 * How the user started evidentia, so the commands it prints can be pasted
 * back as they are: `pnpm -s evidentia` under pnpm (silent: pnpm's banner
 * would otherwise precede output piped to jq), `npm run -s evidentia --` under
 * npm, `evidentia` when installed (a bin link to it, or a package manager's
 * shim running it from node_modules), else `node` and the launcher's path.
 */
import { basename, relative, sep } from 'node:path';

export function invocationOf(env: NodeJS.ProcessEnv, launcher: string | undefined, cwd: string): string {
  if (env.npm_lifecycle_event === 'evidentia') {
    const agent = env.npm_config_user_agent ?? '';
    if (agent.startsWith('pnpm/')) return 'pnpm -s evidentia';
    if (agent.startsWith('npm/')) return 'npm run -s evidentia --';
  }
  if (!launcher || basename(launcher) === 'evidentia' || launcher.split(sep).includes('node_modules')) return 'evidentia';
  const path = relative(cwd, launcher);
  return `node ${path.startsWith('..') || path === '' ? launcher : path}`;
}
