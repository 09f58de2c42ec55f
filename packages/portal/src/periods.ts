/**
 * Which audit periods a user may look at. Auditors see only the configured
 * `portal.auditPeriods` (the first is their default) and are refused any
 * other; admin and team may also type any period and default to the last 90
 * days, as `readiness` does. Periods are read by the one grammar of
 * @evidentia/time in the audit zone.
 */
import { auditTimezone, type AuditConfig, recentDays } from '@evidentia/audit';
import { parsePeriod, PeriodError, type Period } from '@evidentia/time';
import type { PortalSettings, Role } from './settings.js';

const DEFAULT_DAYS = 90;

export type PeriodChoice = { ok: true; text: string; period: Period } | { ok: false; status: 400 | 403; message: string };

export class PeriodAccess {
  private readonly zone: string;

  constructor(
    config: Pick<AuditConfig, 'timezone'>,
    private readonly settings: Pick<PortalSettings, 'auditPeriods' | 'users'>,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.zone = auditTimezone(config);
  }

  /** Problems with the configured periods and users, one line each (checked before the server starts). */
  problems(): string[] {
    const problems: string[] = [];
    this.settings.auditPeriods.forEach((text, index) => {
      try {
        parsePeriod(text, { timezone: this.zone, now: this.now(), option: `portal.auditPeriods[${index}]` });
      } catch (error) {
        if (!(error instanceof PeriodError)) throw error;
        problems.push(error.message);
      }
    });
    const auditors = this.settings.users.filter((user) => user.role === 'auditor');
    if (auditors.length > 0 && this.settings.auditPeriods.length === 0) problems.push(`portal.auditPeriods: auditor ${auditors[0]!.name} can see no period: list the audit periods auditors may see`);
    return problems;
  }

  /** The periods offered in the picker for this role (`allowed`: an auditor's own subset of the audit periods). */
  offered(role: Role, allowed: readonly string[] = this.settings.auditPeriods): string[] {
    if (role === 'auditor') return [...allowed];
    const recent = this.recent();
    return [recent, ...this.settings.auditPeriods.filter((text) => text !== recent)];
  }

  /** The period `text` names for this role (its default when absent), or why it is refused. */
  choose(role: Role, text: string | undefined, allowed: readonly string[] = this.settings.auditPeriods): PeriodChoice {
    const wanted = text?.trim() || (role === 'auditor' ? allowed[0] : this.recent());
    if (wanted === undefined) return { ok: false, status: 403, message: 'no audit period is configured for auditors' };
    if (role === 'auditor' && !allowed.includes(wanted)) return { ok: false, status: 403, message: `the period ${wanted} is outside your audit periods` };
    try {
      return { ok: true, text: wanted, period: parsePeriod(wanted, { timezone: this.zone, now: this.now(), option: 'period' }) };
    } catch (error) {
      if (error instanceof PeriodError) return { ok: false, status: 400, message: error.message };
      throw error;
    }
  }

  private recent(): string {
    const { first, last } = recentDays(this.now(), DEFAULT_DAYS, this.zone);
    return `${first}..${last}`;
  }
}
