/**
 * IAM Identity Center (SSO) users, read beside the IAM users when
 * `identityCenter` is configured (IdentityStore ListUsers). Each becomes an
 * access.account of its own (key `identitystore:<store>:<UserId>`, type
 * `sso_user`), so the leaver and owner checks match it to a person by its
 * email and list it when it matches nobody. An IAM user named like an
 * Identity Center user (its user name or one of its emails) takes that
 * user's email when it has none of its own: that is the mapping that traces
 * a console user to a person. ListUsers reports no MFA: `mfa: unknown`.
 */
import type { RecordInput, StreamContext } from '@evidentia/sdk';
import * as api from './api.js';
import type { AwsAccount } from './client.js';
import type { AwsConfig } from './config.js';
import type { IdentityCenterUser } from './schema.js';

interface CenterUser {
  user: IdentityCenterUser;
  email: string | null;
  source: string;
}

const emailOf = (user: IdentityCenterUser) => (user.Emails?.find((email) => email.Primary) ?? user.Emails?.[0])?.Value ?? null;

export class IdentityCenter {
  private readonly byName = new Map<string, CenterUser>();

  private constructor(
    readonly identityStoreId: string,
    readonly users: CenterUser[],
  ) {
    for (const entry of users) {
      for (const name of [entry.user.UserName, ...(entry.user.Emails ?? []).map((email) => email.Value)]) if (name) this.byName.set(name.toLowerCase(), entry);
    }
  }

  /** Every user of the configured store, or null when none is configured. */
  static async read(ctx: StreamContext<AwsConfig>, account: AwsAccount): Promise<IdentityCenter | null> {
    const center = ctx.config.identityCenter;
    if (!center) return null;
    const users: CenterUser[] = [];
    for await (const { item, source } of api.listIdentityCenterUsers(account, center.identityStoreId, center.region)) users.push({ user: item, email: emailOf(item), source });
    ctx.log.info('Identity Center users listed', { identityStoreId: center.identityStoreId, users: users.length });
    return new IdentityCenter(center.identityStoreId, users);
  }

  /** An IAM user's record with the email of the Identity Center user it is named like, when it has no email of its own. */
  traced(record: RecordInput<'access.account'>): RecordInput<'access.account'> {
    const match = this.byName.get(record.data.accountId.toLowerCase());
    if (!match || record.data.email !== null || match.email === null) return record;
    const attributes = { ...record.data.attributes, identityCenterUser: match.user.UserName ?? match.user.UserId };
    return { ...record, data: { ...record.data, email: match.email, attributes }, sources: [...record.sources, match.source] };
  }

  records(): Array<RecordInput<'access.account'>> {
    return this.users.map(({ user, email, source }) => ({
      key: `identitystore:${this.identityStoreId}:${user.UserId}`,
      data: {
        accountId: user.UserName ?? user.UserId,
        displayName: user.DisplayName ?? null,
        email,
        accountType: 'sso_user',
        status: 'active',
        privileged: false,
        roles: [],
        mfa: 'unknown',
        createdAt: null,
        lastLoginAt: null,
        credentials: [],
        ssoIdentity: user.UserId,
        attributes: { identityStoreId: this.identityStoreId },
      },
      sources: [source],
    }));
  }
}
