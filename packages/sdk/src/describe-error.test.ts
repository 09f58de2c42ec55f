import { describe, expect, it } from '@jest/globals';
import { describeError } from './describe-error.js';

const PASSWORD = 'P4ss-w0rd';

function thrownBy(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('expected the work to throw');
}

describe('describeError', () => {
  it('drops the user info of a URL the runtime quotes when it refuses it', () => {
    const refused = thrownBy(() => new Request(`https://svc:${PASSWORD}@127.0.0.1/rest/api/2/user`));
    expect((refused as Error).message).toContain(PASSWORD);
    const described = describeError(refused);
    expect(described).not.toContain(PASSWORD);
    expect(described).not.toContain('svc:');
    expect(described).toContain('https://127.0.0.1/rest/api/2/user');
  });

  it('drops user info and credential parameters from the request of an API client error', () => {
    const error = Object.assign(new Error('Unauthorized'), { status: 401, request: { method: 'GET', url: `https://svc:${PASSWORD}@jira.internal/rest?startAt=0&token=abc123` } });
    expect(describeError(error)).toBe('HTTP 401 on GET https://jira.internal/rest?startAt=0&token=%5Bredacted%5D: Unauthorized');
  });

  it('drops the user info of a URL too malformed to parse, and leaves other URLs as written', () => {
    const described = describeError(new Error(`cannot reach https://svc:${PASSWORD}/x@jira.internal/rest (see https://status.example.com)`));
    expect(described).toBe('cannot reach https://jira.internal/rest (see https://status.example.com)');
  });
});
