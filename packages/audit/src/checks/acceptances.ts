/**
 * Which accepted exceptions hold for a period, and marking the exceptions
 * they cover. An acceptance is judged at the period's end (end exclusive,
 * already cut to now when the period runs past it): it holds when that
 * instant is no later than the end of its last day in the audit zone and it
 * was not revoked before then. It may have been recorded after the period
 * (risk is often accepted when the exception is found). A covered exception
 * stays an exception: it is marked accepted, never counted as a pass, and
 * the check's result and exit code stay those of a check with exceptions.
 */
import type { ExceptionAcceptance, Locker } from '@evidentia/locker';
import { TimeZone } from '@evidentia/time';
import type { AuditConfig } from '../audit-config.js';
import { auditTimezone } from '../audit-time.js';
import type { Period } from './period.js';

export type AcceptanceStatus = 'in effect' | 'lapsed' | 'revoked';

/** What a finding carries about the acceptance of its check and item (set by the runner, never by a check). */
export interface AcceptanceMark {
  id: number;
  /** accepted: it holds for the period; lapsed / revoked: it did not hold, so the exception stands unaccepted. */
  status: 'accepted' | 'lapsed' | 'revoked';
  reason: string;
  approver: string;
  until: string;
}

/** An acceptance as judged for a period. */
export interface JudgedAcceptance extends ExceptionAcceptance {
  status: AcceptanceStatus;
}

/** What the acceptances of a check run came to: those in effect that no exception of a check that ran used. */
export interface AcceptanceSummary {
  /** Judged at this instant (the period's end). */
  judgedAt: string;
  accepted: number;
  unused: JudgedAcceptance[];
}

const key = (check: string, item: string) => `${check}\u0000${item}`;

/** The first instant after an acceptance's last day, in the zone. */
export function acceptanceEnd(until: string, zone: TimeZone): number {
  const next = Date.parse(`${until}T00:00:00Z`) + 86_400_000;
  return zone.instantOf(next);
}

/** An acceptance's status at `at` (ms). */
export function acceptanceStatus(acceptance: ExceptionAcceptance, at: number, zone: TimeZone): AcceptanceStatus {
  if (acceptance.revoked && Date.parse(acceptance.revoked.at) <= at) return 'revoked';
  return at <= acceptanceEnd(acceptance.until, zone) ? 'in effect' : 'lapsed';
}

export class AcceptanceJudge {
  private readonly byItem = new Map<string, JudgedAcceptance[]>();
  private readonly used = new Set<number>();

  constructor(
    readonly acceptances: readonly JudgedAcceptance[],
    readonly judgedAt: Date,
  ) {
    for (const acceptance of acceptances) {
      const list = this.byItem.get(key(acceptance.check, acceptance.item)) ?? [];
      list.push(acceptance);
      this.byItem.set(key(acceptance.check, acceptance.item), list);
    }
  }

  static of(acceptances: readonly ExceptionAcceptance[], period: Pick<Period, 'until'>, timezone: string): AcceptanceJudge {
    const zone = TimeZone.of(timezone);
    const at = period.until.getTime();
    return new AcceptanceJudge(
      acceptances.map((acceptance) => ({ ...acceptance, status: acceptanceStatus(acceptance, at, zone) })),
      period.until,
    );
  }

  /** The mark for an exception of `check` on `item`: the newest acceptance in effect, else the newest that did not hold; null when none names it. */
  mark(check: string, item: string): AcceptanceMark | null {
    const candidates = this.byItem.get(key(check, item));
    if (!candidates) return null;
    const holding = candidates.filter((acceptance) => acceptance.status === 'in effect').at(-1);
    const chosen = holding ?? candidates.at(-1)!;
    if (holding) this.used.add(holding.id);
    const status = chosen.status === 'in effect' ? 'accepted' : chosen.status;
    return { id: chosen.id, status, reason: chosen.reason, approver: chosen.approver, until: chosen.until };
  }

  /** After the checks ran: how many exceptions were accepted and which acceptances in effect for the checks that ran found no exception. */
  summary(checksRun: readonly string[], accepted: number): AcceptanceSummary {
    const ran = new Set(checksRun);
    const unused = this.acceptances.filter((acceptance) => acceptance.status === 'in effect' && ran.has(acceptance.check) && !this.used.has(acceptance.id));
    return { judgedAt: this.judgedAt.toISOString(), accepted, unused };
  }
}

/** The locker's acceptances, judged for the period in the configured audit zone. */
export async function acceptancesFor(locker: Pick<Locker, 'acceptances'>, period: Pick<Period, 'until'>, config: Pick<AuditConfig, 'timezone'> | null | undefined): Promise<AcceptanceJudge> {
  return AcceptanceJudge.of(await locker.acceptances(), period, auditTimezone(config));
}
