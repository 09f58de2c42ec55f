/** evidentia's version (every workspace package carries the same one), recorded in every snapshot's provenance, every manifest and every OSCAL document. */
import { readFileSync } from 'node:fs';

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

export const COLLECTOR_VERSION: string = packageJson.version;
