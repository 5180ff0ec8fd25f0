import { ApiObject, Cron, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  checkJobPod, checkNoIndexEnv, CompletionMode, JOB_RUN_KEY, JobOptions, resolveJobOptions,
} from './batch-job';
import { deferConstruction } from '../core/app-checks';
import { checkCron, checkTimeZone } from '../core/cron';
import { selectorLabels } from '../core/labels';
import { PodSpecPatcher } from '../core/patch';
import { addSynthValidation, renderForChecks } from '../core/synth-session';
import { checkInt, Problems } from '../core/validation';
import { HealthCheck, seconds } from '../foundational/health-check';
import { PatternWorkload, WorkloadProps } from '../workload/workload';

/** Props of a `PeriodicJob`. */
export interface PeriodicJobProps extends WorkloadProps, JobOptions {
  /**
   * When to run, in the five-field cron syntax Kubernetes uses (robfig/cron): minute (0-59),
   * hour (0-23), day of month (1-31), month (1-12 or JAN-DEC), day of week (0-6 or SUN-SAT,
   * Sunday is 0; 7 is not accepted); `*`, lists `1,15`, ranges `1-5`, steps `0-30/10` (or `/15` after a star: every 15),
   * `?` in the day fields. If both day fields are restricted, a day matching either runs.
   * Macros `@yearly`, `@annually`, `@monthly`, `@weekly`, `@daily`, `@midnight` and `@hourly`
   * are written out as their five fields. Rejected at synth: bad syntax, out-of-range values,
   * `TZ=`/`CRON_TZ=` (use `timeZone`), `@every`, steps that leave one value (a star with `/90` in the
   * minute field is minute 0, not every 90 minutes), and dates that never exist (`0 0 30 2 *`).
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#schedule-syntax
   */
  readonly schedule: string;
  /**
   * IANA time zone of the schedule, e.g. `Europe/Berlin`. Runs follow daylight saving time: a
   * time that is skipped does not run that day, a time that repeats runs once.
   * @default 'Etc/UTC' (explicit, so that the schedule does not depend on the time zone of kube-controller-manager)
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones
   */
  readonly timeZone?: string;
  /**
   * What happens when a run is due while the previous one still runs: `FORBID` skips the new
   * run, `REPLACE` stops the old one, `ALLOW` runs both.
   * @default kplus.ConcurrencyPolicy.FORBID (a periodic task rarely tolerates running twice at once, and slow runs must not pile up)
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#concurrency-policy
   */
  readonly concurrencyPolicy?: kplus.ConcurrencyPolicy;
  /**
   * How late a run may still start (controller down, or held back by `FORBID`); a run missed by
   * more is skipped and counted as missed. At least 10 seconds: the CronJob controller checks
   * schedules every 10 seconds, so a shorter deadline can skip every run. Whole seconds.
   * @default - no deadline: a missed run starts as soon as it can (the Kubernetes default; cdk8s-plus would set 10 s)
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#starting-deadline
   */
  readonly startingDeadline?: Duration;
  /**
   * Suspend the schedule: no new runs start (running Jobs go on). Runs missed while suspended
   * count as missed, and start on resume if within `startingDeadline`.
   * @default false
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#schedule-suspension
   */
  readonly suspend?: boolean;
  /**
   * Successful Jobs (and their pods) kept for inspection.
   * @default 3
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#jobs-history-limits
   */
  readonly successfulJobsHistoryLimit?: number;
  /**
   * Failed Jobs (and their pods) kept for inspection.
   * @default 1
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#jobs-history-limits
   */
  readonly failedJobsHistoryLimit?: number;
}

/**
 * Periodic Job: a hardened Kubernetes CronJob that creates a Job on a schedule. Every Job option
 * of `BatchJob` applies to each run (`completions`, `parallelism`, `completionMode`,
 * `backoffLimit`, `activeDeadline`, `podFailurePolicy`, ...).
 *
 * The CronJob name is at most 52 characters (Kubernetes appends 11 to name each Job). Each run's
 * Job carries the same labels as the CronJob. No probes by default, no Service, no
 * PodDisruptionBudget.
 *
 * @example
 * new PeriodicJob(chart, 'nightly-report', {
 *   image: 'ghcr.io/acme/report:3.2.0',
 *   schedule: '30 2 * * *',
 *   timeZone: 'Europe/Berlin',
 * });
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/
 */
export class PeriodicJob extends PatternWorkload {
  /** The CronJob. */
  public readonly cronJob!: kplus.CronJob;
  /** The schedule as written to the CronJob: five fields (a macro written out). */
  public readonly schedule!: string;
  /** The completion mode of each run. */
  public readonly completionMode!: CompletionMode;

  constructor(scope: Construct, id: string, props: PeriodicJobProps) {
    super(scope, id, props);
    try {
      const p: PeriodicJobProps = props ?? ({} as PeriodicJobProps);
      const problems = new Problems(this);

      // ---- shared workload props; the CronJob controller appends 11 characters to name each Job
      this._resolveWorkload(p, { defaultHealth: HealthCheck.none(), nameIsServiceName: false, longestSuffix: 11, propsInterface: 'PeriodicJobProps' }, problems);

      // ---- the schedule
      const schedule = checkCron(problems, 'schedule', p.schedule);
      const timeZone = p.timeZone ?? 'Etc/UTC';
      checkTimeZone(problems, 'timeZone', timeZone);
      const concurrency = p.concurrencyPolicy ?? kplus.ConcurrencyPolicy.FORBID;
      problems.check(Object.values(kplus.ConcurrencyPolicy).includes(concurrency), 'concurrencyPolicy', concurrency,
        'must be ConcurrencyPolicy.FORBID, REPLACE or ALLOW (from cdk8s-plus-28)');
      seconds(problems, 'startingDeadline', p.startingDeadline, 10, Number.MAX_SAFE_INTEGER); // int64
      problems.check(p.suspend === undefined || typeof p.suspend === 'boolean', 'suspend', p.suspend, 'must be a boolean');
      checkInt(problems, 'successfulJobsHistoryLimit', p.successfulJobsHistoryLimit, 0);
      checkInt(problems, 'failedJobsHistoryLimit', p.failedJobsHistoryLimit, 0);

      // ---- the Job of each run
      if (p.completionMode === CompletionMode.INDEXED) checkNoIndexEnv(problems, p);
      const job = resolveJobOptions(p, { name: this.name, suffix: 11, suffixText: ' plus 11 characters for each run' }, problems);
      const placement = this._resolvePlacement(p, job.parallelism, selectorLabels(this._identity), problems, [JOB_RUN_KEY]);
      problems.throwIfAny();
      this.schedule = schedule!;
      this.completionMode = p.completionMode ?? CompletionMode.NON_INDEXED;

      // ---- objects
      const [minute, hour, day, month, weekDay] = this.schedule.split(' ');
      this.cronJob = new kplus.CronJob(this, 'Resource', {
        ...this._podProps(),
        metadata: this._workloadMetadata(p, this.name),
        restartPolicy: job.restartPolicy,
        schedule: Cron.schedule({ minute, hour, day, month, weekDay }),
        timeZone,
        concurrencyPolicy: concurrency,
        startingDeadline: p.startingDeadline,
        suspend: p.suspend ?? false,
        successfulJobsRetained: p.successfulJobsHistoryLimit ?? 3,
        failedJobsRetained: p.failedJobsHistoryLimit ?? 1,
        backoffLimit: job.backoffLimit,
        activeDeadline: job.activeDeadline,
        // ttlAfterFinished is patched below: cdk8s-plus-28 refuses it together with history limits, which Kubernetes allows.
      });
      this._completePod(this.cronJob, p, p.image, placement, 'cronJob.spec.jobTemplate.spec.template.spec');
      const apiObject = ApiObject.of(this.cronJob);
      // cdk8s-plus-28 always writes startingDeadlineSeconds (10 by default); no deadline means no field.
      const patcher = new PodSpecPatcher(apiObject);
      if (p.startingDeadline === undefined) patcher.remove('/spec/startingDeadlineSeconds');
      // Each run's Job carries the workload's labels, so `kubectl get jobs -l ...` finds them.
      patcher.set('/spec/jobTemplate/metadata', { labels: this._objectLabels() });
      for (const [field, value] of Object.entries(job.fields)) patcher.setJobSpecField(field, value);
      if (job.ttlSeconds !== undefined) patcher.setJobSpecField('ttlSecondsAfterFinished', job.ttlSeconds);

      addSynthValidation(this, () => {
        const later = new Problems(this);
        checkJobPod(later, renderForChecks(apiObject), job, 'cronJob.spec.jobTemplate.spec.template.spec');
        return later.messages();
      });
    } catch (e) {
      return deferConstruction(this, e);
    }
  }

  /** @internal */
  protected _whyNotScalable(): string {
    return 'a Job runs its pods to completion: size it with parallelism, or let KEDA\'s ScaledJob start Jobs';
  }

  /** A Job's pods run to completion. @internal */
  public _runsToCompletion(): boolean {
    return true;
  }
}
