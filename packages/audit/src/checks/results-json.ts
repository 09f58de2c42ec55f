/**
 * The check results file (`--json`, and checks/results.json in a bundle),
 * written while the checks run: every finding of every check, streamed, so
 * its size never has to fit in memory.
 *
 * {"format":"evidentia.check-results/1","period":{…},"checks":[{"id":…,"findings":[…],"counts":{…},"result":"pass","error":null},…]}
 *
 * A finding's status is pass, exception, not-assessable or not-assessed;
 * "result" is error, exceptions, not-assessed or pass. A not-assessable
 * finding a configured exemption made carries "exempt" (the setting's name),
 * and "exempt" on the check counts them. An exception that an
 * accepted exception names carries "acceptance" (status accepted, or lapsed
 * or revoked when it did not hold); "accepted" counts the accepted ones,
 * which stay exceptions. With acceptances, an "acceptances" member says when
 * they were judged and lists those in effect that no exception used.
 *
 * When frameworks other than SOC 2 are in scope, a "frameworks" member
 * follows the checks with each requirement's status through the mappings.
 */
import type { CheckDefinition, Finding } from './define.js';
import type { FrameworkTable } from '../frameworks/status.js';
import type { AcceptanceSummary } from './acceptances.js';
import { describePeriod, type Period } from './period.js';
import type { CheckOutcome, RunChecksOptions } from './runner.js';

export const CHECK_RESULTS_FORMAT = 'evidentia.check-results/1';

/** Hooks for runChecks that write the results document through `write` (which may wait for backpressure). */
export function checkResultsWriter(period: Period, write: (text: string) => void | Promise<void>): Pick<RunChecksOptions, 'onCheckStart' | 'onFinding' | 'onCheckEnd'> & {
  begin(): Promise<void>;
  end(frameworks?: readonly FrameworkTable[], acceptances?: AcceptanceSummary): Promise<void>;
} {
  let checks = 0;
  let findings = 0;
  return {
    async begin() {
      await write(`{"format":${JSON.stringify(CHECK_RESULTS_FORMAT)},"period":${JSON.stringify(describePeriod(period))},"checks":[`);
    },
    async onCheckStart(check: CheckDefinition<unknown>) {
      const { id, title, description, criteria, reads } = check;
      const head = JSON.stringify({ id, title, description, criteria, reads });
      await write(`${checks++ > 0 ? ',' : ''}\n${head.slice(0, -1)},"findings":[`);
      findings = 0;
    },
    async onFinding(_check: CheckDefinition<unknown>, finding: Finding) {
      await write(`${findings++ > 0 ? ',' : ''}\n${JSON.stringify(finding)}`);
    },
    async onCheckEnd(outcome: CheckOutcome) {
      await write(`],"settings":${JSON.stringify(outcome.settings ?? null)},"counts":${JSON.stringify(outcome.counts)},"accepted":${outcome.accepted ?? 0},"exempt":${outcome.exempt ?? 0},"result":${JSON.stringify(outcome.result)},"error":${JSON.stringify(outcome.error)}}`);
    },
    async end(frameworks?: readonly FrameworkTable[], acceptances?: AcceptanceSummary) {
      const frameworksPart = frameworks && frameworks.length > 0 ? `,"frameworks":${JSON.stringify(frameworks)}` : '';
      await write(`\n]${frameworksPart}${acceptances ? `,"acceptances":${JSON.stringify(acceptances)}` : ''}}\n`);
    },
  };
}
