/**
 * Example custom check over a connector's own record kind: every device the
 * MDM export (acme-mdm/connector.ts, kind `acme.device`) listed during the
 * period had its disk encrypted each time it was seen. A check names a
 * custom kind in `reads` like a built-in one; the kind's data is whatever the
 * connector's schema says, so the check describes the fields it uses.
 * Load it from evidentia.yaml:
 *
 *   checks:
 *     custom: [./checks/device-encryption.ts]
 */
import { z } from 'zod';
import { defineCheck } from '@evidentia/audit';

/** The fields of an `acme.device` record this check reads. */
interface Device {
  serial: string;
  owner: string | null;
  diskEncrypted: boolean;
}

export default defineCheck({
  id: 'acme-devices-encrypted',
  title: 'Devices encrypted (ACME MDM)',
  description: 'Each device the MDM listed in any inventory during the period had full-disk encryption on whenever it was seen.',
  criteria: ['CC6.8'],
  reads: ['acme.device'],
  settings: z.object({}).strict(),
  async *evaluate({ evidence }) {
    for await (const item of evidence.items('acme.device')) {
      const unencrypted = item.seen.filter(({ record }) => !(record.data as unknown as Device).diskEncrypted);
      const device = item.seen.at(-1)!.record.data as unknown as Device;
      const base = { item: `${device.serial}${device.owner ? ` (${device.owner})` : ''}`, system: item.system };
      if (unencrypted.length === 0) {
        yield { ...base, status: 'pass', reason: `disk encrypted in all ${item.seen.length} inventories that listed it`, records: [...new Set(item.seen.map(({ record }) => record.hash))] };
      } else {
        yield { ...base, status: 'exception', reason: `disk not encrypted when seen at ${unencrypted[0]!.at}${unencrypted.length > 1 ? ` and ${unencrypted.length - 1} more time(s)` : ''}`, records: [...new Set(unencrypted.map(({ record }) => record.hash))] };
      }
    }
  },
});
