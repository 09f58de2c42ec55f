import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { recordKindRegistry } from '@evidentia/evidence';
import { ConnectorDefinitionError, defineConnector, definitionProblems } from './define.js';
import { MemorySink } from './memory-sink.js';
import { runStream } from './run-stream.js';
import type { ConnectorDefinition, StreamContext } from './types.js';

const Badge = z.object({ badgeId: z.string(), holder: z.string(), active: z.boolean() });

/** The snapshot the badge records rest on: a record must name one. */
const badgeExport = (ctx: StreamContext<unknown>) => ctx.snapshot({ method: 'READ', url: 'file:///exports/badges.json', requestBody: null, status: 200, headers: {} }, { badges: 3 });

function connector(id: string, kinds: Record<string, z.ZodType> | undefined, stream: { kind: string; controls: string[] }, collect: (ctx: StreamContext<unknown>) => Promise<void> = async () => {}): ConnectorDefinition<unknown> {
  return {
    id,
    version: '1.0.0',
    title: id,
    configSchema: z.object({}),
    credentials: [],
    system: () => `${id}:test`,
    ...(kinds ? { kinds } : {}),
    streams: { badges: { type: 'state', kind: stream.kind as 'acme.badge', description: 'badges', controls: stream.controls, collect } },
  };
}

describe('a connector declaring its own record kinds', () => {
  it('accepts a namespaced kind with an object schema and declares it for validation', () => {
    const definition = defineConnector(connector('badge-reader', { 'badgeco.badge': Badge }, { kind: 'badgeco.badge', controls: ['CC6.4'] }));
    expect(recordKindRegistry.schemaOf('badgeco.badge')).toBe(Badge);
    expect(recordKindRegistry.ownerOf('badgeco.badge')).toBe(definition.id);
  });

  it('names the connector and kind when the name takes a built-in namespace or the schema is no object', () => {
    expect(() => defineConnector(connector('bad-ns', { 'access.badge': Badge }, { kind: 'access.badge', controls: ['CC6.4'] }))).toThrow(ConnectorDefinitionError);
    expect(() => defineConnector(connector('bad-ns', { 'access.badge': Badge }, { kind: 'access.badge', controls: ['CC6.4'] }))).toThrow(/^connector bad-ns: kind access\.badge: namespace "access"/);
    expect(definitionProblems(connector('bad-schema', { 'acme.badge': z.string() as never }, { kind: 'acme.badge', controls: ['CC6.4'] }))).toEqual([
      'kind acme.badge: its schema must be a zod object (z.object({ … })), not string: a record\'s data is an object',
    ]);
  });

  it('requires a stream of its own kind to name its criteria, and a stream kind to be built in or declared', () => {
    expect(definitionProblems(connector('no-controls', { 'acme.badge': Badge }, { kind: 'acme.badge', controls: [] }))).toEqual([
      'stream badges: controls must name the criteria its acme.badge records serve (a connector\'s own kind has no default criteria)',
    ]);
    expect(definitionProblems(connector('undeclared', undefined, { kind: 'acme.badge', controls: ['CC6.4'] }))).toEqual([
      'stream badges: unknown record kind acme.badge (neither built in nor declared in kinds)',
    ]);
  });

  it('refuses a kind another connector declared, naming both', () => {
    defineConnector(connector('first-reader', { 'shared.badge': Badge }, { kind: 'shared.badge', controls: ['CC6.4'] }));
    expect(() => defineConnector(connector('second-reader', { 'shared.badge': Badge }, { kind: 'shared.badge', controls: ['CC6.4'] }))).toThrow(
      'connector second-reader: kind shared.badge is already declared by connector first-reader',
    );
  });

  it("names a record of another connector's kind as not its own, whether or not that connector is loaded", async () => {
    defineConnector(connector('badge-owner', { 'ownerco.badge': Badge }, { kind: 'ownerco.badge', controls: ['CC6.4'] }));
    const borrower = defineConnector(
      connector('badge-borrower', { 'borrowco.badge': Badge }, { kind: 'borrowco.badge', controls: ['CC6.4'] }, async (ctx) => {
        await ctx.emit({ kind: 'ownerco.badge', key: 'B-1', data: { badgeId: 'B-1', holder: 'ana', active: true }, sources: [await badgeExport(ctx)] });
        await ctx.emit({ kind: 'borrowco.badge', key: 'B-2', data: { badgeId: 'B-2', holder: 'bo', active: true }, sources: [await badgeExport(ctx)] });
      }),
    );
    const sink = new MemorySink();
    const outcome = await runStream({ connector: borrower, instance: 'borrower', config: {}, stream: 'badges', sink, cursor: null, collectorVersion: 'test' });
    expect(sink.records.map((record) => [record.kind, record.key])).toEqual([['borrowco.badge', 'B-2']]);
    expect(outcome.status).toBe('partial');
    expect(outcome.error).toBe('1 in-scope item could not be read: record ownerco.badge "B-1" (does not match its kind: kind: ownerco.badge is declared by connector badge-owner, not badge-borrower: declare a kind of your own in kinds)');
  });

  it('stores records of its kind, with the stream\'s criteria, and names a record failing the schema without losing the others', async () => {
    const definition = defineConnector(
      connector('door-system', { 'doorco.badge': Badge }, { kind: 'doorco.badge', controls: ['CC6.4'] }, async (ctx) => {
        await ctx.emit({ kind: 'doorco.badge', key: 'B-1', data: { badgeId: 'B-1', holder: 'ana', active: true }, sources: [await badgeExport(ctx)] });
        await ctx.emit({ kind: 'doorco.badge', key: 'B-2', data: { badgeId: 'B-2', holder: 'bo', active: 'yes' }, sources: [await badgeExport(ctx)] });
        await ctx.emit({ kind: 'doorco.badge', key: 'B-3', data: { badgeId: 'B-3', holder: 'cy', active: false }, sources: [await badgeExport(ctx)] });
      }),
    );
    const sink = new MemorySink();
    const outcome = await runStream({ connector: definition, instance: 'doors', config: {}, stream: 'badges', sink, cursor: null, collectorVersion: 'test' });
    expect(sink.records.map((record) => [record.kind, record.key, record.controls])).toEqual([
      ['doorco.badge', 'B-1', ['CC6.4']],
      ['doorco.badge', 'B-3', ['CC6.4']],
    ]);
    expect(outcome.status).toBe('partial');
    expect(outcome.error).toMatch(/record doorco\.badge "B-2".*data\.active/);
  });
});
