/**
 * What applies to an IAM user, from GetAccountAuthorizationDetails: its
 * groups, the managed policies attached to it and its inline policies (whose
 * documents come with the listing, for the "Action * on Resource *" rule),
 * and the same for each of its groups. The groups of an account are listed
 * first and held for the run (they are few: IAM allows 300 by default), so
 * users can then be judged one page at a time as they arrive.
 */
import * as api from './api.js';
import type { AwsAccount } from './client.js';
import type { GroupAccess, UserAccess } from './normalize.js';
import { grantsEverything } from './privilege.js';
import type { GroupDetail, UserDetail } from './schema.js';

type InlinePolicy = { PolicyName: string; PolicyDocument: string };

/** Does any inline document allow everything? A document that cannot be read fails, rather than counting as harmless. */
function inlineGrantsEverything(owner: string, policies: InlinePolicy[]): boolean {
  return policies.map((policy) => grantsEverything(policy.PolicyDocument, `inline policy ${policy.PolicyName} of ${owner}`)).some(Boolean);
}

function groupAccess(group: GroupDetail, source: string): GroupAccess {
  return {
    name: group.GroupName,
    managed: group.AttachedManagedPolicies.map((policy) => policy.PolicyName),
    inline: group.GroupPolicyList.map((policy) => policy.PolicyName),
    grantsEverything: inlineGrantsEverything(`group ${group.GroupName}`, group.GroupPolicyList),
    sources: [source],
  };
}

/** Every group of one account, as GetAccountAuthorizationDetails (Filter=Group) lists them. */
export class GroupDirectory {
  #groups = new Map<string, GroupAccess>();

  constructor(private readonly account: AwsAccount) {}

  /** List the groups (again): a group created after the last listing may already hold users. */
  async read(): Promise<void> {
    const groups = new Map<string, GroupAccess>();
    for await (const page of api.iamPages('iam:GetAccountAuthorizationDetails', (marker) => api.getAuthorizationDetails(this.account, 'Group', marker))) {
      for (const group of page.value.GroupDetailList) groups.set(group.GroupName, groupAccess(group, page.source));
    }
    this.#groups = groups;
  }

  /** True when every group the users name has been listed. */
  knows(users: UserDetail[]): boolean {
    return users.every((user) => user.GroupList.every((name) => this.#groups.has(name)));
  }

  get(name: string, userName: string): GroupAccess {
    const group = this.#groups.get(name);
    if (!group) throw new Error(`user ${userName} is in group ${name}, which GetAccountAuthorizationDetails does not list (IAM changed during collection; run again)`);
    return group;
  }

  get size(): number {
    return this.#groups.size;
  }
}

/** Everything that applies to one user, directly and through its groups. */
export function userAccess(user: UserDetail, groups: GroupDirectory): UserAccess {
  return {
    managed: user.AttachedManagedPolicies.map((policy) => policy.PolicyName),
    inline: user.UserPolicyList.map((policy) => policy.PolicyName),
    grantsEverything: inlineGrantsEverything(`user ${user.UserName}`, user.UserPolicyList),
    groups: user.GroupList.map((name) => groups.get(name, user.UserName)),
  };
}
