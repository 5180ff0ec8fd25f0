/* eslint-disable @stylistic/max-len */
import { checkCron, checkTimeZone } from '../../src/core/cron';
import { formatProblem, Problems } from '../../src/core/validation';

/** Runs checkCron on `schedule`: the normalised schedule and every message. */
function cron(schedule: any): { out?: string; errors: string[] } {
  const problems = new Problems('shop/report');
  const out = checkCron(problems, 'schedule', schedule);
  return { out, errors: problems.all.map(formatProblem) };
}

/** Runs checkTimeZone on `zone`: every message. */
function zone(timeZone: any): string[] {
  const problems = new Problems('shop/report');
  checkTimeZone(problems, 'timeZone', timeZone);
  return problems.all.map(formatProblem);
}

describe('checkCron accepts these schedules, as Kubernetes 1.28 (robfig/cron v3 ParseStandard) does', () => {
  test.each([
    ['* * * * *', '* * * * *'],
    ['30 2 * * *', '30 2 * * *'],
    ['0 0 1 1 *', '0 0 1 1 *'],
    ['59 23 31 12 6', '59 23 31 12 6'],
    ['0,15,30,45 * * * *', '0,15,30,45 * * * *'],
    ['0 9-17 * * 1-5', '0 9-17 * * 1-5'],
    ['*/15 * * * *', '*/15 * * * *'],
    ['0-30/10 * * * *', '0-30/10 * * * *'],
    ['5/15 * * * *', '5/15 * * * *'], // N/step means N-max/step
    ['0 0 ? * MON-FRI', '0 0 ? * MON-FRI'],
    ['0 0 1 * ?', '0 0 1 * ?'],
    ['0 0 1 jan,Jul *', '0 0 1 jan,Jul *'], // names are case-insensitive
    ['0 0 * * SUN', '0 0 * * SUN'],
    ['0 0 29 2 *', '0 0 29 2 *'], // 29 February exists in leap years
    ['0 0 30 2 1', '0 0 30 2 1'], // both day fields restricted: either matches, so Mondays in February run
    ['0 0 31 * *', '0 0 31 * *'], // runs in the months that have a 31st
    ['0 0 30,31 2,3 *', '0 0 30,31 2,3 *'],
    ['  0   0\t* *  *  ', '0 0 * * *'], // whitespace is normalised
    ['*/1 * * * *', '*/1 * * * *'],
    ['0 0 1-31/2 * *', '0 0 1-31/2 * *'],
  ])('%j', (schedule, expected) => {
    expect(cron(schedule)).toEqual({ out: expected, errors: [] });
  });

  test.each([
    ['@yearly', '0 0 1 1 *'],
    ['@annually', '0 0 1 1 *'],
    ['@monthly', '0 0 1 * *'],
    ['@weekly', '0 0 * * 0'],
    ['@daily', '0 0 * * *'],
    ['@midnight', '0 0 * * *'],
    ['@hourly', '0 * * * *'],
  ])('macro %s is written out as %j', (macro, expected) => {
    expect(cron(macro)).toEqual({ out: expected, errors: [] });
  });
});

describe('checkCron rejects, naming the field and the value', () => {
  test.each([
    // field count
    ['0 0 * *', 'schedule ("0 0 * *") must have 5 fields (minute hour day-of-month month day-of-week) or be a macro such as @daily, but has 4'],
    ['0 0 0 * * *', 'schedule ("0 0 0 * * *") must have 5 fields (minute hour day-of-month month day-of-week) or be a macro such as @daily, but has 6 (Kubernetes has no seconds field)'],
    ['', 'schedule ("") must be a cron expression of 5 fields'],
    // out of range, per field
    ['60 * * * *', 'schedule ("60 * * * *") has an invalid minute field ("60"): 60 is out of range 0-59'],
    ['0 24 * * *', 'schedule ("0 24 * * *") has an invalid hour field ("24"): 24 is out of range 0-23'],
    ['0 0 0 * *', 'schedule ("0 0 0 * *") has an invalid day-of-month field ("0"): 0 is out of range 1-31'],
    ['0 0 32 * *', 'has an invalid day-of-month field ("32"): 32 is out of range 1-31'],
    ['0 0 * 13 *', 'has an invalid month field ("13"): 13 is out of range 1-12 (or JAN-DEC)'],
    ['0 0 * * 7', 'has an invalid day-of-week field ("7"): 7 is out of range 0-6 (or SUN-SAT) (Sunday is 0: the cron parser Kubernetes uses does not accept 7)'],
    ['0 0 * * 1-7', 'has an invalid day-of-week field ("1-7"): 7 is out of range 0-6'],
    // names and numbers
    ['0 0 * FOO *', 'has an invalid month field ("FOO"): "FOO" is not a number or a month name (JAN-DEC)'],
    ['0 0 * * MONDAY', 'has an invalid day-of-week field ("MONDAY"): "MONDAY" is not a number or a day-of-week name (SUN-SAT)'],
    ['0 JAN * * *', 'has an invalid hour field ("JAN"): "JAN" is not a number'],
    ['+5 * * * *', 'has an invalid minute field ("+5"): "+5" is not a number'],
    ['0 0 L * *', 'has an invalid day-of-month field ("L"): "L" is not a number'],
    ['0 0 * * 1#2', 'has an invalid day-of-week field ("1#2"): "1#2" is not a number'],
    // steps
    ['*/0 * * * *', 'has an invalid minute field ("*/0"): the step must be at least 1'],
    ['*/x * * * *', 'has an invalid minute field ("*/x"): the step "x" must be a whole number'],
    ['*/90 * * * *', 'has an invalid minute field ("*/90"): the step 90 leaves only 0 in 0-59 (a step restarts every hour, so it cannot span hours); write 0 if that is meant'],
    ['0 0-5/10 * * *', 'has an invalid hour field ("0-5/10"): the step 10 leaves only 0 in 0-5'],
    ['1/2/3 * * * *', 'has an invalid minute field ("1/2/3"): "1/2/3" has more than one "/"'],
    // ranges
    ['0 5-2 * * *', 'has an invalid hour field ("5-2"): the range 5-2 starts after it ends'],
    ['0 0 * * SAT-SUN', 'has an invalid day-of-week field ("SAT-SUN"): the range 6-0 starts after it ends'],
    ['1-2-3 * * * *', 'has an invalid minute field ("1-2-3"): "1-2-3" has more than one "-"'],
    ['*-5 * * * *', 'has an invalid minute field ("*-5"): "*" cannot be part of a range'],
    // lists and "?"
    ['1,,2 * * * *', 'has an invalid minute field ("1,,2"): a list must not have empty items'],
    ['? * * * *', 'has an invalid minute field ("?"): "?" is only allowed in the day-of-month and day-of-week fields'],
    ['0 0 ?/2 * *', 'has an invalid day-of-month field ("?/2"): "?" cannot have a step'],
    // time zones and macros
    ['TZ=Europe/Berlin 0 0 * * *', 'schedule ("TZ=Europe/Berlin 0 0 * * *") must not contain "TZ" (a TZ= or CRON_TZ= prefix): Kubernetes 1.28 rejects it in .spec.schedule; set the time zone with timeZone instead'],
    ['CRON_TZ=UTC 0 0 * * *', 'must not contain "TZ"'],
    ['@every 1h', 'schedule ("@every 1h") must not use @every: Kubernetes does not document it for CronJobs'],
    ['@reboot', 'schedule ("@reboot") is not a known macro: use @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly'],
    ['@Daily', 'is not a known macro'],
    // dates that never exist
    ['0 0 30 2 *', 'schedule ("0 0 30 2 *") can never run: February has no day 30'],
    ['0 0 30,31 FEB ?', 'schedule ("0 0 30,31 FEB ?") can never run: February has no day 30 or 31'],
    ['0 0 31 4,6,9,11 *', 'schedule ("0 0 31 4,6,9,11 *") can never run: April, June, September and November have no day 31'],
    ['0 0 31 4-11/5 *', 'can never run: April and September have no day 31'],
    ['0 0 1 ? *', 'has an invalid month field ("?"): "?" is only allowed in the day-of-month and day-of-week fields'],
  ])('%j', (schedule, expected) => {
    const { out, errors } = cron(schedule);
    expect(out).toBeUndefined();
    expect(errors.join('\n')).toContain(expected);
    expect(errors[0]).toMatch(/^shop\/report: schedule \(/);
  });

  test('every bad field is reported, not only the first', () => {
    const { errors } = cron('61 25 * * 8');
    expect(errors).toHaveLength(3);
    expect(errors.map((e) => e.match(/invalid (\S+) field/)![1])).toEqual(['minute', 'hour', 'day-of-week']);
  });

  test('a non-string schedule (from JavaScript) is a validation error, not a TypeError', () => {
    expect(cron(undefined).errors).toEqual(['shop/report: schedule (undefined) must be a cron expression of 5 fields (minute hour day-of-month month day-of-week) or a macro such as @daily']);
    expect(cron(5).errors[0]).toContain('schedule (5) must be a cron expression');
  });
});

describe('checkTimeZone', () => {
  test.each(['Europe/Berlin', 'America/New_York', 'Etc/UTC', 'UTC', 'Asia/Kolkata', 'US/Eastern', 'Etc/GMT+5', 'America/Argentina/Buenos_Aires', 'America/Argentina/ComodRivadavia', undefined])(
    'accepts %s', (tz) => {
      expect(zone(tz)).toEqual([]);
    });

  test.each([
    ['Mars/Olympus_Mons', 'timeZone ("Mars/Olympus_Mons") must be an IANA time zone name such as "Europe/Berlin" or "Etc/UTC", with its exact capitalisation'],
    ['europe/berlin', 'timeZone ("europe/berlin") must be an IANA time zone name such as "Europe/Berlin" or "Etc/UTC", with its exact capitalisation: did you mean "Europe/Berlin"?'],
    ['Local', 'timeZone ("Local") must be an explicit IANA time zone, not "Local" (Kubernetes rejects it)'],
    ['', 'timeZone ("") must be an IANA time zone name'],
    ['Europe/../Berlin', 'timeZone ("Europe/../Berlin") must be an IANA time zone name such as "Europe/Berlin" or "Etc/UTC", with its exact capitalisation (each "/"-separated part at most 14 letters'],
    ['Europe/Longer_Than_Kube', 'timeZone ("Europe/Longer_Than_Kube") must be an IANA time zone name such as "Europe/Berlin" or "Etc/UTC", with its exact capitalisation (each "/"-separated part at most 14 letters'],
    ['+01:00', 'timeZone ("+01:00") must be an IANA time zone name'],
    // ICU resolves these Java-style short names; the API server's Go tzdata does not have them.
    ['PST', 'timeZone ("PST") must be an IANA time zone name such as "Europe/Berlin" or "Etc/UTC", with its exact capitalisation (short or legacy names'],
    ['IST', 'timeZone ("IST") must be an IANA time zone name'],
    ['SystemV/EST5', 'timeZone ("SystemV/EST5") must be an IANA time zone name'],
  ])('rejects %j', (tz, expected) => {
    const errors = zone(tz);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`shop/report: ${expected}`);
  });
});
