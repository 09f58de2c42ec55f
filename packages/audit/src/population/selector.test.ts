/**
 * What `export population` and `sample` may be asked for: a SOC 2 criterion
 * and a record kind evidentia knows. A typed `cc8.1`, an ISO 27001 control or
 * `change.requests` was written as an empty population, exit 0, the file an
 * auditor could be handed; it is bad input, said with what was probably meant.
 */
import { describe, expect, it } from '@jest/globals';
import { UsageError } from '../errors.js';
import { checkPopulationSelector } from './selector.js';

function refusal(selector: { control?: string; kind?: string }): string {
  try {
    checkPopulationSelector(selector);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`${JSON.stringify(selector)} was accepted`);
}

describe('a population selector', () => {
  it('accepts a SOC 2 criterion, a built-in kind, the access-review rows and a connector kind name', () => {
    for (const selector of [{ control: 'CC8.1' }, { control: 'A1.2' }, { kind: 'change.request' }, { kind: 'evidentia.access-review' }, { kind: 'acme.device' }, { control: 'CC6.1', kind: 'access.account' }]) {
      expect(() => checkPopulationSelector(selector)).not.toThrow();
    }
  });

  it('refuses a criterion written in small letters, naming it as the catalog writes it', () => {
    expect(refusal({ control: 'cc8.1' })).toBe('--control cc8.1 is not a SOC 2 criterion: criteria are written in capitals, --control CC8.1');
  });

  it("refuses another framework's requirement, naming the SOC 2 criteria it maps to", () => {
    expect(refusal({ control: 'A.8.32' })).toBe('--control A.8.32 is a requirement of iso27001, not a SOC 2 criterion: populations are per SOC 2 criterion; it maps to CC8.1 (superset-of)');
    expect(refusal({ control: 'A.7.4' })).toMatch(/^--control A\.7\.4 is a requirement of iso27001, not a SOC 2 criterion: populations are per SOC 2 criterion; (no SOC 2 criterion maps to it|it maps to .+)$/);
  });

  it('refuses a criterion qualified by its framework, naming it plain', () => {
    expect(refusal({ control: 'soc2:CC8.1' })).toBe('--control soc2:CC8.1: name the criterion without its framework, --control CC8.1');
  });

  it('refuses an ID no catalog has', () => {
    expect(refusal({ control: 'CC99.1' })).toBe('--control CC99.1 is not a SOC 2 criterion (such as CC8.1; `evidentia catalog list` lists them)');
  });

  it('refuses a kind name that is neither built in nor a connector kind name', () => {
    expect(refusal({ kind: 'change.requests' })).toMatch(/^--kind change\.requests is not a record kind: the built-in ones are access\.account, .*change\.request.*, evidentia\.access-review holds the access-review decisions, and a connector's own kind is named <namespace>\.<name> \(acme\.device\)$/);
    expect(refusal({ kind: 'device' })).toMatch(/^--kind device is not a record kind/);
  });
});
