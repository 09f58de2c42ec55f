/**
 * What an AWS service error means for the connector, without any I/O: the
 * error code the SDK parsed (XML `<Code>` for IAM/STS, `__type` for
 * CloudTrail), and the one-line reason a stream fails with. An AccessDenied
 * names the IAM action that is missing, so the fix is obvious.
 */
import type { FailedExchange } from './fetch-handler.js';

/** The README section that holds the minimal policy. */
export const POLICY_HINT = 'add it to the policy in connectors/aws/README.md';

const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'NotAuthorized']);

/** An AWS SDK service error: what the connector reads from it. */
interface AwsServiceError {
  name: string;
  message: string;
  $metadata?: { httpStatusCode?: number };
}

function isAwsServiceError(error: unknown): error is AwsServiceError {
  const candidate = error as Partial<AwsServiceError> | null;
  return typeof candidate?.name === 'string' && typeof candidate.message === 'string' && typeof candidate.$metadata === 'object';
}

/** The AWS error code without the SDK's `Exception` suffix, e.g. `NoSuchEntity`, of a service error or of a failed call; else null. */
export function awsErrorCode(error: unknown): string | null {
  if (error instanceof AwsCallError) return error.code;
  return isAwsServiceError(error) ? error.name.replace(/Exception$/, '') : null;
}

function isAccessDenied(error: unknown): boolean {
  return isAwsServiceError(error) && ACCESS_DENIED.has(error.name);
}

/** A failed AWS call, as a stream reports it: the action, and for AccessDenied the permission to add. */
export class AwsCallError extends Error {
  override name = 'AwsCallError';
  /** The error response, when the transport kept it (see client.ts `keepErrorResponse`). */
  response: FailedExchange | null = null;
  constructor(
    message: string,
    readonly action: string,
    readonly code: string | null,
    /** AWS refused the caller the action (a missing permission, not a missing thing). */
    readonly denied: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The resource an AccessDenied message names ("… on resource: arn:…"), if any. */
function deniedResource(message: string): string | null {
  return /\bon resource: (\S+?)(?:\s|$)/.exec(message)?.[1] ?? null;
}

/**
 * The error a stream fails with when `action` (e.g. `iam:GetAccountAuthorizationDetails`)
 * failed `where` (e.g. ` in eu-west-1 of acme-prod`): "AccessDenied:
 * iam:GetAccountAuthorizationDetails of acme-prod on * (as arn:…); add it to the
 * policy in connectors/aws/README.md", or "… failed: Code: message".
 */
export function describeAwsFailure(action: string, error: unknown, identity: string | null, where = ''): AwsCallError {
  const code = awsErrorCode(error);
  const message = error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error);
  if (isAccessDenied(error)) {
    const resource = deniedResource(message);
    const who = identity ? ` (as ${identity})` : '';
    return new AwsCallError(`AccessDenied: ${action}${where}${resource ? ` on ${resource}` : ''}${who}; ${POLICY_HINT}`, action, code, true, { cause: error });
  }
  const status = isAwsServiceError(error) && error.$metadata?.httpStatusCode ? `HTTP ${error.$metadata.httpStatusCode} ` : '';
  return new AwsCallError(`${action}${where} failed: ${status}${isAwsServiceError(error) ? `${error.name}: ` : ''}${message}`, action, code, false, { cause: error });
}
