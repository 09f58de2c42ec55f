/** True when the CLI in `collectorDir` can run its compiled dist/ (see compiled.js). */
export function compiledIsCurrent(collectorDir: string): boolean;
