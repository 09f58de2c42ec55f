/**
 * Example custom connector with a record kind of its own: the devices in an
 * MDM's JSON export as `acme.device` records. evidentia's built-in
 * `endpoint.device` fits most MDMs; this example shows what to do when it
 * does not: declare the kind (a namespace that is yours, a zod object for its
 * data) in `kinds`, name it as the stream's `kind` and on each emit, and name
 * the criteria the stream serves (a kind of your own has no defaults). Its
 * records are validated at write, stored, verified, exported in populations
 * and read by custom checks (checks/device-encryption.ts) like any other.
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { defineConnector } from '@evidentia/sdk';

const Config = z.object({ exportFile: z.string().min(1) }).strict();

/** The kind's data: what the MDM says about one device, validated for every record before it is stored. */
export const AcmeDevice = z.object({
  serial: z.string(),
  owner: z.string().nullable(),
  platform: z.string(),
  osVersion: z.string(),
  diskEncrypted: z.boolean(),
  /** Minutes of inactivity before the screen locks; null when no lock is enforced. */
  screenLockMinutes: z.number().int().positive().nullable(),
  lastCheckInAt: z.iso.datetime({ offset: true }),
});

// The export's devices are read loosely (only the serial must be there, it is the record's key): a device the
// kind refuses becomes a named gap of the stream instead of costing it every other device.
const Export = z.object({
  exportedAt: z.iso.datetime({ offset: true }),
  tenant: z.string(),
  /** How many devices the MDM says it exported, in the export's header; older exports leave it out. */
  deviceCount: z.number().int().nonnegative().optional(),
  devices: z.array(z.looseObject({ serial: z.string() })),
});

export default defineConnector({
  id: 'acme-mdm',
  version: '0.1.0',
  title: 'ACME MDM device export (example custom connector with its own record kind)',
  configSchema: Config,
  credentials: [],
  system: (config) => `acme-mdm:${config.exportFile.split('/').pop() ?? 'export'}`,
  kinds: { 'acme.device': AcmeDevice },
  streams: {
    devices: {
      type: 'state',
      kind: 'acme.device',
      description: 'every enrolled device with its encryption, screen lock and last check-in',
      controls: ['CC6.8', 'CC7.1'],
      async collect(ctx) {
        // A relative exportFile is relative to the config file that names it, wherever evidentia runs from.
        const file = ctx.resolvePath(ctx.config.exportFile);
        const raw: unknown = JSON.parse(await readFile(file, 'utf8'));
        const source = await ctx.snapshot({ method: 'READ', url: pathToFileURL(file).href, requestBody: null, status: 200, headers: {} }, raw);
        const mdm = Export.parse(raw);
        ctx.setIdentity(`file export of tenant ${mdm.tenant} at ${mdm.exportedAt}`);
        // The MDM's own count of what it exported is the total the stream is held to. The list's length would
        // always agree with the list, a cut-off one too: an export without the count reports no total.
        if (mdm.deviceCount !== undefined) ctx.reportTotal(mdm.deviceCount, { what: 'devices the export header counts' });
        for (const device of mdm.devices) {
          await ctx.emit({
            kind: 'acme.device',
            key: device.serial,
            data: {
              serial: device.serial,
              owner: device.assignedTo ?? null,
              platform: device.platform,
              osVersion: device.osVersion,
              diskEncrypted: device.fileVault,
              screenLockMinutes: device.screenLockMinutes ?? null,
              lastCheckInAt: device.lastSeen,
            },
            sources: [source],
          });
        }
      },
    },
  },
});
