/** The built-in checks, listed explicitly (a test checks the folder and this list agree). */
import type { CheckDefinition } from '../define.js';
import accessKeys from './access-keys.js';
import accessReviewPerformed from './access-review-performed.js';
import accountsHaveOwner from './accounts-have-owner.js';
import branchProtection from './branch-protection.js';
import changeTicketApproved from './change-ticket-approved.js';
import changeTicketLinked from './change-ticket-linked.js';
import cloudtrailLogging from './cloudtrail-logging.js';
import cloudtrailNeverStopped from './cloudtrail-never-stopped.js';
import emergencyChangeReviewed from './emergency-change-reviewed.js';
import incidentHandled from './incident-handled.js';
import leaversDeprovisioned from './leavers-deprovisioned.js';
import mfaEnabled from './mfa-enabled.js';
import outsideCollaboratorAccess from './outside-collaborator-access.js';
import pullRequestApproved from './pull-request-approved.js';
import ssoIdentityLinked from './sso-identity-linked.js';

export const builtInChecks: readonly CheckDefinition<unknown>[] = [
  pullRequestApproved,
  changeTicketApproved,
  changeTicketLinked,
  emergencyChangeReviewed,
  branchProtection,
  mfaEnabled,
  accessKeys,
  accountsHaveOwner,
  outsideCollaboratorAccess,
  ssoIdentityLinked,
  leaversDeprovisioned,
  accessReviewPerformed,
  incidentHandled,
  cloudtrailLogging,
  cloudtrailNeverStopped,
] as CheckDefinition<unknown>[];
