/* eslint-disable @stylistic/max-len */
import { Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Demands, EnvVariable, HealthCheck, PatternLabels, PodQos, QosClass, Spread } from '../../src';
import {
  BatchJob, BatchJobProps, CompletionMode, ExitCodeOperator, JobRestartPolicy, PodConditionStatus, PodFailurePolicyAction,
} from '../../src/behavioral/batch-job';
import { errorOf } from '../helpers/errors';
import { findObject, HARDENED_CONTAINER_CONTEXT, mainContainer, Manifest, newChart, objectsOf, synth } from '../helpers/synth';

const IMAGE = 'ghcr.io/acme/reindex:2.3.0';

/** A BatchJob `reindex` in a fresh chart, with `props` over a valid baseline. */
function batchJob(props: Partial<BatchJobProps> = {}, chart: Chart = newChart('batch')): BatchJob {
  return new BatchJob(chart, 'reindex', { image: IMAGE, ...props } as BatchJobProps);
}

/** The Job manifest of a fresh `reindex` BatchJob, synthesised and schema-checked. */
function jobOf(props: Partial<BatchJobProps> = {}): Manifest {
  const j = batchJob(props);
  return findObject(synth(j.node.scope as Chart), 'Job', 'reindex');
}


describe('BatchJob defaults', () => {
  // GIVEN the smallest job
  const chart = newChart('batch');
  const j = new BatchJob(chart, 'Reindex', { image: IMAGE });
  // WHEN synthesised
  const out = synth(chart);
  const job = findObject(out, 'Job', 'reindex');
  const pod = job.spec.template.spec;
  const c = mainContainer(job);

  test('emits exactly one Job, its ServiceAccount and its NetworkPolicy, named after the id: no Service, no PodDisruptionBudget', () => {
    expect(out.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual(['ServiceAccount/reindex', 'NetworkPolicy/reindex', 'Job/reindex']);
    expect(j.name).toBe('reindex');
    expect(j.completionMode).toBe(CompletionMode.NON_INDEXED);
    expect(j.job.kind).toBe('Job');
  });

  test('runs one pod to completion, explicitly: completions 1, parallelism 1, NonIndexed, backoffLimit 6, restartPolicy Never', () => {
    expect(job.spec).toMatchObject({ completions: 1, parallelism: 1, completionMode: 'NonIndexed', backoffLimit: 6 });
    expect(pod.restartPolicy).toBe('Never');
  });

  test('sets no deadline, no TTL, no pod failure policy, no suspend and no selector (Kubernetes generates it)', () => {
    for (const f of ['activeDeadlineSeconds', 'ttlSecondsAfterFinished', 'podFailurePolicy', 'suspend', 'selector', 'manualSelector']) {
      expect(job.spec).not.toHaveProperty(f);
    }
  });

  test('labels the Job and its pods', () => {
    const labels = { [PatternLabels.NAME]: 'reindex', [PatternLabels.INSTANCE]: 'reindex', [PatternLabels.MANAGED_BY]: 'cdk8s-patterns' };
    expect(job.metadata.labels).toEqual(labels);
    expect(job.spec.template.metadata.labels).toMatchObject(labels);
  });

  test('has no probes', () => {
    expect(c).not.toHaveProperty('livenessProbe');
    expect(c).not.toHaveProperty('readinessProbe');
    expect(c).not.toHaveProperty('startupProbe');
    expect(c.ports ?? []).toEqual([]);
  });

  test('hardens the pod to the restricted Pod Security Standard', () => {
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('reindex');
    expect(c.securityContext).toEqual(HARDENED_CONTAINER_CONTEXT);
    expect(c.volumeMounts).toEqual([{ mountPath: '/tmp', name: 'tmp' }]);
  });

  test('sets explicit Burstable resources, not cdk8s-plus defaults', () => {
    expect(c.resources).toEqual({
      requests: { 'cpu': '100m', 'memory': '128Mi', 'ephemeral-storage': '128Mi' },
      limits: { 'cpu': '500m', 'memory': '256Mi', 'ephemeral-storage': '1Gi' },
    });
    expect(PodQos.classify(pod)).toBe(QosClass.BURSTABLE);
  });

  test('does not spread a single pod', () => {
    expect(pod).not.toHaveProperty('topologySpreadConstraints');
  });
});

describe('BatchJob completion modes', () => {
  test('Indexed: 10 shards, 3 at a time; Kubernetes, not the library, sets JOB_COMPLETION_INDEX', () => {
    const job = jobOf({ completionMode: CompletionMode.INDEXED, completions: 10, parallelism: 3, env: { SHARDS: '10' } });
    expect(job.spec).toMatchObject({ completionMode: 'Indexed', completions: 10, parallelism: 3 });
    expect(mainContainer(job).env).toEqual([{ name: 'SHARDS', value: '10' }]);
  });

  test('parallel pods prefer to spread across nodes, counting only the pods of the same Job run', () => {
    const job = jobOf({ completionMode: CompletionMode.INDEXED, completions: 10, parallelism: 3 });
    expect(job.spec.template.spec.topologySpreadConstraints).toEqual([{
      maxSkew: 1,
      topologyKey: 'kubernetes.io/hostname',
      whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels: { [PatternLabels.NAME]: 'reindex', [PatternLabels.INSTANCE]: 'reindex' } },
      matchLabelKeys: ['batch.kubernetes.io/controller-uid'],
    }]);
  });

  test('an explicit spread applies too, and Spread.none() opts out', () => {
    const zones = jobOf({ completions: 4, parallelism: 4, placement: { spread: Spread.zones({ required: true }) } });
    expect(zones.spec.template.spec.topologySpreadConstraints).toMatchObject([{ topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule' }]);
    expect(jobOf({ completions: 4, parallelism: 4, placement: { spread: Spread.none() } }).spec.template.spec).not.toHaveProperty('topologySpreadConstraints');
  });

  test('NonIndexed with fixed completions', () => {
    expect(jobOf({ completions: 5, parallelism: 2 }).spec).toMatchObject({ completionMode: 'NonIndexed', completions: 5, parallelism: 2 });
  });

  test('work queue: parallelism without completions', () => {
    const job = jobOf({ workQueue: true, parallelism: 4 });
    expect(job.spec).toMatchObject({ completionMode: 'NonIndexed', parallelism: 4 });
    expect(job.spec).not.toHaveProperty('completions');
  });
});

describe('BatchJob failure handling and clean-up', () => {
  test('backoffLimit, activeDeadlineSeconds and ttlSecondsAfterFinished', () => {
    const job = jobOf({ backoffLimit: 2, activeDeadline: Duration.hours(1), ttlAfterFinished: Duration.days(1) });
    expect(job.spec).toMatchObject({ backoffLimit: 2, activeDeadlineSeconds: 3600, ttlSecondsAfterFinished: 86400 });
  });

  test('ttlAfterFinished 0 deletes the Job at once, backoffLimit 0 never retries', () => {
    expect(jobOf({ backoffLimit: 0, ttlAfterFinished: Duration.seconds(0) }).spec).toMatchObject({ backoffLimit: 0, ttlSecondsAfterFinished: 0 });
  });

  test('restartPolicy OnFailure restarts containers in place', () => {
    expect(jobOf({ restartPolicy: JobRestartPolicy.ON_FAILURE }).spec.template.spec.restartPolicy).toBe('OnFailure');
  });

  test('podFailurePolicy: exit codes sorted, conditions default to status True, in the 1.28 schema shape', () => {
    const job = jobOf({
      podFailurePolicy: [
        { action: PodFailurePolicyAction.FAIL_JOB, onExitCodes: { containerName: 'app', operator: ExitCodeOperator.IN, values: [42, 3] } },
        { action: PodFailurePolicyAction.IGNORE, onPodConditions: [{ type: 'DisruptionTarget' }] },
        { action: PodFailurePolicyAction.COUNT, onExitCodes: { operator: ExitCodeOperator.NOT_IN, values: [0] } },
        { action: PodFailurePolicyAction.COUNT, onPodConditions: [{ type: 'example.com/Flaky', status: PodConditionStatus.FALSE }] },
      ],
    });
    expect(job.spec.podFailurePolicy).toEqual({
      rules: [
        { action: 'FailJob', onExitCodes: { containerName: 'app', operator: 'In', values: [3, 42] }, onPodConditions: [] },
        { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
        { action: 'Count', onExitCodes: { operator: 'NotIn', values: [0] }, onPodConditions: [] },
        { action: 'Count', onPodConditions: [{ type: 'example.com/Flaky', status: 'False' }] },
      ],
    });
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
  });

  test('a podFailurePolicy may name an init container added later', () => {
    const j = batchJob({ podFailurePolicy: [{ action: PodFailurePolicyAction.FAIL_JOB, onExitCodes: { containerName: 'fetch', operator: ExitCodeOperator.IN, values: [2] } }] });
    j.addInitContainer({ name: 'fetch', image: 'ghcr.io/acme/fetch:1.0.0' });
    expect(() => synth(j.node.scope as Chart)).not.toThrow();
  });

  test('suspend creates the Job suspended', () => {
    expect(jobOf({ suspend: true }).spec.suspend).toBe(true);
    expect(jobOf({ suspend: false }).spec.suspend).toBe(false);
  });

  test('health is opt-in: an exec liveness probe for a long job', () => {
    const c = mainContainer(jobOf({ health: HealthCheck.exec(['/bin/healthy']) }));
    expect(c.livenessProbe).toMatchObject({ exec: { command: ['/bin/healthy'] } });
  });
});

describe('BatchJob generateName', () => {
  test('emits metadata.generateName "<name>-" and no name, and passes the schema', () => {
    const chart = newChart('batch');
    new BatchJob(chart, 'migrate', { image: IMAGE, generateName: true });
    const [job] = objectsOf(synth(chart), 'Job');
    expect(job.metadata.generateName).toBe('migrate-');
    expect(job.metadata).not.toHaveProperty('name');
    expect(job.metadata.labels[PatternLabels.INSTANCE]).toBe('migrate');
  });

  test('two generateName Jobs with the same base name: the Jobs are not duplicates, but the ServiceAccount and NetworkPolicy they are named after are', () => {
    const chart = newChart('batch');
    new BatchJob(chart, 'A', { image: IMAGE, name: 'migrate', generateName: true });
    new BatchJob(chart, 'B', { image: IMAGE, name: 'migrate', generateName: true });
    const message = errorOf(() => synth(chart));
    expect(message).toContain('ServiceAccount "migrate"');
    expect(message).toContain('NetworkPolicy "migrate"');
    expect(message).not.toContain('Job "migrate"');
    const one = newChart('batch');
    new BatchJob(one, 'A', { image: IMAGE, name: 'migrate', generateName: true });
    const out = synth(one);
    expect(objectsOf(out, 'Job').map((m) => m.metadata.generateName)).toEqual(['migrate-']);
    expect(findObject(out, 'ServiceAccount', 'migrate').metadata.name).toBe('migrate');
  });

  test('two fixed-name Jobs with the same name are duplicates', () => {
    const chart = newChart('batch');
    new BatchJob(chart, 'A', { image: IMAGE, name: 'migrate' });
    new BatchJob(chart, 'B', { image: IMAGE, name: 'migrate' });
    expect(() => synth(chart)).toThrow(/metadata.name \("migrate"\) must be unique per kind and namespace: Job "migrate"/);
  });
});

describe('BatchJob containers: hardening and QoS tier', () => {
  const guaranteed = Demands.guaranteed({ cpu: kplus.Cpu.millis(250), memory: Size.mebibytes(256) });

  test('a sidecar and an init container get the hardening and the Guaranteed tier', () => {
    const j = batchJob({ demands: guaranteed, completionMode: CompletionMode.INDEXED, completions: 4, parallelism: 2 });
    j.addContainer({ name: 'proxy', image: 'ghcr.io/acme/proxy:2.0.1', port: 15001 });
    j.addInitContainer({ name: 'fetch', image: 'ghcr.io/acme/fetch:1.0.0' });
    const spec = findObject(synth(j.node.scope as Chart), 'Job', 'reindex').spec.template.spec;
    expect(PodQos.classify(spec)).toBe(QosClass.GUARANTEED);
    const all = [...spec.containers, ...spec.initContainers];
    expect(all.map((c: any) => c.name).sort()).toEqual(['app', 'fetch', 'proxy']);
    for (const c of all) {
      expect(c.resources).toEqual({
        requests: { 'cpu': '250m', 'memory': '256Mi', 'ephemeral-storage': '128Mi' },
        limits: { 'cpu': '250m', 'memory': '256Mi', 'ephemeral-storage': '1Gi' },
      });
      expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true, readOnlyRootFilesystem: true });
    }
  });

  test('a container added through the raw kplus API breaks the tier, and synth fails naming it', () => {
    const j = batchJob({ demands: guaranteed });
    j.job.addContainer({ name: 'raw', image: 'ghcr.io/acme/raw:1.0.0', securityContext: { ensureNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: [kplus.Capability.ALL] } } });
    expect(() => synth(j.node.scope as Chart)).toThrow(/job.spec.template.spec QoS class \("Burstable"\) must be Guaranteed, as demands asks: .*raw/);
  });
});

describe('BatchJob rejects', () => {
  const exit = (values: number[], operator = ExitCodeOperator.IN) => [{ action: PodFailurePolicyAction.FAIL_JOB, onExitCodes: { operator, values } }];
  const cases: Array<[string, Partial<BatchJobProps>, string]> = [
    ['negative completions', { completions: -1 }, 'completions (-1) must be >= 1'],
    ['zero completions', { completions: 0 }, 'completions (0) must be >= 1'],
    ['parallelism 0', { parallelism: 0 }, 'parallelism (0) must be at least 1: a Job with parallelism 0 never starts a pod (suspend it to hold it)'],
    ['negative parallelism', { parallelism: -2 }, 'parallelism (-2) must be >= 1'],
    ['fractional parallelism', { parallelism: 1.5 }, 'parallelism (1.5) must be an integer'],
    ['Indexed parallelism over 100000', { completionMode: CompletionMode.INDEXED, completions: 200000, parallelism: 100001 }, 'parallelism (100001) must be between 1 and 100000'],
    ['Indexed without completions', { completionMode: CompletionMode.INDEXED }, 'completions (undefined) is required with CompletionMode.INDEXED (the Job runs one pod per index, 0 to completions - 1)'],
    ['Indexed work queue', { completionMode: CompletionMode.INDEXED, completions: 3, workQueue: true }, 'workQueue (true) does not apply with CompletionMode.INDEXED'],
    ['a work queue with completions', { workQueue: true, completions: 5 }, 'completions (5) must not be set with workQueue: true'],
    ['parallelism above completions', { completions: 3, parallelism: 5 }, 'parallelism (5) must not exceed completions (3): no more than 3 pods ever run at once'],
    ['parallelism above the default completions', { parallelism: 2 }, 'parallelism (2) must not exceed completions (1)'],
    ['Indexed hostnames over 63 characters', { name: 'a'.repeat(58), completionMode: CompletionMode.INDEXED, completions: 100000 }, `completions (100000) leaves no room for the pod hostnames: "<job-name>-99999" would have 64 characters (at most 63), as the Job is named "${'a'.repeat(58)}"; shorten the name or use fewer completions`],
    ['Indexed hostnames with generateName', { name: 'a'.repeat(52), generateName: true, completionMode: CompletionMode.INDEXED, completions: 100000 }, 'would have 64 characters (at most 63), as the Job is named "aaaa'],
    ['negative backoffLimit', { backoffLimit: -1 }, 'backoffLimit (-1) must be >= 0'],
    ['an activeDeadline of 0', { activeDeadline: Duration.seconds(0) }, 'activeDeadline ("0s") must be a whole number of seconds, at least 1'],
    ['a fractional ttlAfterFinished', { ttlAfterFinished: Duration.millis(1500) }, 'ttlAfterFinished ("1.5s") must be a whole number of seconds, at least 0'],
    ['a podFailurePolicy with OnFailure', { restartPolicy: JobRestartPolicy.ON_FAILURE, podFailurePolicy: exit([42]) }, 'restartPolicy ("OnFailure") must be JobRestartPolicy.NEVER with a podFailurePolicy'],
    ['an empty podFailurePolicy', { podFailurePolicy: [] }, 'podFailurePolicy ([]) must be a list of 1 to 20 rules'],
    ['21 rules', { podFailurePolicy: Array(21).fill(exit([1])[0]) }, '...) must be a list of 1 to 20 rules'],
    ['a rule with both matchers', { podFailurePolicy: [{ action: PodFailurePolicyAction.IGNORE, onExitCodes: { operator: ExitCodeOperator.IN, values: [1] }, onPodConditions: [{ type: 'DisruptionTarget' }] }] }, 'podFailurePolicy[0] ({"onExitCodes":{"operator":"In","values":[1]},"onPodConditions":[{"type":"DisruptionTarget"}]}) must have exactly one of onExitCodes and onPodConditions'],
    ['a rule with no matcher', { podFailurePolicy: [{ action: PodFailurePolicyAction.IGNORE }] }, 'podFailurePolicy[0] ({}) must have exactly one of onExitCodes and onPodConditions'],
    ['an unknown action', { podFailurePolicy: [{ action: 'Retry' as any, onPodConditions: [{ type: 'DisruptionTarget' }] }] }, 'podFailurePolicy[0].action ("Retry") must be PodFailurePolicyAction.FAIL_JOB, IGNORE or COUNT'],
    ['an unknown operator', { podFailurePolicy: exit([1], 'Equals' as any) }, 'podFailurePolicy[0].onExitCodes.operator ("Equals") must be ExitCodeOperator.IN or NOT_IN'],
    ['no exit codes', { podFailurePolicy: exit([]) }, 'podFailurePolicy[0].onExitCodes.values ([]) must be a list of 1 to 255 exit codes'],
    ['a negative exit code', { podFailurePolicy: exit([-1]) }, 'podFailurePolicy[0].onExitCodes.values ([-1]) must be whole numbers >= 0'],
    ['a repeated exit code', { podFailurePolicy: exit([3, 3]) }, 'podFailurePolicy[0].onExitCodes.values ([3,3]) must not repeat an exit code'],
    ['exit code 0 with In', { podFailurePolicy: exit([0, 1]) }, 'podFailurePolicy[0].onExitCodes.values ([0,1]) must not contain 0 with the In operator'],
    ['no pod conditions', { podFailurePolicy: [{ action: PodFailurePolicyAction.IGNORE, onPodConditions: [] }] }, 'podFailurePolicy[0].onPodConditions ([]) must be a list of 1 to 20 conditions'],
    ['a bad condition type', { podFailurePolicy: [{ action: PodFailurePolicyAction.IGNORE, onPodConditions: [{ type: 'Not A Type' }] }] }, 'podFailurePolicy[0].onPodConditions[0].type ("Not A Type") must be a valid label key'],
    ['a condition with no type', { podFailurePolicy: [{ action: PodFailurePolicyAction.IGNORE, onPodConditions: [{} as any] }] }, 'podFailurePolicy[0].onPodConditions[0].type (undefined) is required: a condition type such as "DisruptionTarget"'],
    ['a bad condition status', { podFailurePolicy: [{ action: PodFailurePolicyAction.IGNORE, onPodConditions: [{ type: 'DisruptionTarget', status: 'Maybe' as any }] }] }, 'podFailurePolicy[0].onPodConditions[0].status ("Maybe") must be PodConditionStatus.TRUE, FALSE or UNKNOWN'],
    ['JOB_COMPLETION_INDEX in the ordered variables of an Indexed job',
      { completionMode: CompletionMode.INDEXED, completions: 2, envVariables: [EnvVariable.literal('JOB_COMPLETION_INDEX', '0')] },
      'envVariables[0].name ("JOB_COMPLETION_INDEX") must not be set in an Indexed job'],
    ['JOB_COMPLETION_INDEX in env of an Indexed job', { completionMode: CompletionMode.INDEXED, completions: 2, env: { JOB_COMPLETION_INDEX: '0' } }, 'env["JOB_COMPLETION_INDEX"] ("JOB_COMPLETION_INDEX") must not be set in an Indexed job: Kubernetes sets it to the pod\'s completion index, and a value set here would hide it'],
    ['an unknown completionMode', { completionMode: 'Sharded' as any }, 'completionMode ("Sharded") must be CompletionMode.NON_INDEXED or CompletionMode.INDEXED'],
    ['restartPolicy Always', { restartPolicy: 'Always' as any }, 'restartPolicy ("Always") must be JobRestartPolicy.NEVER or JobRestartPolicy.ON_FAILURE (a Job pod cannot restart Always)'],
    ['workQueue as a string', { workQueue: 'yes' as any }, 'workQueue ("yes") must be a boolean'],
    ['generateName as a string', { generateName: 'true' as any }, 'generateName ("true") must be a boolean'],
    ['suspend as a number', { suspend: 1 as any }, 'suspend (1) must be a boolean'],
    ['a generateName base over 57 characters', { name: 'a'.repeat(58), generateName: true }, 'name ("' + 'a'.repeat(58) + '") must be at most 57 characters'],
    ['a name that is not a DNS label', { name: 'Re_Index' }, 'name ("Re_Index") must be a DNS-1123 label'],
    ['an unpinned image', { image: 'acme/reindex' }, 'image ("acme/reindex") must be pinned'],
  ];

  test.each(cases)('%s', (_name, props, expected) => {
    const message = errorOf(() => batchJob(props));
    expect(message).toContain('batch/reindex: ');
    expect(message).toContain(expected);
  });

  test('every problem at once, in one error', () => {
    const message = errorOf(() => batchJob({ completions: -1, backoffLimit: -1, parallelism: 0 }));
    expect(message).toMatch(/^cdk8s-patterns: 3 invalid values:/);
  });

  test('at synth: a pod failure policy naming a container the pod does not have', () => {
    const message = errorOf(() => batchJob({ podFailurePolicy: [{ action: PodFailurePolicyAction.FAIL_JOB, onExitCodes: { containerName: 'worker', operator: ExitCodeOperator.IN, values: [2] } }] }));
    expect(message).toContain('batch/reindex: podFailurePolicy[0].onExitCodes.containerName ("worker") must name a container or init container of the pod (have: app)');
  });

  test('at synth: JOB_COMPLETION_INDEX set on a container added later', () => {
    const message = errorOf(() => {
      const j = batchJob({ completionMode: CompletionMode.INDEXED, completions: 2 });
      j.addContainer({ name: 'sidecar', image: 'ghcr.io/acme/sidecar:1.0.0', env: { JOB_COMPLETION_INDEX: '0' } });
      return j;
    });
    expect(message).toContain('batch/reindex: job.spec.template.spec.containers["sidecar"].env ("JOB_COMPLETION_INDEX") must not be set in an Indexed job');
  });

  test('JOB_COMPLETION_INDEX is an ordinary variable in a NonIndexed job', () => {
    expect(mainContainer(jobOf({ env: { JOB_COMPLETION_INDEX: '7' } })).env).toEqual([{ name: 'JOB_COMPLETION_INDEX', value: '7' }]);
  });
});

describe('BatchJob: wrong types from JavaScript', () => {
  test('a null onExitCodes is a validation error, not a TypeError', () => {
    const chart = newChart('search');
    // (errorOf fails the test on a TypeError)
    expect(errorOf(() => new BatchJob(chart, 'reindex', {
      image: 'ghcr.io/acme/reindex:2.3.0',
      podFailurePolicy: [{ action: PodFailurePolicyAction.FAIL_JOB, onExitCodes: null as any }],
    }))).toMatch(/search\/reindex: podFailurePolicy\[0\] .* must have exactly one of onExitCodes and onPodConditions/);
  });
});
