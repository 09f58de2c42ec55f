/**
 * One period judged the way `readiness` judges it: the checks in scope run
 * once over the period and the evidence counted per criterion, then the
 * readiness of any framework computed from those outcomes (never running the
 * checks twice). The `readiness` command and the portal share it, so the
 * page and the command cannot disagree.
 */
import { type AcceptanceJudge, type AuditConfig, type CheckRun, type ConfiguredCheck, PeopleDirectory, type Readiness, readinessFromLocker, runChecks, sourcePlans } from '@evidentia/audit';
import type { FrameworkId } from '@evidentia/catalog';
import type { Locker } from '@evidentia/locker';
import type { Period } from '@evidentia/time';
import { countEvidence } from './model.js';

export interface PeriodJudgement {
  period: Period;
  run: CheckRun;
  /** Items of the period per criterion and record kind. */
  records: Map<string, Map<string, number>>;
}

/** Runs `checks` over the period (marking exceptions the acceptances name, when given) and counts its evidence. */
export async function judgePeriod(locker: Locker, config: AuditConfig, period: Period, checks: ConfiguredCheck[], acceptances?: AcceptanceJudge): Promise<PeriodJudgement> {
  const run = await runChecks({ locker, period, checks, people: new PeopleDirectory(config.people.aliases), sources: sourcePlans(config), ...(acceptances ? { acceptances } : {}) });
  return { period, run, records: await countEvidence(locker, period) };
}

/** The readiness of one framework for a judged period, as of `now`. */
export function readinessOfJudgement(locker: Locker, config: AuditConfig, judgement: PeriodJudgement, framework: FrameworkId, now: Date): Promise<Readiness> {
  const { period, run, records } = judgement;
  return readinessFromLocker(locker, config, { framework, period: { since: period.since, until: period.until }, now, checks: run.checks, records });
}
