/** Where the built standalone verifier is kept (build.ts writes it, every bundle export copies it in as verify.mjs). */
import { fileURLToPath } from 'node:url';

export const VERIFIER_FILE = fileURLToPath(new URL('../../verifier/verify.mjs', import.meta.url));

/**
 * The same build as the code of @evidentia/verify (`npx @evidentia/verify bundle.zip`): build.ts writes both
 * files from one text, so the published verifier and the one every bundle carries cannot differ.
 */
export const VERIFY_PACKAGE_FILE = fileURLToPath(new URL('../../../verify/verify.mjs', import.meta.url));
