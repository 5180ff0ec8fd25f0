/* eslint-disable @stylistic/max-len */
import { Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Demands, PatternLabels, PodQos, QosClass } from '../../src';
import {
  CompletionMode, ExitCodeOperator, JobRestartPolicy, PodFailurePolicyAction,
} from '../../src/behavioral/batch-job';
import { PeriodicJob, PeriodicJobProps } from '../../src/behavioral/periodic-job';
import { errorOf } from '../helpers/errors';
import { findObject, Manifest, newChart, synth } from '../helpers/synth';

const IMAGE = 'ghcr.io/acme/report:3.2.0';

/** A PeriodicJob `report` in a fresh chart, with `props` over a valid baseline. */
function periodicJob(props: Partial<PeriodicJobProps> = {}, chart: Chart = newChart('ops')): PeriodicJob {
  return new PeriodicJob(chart, 'report', { image: IMAGE, schedule: '30 2 * * *', ...props } as PeriodicJobProps);
}

/** The CronJob manifest of a fresh `report` PeriodicJob, synthesised and schema-checked. */
function cronJobOf(props: Partial<PeriodicJobProps> = {}): Manifest {
  const j = periodicJob(props);
  return findObject(synth(j.node.scope as Chart), 'CronJob', 'report');
}


describe('PeriodicJob defaults', () => {
  // GIVEN a nightly job
  const chart = newChart('ops');
  const j = new PeriodicJob(chart, 'NightlyReport', { image: IMAGE, schedule: '30 2 * * *' });
  // WHEN synthesised
  const out = synth(chart);
  const cron = findObject(out, 'CronJob', 'nightly-report');
  const jobSpec = cron.spec.jobTemplate.spec;
  const pod = jobSpec.template.spec;
  const c = pod.containers[0];

  test('emits exactly one CronJob, its ServiceAccount and its NetworkPolicy, named after the id', () => {
    expect(out.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual(['ServiceAccount/nightly-report', 'NetworkPolicy/nightly-report', 'CronJob/nightly-report']);
    expect(j.schedule).toBe('30 2 * * *');
    expect(j.cronJob.kind).toBe('CronJob');
  });

  test('schedules in UTC explicitly, forbids overlapping runs, sets no starting deadline', () => {
    expect(cron.spec).toMatchObject({ schedule: '30 2 * * *', timeZone: 'Etc/UTC', concurrencyPolicy: 'Forbid', suspend: false });
    expect(cron.spec).not.toHaveProperty('startingDeadlineSeconds');
  });

  test('keeps 3 successful and 1 failed Jobs', () => {
    expect(cron.spec).toMatchObject({ successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
  });

  test('each run is one pod, explicitly, restartPolicy Never, no TTL', () => {
    expect(jobSpec).toMatchObject({ completions: 1, parallelism: 1, completionMode: 'NonIndexed', backoffLimit: 6 });
    expect(jobSpec).not.toHaveProperty('ttlSecondsAfterFinished');
    expect(jobSpec).not.toHaveProperty('activeDeadlineSeconds');
    expect(pod.restartPolicy).toBe('Never');
  });

  test('labels the CronJob, the Job of each run and its pods', () => {
    const labels = { [PatternLabels.NAME]: 'nightly-report', [PatternLabels.INSTANCE]: 'nightly-report', [PatternLabels.MANAGED_BY]: 'cdk8s-patterns' };
    expect(cron.metadata.labels).toEqual(labels);
    expect(cron.spec.jobTemplate.metadata.labels).toEqual(labels);
    expect(jobSpec.template.metadata.labels).toMatchObject(labels);
  });

  test('hardens the pod, with explicit resources and no probes', () => {
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('nightly-report');
    expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsNonRoot: true });
    expect(c.resources).toEqual({
      requests: { 'cpu': '100m', 'memory': '128Mi', 'ephemeral-storage': '128Mi' },
      limits: { 'cpu': '500m', 'memory': '256Mi', 'ephemeral-storage': '1Gi' },
    });
    expect(c).not.toHaveProperty('livenessProbe');
    expect(c).not.toHaveProperty('readinessProbe');
  });
});

describe('PeriodicJob schedule options', () => {
  test('a nightly report at 02:30 Berlin time', () => {
    expect(cronJobOf({ timeZone: 'Europe/Berlin' }).spec).toMatchObject({ schedule: '30 2 * * *', timeZone: 'Europe/Berlin' });
  });

  test('a macro is written out as five fields', () => {
    const j = periodicJob({ schedule: '@weekly' });
    expect(findObject(synth(j.node.scope as Chart), 'CronJob', 'report').spec.schedule).toBe('0 0 * * 0');
    expect(j.schedule).toBe('0 0 * * 0');
  });

  test('names and whitespace are kept and normalised', () => {
    expect(cronJobOf({ schedule: ' 0  9-17 * *  MON-FRI ' }).spec.schedule).toBe('0 9-17 * * MON-FRI');
  });

  test.each([kplus.ConcurrencyPolicy.ALLOW, kplus.ConcurrencyPolicy.REPLACE, kplus.ConcurrencyPolicy.FORBID])('concurrencyPolicy %s', (policy) => {
    expect(cronJobOf({ concurrencyPolicy: policy }).spec.concurrencyPolicy).toBe(policy);
  });

  test('startingDeadline, suspend and history limits', () => {
    const spec = cronJobOf({ startingDeadline: Duration.minutes(5), suspend: true, successfulJobsHistoryLimit: 0, failedJobsHistoryLimit: 5 }).spec;
    expect(spec).toMatchObject({ startingDeadlineSeconds: 300, suspend: true, successfulJobsHistoryLimit: 0, failedJobsHistoryLimit: 5 });
  });

  test('startingDeadline of exactly 10 s is allowed', () => {
    expect(cronJobOf({ startingDeadline: Duration.seconds(10) }).spec.startingDeadlineSeconds).toBe(10);
  });
});

describe('PeriodicJob Job options, in the jobTemplate', () => {
  test('an Indexed run: completions, parallelism, completionMode, and a spread per run', () => {
    const jobSpec = cronJobOf({ completionMode: CompletionMode.INDEXED, completions: 6, parallelism: 2 }).spec.jobTemplate.spec;
    expect(jobSpec).toMatchObject({ completionMode: 'Indexed', completions: 6, parallelism: 2 });
    expect(jobSpec.template.spec.topologySpreadConstraints).toMatchObject([{ topologyKey: 'kubernetes.io/hostname', matchLabelKeys: ['batch.kubernetes.io/controller-uid'] }]);
  });

  test('a work-queue run', () => {
    const jobSpec = cronJobOf({ workQueue: true, parallelism: 3 }).spec.jobTemplate.spec;
    expect(jobSpec.parallelism).toBe(3);
    expect(jobSpec).not.toHaveProperty('completions');
  });

  test('backoffLimit, activeDeadlineSeconds, ttlSecondsAfterFinished (with history limits, which Kubernetes allows)', () => {
    const jobSpec = cronJobOf({
      backoffLimit: 1, activeDeadline: Duration.minutes(30), ttlAfterFinished: Duration.hours(12), successfulJobsHistoryLimit: 2,
    }).spec.jobTemplate.spec;
    expect(jobSpec).toMatchObject({ backoffLimit: 1, activeDeadlineSeconds: 1800, ttlSecondsAfterFinished: 43200 });
  });

  test('podFailurePolicy and restartPolicy', () => {
    const jobSpec = cronJobOf({
      podFailurePolicy: [{ action: PodFailurePolicyAction.FAIL_JOB, onExitCodes: { operator: ExitCodeOperator.IN, values: [2] } }],
    }).spec.jobTemplate.spec;
    expect(jobSpec.podFailurePolicy).toEqual({ rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [2] }, onPodConditions: [] }] });
    expect(cronJobOf({ restartPolicy: JobRestartPolicy.ON_FAILURE }).spec.jobTemplate.spec.template.spec.restartPolicy).toBe('OnFailure');
  });

  test('a sidecar and an init container get the hardening and the Guaranteed tier', () => {
    const j = periodicJob({ demands: Demands.guaranteed({ cpu: kplus.Cpu.millis(250), memory: Size.mebibytes(256) }) });
    j.addContainer({ name: 'proxy', image: 'ghcr.io/acme/proxy:2.0.1' });
    j.addInitContainer({ name: 'wait-db', image: 'ghcr.io/acme/wait:1.0.0' });
    const spec = findObject(synth(j.node.scope as Chart), 'CronJob', 'report').spec.jobTemplate.spec.template.spec;
    expect(PodQos.classify(spec)).toBe(QosClass.GUARANTEED);
    for (const c of [...spec.containers, ...spec.initContainers]) {
      expect(c.resources.limits).toEqual({ 'cpu': '250m', 'memory': '256Mi', 'ephemeral-storage': '1Gi' });
      expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true });
    }
  });

  test('a Burstable sidecar in a Guaranteed periodic job fails synth, naming the container', () => {
    const j = periodicJob({ demands: Demands.guaranteed({ cpu: kplus.Cpu.millis(250), memory: Size.mebibytes(256) }) });
    j.addContainer({ name: 'proxy', image: 'ghcr.io/acme/proxy:2.0.1', demands: Demands.burstable({ requests: { cpu: kplus.Cpu.millis(50) } }) });
    expect(() => synth(j.node.scope as Chart)).toThrow(/cronJob.spec.jobTemplate.spec.template.spec QoS class \("Burstable"\) must be Guaranteed, as demands asks: .*proxy/);
  });
});

describe('PeriodicJob rejects', () => {
  const cases: Array<[string, Partial<PeriodicJobProps>, string]> = [
    ['a missing schedule', { schedule: undefined }, 'schedule (undefined) must be a cron expression of 5 fields'],
    ['invalid cron syntax', { schedule: '0 2 * *' }, 'schedule ("0 2 * *") must have 5 fields (minute hour day-of-month month day-of-week) or be a macro such as @daily, but has 4'],
    ['an out-of-range hour', { schedule: '30 25 * * *' }, 'schedule ("30 25 * * *") has an invalid hour field ("25"): 25 is out of range 0-23'],
    ['30 February', { schedule: '0 0 30 2 *' }, 'schedule ("0 0 30 2 *") can never run: February has no day 30'],
    ['a TZ prefix', { schedule: 'CRON_TZ=Europe/Berlin 30 2 * * *' }, 'schedule ("CRON_TZ=Europe/Berlin 30 2 * * *") must not contain "TZ"'],
    ['@every', { schedule: '@every 5m' }, 'schedule ("@every 5m") must not use @every'],
    ['a bad time zone', { timeZone: 'Europe/Atlantis' }, 'timeZone ("Europe/Atlantis") must be an IANA time zone name such as "Europe/Berlin" or "Etc/UTC", with its exact capitalisation'],
    ['a time zone in the wrong case', { timeZone: 'europe/berlin' }, 'did you mean "Europe/Berlin"?'],
    ['startingDeadline under 10 s', { startingDeadline: Duration.seconds(5) }, 'startingDeadline ("5s") must be a whole number of seconds, at least 10'],
    ['an unknown concurrencyPolicy', { concurrencyPolicy: 'Queue' as any }, 'concurrencyPolicy ("Queue") must be ConcurrencyPolicy.FORBID, REPLACE or ALLOW (from cdk8s-plus-28)'],
    ['negative successfulJobsHistoryLimit', { successfulJobsHistoryLimit: -1 }, 'successfulJobsHistoryLimit (-1) must be >= 0'],
    ['negative failedJobsHistoryLimit', { failedJobsHistoryLimit: -3 }, 'failedJobsHistoryLimit (-3) must be >= 0'],
    ['suspend as a string', { suspend: 'no' as any }, 'suspend ("no") must be a boolean'],
    ['a name over 52 characters', { name: 'r'.repeat(53) }, `name ("${'r'.repeat(53)}") must be at most 52 characters`],
    ['Indexed without completions', { completionMode: CompletionMode.INDEXED }, 'completions (undefined) is required with CompletionMode.INDEXED'],
    ['Indexed hostnames over 63 characters', { name: 'r'.repeat(47), completionMode: CompletionMode.INDEXED, completions: 100000 }, 'would have 64 characters (at most 63), as the Job is named "' + 'r'.repeat(47) + '" plus 11 characters for each run'],
    ['negative completions', { completions: -2 }, 'completions (-2) must be >= 1'],
    ['parallelism 0', { parallelism: 0 }, 'parallelism (0) must be at least 1'],
    ['negative backoffLimit', { backoffLimit: -1 }, 'backoffLimit (-1) must be >= 0'],
    ['a podFailurePolicy with OnFailure', { restartPolicy: JobRestartPolicy.ON_FAILURE, podFailurePolicy: [{ action: PodFailurePolicyAction.IGNORE, onPodConditions: [{ type: 'DisruptionTarget' }] }] }, 'restartPolicy ("OnFailure") must be JobRestartPolicy.NEVER with a podFailurePolicy'],
    ['JOB_COMPLETION_INDEX in env of an Indexed job', { completionMode: CompletionMode.INDEXED, completions: 3, env: { JOB_COMPLETION_INDEX: '1' } }, 'env["JOB_COMPLETION_INDEX"] ("JOB_COMPLETION_INDEX") must not be set in an Indexed job'],
  ];

  test.each(cases)('%s', (_name, props, expected) => {
    const message = errorOf(() => periodicJob(props));
    expect(message).toContain('ops/report: ');
    expect(message).toContain(expected);
  });

  test('at synth: a pod failure policy naming a container the pod does not have', () => {
    const message = errorOf(() => periodicJob({ podFailurePolicy: [{ action: PodFailurePolicyAction.FAIL_JOB, onExitCodes: { containerName: 'worker', operator: ExitCodeOperator.NOT_IN, values: [0] } }] }));
    expect(message).toContain('ops/report: podFailurePolicy[0].onExitCodes.containerName ("worker") must name a container or init container of the pod (have: app)');
  });

  test('at synth: JOB_COMPLETION_INDEX set on an init container added later', () => {
    const message = errorOf(() => {
      const j = periodicJob({ completionMode: CompletionMode.INDEXED, completions: 2 });
      j.addInitContainer({ name: 'fetch', image: 'ghcr.io/acme/fetch:1.0.0', env: { JOB_COMPLETION_INDEX: '0' } });
      return j;
    });
    expect(message).toContain('ops/report: cronJob.spec.jobTemplate.spec.template.spec.initContainers["fetch"].env ("JOB_COMPLETION_INDEX") must not be set');
  });
});
