/**
 * The secret guard: finds real-looking credentials in fixture and config
 * files before they are committed. Fixtures may carry obvious placeholders:
 * the literal `[redacted]`, tokens made of one repeated character
 * (`ghp_xxxx…`), and AWS's documented `…EXAMPLE` keys; a value found by its
 * name (a `token`/`access_token` member, a `?X-Amz-Signature=` parameter, a
 * cookie, a URL's password) may also say it is fake (`fake-token-not-real`)
 * or be a reference (`${GITHUB_TOKEN}`). Findings never repeat
 * the whole secret, so the guard's own failure message is safe to print.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A real-looking credential found in a text. */
export interface SecretFinding {
  /** What it looks like, e.g. `GitHub token`. */
  pattern: string;
  /** The start of the match with the secret cut short, safe to print. */
  excerpt: string;
  /** 1-based line number. */
  line: number;
}

/** The findings of one file. */
export interface FileFindings {
  file: string;
  findings: SecretFinding[];
}

interface Detector {
  pattern: string;
  /** Capture group 1 is the secret part judged for being a placeholder. */
  regex: RegExp;
  /**
   * A value found by its name rather than its shape: hand-written fixtures
   * also mark it as fake in words (`fake-token-not-real`) or as a reference
   * (`${GITHUB_TOKEN}`), and those are placeholders too.
   */
  byName?: true;
}

const DETECTORS: Detector[] = [
  { pattern: 'GitHub token', regex: /\bgh[pousr]_([A-Za-z0-9]{36,})/dg },
  { pattern: 'GitHub fine-grained token', regex: /\bgithub_pat_([A-Za-z0-9_]{22,})/dg },
  { pattern: 'AWS access key id', regex: /\b(?:AKIA|ASIA)([A-Z0-9]{16})(?![A-Z0-9])/dg },
  { pattern: 'AWS secret access key', regex: /(?:aws_?)?secret_?access_?key["'\s]*[:=>]+\s*["']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/dgi },
  { pattern: 'Slack token', regex: /\bxox[abposr]-([A-Za-z0-9-]{10,})/dg },
  { pattern: 'Google API key', regex: /\bAIza([0-9A-Za-z_-]{35})/dg },
  { pattern: 'private key', regex: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----([\s\S]*?)(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----|$)/dg },
  { pattern: 'JWT', regex: /\beyJ([A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*)/dg },
  { pattern: 'Authorization header', regex: /authorization["']?\s*[:=]\s*["']?(?:bearer|basic|token)\s+([A-Za-z0-9._~+/=-]{8,})/dgi },
  {
    pattern: 'credential in a URL',
    regex: /[?&](?:access_token|refresh_token|id_token|token|client_secret|api[-_]?key|key|sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token)=([^&#\s"'<>]{8,})/dgi,
    byName: true,
  },
  // A JSON/YAML member or a header named like a credential (OAuth and installation token responses, client secrets, session tokens).
  {
    pattern: 'credential field',
    regex:
      /(?<![\w-])["']?(?:access_token|refresh_token|id_token|token|client_secret|password|passwd|private_key|x-amz-security-token|(?:x-)?api[-_]?key)["']?\s*[:=]\s*["']?([^"'\s,;&}]{8,})/dgi,
    byName: true,
  },
  { pattern: 'cookie', regex: /(?<![\w-])["']?(?:set-)?cookie["']?\s*:\s*["']?[^=;"'\s]+=([^;"'\s]{8,})/dgi, byName: true },
  { pattern: 'password in a URL', regex: /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@"']+:([^\s/@"']{6,})@/dgi, byName: true },
];

/** Words and forms that mark a value found by its name as not a real credential. */
const NAMED_PLACEHOLDER = /fake|not-?real|placeholder|dummy|example|changeme|^\$\{|^\{\{|^<[^>]*>$/i;

const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', 'dist']);

/** True for obvious fakes: empty, `[redacted]`, every segment one repeated character, or AWS's EXAMPLE keys. */
function isPlaceholder(secret: string): boolean {
  const bare = secret.replace(/\\[nr]/g, '').replace(/\s+/g, '');
  if (bare === '' || bare.includes('[redacted]') || bare.includes('EXAMPLE')) return true;
  return bare
    .split(/[-_./+=]+/)
    .filter((segment) => segment !== '')
    .every((segment) => /^(.)\1*$/.test(segment));
}

/** Every real-looking credential in a text. */
export function findSecretLikeStrings(text: string): SecretFinding[] {
  const findings: SecretFinding[] = [];
  // Where a detector by shape already found a secret, one by name reports it only once.
  const found: Array<[number, number]> = [];
  for (const { pattern, regex, byName } of DETECTORS) {
    for (const match of text.matchAll(regex)) {
      const secret = match[1] ?? '';
      if (isPlaceholder(secret) || (byName && NAMED_PLACEHOLDER.test(secret))) continue;
      const start = match.index;
      const secretStart = match.indices?.[1]?.[0] ?? start;
      const secretEnd = secretStart + secret.length;
      if (byName && found.some(([from, to]) => secretStart < to && from < secretEnd)) continue;
      found.push([secretStart, secretEnd]);
      const prefix = text.slice(Math.max(start, secretStart - 40), secretStart);
      findings.push({ pattern, excerpt: `${prefix}${secret.slice(0, 4)}…`, line: text.slice(0, start).split('\n').length });
    }
  }
  return findings.sort((a, b) => a.line - b.line);
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return SKIPPED_DIRECTORIES.has(entry.name) ? [] : listFiles(path);
      return entry.isFile() ? [path] : [];
    }),
  );
  return nested.flat();
}

/** Scan every text file under a folder; returns only the files with findings, sorted by path. */
export async function scanFixtureTree(dir: string): Promise<FileFindings[]> {
  const files = (await listFiles(dir)).sort();
  const results: FileFindings[] = [];
  for (const file of files) {
    const bytes = await readFile(file);
    if (bytes.includes(0)) continue;
    const findings = findSecretLikeStrings(bytes.toString('utf8'));
    if (findings.length > 0) results.push({ file, findings });
  }
  return results;
}
