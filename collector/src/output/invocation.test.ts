import { describe, expect, it } from '@jest/globals';
import { invocationOf } from './invocation.js';

describe('invocationOf', () => {
  const launcher = '/work/evidentia/collector/bin/evidentia.js';

  it('names the package manager script that started evidentia, silenced so piped output stays clean', () => {
    expect(invocationOf({ npm_lifecycle_event: 'evidentia', npm_config_user_agent: 'pnpm/10.34.9 npm/? node/v20.20.2 linux x64' }, launcher, '/work/evidentia')).toBe('pnpm -s evidentia');
    expect(invocationOf({ npm_lifecycle_event: 'evidentia', npm_config_user_agent: 'npm/11.6.0 node/v20.20.2 linux x64 workspaces/false' }, launcher, '/work/evidentia')).toBe('npm run -s evidentia --');
  });

  it('says `evidentia` when installed: started through its bin link or a shim running it from node_modules', () => {
    expect(invocationOf({}, '/usr/local/bin/evidentia', '/home/me')).toBe('evidentia');
    expect(invocationOf({}, '/home/me/.local/share/pnpm/global/5/node_modules/@evidentia/collector/bin/evidentia.js', '/home/me')).toBe('evidentia');
    // Another package's script that happens to run the installed command is still the installed command.
    expect(invocationOf({ npm_lifecycle_event: 'audit', npm_config_user_agent: 'pnpm/10.34.9' }, '/repo/node_modules/.bin/evidentia', '/repo')).toBe('evidentia');
  });

  it('names the launcher when node ran it directly, relative to the working directory when inside it', () => {
    expect(invocationOf({}, launcher, '/work/evidentia')).toBe('node collector/bin/evidentia.js');
    expect(invocationOf({}, launcher, '/tmp')).toBe(`node ${launcher}`);
  });
});
