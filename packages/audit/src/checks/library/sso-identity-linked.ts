/**
 * Where an organization signs its people in through a SAML identity
 * provider, every member is linked to an identity there and every identity
 * belongs to a member. A member with no identity signs in around the
 * provider, so removing someone there does not remove their access; an
 * identity linked to no member is access provisioned to nobody the
 * organization knows (or left behind by someone who left). Judged in every
 * inventory of the period from what the code host recorded: each account's
 * `attributes.sso` (linked, unlinked, no-provider) and the organization's
 * `saml_sso` fact (access.config) with its identities linked to no member.
 * An organization without SAML SSO is recorded and reported as such (not
 * assessable, never a pass); linkage that was not recorded is not assessable.
 */
import { z } from 'zod';
import type { RecordData } from '@evidentia/evidence';
import { accountItems } from '../account-items.js';
import { isCodeHost, sourceFrom } from '../approvals.js';
import { defineCheck } from '../define.js';
import { ACTIVE_STATUSES, onlyInvited, serviceBecause } from './mfa-enabled.js';
import { observedSpan, when } from './inventory-text.js';

type Account = RecordData<'access.account'>;
type Setting = RecordData<'access.config'>;
interface Identity {
  nameId: string | null;
  email: string | null;
  login: string | null;
}

const Settings = z
  .object({
    ssoSystems: z.array(z.string()).default(['github']).describe('system prefixes that record SAML linkage (attributes.sso and a saml_sso setting)'),
    exemptAccountTypes: z.array(z.string()).default(['bot', 'service', 'outside_collaborator']).describe('account types SAML SSO does not apply to'),
  })
  .strict();

const identityName = (identity: Identity) => identity.nameId ?? identity.email ?? '(no NameID)';

export default defineCheck({
  id: 'sso-identity-linked',
  title: 'Members sign in through the identity provider, and every SSO identity belongs to a member',
  description:
    'Where the organization uses SAML SSO, in every inventory of the period each active member must be linked to an identity at the provider, and each identity must be linked to a member. A member without an identity and an identity linked to no member are exceptions. An organization with no SAML identity provider is reported as such (not assessable); linkage not recorded is not assessable; bots, services and outside collaborators are listed as exempt (setting exemptAccountTypes).',
  criteria: ['CC6.2', 'CC6.3'],
  reads: ['access.account', 'access.config'],
  perSystem: 'access.account',
  supplementary: ['access.config'],
  settings: Settings,
  appliesTo: (source, settings) => sourceFrom(source, settings.ssoSystems),
  async *evaluate({ evidence, settings }) {
    // appliesTo chooses the streams whose absence counts; the items of other systems are skipped here.
    const recordsSso = (system: string) => isCodeHost(system, settings.ssoSystems);
    const noProvider = new Set<string>();
    for await (const item of evidence.items('access.config')) {
      if (!recordsSso(item.system)) continue;
      const seen = item.seen.filter(({ record }) => (record.data as Setting).setting === 'saml_sso');
      if (seen.length === 0) continue;
      const target = (seen.at(-1)!.record.data as Setting).target;
      const absent = seen.filter(({ record }) => !(record.data as Setting).present).map(({ at }) => at);
      if (absent.length === seen.length) {
        noProvider.add(item.system);
        const reason = `the organization ${target} has no SAML identity provider ${observedSpan(absent)}: SSO linkage does not apply (a recorded fact, not a failure)`;
        yield { item: `SAML SSO of ${target}`, system: item.system, status: 'not-assessable', reason, records: [...new Set(seen.map(({ record }) => record.hash))] };
        continue;
      }
      // Each identity linked to no member, with the inventories that saw it so.
      const unlinked = new Map<string, { identity: Identity; at: string[]; records: Set<string> }>();
      for (const { at, record } of seen) {
        const listed = (record.data as Setting).settings.unlinkedIdentities;
        for (const identity of Array.isArray(listed) ? (listed as unknown as Identity[]) : []) {
          const entry = unlinked.get(identityName(identity)) ?? { identity, at: [], records: new Set<string>() };
          entry.at.push(at);
          entry.records.add(record.hash);
          unlinked.set(identityName(identity), entry);
        }
      }
      for (const [name, { identity, at, records }] of unlinked) {
        const to = identity.login === null ? 'to no GitHub account' : `to ${identity.login}, who is not a member`;
        yield { item: `SAML identity ${name}`, system: item.system, status: 'exception', reason: `linked ${to} ${when(at, seen.length)}`, records: [...records] };
      }
    }
    for await (const item of accountItems(evidence)) {
      if (!recordsSso(item.system)) continue;
      const active = item.seen.filter(({ record }) => ACTIVE_STATUSES.includes((record.data as Account).status));
      if (active.length === 0) continue;
      const latest = active.at(-1)!.record.data as Account;
      const base = { item: `${latest.accountId}${latest.email ? ` <${latest.email}>` : ''}`, system: item.system, records: [...new Set(active.map(({ record }) => record.hash))] };
      if (settings.exemptAccountTypes.includes(latest.accountType)) {
        yield { ...base, status: 'not-assessable', exempt: 'exemptAccountTypes', reason: `${latest.accountType} account${serviceBecause(latest)}: SAML SSO does not apply (setting exemptAccountTypes)` };
        continue;
      }
      const invited = onlyInvited(active, 'SAML SSO');
      // Without a provider the organization-level finding says it all, for invitations too.
      if (invited && noProvider.has(item.system)) continue;
      if (invited) {
        yield { ...base, status: 'not-assessable', reason: invited };
        continue;
      }
      const states = active.map(({ at, record }) => ({ at, sso: (record.data as Account).attributes?.sso }));
      // The organization-level finding above already says there is no provider: one finding, not one per member.
      if (noProvider.has(item.system) && states.every((s) => s.sso === 'no-provider')) continue;
      const unlinked = states.filter((s) => s.sso === 'unlinked').map((s) => s.at);
      const unknown = states.filter((s) => s.sso !== 'linked' && s.sso !== 'unlinked').map((s) => s.at);
      if (unlinked.length > 0) yield { ...base, status: 'exception', reason: `member with no SAML identity ${when(unlinked, active.length)}: signs in around the identity provider` };
      else if (unknown.length > 0) yield { ...base, status: 'not-assessable', reason: `SAML linkage was not recorded ${when(unknown, active.length)} (reading it needs an organization owner's token)` };
      else yield { ...base, status: 'pass', reason: `linked to SAML identity ${latest.ssoIdentity ?? '(unnamed)'} ${observedSpan(active.map(({ at }) => at))}` };
    }
  },
});
