import { describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtInConnectors } from '../all-built-in-connectors.js';
import { loadConfig } from '../config/load.js';
import { DEMO_TOKEN_VARIABLE, demoConfig } from './demo.js';

describe('the demo config', () => {
  it('is every built-in connector\'s own demo entry plus the custom example, valid as a user\'s config would be', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'evidentia-demo-config-'));
    const file = join(dir, 'evidentia.yaml');
    await writeFile(file, demoConfig(join(dir, 'locker'), 'http://127.0.0.1:4010'));
    const config = await loadConfig(file, { [DEMO_TOKEN_VARIABLE]: 'demo-placeholder' });
    expect(config.instances.map((instance) => instance.id).sort()).toEqual([...Object.keys(builtInConnectors), 'hr'].sort());
    // Credentials only as references: the written file names the variable, never a value.
    const text = await readFile(file, 'utf8');
    expect(text).toContain(`\${env:${DEMO_TOKEN_VARIABLE}}`);
    expect(text).not.toContain('demo-placeholder');
    // Every connector that talks HTTP is pointed at the replay server.
    expect(text.match(/http:\/\/127\.0\.0\.1:4010/g)).toHaveLength(Object.keys(builtInConnectors).length);
  });
});
