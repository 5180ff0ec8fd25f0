import { Problems, renderValue } from './validation';

/*
 * A synth-time validator for CronJob schedules, faithful to what Kubernetes 1.28 accepts:
 * `cron.ParseStandard` of github.com/robfig/cron/v3 (the parser the API server and the CronJob
 * controller use), plus the API server's own rule that a schedule must not contain "TZ".
 * Hand-written: a jsii library would have to bundle a runtime dependency.
 *
 * Stricter than robfig where robfig accepts something misleading, and each such rule says why:
 * - `@every <duration>` is rejected (undocumented for CronJobs; it counts from the controller's
 *   last schedule time, not the clock);
 * - `?` only in the day fields, and only on its own (robfig reads it as `*` anywhere);
 * - no empty list items (`1,,2`), no `*` inside a range (`*-5`), no signs (`+5`);
 * - a step that leaves a single value (`*\/90` in the minute field is minute 0, not every 90 minutes);
 * - a day-of-month/month combination that never exists (`0 0 30 2 *`) while the day of week is
 *   unrestricted: robfig accepts it, and the CronJob never runs.
 */

/** One field of a five-field schedule. */
interface FieldSpec {
  /** Name in messages. */
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Names for min, min+1, ... (case-insensitive), if the field has names. */
  readonly names?: string[];
  /** Example names for messages. */
  readonly nameRange?: string;
  /** Whether `?` (same as `*`) is allowed. */
  readonly question: boolean;
  /** The next larger unit, for the step message. */
  readonly unit: string;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const FIELDS: FieldSpec[] = [
  { name: 'minute', min: 0, max: 59, question: false, unit: 'hour' },
  { name: 'hour', min: 0, max: 23, question: false, unit: 'day' },
  { name: 'day-of-month', min: 1, max: 31, question: true, unit: 'month' },
  { name: 'month', min: 1, max: 12, question: false, unit: 'year', nameRange: 'JAN-DEC', names: MONTHS },
  { name: 'day-of-week', min: 0, max: 6, question: true, unit: 'week', nameRange: 'SUN-SAT', names: DAYS },
];

/** The macros Kubernetes documents, and the five fields robfig/cron gives each. */
const MACROS: { [macro: string]: string } = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October',
  'November', 'December'];
/** The longest each month gets (February: 29, in leap years). */
const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A parsed field: the values it matches, and whether it is unrestricted (`*` or `?`, robfig's star bit). */
interface ParsedField {
  readonly values: Set<number>;
  readonly star: boolean;
}

/**
 * Checks a CronJob schedule as Kubernetes 1.28 parses it: five fields (minute 0-59, hour 0-23,
 * day-of-month 1-31, month 1-12 or JAN-DEC, day-of-week 0-6 or SUN-SAT, where 0 is Sunday and 7 is
 * not accepted), with `*`, lists, ranges and steps, `?` in the day fields, or one of the macros
 * `@yearly`, `@annually`, `@monthly`, `@weekly`, `@daily`, `@midnight`, `@hourly`. Records one
 * problem per bad field.
 *
 * @returns the schedule as five fields separated by single spaces (a macro written out), or
 * `undefined` if it is invalid.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#schedule-syntax
 * @internal
 */
export function checkCron(problems: Problems, prop: string, schedule: string): string | undefined {
  if (typeof schedule !== 'string' || schedule.trim() === '') {
    problems.add(prop, schedule, 'must be a cron expression of 5 fields (minute hour day-of-month month day-of-week) or a macro such as @daily');
    return undefined;
  }
  if (schedule.includes('TZ')) {
    problems.add(prop, schedule,
      'must not contain "TZ" (a TZ= or CRON_TZ= prefix): Kubernetes 1.28 rejects it in .spec.schedule; set the time zone with timeZone instead');
    return undefined;
  }
  const spec = schedule.trim();
  if (spec.startsWith('@')) {
    const expanded = MACROS[spec];
    if (expanded !== undefined) return expanded;
    if (spec.startsWith('@every')) {
      problems.add(prop, schedule, 'must not use @every: Kubernetes does not document it for CronJobs, and it counts from the last '
        + 'scheduled run, not the clock; use a step such as "*/15 * * * *"');
    } else {
      problems.add(prop, schedule, 'is not a known macro: use @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly');
    }
    return undefined;
  }

  const fields = spec.split(/\s+/);
  if (fields.length !== 5) {
    const hint = fields.length === 6 ? ' (Kubernetes has no seconds field)' : '';
    problems.add(prop, schedule,
      `must have 5 fields (minute hour day-of-month month day-of-week) or be a macro such as @daily, but has ${fields.length}${hint}`);
    return undefined;
  }
  const before = problems.all.length;
  const parsed = fields.map((text, i) => parseField(problems, prop, schedule, FIELDS[i], text));
  if (problems.all.length > before || parsed.some((f) => f === undefined)) return undefined;

  const [, , dom, month, dow] = parsed as ParsedField[];
  // robfig/cron: if either day field is unrestricted, a day must match both; otherwise either.
  // So only with an unrestricted day-of-week can the day-of-month/month combination rule it out.
  if (dow.star) {
    const months = [...month.values].sort((a, b) => a - b);
    const days = [...dom.values].sort((a, b) => a - b);
    const possible = months.some((m) => days.some((d) => d <= MONTH_DAYS[m - 1]));
    if (!possible) {
      const monthList = list(months.map((m) => MONTH_NAMES[m - 1]), 'and');
      problems.add(prop, schedule, `can never run: ${monthList} ${months.length === 1 ? 'has' : 'have'} no day ${list(days.map(String), 'or')}`);
      return undefined;
    }
  }
  return fields.join(' ');
}

/** Parses one field, recording a problem per bad list item. */
function parseField(problems: Problems, prop: string, schedule: string, f: FieldSpec, text: string): ParsedField | undefined {
  const bad = (reason: string): undefined => {
    problems.add(prop, schedule, `has an invalid ${f.name} field (${renderValue(text)}): ${reason}`);
    return undefined;
  };
  const values = new Set<number>();
  let star = false;
  for (const item of text.split(',')) {
    if (item === '') return bad('a list must not have empty items');
    const slash = item.split('/');
    if (slash.length > 2) return bad(`"${item}" has more than one "/"`);
    const [range, stepText] = slash;
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText)) return bad(`the step "${stepText}" must be a whole number`);
      step = Number(stepText);
      if (step === 0) return bad('the step must be at least 1');
    }
    let start: number;
    let end: number;
    if (range === '*' || range === '?') {
      if (range === '?' && !f.question) return bad('"?" is only allowed in the day-of-month and day-of-week fields');
      if (range === '?' && stepText !== undefined) return bad('"?" cannot have a step (use "*/n")');
      start = f.min;
      end = f.max;
      if (step === 1) star = true;
    } else {
      const bounds = range.split('-');
      if (bounds.length > 2) return bad(`"${item}" has more than one "-"`);
      const first = value(f, bounds[0]);
      if (typeof first === 'string') return bad(first);
      start = first;
      if (bounds.length === 2) {
        const last = value(f, bounds[1]);
        if (typeof last === 'string') return bad(last);
        end = last;
      } else {
        // robfig: "N/step" means "N-max/step".
        end = stepText !== undefined ? f.max : start;
      }
      for (const v of [start, end]) {
        if (v < f.min || v > f.max) {
          const seven = f.name === 'day-of-week' && v === 7 ? ' (Sunday is 0: the cron parser Kubernetes uses does not accept 7)' : '';
          return bad(`${v} is out of range ${f.min}-${f.max}${f.nameRange ? ` (or ${f.nameRange})` : ''}${seven}`);
        }
      }
      if (start > end) return bad(`the range ${start}-${end} starts after it ends`);
    }
    if (step > 1 && step > end - start) {
      return bad(`the step ${step} leaves only ${start} in ${start}-${end} (a step restarts every ${f.unit}, so it cannot span `
        + `${f.unit}s); write ${start} if that is meant`);
    }
    for (let v = start; v <= end; v += step) values.add(v);
  }
  return { values, star };
}

/** A number or a name of the field, or the reason it is neither. */
function value(f: FieldSpec, text: string): number | string {
  if (/^\d+$/.test(text)) return Number(text);
  const index = f.names?.indexOf(text.toUpperCase()) ?? -1;
  if (index >= 0) return f.min + index;
  if (text === '*' || text === '?') return `"${text}" cannot be part of a range`;
  return `"${text}" is not a number${f.names ? ` or a ${f.name} name (${f.nameRange})` : ''}`;
}

/** "a", "a or b", "a, b or c". */
function list(items: string[], conjunction: string): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

/** Valid characters of one part of a zone name, as the Kubernetes API server checks them. */
const TIME_ZONE_PART = /^[A-Za-z.\-_0-9+]{1,14}$/;

/**
 * Checks an IANA time zone name for `CronJob.spec.timeZone` (GA in Kubernetes 1.27): the API
 * server's syntax rules (parts of at most 14 characters, not "Local"), then the name itself, with
 * the time zone database of this Node.js (ICU). ICU knows the current IANA names, their aliases
 * (`Asia/Kolkata`, `US/Eastern`) and `UTC`/`Etc/UTC`, but matches them case-insensitively while
 * the API server does not, so a name that differs only in case from a known one is rejected.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones
 * @internal
 */
export function checkTimeZone(problems: Problems, prop: string, timeZone: string | undefined): void {
  if (timeZone === undefined) return;
  const rule = 'must be an IANA time zone name such as "Europe/Berlin" or "Etc/UTC", with its exact capitalisation';
  if (typeof timeZone !== 'string' || timeZone === '') {
    problems.add(prop, timeZone, rule);
    return;
  }
  if (timeZone.toLowerCase() === 'local') {
    problems.add(prop, timeZone, 'must be an explicit IANA time zone, not "Local" (Kubernetes rejects it)');
    return;
  }
  const parts = timeZone.split('/');
  if (parts.some((part) => part === '.' || part === '..' || part.startsWith('-') || !TIME_ZONE_PART.test(part))) {
    problems.add(prop, timeZone, `${rule} (each "/"-separated part at most 14 letters, digits, ".", "-", "_" or "+")`);
    return;
  }
  const known = knownTimeZones();
  if (known.has(timeZone)) return;
  const sameIgnoringCase = [...known].find((z) => z.toLowerCase() === timeZone.toLowerCase());
  if (sameIgnoringCase !== undefined) {
    problems.add(prop, timeZone, `${rule}: did you mean "${sameIgnoringCase}"?`);
    return;
  }
  let resolves = false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    resolves = true;
  } catch {
    resolves = false;
  }
  // An alias ICU knows but does not list (Asia/Kolkata, Europe/Kyiv) — but only under an IANA area:
  // ICU also resolves Java-style short names (PST, IST, SystemV/EST5) that the API server's Go
  // tzdata (time.LoadLocation) does not have.
  const ianaArea = IANA_AREAS.has(parts[0]) && parts.length >= 2;
  problems.check(resolves && ianaArea && parts.every((part) => /^[A-Z0-9]/.test(part)), prop, timeZone,
    `${rule} (short or legacy names such as "PST" or "IST" are not in the API server's time zone database)`);
}

/** The top-level areas of the IANA time zone database, including those of its `backward` links. */
const IANA_AREAS = new Set([
  'Africa', 'America', 'Antarctica', 'Arctic', 'Asia', 'Atlantic', 'Australia', 'Europe', 'Indian', 'Pacific', 'Etc',
  'US', 'Canada', 'Mexico', 'Brazil', 'Chile',
]);

let zones: Set<string> | undefined;

/** The canonical zone names of this Node.js, plus the UTC names the API server's tzdata always has. */
function knownTimeZones(): Set<string> {
  if (!zones) {
    zones = new Set([...Intl.supportedValuesOf('timeZone'), 'UTC', 'Etc/UTC', 'GMT', 'Etc/GMT']);
  }
  return zones;
}
