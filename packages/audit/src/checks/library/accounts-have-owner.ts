/**
 * Every account active during the period belongs to a known person. People
 * are known from the configured aliases, from personnel records (HR tickets,
 * directory lifecycle events, any time up to the period's end) and from the
 * accounts of the directory systems named in the settings (e.g. Google
 * Workspace: its users are the people). An account that matches nobody is an
 * exception; bots and service accounts are listed as exempt (setting
 * exemptAccountTypes: the configuration's judgement, never a pass).
 */
import { z } from 'zod';
import type { RecordData } from '@evidentia/evidence';
import { accountItems } from '../account-items.js';
import { defineCheck, type InventoryItem } from '../define.js';
import { collectEvents } from '../evidence.js';
import { accountIdentifiers } from '../people.js';
import { ACTIVE_STATUSES, serviceBecause } from './mfa-enabled.js';

type Account = RecordData<'access.account'>;
type Personnel = RecordData<'personnel.event'>;

const Settings = z
  .object({
    directorySystems: z.array(z.string()).default(['google-workspace']).describe('system prefixes whose accounts are the people'),
    exemptAccountTypes: z.array(z.string()).default(['bot', 'service', 'root']).describe('non-personal account types'),
  })
  .strict();

const latestActive = (item: InventoryItem) => item.seen.filter(({ record }) => ACTIVE_STATUSES.includes((record.data as Account).status)).at(-1);

export default defineCheck({
  id: 'accounts-have-owner',
  title: 'Every account belongs to a known person',
  description:
    'Each account active in any inventory during the period must match a known person by email, SSO identity, login or configured alias. People are known from the aliases, personnel records and the directory systems. Unmatched accounts are listed as exceptions; non-personal accounts (bots, services, root) as exempt (setting exemptAccountTypes).',
  criteria: ['CC6.2', 'CC6.3'],
  reads: ['access.account', 'personnel.event'],
  supplementary: ['personnel.event'],
  settings: Settings,
  async *evaluate({ evidence, settings, people: configured }) {
    const people = configured.clone();
    const epoch = new Date(0);
    for (const record of await collectEvents(evidence, 'personnel.event', { since: epoch, until: evidence.period.until })) {
      const person = (record.data as Personnel).person;
      people.register([person.email, person.id]);
    }
    const isDirectory = (system: string) => settings.directorySystems.includes(system.split(':')[0] ?? '');
    // First pass: directory accounts define people.
    for await (const item of evidence.items('access.account')) {
      if (isDirectory(item.system)) for (const { record } of item.seen) people.register(accountIdentifiers(record.data as Account));
    }
    for await (const item of accountItems(evidence)) {
      const seen = latestActive(item);
      if (!seen) continue;
      const account = seen.record.data as Account;
      const base = { item: `${account.accountId}${account.email ? ` <${account.email}>` : ''}`, system: item.system, records: [seen.record.hash] };
      if (settings.exemptAccountTypes.includes(account.accountType)) {
        yield { ...base, status: 'not-assessable', exempt: 'exemptAccountTypes', reason: `non-personal ${account.accountType} account${serviceBecause(account)} (setting exemptAccountTypes): its owner is not derived from the evidence` };
        continue;
      }
      const person = people.personOf(accountIdentifiers(account));
      if (person) yield { ...base, status: 'pass', reason: isDirectory(item.system) ? 'directory account: defines the person' : `belongs to ${person}` };
      else yield { ...base, status: 'exception', reason: `active at ${seen.at} and matches no known person by ${accountIdentifiers(account).join(', ')} (add an alias in people.aliases if it is someone's)` };
    }
  },
});
