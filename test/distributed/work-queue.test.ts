import { Chart, Duration, Size } from 'cdk8s';
import {
  AccessMode, BatchJob, CompletionMode, EventDrivenAutoscaler, JobScalingStrategy, PeriodicJob, PersistentVolumeClaim, PolicyCheck, PolicyRule,
  ScaleTrigger, StatefulService, StatelessService, Waiver, WorkQueue, WorkQueueProps,
} from '../../src';
import { errorOf } from '../helpers/errors';
import { findObject, mainContainer, Manifest, newChart, synth, validateManifests } from '../helpers/synth';

const WORKER = 'ghcr.io/acme/thumbnailer:2.3.0';

/** A Redis queue `queue` (StatefulService, port 6379) and a WorkQueue `thumbnails` on it, in `chart`. */
function build(props: Partial<WorkQueueProps> = {}, chart: Chart = newChart('media', { namespace: 'media' })): WorkQueue {
  const queue = new StatefulService(chart, 'queue', { image: 'redis:7.2.4', port: 6379, replicas: 1 });
  return new WorkQueue(chart, 'thumbnails', { image: WORKER, parallelism: 8, queue, queueName: 'thumbnails:pending', ...props } as WorkQueueProps);
}

describe('WorkQueue', () => {
  // GIVEN a Redis queue and eight workers
  const wq = build();
  // WHEN synthesised
  const out: Manifest[] = synth(Chart.of(wq));
  const job = findObject(out, 'Job', 'thumbnails');

  test('valid 1.28 manifests', () => expect(() => validateManifests(out)).not.toThrow());

  test('the workers are a Job in work-queue mode: parallelism and no completions', () => {
    expect(wq.workers).toBeInstanceOf(BatchJob);
    expect(job.spec.parallelism).toBe(8);
    expect(job.spec.completions).toBeUndefined();
    expect(job.spec.completionMode).toBe('NonIndexed');
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
  });

  test('the workers find the queue through its typed reference', () => {
    expect(wq.queueAddress).toBe('queue.media.svc.cluster.local:6379');
    expect(mainContainer(job).env).toEqual([
      { name: 'QUEUE_HOST', value: 'queue.media.svc.cluster.local' },
      { name: 'QUEUE_PORT', value: '6379' },
      { name: 'QUEUE_ADDRESS', value: 'queue.media.svc.cluster.local:6379' },
      { name: 'QUEUE_NAME', value: 'thumbnails:pending' },
    ]);
  });

  test('both NetworkPolicies allow exactly workers -> queue on the queue port', () => {
    const workers = { podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'thumbnails', 'app.kubernetes.io/name': 'thumbnails' } } };
    const queue = { podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'queue', 'app.kubernetes.io/name': 'queue' } } };
    expect(findObject(out, 'NetworkPolicy', 'thumbnails').spec.egress).toContainEqual({ to: [queue], ports: [{ port: 6379, protocol: 'TCP' }] });
    expect(findObject(out, 'NetworkPolicy', 'queue').spec.ingress).toContainEqual({ from: [workers], ports: [{ port: 6379, protocol: 'TCP' }] });
    expect(findObject(out, 'NetworkPolicy', 'thumbnails').spec.ingress).toBeUndefined();
  });

  test('user env comes first; no queueName, no QUEUE_NAME; the name can differ from the id', () => {
    const other = build({ queueName: undefined, env: { SIZES: '64,256' }, name: 'resize' });
    const c = mainContainer(findObject(synth(Chart.of(other)), 'Job', 'resize'));
    expect(c.env.map((e: any) => e.name)).toEqual(['SIZES', 'QUEUE_HOST', 'QUEUE_PORT', 'QUEUE_ADDRESS']);
  });

  test('a queue in another namespace: its full DNS name, and rules that name each other\'s namespace', () => {
    const app = newChart('media', { namespace: 'media' }).node.scope as any;
    const infra = new Chart(app, 'infra', { namespace: 'infra' });
    const queue = new StatefulService(infra, 'redis', { image: 'redis:7.2.4', port: 6379, replicas: 1 });
    const w = new WorkQueue(new Chart(app, 'jobs', { namespace: 'media' }), 'resize', { image: WORKER, queue });
    expect(w.queueAddress).toBe('redis.infra.svc.cluster.local:6379');
    const np = findObject(synth(app), 'NetworkPolicy', 'resize');
    expect(np.spec.egress[1].to[0].namespaceSelector).toEqual({ matchLabels: { 'kubernetes.io/metadata.name': 'infra' } });
  });

  test('a StatelessService queue works too (a broker behind a Deployment)', () => {
    const chart = newChart('media', { namespace: 'media' });
    const queue = new StatelessService(chart, 'broker', { image: 'ghcr.io/acme/broker:1.0.0', port: 5672 });
    const w = new WorkQueue(chart, 'resize', { image: WORKER, queue });
    expect(w.queueAddress).toBe('broker.media.svc.cluster.local:5672');
    expect(() => validateManifests(synth(chart))).not.toThrow();
  });
});

describe('WorkQueue bad input: one error lists every problem', () => {
  test.each([
    ['no queue', { queue: undefined }, 'media/thumbnails: queue (undefined) must be a workload of this library with a Service'],
    ['a queue that is not a workload', { queue: { name: 'redis' } }, 'media/thumbnails: queue ({"name":"redis"}) must be a workload of this library'],
    ['an empty queue name', { queueName: ' ' }, 'media/thumbnails: queueName (" ") must be a non-empty string'],
    ['workQueue false', { workQueue: false }, 'media/thumbnails: workQueue (false) is always true for a WorkQueue'],
    ['env the work queue sets', { env: { QUEUE_HOST: 'localhost' } },
      'media/thumbnails: env["QUEUE_HOST"] ("QUEUE_HOST") must not be one of QUEUE_HOST, QUEUE_PORT, QUEUE_ADDRESS, QUEUE_NAME'],
    ['a misspelt prop', { queueNme: 'x' }, 'media/thumbnails: queueNme ("x") is not a prop of WorkQueueProps: did you mean "queueName"?'],
    ['completions (the Job\'s own check)', { completions: 10 }, 'media/thumbnails/Workers: completions (10)'],
    ['indexed (the Job\'s own check)', { completionMode: CompletionMode.INDEXED }, 'media/thumbnails/Workers: completions (undefined) is required with CompletionMode.INDEXED'],
  ])('%s', (_name, props, expected) => {
    expect(errorOf(() => build(props as any))).toContain(expected);
  });

  test('a queue without a Service, a queue that runs to completion', () => {
    const chart = newChart('media', { namespace: 'media' });
    const portless = new StatelessService(chart, 'portless', { image: 'ghcr.io/acme/broker:1.0.0' });
    expect(errorOf(() => new WorkQueue(chart, 'a', { image: WORKER, queue: portless })))
      .toContain('media/a: queue ("portless") has no Service: give the queue workload a port');
    const chart2 = newChart('media', { namespace: 'media' });
    const cron = new PeriodicJob(chart2, 'nightly', { image: WORKER, schedule: '0 3 * * *', timeZone: 'Etc/UTC' });
    expect(errorOf(() => new WorkQueue(chart2, 'b', { image: WORKER, queue: cron })))
      .toContain('media/b: queue ("nightly")');
  });

  test('several problems at once, and never a TypeError', () => {
    const message = errorOf(() => build({ queueName: '', workQueue: false, env: { QUEUE_PORT: '1' } }));
    // the three of the work queue, and nothing else (not that the queue, while the work queue is not built, has no caller)
    expect(message).toMatch(/^cdk8s-patterns: 3 invalid values:/);
    expect(message).not.toContain('must admit the callers');
    expect(errorOf(() => new WorkQueue(newChart('media'), 'x', undefined as any))).toContain('queue (undefined)');
  });

  test('a queue with problems of its own: those are reported, and the work queue says it cannot wire to it (nothing else)', () => {
    const chart = newChart('media', { namespace: 'media' });
    const queue = new StatefulService(chart, 'queue', { image: 'redis', port: 6379, replicas: 1 });
    const message = errorOf(() => new WorkQueue(chart, 'w', { image: WORKER, queue }));
    expect(message).toContain('media/queue: image ("redis")');
    expect(message).toContain('media/w: queue ("not built") is a workload that was not built (its problems are listed)');
    expect(message).not.toContain('QUEUE_HOST');
  });
});

describe('WorkQueue scaled by KEDA (a ScaledJob on the queue length)', () => {
  const redisList = ScaleTrigger.redisList({ listName: 'thumbnails:pending', listLength: 50, addressFromEnv: 'QUEUE_ADDRESS' });
  const wq = build({
    parallelism: 2, ttlAfterFinished: Duration.hours(1), scaling: { maxJobs: 10, strategy: JobScalingStrategy.ACCURATE, triggers: [redisList] },
  });
  const out = synth(Chart.of(wq));
  const scaled = findObject(out, 'ScaledJob', 'thumbnails');

  test('valid manifests: the ScaledJob against KEDA\'s CRD, its jobTargetRef as a batch/v1 Job', () => {
    expect(() => validateManifests(out)).not.toThrow();
    expect(scaled.apiVersion).toBe('keda.sh/v1alpha1');
    // the check can fail: a misspelt field of the embedded Job, and one of the ScaledJob itself
    const tampered = JSON.parse(JSON.stringify(out));
    const copy = tampered.find((m: any) => m.kind === 'ScaledJob');
    copy.spec.jobTargetRef.template.spec.restartPolicyy = 'Never';
    copy.spec.maxReplicas = 3;
    expect(() => validateManifests(tampered)).toThrow(/restartPolicyy[\s\S]*maxReplicas|maxReplicas[\s\S]*restartPolicyy/);
  });

  test('the Job is not emitted: it is the ScaledJob\'s jobTargetRef, pod template and all', () => {
    expect(out.filter((m) => m.kind === 'Job')).toEqual([]);
    expect(wq.scaledJob).toBeDefined();
    expect(scaled.spec.jobTargetRef).toMatchObject({ parallelism: 2, backoffLimit: 6, ttlSecondsAfterFinished: 3600 });
    expect(scaled.spec.jobTargetRef.completions).toBeUndefined();
    const pod = scaled.spec.jobTargetRef.template.spec;
    expect(pod.serviceAccountName).toBe('thumbnails');
    expect(pod.containers[0].env).toContainEqual({ name: 'QUEUE_ADDRESS', value: 'queue.media.svc.cluster.local:6379' });
    expect(pod.containers[0].securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true });
  });

  test('up to maxJobs Jobs, on the Redis list\'s length, read from the workers\' own QUEUE_ADDRESS', () => {
    expect(scaled.spec).toMatchObject({
      maxReplicaCount: 10,
      scalingStrategy: { strategy: 'accurate' },
      triggers: [{ type: 'redis', metadata: { listName: 'thumbnails:pending', listLength: '50', addressFromEnv: 'QUEUE_ADDRESS' } }],
    });
    expect(scaled.spec.pollingInterval).toBeUndefined();
  });

  test('the NetworkPolicies still see the workers\' pods (in the ScaledJob) and allow them to the queue', () => {
    const egress = findObject(out, 'NetworkPolicy', 'thumbnails').spec.egress;
    expect(egress).toContainEqual(expect.objectContaining({ ports: [{ port: 6379, protocol: 'TCP' }] }));
  });

  test('the policy check reads the ScaledJob\'s pods: a privileged worker is found there', () => {
    const tampered = JSON.parse(JSON.stringify(out));
    tampered.find((m: any) => m.kind === 'ScaledJob').spec.jobTargetRef.template.spec.containers[0].securityContext.privileged = true;
    const findings = PolicyCheck.check(tampered).filter((f) => !f.waived);
    expect(findings.map((f) => `${f.kind}/${f.name}`)).toContain('ScaledJob/thumbnails');
    expect(PolicyCheck.check(out).filter((f) => !f.waived && f.kind === 'ScaledJob' && f.severity === 'error')).toEqual([]);
  });

  test('KEDA polls the queue from its own namespace: the queue admits it on the queue port', () => {
    expect(findObject(out, 'NetworkPolicy', 'queue').spec.ingress).toContainEqual({
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'keda' } } }], ports: [{ port: 6379, protocol: 'TCP' }],
    });
    const other = build({ scaling: { maxJobs: 2, triggers: [redisList], kedaNamespace: 'autoscaling' } });
    expect(findObject(synth(Chart.of(other)), 'NetworkPolicy', 'queue').spec.ingress).toContainEqual(expect.objectContaining({
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'autoscaling' } } }],
    }));
  });

  test('the ScaledJob carries the Job\'s labels and annotations (waivers too), also those added after construction', () => {
    const w = build({
      annotations: { 'acme.io/owner': 'media' },
      security: { readOnlyRootFilesystem: false },
      waivers: [Waiver.of(PolicyRule.WRITABLE_ROOT_FILESYSTEM, 'the encoder writes its scratch files next to itself')],
      scaling: { maxJobs: 2, triggers: [redisList] },
    });
    w.workers.job.metadata.addLabel('team', 'media');
    const manifests = synth(Chart.of(w));
    const m = findObject(manifests, 'ScaledJob', 'thumbnails');
    expect(m.metadata.labels).toMatchObject({ 'team': 'media', 'app.kubernetes.io/name': 'thumbnails' });
    expect(m.metadata.annotations['acme.io/owner']).toBe('media');
    expect(Object.keys(m.metadata.annotations).some((k) => k.includes('checker-ignore'))).toBe(true);
    expect(PolicyCheck.check(manifests).filter((f) => f.kind === 'ScaledJob' && f.rule === 'read-only-root-fs' && !f.waived)).toEqual([]);
  });

  test('maxJobs multiplies the pods that share a volume: a ReadWriteOncePod claim fits one Job of one pod only', () => {
    const claimed = (maxJobs: number) => {
      const chart = newChart('media', { namespace: 'media' });
      const queue = new StatefulService(chart, 'queue', { image: 'redis:7.2.4', port: 6379, replicas: 1 });
      const claim = new PersistentVolumeClaim(chart, 'cache', { size: Size.gibibytes(1), accessModes: [AccessMode.READ_WRITE_ONCE_POD] });
      return () => new WorkQueue(chart, 'thumbnails', {
        image: WORKER,
        queue,
        volumes: [claim.volume('cache')],
        mounts: [{ volume: 'cache', path: '/cache' }],
        scaling: { maxJobs, triggers: [redisList] },
      });
    };
    expect(() => synth(Chart.of(claimed(1)() as WorkQueue))).not.toThrow();
    expect(errorOf(claimed(3))).toContain('is a ReadWriteOncePod claim, which one pod at a time can use, but up to 3 pods');
  });

  test.each([
    ['no maxJobs', { triggers: [redisList] }, 'scaling.maxJobs (undefined) is required'],
    ['QUEUE_NAME without a queueName', { maxJobs: 3, triggers: [ScaleTrigger.redisList({ listName: 'x', listLength: 5, addressFromEnv: 'QUEUE_NAME' })] },
      'scaling.triggers[0].addressFromEnv ("QUEUE_NAME") must be an environment variable of the workers\' container'],
    ['a bad KEDA namespace', { maxJobs: 3, triggers: [redisList], kedaNamespace: 'KEDA' }, 'scaling.kedaNamespace ("KEDA") must be'],
    ['no triggers', { maxJobs: 3, triggers: [] }, 'scaling.triggers ([]) must be a non-empty list of ScaleTrigger'],
    ['a cpu trigger', { maxJobs: 3, triggers: [ScaleTrigger.cpu(70)] }, 'scaling.triggers[0] ("cpu") cannot scale a ScaledJob'],
    ['an env KEDA cannot read', { maxJobs: 3, triggers: [ScaleTrigger.redisList({ listName: 'x', listLength: 5, addressFromEnv: 'REDIS' })] },
      'scaling.triggers[0].addressFromEnv ("REDIS") must be an environment variable of the workers\' container'],
    ['a bad trigger', { maxJobs: 3, triggers: [ScaleTrigger.redisList({ listName: 'x', listLength: 0, address: 'redis://r:6379' })] },
      'scaling.triggers[0].listLength (0) must be a whole number greater than 0'],
    ['a misspelt option', { maxJobs: 3, triggers: [redisList], maxJob: 3 }, 'scaling.maxJob (3) is not a prop of WorkQueueScaling'],
    ['a bad strategy', { maxJobs: 3, triggers: [redisList], strategy: 'fast' }, 'scaling.strategy ("fast") must be a JobScalingStrategy'],
    ['zero jobs', { maxJobs: 0, triggers: [redisList] }, 'scaling.maxJobs (0) must be'],
  ])('bad input: %s', (_name, scaling, expected) => {
    const props = (scaling as any).triggers?.[0]?._fromEnv?.[0]?.[1] === 'QUEUE_NAME' ? { queueName: undefined } : {};
    expect(errorOf(() => build({ ...props, scaling: scaling as any }))).toContain(`media/thumbnails: ${expected}`);
  });

  test('bad input: suspend, generateName and gang scheduling do not apply', () => {
    const message = errorOf(() => build({ suspend: true, generateName: true, scaling: { maxJobs: 2, triggers: [redisList] } }));
    expect(message).toContain('media/thumbnails: suspend (true) does not apply with scaling');
    expect(message).toContain('media/thumbnails: generateName (true) does not apply with scaling');
  });
});

describe('ScaleTrigger.redisList', () => {
  test.each([
    ['address and addressFromEnv', { listName: 'q', listLength: 5, address: 'r:6379', addressFromEnv: 'R' }, 'address ("r:6379") or addressFromEnv is required, and not both'],
    ['neither', { listName: 'q', listLength: 5 }, 'address (undefined) or addressFromEnv is required, and not both'],
    ['a URL', { listName: 'q', listLength: 5, address: 'redis://u:p@r:6379' }, 'address ("(hidden)") must be "host:port"'],
    ['an empty list', { listName: '', listLength: 5, address: 'r:6379' }, 'listName ("") must be a non-empty string'],
    ['a fractional length', { listName: 'q', listLength: 2.5, address: 'r:6379' }, 'listLength (2.5) must be a whole number'],
    ['a bad env name', { listName: 'q', listLength: 5, addressFromEnv: '1X' }, 'addressFromEnv ("1X") must be the name of an environment variable'],
  ])('%s', (_name, options, expected) => {
    expect(errorOf(() => build({ scaling: { maxJobs: 2, triggers: [ScaleTrigger.redisList(options as any)] } })))
      .toContain(`media/thumbnails: scaling.triggers[0].${expected}`);
  });

  test('on a Deployment of consumers (EventDrivenAutoscaler): every option rendered, the env checked on the pods', () => {
    const chart = newChart('media', { namespace: 'media' });
    const consumer = new StatelessService(chart, 'consumer', { image: WORKER, env: { REDIS_ADDRESS: 'redis:6379' } });
    const a = new EventDrivenAutoscaler(chart, 'scaler', {
      workload: consumer,
      maxReplicas: 5,
      triggers: [ScaleTrigger.redisList({
        listName: 'q',
        listLength: 20,
        activationListLength: 2,
        addressFromEnv: 'REDIS_ADDRESS',
        databaseIndex: 1,
        enableTls: true,
        authenticationRef: { name: 'redis-auth' },
      })],
    });
    expect(findObject(synth(Chart.of(a)), 'ScaledObject', 'consumer').spec.triggers).toEqual([{
      type: 'redis',
      metadata: { listName: 'q', listLength: '20', activationListLength: '2', addressFromEnv: 'REDIS_ADDRESS', databaseIndex: '1', enableTLS: 'true' },
      authenticationRef: { name: 'redis-auth' },
    }]);
    const chart2 = newChart('media', { namespace: 'media' });
    const other = new StatelessService(chart2, 'consumer', { image: WORKER });
    expect(errorOf(() => new EventDrivenAutoscaler(chart2, 'scaler', {
      workload: other, maxReplicas: 5, triggers: [ScaleTrigger.redisList({ listName: 'q', listLength: 20, addressFromEnv: 'REDIS_ADDRESS' })],
    }))).toContain('triggers[0].addressFromEnv ("REDIS_ADDRESS") must be an environment variable of the container "app"');
  });
});
