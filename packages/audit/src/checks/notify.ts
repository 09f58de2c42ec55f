/** Telling people about check exceptions: one short notice per failing check, never one message per item. */
import type { AuditNotifier, ExceptionNotice } from '../notices.js';
import type { CheckRun } from './runner.js';

const EXAMPLES = 5;

export function exceptionNotices(run: CheckRun): ExceptionNotice[] {
  return run.checks
    .filter((check) => check.counts.exception > 0)
    .map((check) => ({
      check: check.id,
      title: check.title,
      exceptions: check.counts.exception,
      examples: check.findings.filter((finding) => finding.status === 'exception').slice(0, EXAMPLES).map((finding) => finding.item),
    }));
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
