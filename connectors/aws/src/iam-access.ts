/**
 * What applies to an IAM user, from GetAccountAuthorizationDetails: its
 * groups, the managed policies attached to it and its inline policies (whose
 * documents come with the listing, for the "Action * on Resource *" rule),
 * and the same for each of its groups. The account's customer-managed
 * policies are listed first (users and groups both attach them, and only
 * their documents say what they grant), then its groups; both are held for
 * the run (they are few: IAM allows 1,500 and 300 by default), so users can
 * then be judged one page at a time as they arrive.
 */
import * as api from './api.js';
import type { AwsAccount } from './client.js';
import type { GroupAccess, UserAccess } from './normalize.js';
import { defaultVersionGrantsEverything, grantsEverything, isPrivilegedPolicyName } from './privilege.js';
import type { GroupDetail, UserDetail } from './schema.js';

type AttachedPolicy = { PolicyName: string; PolicyArn: string };
type InlinePolicy = { PolicyName: string; PolicyDocument: string };
type ListedPolicy = { grantsEverything: boolean; source: string };

/** AWS-managed policies (`arn:<partition>:iam::aws:policy/…`) are not in the account's listing; they are judged by name. */
const isAwsManaged = (arn: string) => /^arn:[^:]+:iam::aws:policy\//.test(arn);

/** Every customer-managed policy of one account, as GetAccountAuthorizationDetails (Filter=LocalManagedPolicy) lists them, judged by its default version. */
export class PolicyDirectory {
  #policies = new Map<string, ListedPolicy>();

  constructor(private readonly account: AwsAccount) {}

  async read(): Promise<void> {
    const policies = new Map<string, ListedPolicy>();
    for await (const { item: policy, source } of api.listCustomerManagedPolicies(this.account)) {
      policies.set(policy.Arn, { grantsEverything: defaultVersionGrantsEverything(policy), source });
    }
    this.#policies = policies;
  }

  get(arn: string, owner: string): ListedPolicy {
    const policy = this.#policies.get(arn);
    if (!policy) throw new Error(`${owner} has policy ${arn} attached, which GetAccountAuthorizationDetails does not list (IAM changed during collection; run again)`);
    return policy;
  }

  get size(): number {
    return this.#policies.size;
  }
}

/**
 * The policies of one user or group that make it privileged, and the listing
 * pages of its customer-managed policies. Every inline document is read, even
 * under an "admin" name, so one that cannot be read always fails rather than
 * counting as harmless.
 */
function judge(owner: string, attached: AttachedPolicy[], inline: InlinePolicy[], policies: PolicyDirectory): { privilegedBy: string[]; sources: string[] } {
  const privilegedBy: string[] = [];
  const sources: string[] = [];
  for (const policy of attached) {
    const listed = isAwsManaged(policy.PolicyArn) ? null : policies.get(policy.PolicyArn, owner);
    if (listed) sources.push(listed.source);
    if (isPrivilegedPolicyName(policy.PolicyName) || listed?.grantsEverything === true) privilegedBy.push(policy.PolicyName);
  }
  for (const policy of inline) {
    const everything = grantsEverything(policy.PolicyDocument, `inline policy ${policy.PolicyName} of ${owner}`);
    if (isPrivilegedPolicyName(policy.PolicyName) || everything) privilegedBy.push(policy.PolicyName);
  }
  return { privilegedBy, sources };
}

function groupAccess(group: GroupDetail, source: string, policies: PolicyDirectory): GroupAccess {
  const judged = judge(`group ${group.GroupName}`, group.AttachedManagedPolicies, group.GroupPolicyList, policies);
  return {
    name: group.GroupName,
    managed: group.AttachedManagedPolicies.map((policy) => policy.PolicyName),
    inline: group.GroupPolicyList.map((policy) => policy.PolicyName),
    privilegedBy: judged.privilegedBy,
    sources: [...new Set([source, ...judged.sources])],
  };
}

/** Every group of one account, as GetAccountAuthorizationDetails (Filter=Group) lists them. */
export class GroupDirectory {
  #groups = new Map<string, GroupAccess>();

  constructor(
    private readonly account: AwsAccount,
    private readonly policies: PolicyDirectory,
  ) {}

  /** List the groups (again): a group created after the last listing may already hold users. */
  async read(): Promise<void> {
    const groups = new Map<string, GroupAccess>();
    for await (const { item: group, source } of api.listGroups(this.account)) groups.set(group.GroupName, groupAccess(group, source, this.policies));
    this.#groups = groups;
  }

  /** True when every group the user names has been listed. */
  knows(user: UserDetail): boolean {
    return user.GroupList.every((name) => this.#groups.has(name));
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
export function userAccess(user: UserDetail, groups: GroupDirectory, policies: PolicyDirectory): UserAccess {
  const judged = judge(`user ${user.UserName}`, user.AttachedManagedPolicies, user.UserPolicyList, policies);
  return {
    managed: user.AttachedManagedPolicies.map((policy) => policy.PolicyName),
    inline: user.UserPolicyList.map((policy) => policy.PolicyName),
    privilegedBy: judged.privilegedBy,
    sources: judged.sources,
    groups: user.GroupList.map((name) => groups.get(name, user.UserName)),
  };
}
