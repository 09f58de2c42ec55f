/**
 * The README's policy document is the one the connector needs: it parses,
 * is read-only, and grants exactly the actions the doctor checks.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { REQUIRED_ACTIONS } from './doctor.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README policy', () => {
  it('grants exactly the actions the connector calls', () => {
    const block = /```json\n([\s\S]*?)\n```/.exec(readme)?.[1];
    const policy = JSON.parse(block ?? 'null') as { Statement: Array<{ Effect: string; Action: string[]; Resource: string }> };
    expect(policy.Statement.every((statement) => statement.Effect === 'Allow' && statement.Resource === '*')).toBe(true);
    const actions = policy.Statement.flatMap((statement) => statement.Action);
    expect([...actions].sort()).toEqual([...REQUIRED_ACTIONS].sort());
    expect(actions.every((action) => /^(sts|iam|cloudtrail):(Get|List|Describe|Lookup|Generate)/.test(action))).toBe(true);
  });
});
