import { describe, it, expect } from '@jest/globals';
import { RECORD_KINDS } from '@evidentia/evidence';
import { ControlOverrides, defaultControlsForKind, isCriterionId, resolveControls, UnknownCriterionError } from './index.js';

describe('default links', () => {
  it('link every record kind to criteria in the catalog', () => {
    for (const kind of RECORD_KINDS) {
      const ids = defaultControlsForKind(kind);
      expect(ids.length).toBeGreaterThan(0);
      for (const id of ids) expect(isCriterionId(id)).toBe(true);
    }
  });

  it('map the evidence areas to their criteria', () => {
    expect(defaultControlsForKind('access.account')).toEqual(['CC6.1', 'CC6.2', 'CC6.3']);
    expect(defaultControlsForKind('personnel.event')).toEqual(['CC1.4', 'CC6.2', 'CC6.3']);
    expect(defaultControlsForKind('change.request')).toEqual(['CC8.1']);
    expect(defaultControlsForKind('incident.record')).toEqual(['CC7.3', 'CC7.4', 'CC7.5']);
    expect(defaultControlsForKind('audit.event')).toEqual(['CC7.2']);
    expect(defaultControlsForKind('endpoint.device')).toEqual(['CC6.8', 'CC7.1']);
    expect(defaultControlsForKind('vulnerability.finding')).toEqual(['CC7.1']);
    expect(defaultControlsForKind('training.record')).toEqual(['CC1.4', 'CC2.2']);
    expect(defaultControlsForKind('background.check')).toEqual(['CC1.4']);
  });

  it('give a connector\'s own kind none: its stream names them, and config may override them by kind', () => {
    expect(defaultControlsForKind('acme.device')).toEqual([]);
    expect(resolveControls('acme.device', ['CC7.1', 'CC6.8'], {}, 'mdm/devices')).toEqual(['CC6.8', 'CC7.1']);
    const overrides = ControlOverrides.parse({ 'acme.device': ['CC6.1'] });
    expect(resolveControls('acme.device', ['CC6.8'], overrides, 'mdm/devices')).toEqual(['CC6.1']);
    expect(ControlOverrides.safeParse({ 'access.badge': ['CC6.4'] }).success).toBe(false);
  });
});

describe('resolveControls', () => {
  it('falls back to the kind defaults when the stream declares none', () => {
    expect(resolveControls('access.config', [])).toEqual(['CC6.1']);
  });

  it('uses what the stream declares, in catalog order without duplicates', () => {
    expect(resolveControls('change.config', ['CC8.1', 'CC6.1', 'CC8.1'])).toEqual(['CC6.1', 'CC8.1']);
  });

  it('lets a kind override replace the defaults', () => {
    const overrides = { 'change.request': ['CC8.1', 'CC3.4'] };
    expect(resolveControls('change.request', ['CC8.1'], overrides, 'github/pulls')).toEqual(['CC3.4', 'CC8.1']);
  });

  it('prefers a stream override to a kind override, and expands ranges', () => {
    const overrides = { 'access.account': ['CC6.1'], 'github/members': ['CC6.1-CC6.3', 'CC5.2'] };
    expect(resolveControls('access.account', [], overrides, 'github/members')).toEqual(['CC5.2', 'CC6.1', 'CC6.2', 'CC6.3']);
    expect(resolveControls('access.account', [], overrides, 'okta/users')).toEqual(['CC6.1']);
  });

  it('names the unknown ID and where it came from', () => {
    const overrides = { 'github/members': ['CC6.1', 'CC6.9'] };
    expect(() => resolveControls('access.account', [], overrides, 'github/members')).toThrow(
      'unknown criterion "CC6.9" in controls override for github/members',
    );
    expect(() => resolveControls('audit.event', ['CC7.9'], {}, 'aws/trail_events')).toThrow(UnknownCriterionError);
    expect(() => resolveControls('audit.event', [], { 'audit.event': ['X1.1'] })).toThrow(/"X1\.1" in controls override for audit\.event/);
  });
});

describe('ControlOverrides', () => {
  it('accepts stream references and record kinds as keys', () => {
    expect(ControlOverrides.safeParse({ 'github/members': ['CC6.1'], 'audit.event': ['CC7.2'] }).success).toBe(true);
  });

  it('rejects keys that match neither', () => {
    expect(ControlOverrides.safeParse({ 'access.acount': ['CC6.1'] }).success).toBe(false);
    expect(ControlOverrides.safeParse({ members: ['CC6.1'] }).success).toBe(false);
  });
});
