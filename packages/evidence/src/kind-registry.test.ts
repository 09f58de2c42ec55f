import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { customKindNameProblem, isKindName, KindRegistrationError, KindRegistry } from './kind-registry.js';
import { RecordValidationError, validateRecord } from './record.js';

const Device = z.object({ serial: z.string(), encrypted: z.boolean(), os: z.string() });
const envelope = (kind: string, data: unknown) => ({ kind, key: 'D-1', system: 'acme-mdm:prod', stream: 'mdm/devices', occurredAt: null, data, sources: [], controls: ['CC6.8'] });

describe('custom record kind names', () => {
  it('takes <namespace>.<name> in lower case, outside the built-in namespaces', () => {
    expect(customKindNameProblem('acme.device')).toBeNull();
    expect(customKindNameProblem('acme-corp.laptop_fleet.device')).toBeNull();
    expect(customKindNameProblem('device')).toMatch(/<namespace>\.<name>/);
    expect(customKindNameProblem('Acme.Device')).toMatch(/lower-case/);
    expect(customKindNameProblem('acme.')).not.toBeNull();
    expect(customKindNameProblem(42)).not.toBeNull();
  });

  it('refuses a built-in namespace or evidentia\'s own, suggesting another', () => {
    expect(customKindNameProblem('endpoint.laptop')).toMatch(/namespace "endpoint" belongs to evidentia's built-in kinds.*acme\.laptop/);
    expect(customKindNameProblem('access.badge')).toMatch(/namespace "access"/);
    expect(customKindNameProblem('evidentia.thing')).toMatch(/namespace "evidentia"/);
  });

  it('names a kind a check or population may read: built-in or well-formed custom', () => {
    expect(isKindName('training.record')).toBe(true);
    expect(isKindName('acme.device')).toBe(true);
    expect(isKindName('access.badge')).toBe(false);
    expect(isKindName('device')).toBe(false);
  });
});

describe('KindRegistry', () => {
  it('validates a declared kind\'s data against its schema and stores the parsed data', () => {
    const registry = new KindRegistry();
    registry.declare('acme.device', Device, 'acme-mdm');
    const record = validateRecord(envelope('acme.device', { serial: 'C02X', encrypted: true, os: 'macOS', extra: 'dropped' }), registry);
    expect(record.data).toEqual({ serial: 'C02X', encrypted: true, os: 'macOS' });
    expect(registry.ownerOf('acme.device')).toBe('acme-mdm');
    expect(registry.customKinds()).toEqual(['acme.device']);
  });

  it('refuses data that fails the schema, naming the record and the field', () => {
    const registry = new KindRegistry();
    registry.declare('acme.device', Device, 'acme-mdm');
    const attempt = () => validateRecord(envelope('acme.device', { serial: 'C02X', encrypted: 'yes', os: 'macOS' }), registry);
    expect(attempt).toThrow(RecordValidationError);
    expect(attempt).toThrow(/record acme\.device "D-1" is invalid: data\.encrypted: /);
  });

  it('refuses a record of a custom kind no connector declared, and a malformed kind', () => {
    const registry = new KindRegistry();
    expect(() => validateRecord(envelope('acme.device', { serial: 'x' }), registry)).toThrow(/record acme\.device "D-1" is invalid: kind: acme\.device is declared by no loaded connector/);
    expect(() => validateRecord(envelope('device', {}), registry)).toThrow(/kind: not a record kind/);
  });

  it('refuses a second connector declaring a taken kind, naming both; the same connector may declare it again', () => {
    const registry = new KindRegistry();
    registry.declare('acme.device', Device, 'acme-mdm');
    expect(() => registry.declare('acme.device', Device.extend({ owner: z.string() }), 'acme-mdm')).not.toThrow();
    const clash = () => registry.declare('acme.device', Device, 'other-mdm');
    expect(clash).toThrow(KindRegistrationError);
    expect(clash).toThrow('connector other-mdm: kind acme.device is already declared by connector acme-mdm');
  });

  it('refuses another module with the same connector id, naming both modules; the module-less declaration of its definition replaces nothing', () => {
    const registry = new KindRegistry();
    registry.declare('acme.device', Device, 'acme-mdm');
    registry.declare('acme.device', Device, 'acme-mdm', '/srv/a/connector.ts');
    const other = Device.extend({ owner: z.string() });
    registry.declare('acme.device', other, 'acme-mdm');
    expect(registry.schemaOf('acme.device')).toBe(Device);
    expect(() => registry.declare('acme.device', other, 'acme-mdm', '/srv/b/connector.ts')).toThrow(
      'connector acme-mdm: kind acme.device is declared by module /srv/a/connector.ts and again by module /srv/b/connector.ts of the same connector id',
    );
    expect(registry.schemaOf('acme.device')).toBe(Device);
    registry.declare('acme.device', other, 'acme-mdm', '/srv/a/connector.ts');
    expect(registry.schemaOf('acme.device')).toBe(other);
  });

  it('refuses bad names and schemas that are not objects, naming the connector and kind', () => {
    const registry = new KindRegistry();
    expect(() => registry.declare('vulnerability.custom', Device, 'scanner')).toThrow(/^connector scanner: kind vulnerability\.custom: namespace "vulnerability"/);
    expect(() => registry.declare('acme.tags', z.array(z.string()) as never, 'acme')).toThrow(/connector acme: kind acme\.tags: its schema must be a zod object .*not array/);
    expect(() => registry.declare('acme.thing', {} as never, 'acme')).toThrow(/connector acme: kind acme\.thing: its schema must be a zod schema/);
  });

  it('knows the built-in kinds without declarations, the new ones among them', () => {
    const registry = new KindRegistry();
    const training = { person: { email: 'ana@acme.example', name: 'Ana', id: null }, course: 'Security awareness 2026', status: 'completed', completedAt: '2026-02-01T10:00:00Z', expiresAt: '2027-02-01T10:00:00Z' };
    expect(validateRecord(envelope('training.record', training), registry).kind).toBe('training.record');
    expect(() => validateRecord(envelope('endpoint.device', { deviceId: 'D-1', os: 'macOS', diskEncryption: 'on' }), registry)).toThrow(/data\.diskEncryption/);
  });
});
