/**
 * Example custom connector: joiners and leavers from an HR system's JSON
 * export (many HR tools can only export files). It shows the whole connector
 * contract in one small file: a zod config, a zod schema for the raw input,
 * an explicit snapshot of what was read, and normalized personnel.event
 * records. Load it from evidentia.yaml with `module: ./path/to/connector.ts`.
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { defineConnector } from '@evidentia/sdk';

const Config = z.object({ exportFile: z.string().min(1) }).strict();

// A day of the calendar: one such as 2026-13-01 would make no time (and drop its event from every range), 2026-02-30 another day.
const day = z.iso.date({ message: 'expected a day of the calendar such as 2026-01-31' });
const Export = z.object({
  exportedAt: z.iso.datetime({ offset: true }),
  system: z.string(),
  people: z.array(
    z.object({
      employeeId: z.string(),
      name: z.string(),
      workEmail: z.string().nullable(),
      startDate: day,
      endDate: day.nullable(),
      department: z.string().nullable(),
    }),
  ),
});

const midnight = (date: string) => `${date}T00:00:00Z`;

export default defineConnector({
  id: 'hr-export',
  version: '0.1.0',
  title: 'HR system export (example custom connector)',
  configSchema: Config,
  credentials: [],
  system: (config) => `hr-export:${config.exportFile.split('/').pop() ?? 'export'}`,
  streams: {
    lifecycle: {
      type: 'event',
      kind: 'personnel.event',
      description: 'joiners and leavers with their effective dates, from the HR export',
      controls: ['CC1.4', 'CC6.2', 'CC6.3'],
      async collect(ctx) {
        // A relative exportFile is relative to the config file that names it, wherever evidentia runs from.
        const file = ctx.resolvePath(ctx.config.exportFile);
        const text = await readFile(file, 'utf8');
        const raw: unknown = JSON.parse(text);
        const source = await ctx.snapshot(
          { method: 'READ', url: pathToFileURL(file).href, requestBody: null, status: 200, headers: {} },
          raw,
        );
        const hr = Export.parse(raw);
        ctx.setIdentity(`file export from ${hr.system} at ${hr.exportedAt}`);
        const since = ctx.range?.since?.getTime() ?? Number.NEGATIVE_INFINITY;
        const until = ctx.range?.until.getTime() ?? Number.POSITIVE_INFINITY;
        const inRange = (date: string) => Date.parse(midnight(date)) >= since && Date.parse(midnight(date)) < until;
        // The export states no count of its own, so no total is reported: counting the records emitted here
        // would only repeat the listing (the IPE header then says the source reports no total).
        for (const person of hr.people) {
          const events = [{ type: 'joiner' as const, date: person.startDate }, ...(person.endDate ? [{ type: 'leaver' as const, date: person.endDate }] : [])];
          for (const event of events.filter((candidate) => inRange(candidate.date))) {
            await ctx.emit({
              key: `${person.employeeId}:${event.type}:${event.date}`,
              occurredAt: midnight(event.date),
              data: {
                person: { email: person.workEmail, name: person.name, id: person.employeeId },
                type: event.type,
                effectiveAt: midnight(event.date),
                source: `${hr.system} export`,
                ticket: null,
                completedAt: null,
              },
              sources: [source],
            });
          }
        }
      },
    },
  },
});
