import { describe, it, expect } from '@jest/globals';
import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findSecretLikeStrings, scanFixtureTree } from './index.js';

// Every positive example is assembled at run time, so this file itself holds no real-looking secret.
const positives: Array<[string, string]> = [
  ['GitHub token', 'ghp_' + 'A1b2C3d4E5'.repeat(4)],
  ['GitHub token', '"token": "ghs_' + 'Zz9Yy8Xx7W'.repeat(4) + '"'],
  ['GitHub fine-grained token', 'github_pat_' + '11ABCDEFG0' + 'abcdEFGH12'.repeat(6)],
  ['AWS access key id', 'AccessKeyId: ' + 'AKIA' + 'ZX7Q4LMN2PRT8VWY'],
  ['AWS access key id', 'ASIA' + 'Q2W3E4R5T6Y7U8I9'],
  ['AWS secret access key', 'aws_secret_access_key = ' + 'Zq8/Lm3+Rt5Wx7Yv9Ab1' + 'Cd3Ef5Gh7Ij9Kl1Mn3Op'],
  ['AWS secret access key', '<SecretAccessKey>' + 'Zq8/Lm3+Rt5Wx7Yv9Ab1' + 'Cd3Ef5Gh7Ij9Kl1Mn3Op' + '</SecretAccessKey>'],
  ['Slack token', 'xoxb-' + '2048613957-4096128374-' + 'Qw3rTy7UiOp1AsDfGhJkL9'],
  ['Google API key', 'key=AIza' + 'SyD4f8Gh2Jk6Lm0Np3Qr7St1Uv5Wx9Yz2Ab'],
  ['private key', '"-----BEGIN ' + 'RSA PRIVATE KEY-----\\nMIIEowIBAAKCAQEA7vQ2\\n-----END RSA PRIVATE KEY-----"'],
  ['JWT', 'eyJ' + 'hbGciOiJIUzI1NiJ9' + '.eyJzdWIiOiIxMjM0NTY3ODkwIn0' + '.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'],
  ['Authorization header', '"Authorization": "Bearer ' + 'q7Zk2LmN9pRt4Vx8"'],
  ['Authorization header', 'authorization: Basic ' + 'b2N0b2NhdDpodW50ZXIy'],
  ['credential field', '"access_token": "ya29.' + 'a0AfH6SMBx7Qk2pLmNvR4s"'],
  ['credential field', '"refresh_token":"1//0g' + 'Lr9XkQ2pT7vWmZ"'],
  ['credential field', '"token": "v1.' + 'q7Zk2LmN9pRt4Vx8Wd3"'],
  ['credential field', 'client_secret: GOCSPX-' + 'q7Zk2LmN9pRt4Vx8'],
  ['credential field', '"x-amz-security-token": "Fwo' + 'GZXIvYXdzEBca1Qk7pZ9xLmN"'],
  ['credential field', 'X-Api-Key: ' + 'q7Zk2LmN9pRt4Vx8'],
  ['cookie', '"set-cookie": "_gh_sess=' + 'q7Zk2LmN9pRt4Vx8; path=/"'],
  ['credential in a URL', '"next": "/users?page=2&access_token=' + 'q7Zk2LmN9pRt4Vx8"'],
  ['credential in a URL', '/v1/users?key=' + 'q7Zk2LmN9pRt4Vx8Wd3'],
  ['credential in a URL', 'report.csv?X-Amz-Credential=' + 'ASIAQ7ZTPLMN3KXW%2F20261207%2Fus-east-1&X-Amz-Signature=' + 'a1b2'.repeat(16)],
  ['password in a URL', '"url": "https://deploy:' + 'q7Zk2LmN9pRt4Vx8@git.corp.io/repo.git"'],
];

const negatives = [
  'ghp_' + 'x'.repeat(36),
  '"token": "[redacted]"',
  'Authorization: Bearer [redacted]',
  'Authorization: Bearer ${GITHUB_TOKEN}',
  'AKIA' + 'IOSFODNN7' + 'EXAMPLE',
  'aws_secret_access_key = ' + 'wJalrXUtnFEMI/K7MDENG/bPxRfiCY' + 'EXAMPLEKEY',
  'xoxb-' + '0'.repeat(10) + '-' + '0'.repeat(10) + '-' + 'x'.repeat(24),
  '-----BEGIN ' + 'PRIVATE KEY-----\n[redacted]\n-----END PRIVATE KEY-----',
  'eyJ' + 'x'.repeat(10) + '.' + 'x'.repeat(10) + '.' + 'x'.repeat(10),
  'sha256 ' + 'a3f5'.repeat(16) + ', commit ' + '9fceb02d0ae598e95dc970b74767f19372d61af8',
  'a normal sentence about a token and a key: ghp_short, AKIA, xoxb-, the Bearer of news',
  '"access_token": "[redacted]", "refresh_token": "fake-refresh-token-not-real", "token": "${GITHUB_TOKEN}"',
  '"token_type": "Bearer", "password": null, "tokenExpiry": "2026-12-07T18:00:00Z"',
  '"next": "{{baseUrl}}/users?access_token=[redacted]&page=2", "url": "https://user@example.com/x?key=PROJ"',
  '{"sources": ["0c6f' + 'e1'.repeat(30) + '"], "id": "f47ac10b-58cc-4372-a567-0e02b3c479d4"}',
];

describe('findSecretLikeStrings', () => {
  it.each(positives)('finds a %s', (pattern, text) => {
    const findings = findSecretLikeStrings(`line one\n${text}\n`);
    expect(findings.map((finding) => finding.pattern)).toContain(pattern);
    expect(findings.find((finding) => finding.pattern === pattern)?.line).toBe(2);
  });

  it.each(negatives)('leaves alone %s', (text) => {
    expect(findSecretLikeStrings(text)).toEqual([]);
  });

  it('never repeats the whole secret in the excerpt', () => {
    const token = 'ghp_' + 'A1b2C3d4E5'.repeat(4);
    const [finding] = findSecretLikeStrings(`{"token": "${token}"}`);
    expect(finding?.excerpt).toBe('ghp_A1b2…');
    expect(finding?.excerpt).not.toContain(token.slice(8));
  });

  it('holds in this very file: no real-looking token in the test source', async () => {
    const source = await readFile(fileURLToPath(import.meta.url), 'utf8');
    expect(findSecretLikeStrings(source)).toEqual([]);
  });
});

describe('scanFixtureTree', () => {
  it('reports findings per file, recursing into folders and skipping binary files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'evidentia-guard-'));
    await mkdir(join(dir, 'github', 'nested'), { recursive: true });
    await writeFile(join(dir, 'github', 'clean.json'), '{"token": "[redacted]"}');
    await writeFile(join(dir, 'github', 'nested', 'leak.json'), `{\n  "token": "${'gho_' + 'Q1w2E3r4T5'.repeat(4)}"\n}`);
    await writeFile(join(dir, 'image.bin'), Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from('ghp_' + 'A1b2C3d4E5'.repeat(4))]));
    expect(await scanFixtureTree(dir)).toEqual([{ file: join(dir, 'github', 'nested', 'leak.json'), findings: [{ pattern: 'GitHub token', excerpt: 'gho_Q1w2…', line: 2 }] }]);
  });
});
