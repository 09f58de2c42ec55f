/**
 * Example custom connector emitting a built-in kind: security-awareness
 * course completions from a learning platform's JSON export as
 * `training.record` records. The stream names no criteria, so the kind's
 * default links apply (CC1.4 competence, CC2.2 internal communication);
 * populations get the kind's own columns (person, course, completed at,
 * expires).
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { defineConnector } from '@evidentia/sdk';

const Config = z.object({ exportFile: z.string().min(1) }).strict();

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date such as 2026-01-31');
const Export = z.object({
  exportedAt: z.iso.datetime({ offset: true }),
  platform: z.string(),
  completions: z.array(z.object({ email: z.string(), name: z.string().nullable(), course: z.string(), completedOn: day, validForMonths: z.number().int().positive().nullable() })),
});

const midnight = (date: string) => `${date}T00:00:00Z`;
function monthsAfter(date: string, months: number): string {
  const at = new Date(midnight(date));
  at.setUTCMonth(at.getUTCMonth() + months);
  return at.toISOString().replace('.000Z', 'Z');
}

export default defineConnector({
  id: 'training-export',
  version: '0.1.0',
  title: 'Learning platform export (example custom connector emitting training.record)',
  configSchema: Config,
  credentials: [],
  system: (config) => `training-export:${config.exportFile.split('/').pop() ?? 'export'}`,
  streams: {
    completions: {
      type: 'event',
      kind: 'training.record',
      description: 'course completions with the date each stops counting',
      controls: [],
      async collect(ctx) {
        // A relative exportFile is relative to the config file that names it, wherever evidentia runs from.
        const file = ctx.resolvePath(ctx.config.exportFile);
        const raw: unknown = JSON.parse(await readFile(file, 'utf8'));
        const source = await ctx.snapshot({ method: 'READ', url: pathToFileURL(file).href, requestBody: null, status: 200, headers: {} }, raw);
        const lms = Export.parse(raw);
        ctx.setIdentity(`file export from ${lms.platform} at ${lms.exportedAt}`);
        const since = ctx.range?.since?.getTime() ?? Number.NEGATIVE_INFINITY;
        const until = ctx.range?.until.getTime() ?? Number.POSITIVE_INFINITY;
        for (const completion of lms.completions) {
          const at = Date.parse(midnight(completion.completedOn));
          if (at < since || at >= until) continue;
          await ctx.emit({
            key: `${completion.email}:${completion.course}:${completion.completedOn}`,
            occurredAt: midnight(completion.completedOn),
            data: {
              person: { email: completion.email, name: completion.name, id: null },
              course: completion.course,
              status: 'completed',
              completedAt: midnight(completion.completedOn),
              expiresAt: completion.validForMonths === null ? null : monthsAfter(completion.completedOn, completion.validForMonths),
            },
            sources: [source],
          });
        }
      },
    },
  },
});
