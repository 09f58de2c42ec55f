/** The collector's version, recorded in every snapshot's provenance and every manifest. */
import { readFileSync } from 'node:fs';

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

export const COLLECTOR_VERSION: string = packageJson.version;
