import { describe, it, expect } from '@jest/globals';
import { criteriaByCategory, defaultLinks } from '@evidentia/catalog';
import { RequestSettings, resolveRequests, type RequestProblem } from './settings.js';
import { STARTER_REQUESTS } from './starter.js';

function resolve(settings: unknown): { ids: string[]; problems: RequestProblem[]; requests: ReturnType<typeof resolveRequests> } {
  const problems: RequestProblem[] = [];
  const requests = resolveRequests(RequestSettings.parse(settings), problems);
  return { ids: requests.map((request) => request.id), problems, requests };
}

describe('the starter set', () => {
  it('gives every Security criterion no connector covers an evidence path', () => {
    const fromConnectors = new Set(Object.values(defaultLinks).flat());
    const fromRequests = new Set(STARTER_REQUESTS.flatMap((request) => request.criteria));
    const uncovered = criteriaByCategory('security').map((criterion) => criterion.id).filter((id) => !fromConnectors.has(id) && !fromRequests.has(id));
    expect(uncovered).toEqual([]);
    expect(new Set(STARTER_REQUESTS.map((request) => request.id)).size).toBe(STARTER_REQUESTS.length);
  });
});

describe('resolveRequests', () => {
  it('has no requests unless the starter set is asked for or requests are defined', () => {
    expect(resolve({}).ids).toEqual([]);
    expect(resolve({ starter: true }).ids).toEqual(STARTER_REQUESTS.map((request) => request.id));
  });

  it('overrides a starter field by field, drops one, and adds the organization\'s own', () => {
    const { ids, problems, requests } = resolve({
      starter: true,
      items: {
        'risk-assessment': { owner: 'ciso@example.com', graceDays: 30 },
        'asset-disposal': { enabled: false },
        'pen-test': { title: 'External penetration test', criteria: ['CC4.1', 'CC7.1'], owner: 'ciso', frequency: 'yearly' },
      },
    });
    expect(problems).toEqual([]);
    expect(ids).not.toContain('asset-disposal');
    expect(ids.at(-1)).toBe('pen-test');
    expect(requests.find((request) => request.id === 'risk-assessment')).toMatchObject({ owner: 'ciso@example.com', graceDays: 30, criteria: ['CC3.1', 'CC3.2', 'CC3.3', 'CC3.4'], starter: true });
  });

  it('names what an incomplete or contradictory request lacks, at its config path', () => {
    const { problems } = resolve({
      items: {
        'pen-test': { title: 'External penetration test' },
        'exit-interviews': { title: 'Exit interviews', criteria: ['CC1.4'], owner: 'hr', frequency: 'per-event' },
        policies: { title: 'Policies', criteria: ['CC99.1'], owner: 'sec', frequency: 'monthly', due: '2026-01-31' },
        'risk-assessment': { dueDays: 30 },
      },
    });
    expect(problems).toEqual([
      { path: 'requests.items.pen-test', message: 'request pen-test is not in the starter set, so it needs criteria, owner, frequency' },
      { path: 'requests.items.exit-interviews.event', message: 'a per-event request names its event (joiner, mover or leaver)' },
      { path: 'requests.items.policies.due', message: 'only a once request has a due day; a monthly one is due at the end of each window' },
      { path: 'requests.items.policies.criteria', message: 'CC99.1: not a SOC 2 criterion ID (such as CC3.2)' },
      // Read by per-event requests only: on another it was ignored, and the request fell due at its window's end all the same.
      { path: 'requests.items.risk-assessment.dueDays', message: 'only a per-event request is due days after its event; a yearly one is due at the end of each window (graceDays gives it more time)' },
    ]);
  });
});
