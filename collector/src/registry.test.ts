import { describe, expect, it } from '@jest/globals';
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { definitionProblems } from '@evidentia/sdk';
import { builtInConnectors, loadConnector } from './registry.js';

const connectorsDir = fileURLToPath(new URL('../../connectors/', import.meta.url));

describe('connector registry', () => {
  it('lists exactly the connector folders, each under its own id', async () => {
    const folders = (await readdir(connectorsDir, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    expect(Object.keys(builtInConnectors).sort()).toEqual(folders.sort());
    for (const [id, connector] of Object.entries(builtInConnectors)) {
      expect(connector.id).toBe(id);
      expect(definitionProblems(connector)).toEqual([]);
    }
  });

  it('names the built-in types when asked for an unknown one', async () => {
    await expect(loadConnector('gitlab', { baseDir: '.', custom: false })).rejects.toThrow(/unknown connector type "gitlab"; built-in types are github/);
  });

  it('refuses a custom module that is not a connector definition', async () => {
    const notAConnector = fileURLToPath(new URL('./errors.ts', import.meta.url));
    await expect(loadConnector(notAConnector, { baseDir: '.', custom: true })).rejects.toThrow(/is not a valid connector/);
  });
});
