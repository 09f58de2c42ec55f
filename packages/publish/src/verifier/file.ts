/** Where the built standalone verifier is kept (build.ts writes it, every bundle export copies it in as verify.mjs). */
import { fileURLToPath } from 'node:url';

export const VERIFIER_FILE = fileURLToPath(new URL('../../verifier/verify.mjs', import.meta.url));
