/**
 * The rule that makes an IAM user `privileged` (documented in the README):
 * a policy attached to the user or to one of its groups is AWS's
 * AdministratorAccess or IAMFullAccess, or any policy (managed or inline) has
 * "admin" in its name, or an inline policy or the default version of a
 * customer-managed policy allows Action "*" on Resource "*". Pure functions,
 * so the rule is tested on its own.
 */
import { type ManagedPolicyDetail, PolicyDocument, parseResponse } from './schema.js';

/** Managed policies that grant administrator power (over everything, or over IAM and so over everything). */
const PRIVILEGED_POLICY_NAMES: readonly string[] = ['AdministratorAccess', 'IAMFullAccess'];

/** True when a policy's name alone marks it as privileged. */
export function isPrivilegedPolicyName(name: string): boolean {
  return PRIVILEGED_POLICY_NAMES.includes(name) || /admin/i.test(name);
}

/**
 * True when a policy document (as IAM returns it: URL-encoded JSON) has a
 * statement that allows Action "*" on Resource "*".
 */
export function grantsEverything(encodedDocument: string, what: string): boolean {
  let json: unknown;
  try {
    json = JSON.parse(decodeURIComponent(encodedDocument));
  } catch {
    throw new Error(`${what}: the policy document is not URL-encoded JSON`);
  }
  const document = parseResponse(what, PolicyDocument, json);
  return document.Statement.some((statement) => statement.Effect === 'Allow' && (statement.Action ?? []).includes('*') && (statement.Resource ?? []).includes('*'));
}

/**
 * True when the default version of a customer-managed policy grants
 * everything: only that version applies (older ones are kept history). A
 * default version without a document fails, rather than counting as harmless.
 */
export function defaultVersionGrantsEverything(policy: ManagedPolicyDetail): boolean {
  const what = `customer-managed policy ${policy.PolicyName} (${policy.Arn})`;
  const versions = policy.PolicyVersionList;
  const version =
    policy.DefaultVersionId === undefined ? versions.find((v) => v.IsDefaultVersion === true) : versions.find((v) => v.VersionId === policy.DefaultVersionId);
  if (version?.Document === undefined) throw new Error(`${what}: GetAccountAuthorizationDetails gives no document for its default version ${policy.DefaultVersionId ?? '(none named)'}`);
  return grantsEverything(version.Document, what);
}
