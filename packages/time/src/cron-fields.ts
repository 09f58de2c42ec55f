/**
 * Parses the cron expressions the config accepts: 5 fields (minute hour
 * day-of-month month day-of-week) or 6 with seconds first, as node-cron reads
 * them: `*`, `?` (day fields), numbers, month and weekday names, ranges
 * (an inverted range wraps around), steps and lists; weekday 0 or 7 is Sunday;
 * day-of-month and day-of-week must both match. node-cron's extensions L, W
 * and # are refused with a clear message rather than approximated.
 */

export class CronSyntaxError extends Error {
  override name = 'CronSyntaxError';
}

/** For each field, the allowed values as a lookup table: `next[i]` is the smallest allowed value >= i, or -1. */
export interface CronFields {
  second: Int8Array;
  minute: Int8Array;
  hour: Int8Array;
  dayOfMonth: Int8Array;
  month: Int8Array;
  /** Indexed 0 (Sunday) to 6. */
  dayOfWeek: Int8Array;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: string[];
  /** The index of the first name (months count from 1). */
  nameBase?: number;
  question?: boolean;
}

const SPECS: FieldSpec[] = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31, question: true },
  { name: 'month', min: 1, max: 12, names: MONTHS, nameBase: 1 },
  { name: 'day of week', min: 0, max: 7, names: WEEKDAYS, nameBase: 0, question: true },
];

const FULL_NAMES = new Set(['january', 'february', 'march', 'april', 'june', 'july', 'august', 'september', 'october', 'november', 'december', 'sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday']);

function value(text: string, spec: FieldSpec, field: string): number {
  const lower = text.toLowerCase();
  const named = spec.names?.findIndex((name) => lower === name || (FULL_NAMES.has(lower) && lower.startsWith(name))) ?? -1;
  if (named >= 0) return named + (spec.nameBase ?? 0);
  if (!/^\d+$/.test(text)) throw new CronSyntaxError(`${spec.name} field "${field}": "${text}" is not a number${spec.names ? ' or a name' : ''}`);
  const number = Number(text);
  if (number < spec.min || number > spec.max) throw new CronSyntaxError(`${spec.name} field "${field}": ${number} is outside ${spec.min}-${spec.max}`);
  return number;
}

function parseField(field: string, spec: FieldSpec): boolean[] {
  if (/#|(?<![a-z])(l|w|lw)(?![a-z])/i.test(field)) {
    throw new CronSyntaxError(`${spec.name} field "${field}": L, W and # are not supported; list the days instead`);
  }
  const allowed = new Array<boolean>(spec.max + 1).fill(false);
  for (const item of field.split(',')) {
    const [range = '', stepText, extra] = item.split('/');
    if (extra !== undefined || range === '') throw new CronSyntaxError(`${spec.name} field "${field}": cannot read "${item}"`);
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1 || !/^\d+$/.test(stepText ?? '1')) throw new CronSyntaxError(`${spec.name} field "${field}": the step in "${item}" must be a positive whole number`);
    let from: number;
    let to: number;
    if (range === '*' || (range === '?' && spec.question)) {
      [from, to] = [spec.min, spec.max];
    } else if (range.includes('-')) {
      const [low = '', high = ''] = range.split('-');
      [from, to] = [value(low, spec, field), value(high, spec, field)];
    } else {
      from = value(range, spec, field);
      to = stepText === undefined ? from : spec.max;
    }
    const span = to >= from ? to - from : spec.max - from + 1 + to - spec.min;
    for (let offset = 0; offset <= span; offset += step) {
      const position = from + offset;
      allowed[position > spec.max ? position - spec.max - 1 + spec.min : position] = true;
    }
  }
  return allowed;
}

function nextTable(allowed: boolean[]): Int8Array {
  const table = new Int8Array(allowed.length + 1).fill(-1);
  for (let index = allowed.length - 1; index >= 0; index--) table[index] = allowed[index] ? index : (table[index + 1] ?? -1);
  return table;
}

/** Parse a 5- or 6-field expression. Throws CronSyntaxError naming the field at fault. */
export function parseCronFields(expression: string): CronFields {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5 && parts.length !== 6) throw new CronSyntaxError(`"${expression}" has ${parts.length} fields; expected 5 (minute hour day month weekday) or 6 (seconds first)`);
  const fields = parts.length === 5 ? ['0', ...parts] : parts;
  const [second, minute, hour, dayOfMonth, month, dayOfWeek] = fields.map((field, index) => parseField(field, SPECS[index]!));
  const weekdays = dayOfWeek!.slice(0, 7);
  if (dayOfWeek![7]) weekdays[0] = true;
  return {
    second: nextTable(second!),
    minute: nextTable(minute!),
    hour: nextTable(hour!),
    dayOfMonth: nextTable(dayOfMonth!),
    month: nextTable(month!),
    dayOfWeek: nextTable(weekdays),
  };
}
