/**
 * Telling people about check exceptions: one short notice per failing check,
 * never one message per item. An accepted exception stays in the count and
 * is named as accepted; an item whose acceptance lapsed or was revoked is
 * open again, and is named first with the open ones.
 */
import type { AuditNotifier, ExceptionExample, ExceptionNotice } from '../notices.js';
import type { Finding } from './define.js';
import type { CheckRun } from './runner.js';

const EXAMPLES = 5;

function exampleOf({ item, acceptance }: Finding): ExceptionExample {
  return acceptance ? { item, acceptance: { id: acceptance.id, status: acceptance.status, until: acceptance.until } } : { item };
}

export function exceptionNotices(run: CheckRun): ExceptionNotice[] {
  return run.checks
    .filter((check) => check.counts.exception > 0)
    .map((check) => {
      const exceptions = check.findings.filter((finding) => finding.status === 'exception');
      const isAccepted = (finding: Finding) => finding.acceptance?.status === 'accepted';
      const examples = [...exceptions.filter((finding) => !isAccepted(finding)), ...exceptions.filter(isAccepted)].slice(0, EXAMPLES).map(exampleOf);
      return { check: check.id, title: check.title, exceptions: check.counts.exception, ...(check.accepted ? { accepted: check.accepted } : {}), examples };
    });
}

/** Send the notices through the configured channel; a failure to notify never fails the check run. */
export async function notifyExceptions(run: CheckRun, notifier: AuditNotifier): Promise<void> {
  const notices = exceptionNotices(run);
  if (notices.length === 0) return;
  try {
    await notifier.exceptionsFound(notices);
  } catch (error) {
    process.stderr.write(`evidentia: could not send the exception notice: ${(error as Error).message}\n`);
  }
}
