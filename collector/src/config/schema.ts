/**
 * The shape of evidentia.yaml. Connector-specific settings live under each
 * connector's `config` key and are validated by that connector's own schema
 * (see load.ts), so this file only knows the collector's own settings.
 */
import { z } from 'zod';
import { ControlOverrides } from '@evidentia/catalog';

const criterionList = z.array(z.string().min(1)).describe('criteria IDs such as CC6.1, or a range such as CC6.1-CC6.3');

export const StreamSettings = z
  .object({
    enabled: z.boolean().default(true).describe('collect this stream'),
    controls: criterionList.optional().describe('criteria that replace the stream defaults'),
  })
  .strict();

export const ConnectorEntry = z
  .object({
    type: z.string().optional().describe('built-in connector id; defaults to the entry name'),
    module: z.string().optional().describe('custom connector: a path (relative to this file) or a package name'),
    enabled: z.boolean().default(true),
    config: z.record(z.string(), z.unknown()).default({}).describe("the connector's own settings"),
    streams: z.record(z.string(), StreamSettings).default({}),
    requestBudget: z.number().int().positive().optional().describe('most requests one stream run may send'),
  })
  .strict()
  .refine((entry) => !(entry.type && entry.module), { message: 'give either type or module, not both' });

export const ConfigFile = z
  .object({
    locker: z.string().default('./locker').describe('evidence locker directory, relative to this file'),
    collector: z
      .object({
        requestBudget: z.number().int().positive().default(50_000).describe('most requests one stream run may send'),
        requestTimeoutSeconds: z.number().positive().default(60),
      })
      .strict()
      .default({ requestBudget: 50_000, requestTimeoutSeconds: 60 }),
    connectors: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/, 'connector names are lower-case letters, digits and dashes'), ConnectorEntry),
    controls: ControlOverrides.default({}).describe('criteria per record kind or <connector>/<stream>, replacing the defaults'),
  })
  .strict();

export type ConfigFile = z.infer<typeof ConfigFile>;
export type ConnectorEntry = z.infer<typeof ConnectorEntry>;
