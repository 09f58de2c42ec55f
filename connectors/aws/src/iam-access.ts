/**
 * What applies to an IAM user: its groups, the managed policies attached to
 * it and its inline policies (whose documents are read, for the "Action *
 * on Resource *" rule), and the same for each of its groups. Groups are read
 * once per account and run through a cache of promises, so a group shared by
 * 5,000 users costs its requests once, even while users are read concurrently.
 */
import * as api from './api.js';
import type { AwsAccount } from './client.js';
import type { GroupAccess, UserAccess } from './normalize.js';
import { grantsEverything } from './privilege.js';

type InlineReader = (name: string) => ReturnType<typeof api.getUserPolicy>;

/** Inline policy documents, read one by one: does any allow everything? */
async function inlineGrantsEverything(owner: string, names: string[], read: InlineReader, sources: string[]): Promise<boolean> {
  let everything = false;
  for (const name of names) {
    const policy = await read(name);
    sources.push(policy.source);
    if (grantsEverything(policy.value.PolicyDocument, `inline policy ${name} of ${owner}`)) everything = true;
  }
  return everything;
}

/** The groups of one account, each read on first use. */
export class GroupCache {
  readonly #groups = new Map<string, Promise<GroupAccess>>();

  constructor(private readonly account: AwsAccount) {}

  get(name: string): Promise<GroupAccess> {
    let group = this.#groups.get(name);
    if (!group) {
      group = this.read(name);
      this.#groups.set(name, group);
    }
    return group;
  }

  /** Groups read so far. */
  get size(): number {
    return this.#groups.size;
  }

  private async read(name: string): Promise<GroupAccess> {
    const account = this.account;
    const managed = await api.iamList('iam:ListAttachedGroupPolicies', (m) => api.listAttachedGroupPolicies(account, name, m), (p) => p.AttachedPolicies.map((a) => a.PolicyName));
    const inline = await api.iamList('iam:ListGroupPolicies', (m) => api.listGroupPolicies(account, name, m), (p) => p.PolicyNames);
    const sources = [...managed.sources, ...inline.sources];
    const everything = await inlineGrantsEverything(`group ${name}`, inline.items, (policy) => api.getGroupPolicy(account, name, policy), sources);
    return { name, managed: managed.items, inline: inline.items, grantsEverything: everything, sources };
  }
}

/** Everything that applies to one user, directly and through its groups. */
export async function userAccess(account: AwsAccount, userName: string, groups: GroupCache): Promise<UserAccess> {
  const memberOf = await api.iamList('iam:ListGroupsForUser', (m) => api.listGroupsForUser(account, userName, m), (p) => p.Groups.map((g) => g.GroupName));
  const managed = await api.iamList('iam:ListAttachedUserPolicies', (m) => api.listAttachedUserPolicies(account, userName, m), (p) => p.AttachedPolicies.map((a) => a.PolicyName));
  const inline = await api.iamList('iam:ListUserPolicies', (m) => api.listUserPolicies(account, userName, m), (p) => p.PolicyNames);
  const sources = [...memberOf.sources, ...managed.sources, ...inline.sources];
  const everything = await inlineGrantsEverything(`user ${userName}`, inline.items, (policy) => api.getUserPolicy(account, userName, policy), sources);
  const groupAccess = await Promise.all(memberOf.items.map((group) => groups.get(group)));
  return { managed: managed.items, inline: inline.items, grantsEverything: everything, groups: groupAccess, sources };
}
