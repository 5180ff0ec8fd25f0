import { Chart, Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import {
  BlueGreenTrack, ControlledResource, DaemonService, Demands, DeploymentStrategy, DisruptionBudget, EnvVariable, EventDrivenAutoscaler,
  EventDrivenAutoscalerProps, HorizontalAutoscaler, KafkaOffsetResetPolicy, KafkaSaslMode, PatternLabels, PatternWorkload, PolicyRule,
  PrometheusAuthMode, RabbitMqMode, RabbitMqProtocol, ScaleTrigger, ScalingBehavior, StatefulService, TriggerAuthenticationKind,
  VerticalAutoscaler, VerticalUpdateMode, Waiver,
} from '../../src';
import { crdSchemaErrors, crdUnknownFields } from '../helpers/crd-schemas';
import { SCALED_OBJECT_V1ALPHA1 } from '../helpers/crd-schemas-autoscalers';
import { errorOf, IMAGE, service } from '../helpers/errors';
import { CALLERS } from '../helpers/network';
import { findObject, Manifest, newChart, synth } from '../helpers/synth';

const LABELS = { [PatternLabels.NAME]: 'api', [PatternLabels.INSTANCE]: 'api', [PatternLabels.MANAGED_BY]: 'cdk8s-patterns' };
const RABBIT = ScaleTrigger.rabbitMq({ queueName: 'orders', value: 50, authenticationRef: { name: 'rabbitmq' } });
const RABBIT_JSON = { type: 'rabbitmq', metadata: { queueName: 'orders', mode: 'QueueLength', value: '50' }, authenticationRef: { name: 'rabbitmq' } };

/** A StatelessService `api` without replicas in a fresh chart `shop` (namespace `shop`). */
function api(props: { [key: string]: unknown } = {}): PatternWorkload {
  return service(props, newChart('shop', { namespace: 'shop' }));
}

/** The ScaledObject and the Deployment of the app of `workload` with an EventDrivenAutoscaler of `props`, synthesised. */
function scaledOf(props: Partial<EventDrivenAutoscalerProps> = {}, workload: PatternWorkload = api()): { so: Manifest; manifests: Manifest[] } {
  new EventDrivenAutoscaler(Chart.of(workload), 'scaler', { workload, maxReplicas: 10, triggers: [RABBIT], ...props });
  const manifests = synth(Chart.of(workload));
  const [so] = manifests.filter((m) => m.kind === 'ScaledObject');
  return { so, manifests };
}

/** The triggers rendered for `triggers` (minReplicas 1, so that cpu and memory triggers may stand alone). */
function triggersOf(...triggers: ScaleTrigger[]): any[] {
  return scaledOf({ triggers, minReplicas: 1 }).so.spec.triggers;
}

/** The error of an EventDrivenAutoscaler with `props` over a valid baseline. */
function kedaError(props: { [key: string]: unknown }, workload: PatternWorkload = api()): string {
  return errorOf(() => new EventDrivenAutoscaler(Chart.of(workload), 'scaler',
    { workload, maxReplicas: 10, triggers: [RABBIT], ...props } as EventDrivenAutoscalerProps));
}

/** The error of one trigger (minReplicas 1). */
function triggerError(trigger: ScaleTrigger): string {
  return kedaError({ triggers: [trigger], minReplicas: 1 });
}

describe('EventDrivenAutoscaler: the ScaledObject', () => {
  test('scale to zero by default: the Deployment, its bounds and trigger, named after the Deployment', () => {
    // GIVEN a StatelessService without replicas and a queue-driven autoscaler
    const workload = api();
    const scaler = new EventDrivenAutoscaler(Chart.of(workload), 'scaler', { workload, maxReplicas: 10, triggers: [RABBIT] });
    const manifests = synth(Chart.of(workload));
    const so = findObject(manifests, 'ScaledObject', 'api');
    // THEN it is a keda.sh/v1alpha1 ScaledObject with the workload's labels
    expect(so.apiVersion).toBe('keda.sh/v1alpha1');
    expect(so.metadata).toEqual({ name: 'api', namespace: 'shop', labels: LABELS });
    // AND it scales the Deployment between 0 and 10 on the queue, the credentials by reference only
    expect(so.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
      minReplicaCount: 0,
      maxReplicaCount: 10,
      triggers: [RABBIT_JSON],
    });
    // AND the Deployment leaves its replicas to KEDA
    expect(findObject(manifests, 'Deployment', 'api').spec).not.toHaveProperty('replicas');
    expect([scaler.minReplicas, scaler.maxReplicas]).toEqual([0, 10]);
  });

  test('polling, cooldown, idle count, fallback and the HPA\'s behaviour', () => {
    const { so } = scaledOf({
      minReplicas: 2,
      idleReplicas: 0,
      pollingInterval: Duration.seconds(15),
      cooldownPeriod: Duration.minutes(10),
      fallback: { failureThreshold: 3, replicas: 4 },
      behavior: ScalingBehavior.scaleUpOnly(),
    });
    expect(so.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
      pollingInterval: 15,
      cooldownPeriod: 600,
      idleReplicaCount: 0,
      minReplicaCount: 2,
      maxReplicaCount: 10,
      fallback: { failureThreshold: 3, replicas: 4 },
      advanced: { horizontalPodAutoscalerConfig: { behavior: { scaleDown: { selectPolicy: 'Disabled' } } } },
      triggers: [RABBIT_JSON],
    });
  });

  test('a StatefulService is scaled as a StatefulSet', () => {
    const kv = new StatefulService(newChart('shop'), 'kv', { image: IMAGE, port: 7000, network: CALLERS });
    const { so, manifests } = scaledOf({}, kv);
    expect(so.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'kv' });
    expect(findObject(manifests, 'StatefulSet', 'kv').spec).not.toHaveProperty('replicas');
  });

  test('the longest names of scalable workloads leave room for KEDA\'s keda-hpa-<name> (63 characters)', () => {
    const kv = new StatefulService(newChart('shop'), 'kv', { image: IMAGE, port: 7000, network: CALLERS, name: 'k'.repeat(52) });
    expect(`keda-hpa-${scaledOf({}, kv).so.metadata.name}`).toHaveLength(61);
    expect(`keda-hpa-${scaledOf({}, api({ name: 'a'.repeat(47) })).so.metadata.name}`).toHaveLength(56);
  });

  test('null for an optional prop is the default (as undefined)', () => {
    expect(scaledOf({ minReplicas: null as any }).so.spec).toMatchObject({ minReplicaCount: 0 });
  });

  test('the manifest matches the ScaledObject CRD (and an invented field would not)', () => {
    const { so } = scaledOf({ minReplicas: 1, fallback: { failureThreshold: 2, replicas: 3 }, behavior: ScalingBehavior.fastUpSlowDown() });
    expect(crdSchemaErrors(so, SCALED_OBJECT_V1ALPHA1)).toEqual([]);
    expect(crdUnknownFields({ ...so, spec: { ...so.spec, minReplicas: 1 } }, SCALED_OBJECT_V1ALPHA1)).toEqual(['.spec.minReplicas']);
    expect(crdSchemaErrors({ ...so, spec: { ...so.spec, triggers: [{ type: 'cpu', metadata: { value: 70 } }] } }, SCALED_OBJECT_V1ALPHA1))
      .toEqual(['.spec.triggers[0].metadata.value must be string, is number']);
  });
});

describe('EventDrivenAutoscaler: the triggers', () => {
  test('cron: a window of desiredReplicas in a time zone', () => {
    expect(triggersOf(ScaleTrigger.cron({ timezone: 'Europe/Berlin', start: '0 8 * * 1-5', end: '0 18 * * 1-5', desiredReplicas: 4 }))).toEqual([
      { type: 'cron', metadata: { timezone: 'Europe/Berlin', start: '0 8 * * 1-5', end: '0 18 * * 1-5', desiredReplicas: '4' } },
    ]);
  });

  test('prometheus: server, query, thresholds; credentials through authModes and a ClusterTriggerAuthentication', () => {
    expect(triggersOf(ScaleTrigger.prometheus({
      serverAddress: 'https://thanos.monitoring:9090',
      query: 'sum(rate(http_requests_total{app="api"}[2m]))',
      threshold: 100.5,
      activationThreshold: 5,
      namespace: 'shop',
      ignoreNullValues: false,
      authModes: [PrometheusAuthMode.TLS, PrometheusAuthMode.BASIC],
      authenticationRef: { name: 'prometheus', kind: TriggerAuthenticationKind.CLUSTER_TRIGGER_AUTHENTICATION },
    }))).toEqual([{
      type: 'prometheus',
      metadata: {
        serverAddress: 'https://thanos.monitoring:9090',
        query: 'sum(rate(http_requests_total{app="api"}[2m]))',
        threshold: '100.5',
        activationThreshold: '5',
        namespace: 'shop',
        ignoreNullValues: 'false',
        authModes: 'tls,basic',
      },
      authenticationRef: { name: 'prometheus', kind: 'ClusterTriggerAuthentication' },
    }]);
    expect(triggersOf(ScaleTrigger.prometheus({ serverAddress: 'http://prometheus:9090', query: 'up', threshold: 1 }))).toEqual([
      { type: 'prometheus', metadata: { serverAddress: 'http://prometheus:9090', query: 'up', threshold: '1' } },
    ]);
  });

  test('rabbitMq: the message rate over HTTP, the host from the main container\'s environment', () => {
    const workload = api({
      envVariables: [EnvVariable.fromSecret('RABBITMQ_URL', 'rabbitmq', 'url')],
      waivers: [Waiver.of(PolicyRule.SECRET_IN_ENV, 'KEDA reads the broker URL from the environment')],
    });
    const { so } = scaledOf({
      triggers: [ScaleTrigger.rabbitMq({
        queueName: 'orders',
        mode: RabbitMqMode.MESSAGE_RATE,
        protocol: RabbitMqProtocol.HTTP,
        value: 12.5,
        activationValue: 1,
        vhostName: '/shop',
        hostFromEnv: 'RABBITMQ_URL',
      })],
    }, workload);
    expect(so.spec.triggers).toEqual([{
      type: 'rabbitmq',
      metadata: { protocol: 'http', queueName: 'orders', mode: 'MessageRate', value: '12.5', activationValue: '1', vhostName: '/shop', hostFromEnv: 'RABBITMQ_URL' },
    }]);
  });

  test('kafka: brokers, group, topic, lag, SASL and TLS', () => {
    expect(triggersOf(ScaleTrigger.kafka({
      bootstrapServers: ['kafka-0.kafka:9092', 'kafka-1.kafka:9092'],
      consumerGroup: 'orders',
      topic: 'orders.created',
      lagThreshold: 50,
      activationLagThreshold: 5,
      offsetResetPolicy: KafkaOffsetResetPolicy.EARLIEST,
      allowIdleConsumers: false,
      sasl: KafkaSaslMode.SCRAM_SHA512,
      tls: true,
      authenticationRef: { name: 'kafka' },
    }))).toEqual([{
      type: 'kafka',
      metadata: {
        bootstrapServers: 'kafka-0.kafka:9092,kafka-1.kafka:9092',
        consumerGroup: 'orders',
        topic: 'orders.created',
        lagThreshold: '50',
        activationLagThreshold: '5',
        offsetResetPolicy: 'earliest',
        allowIdleConsumers: 'false',
        sasl: 'scram_sha512',
        tls: 'enable',
      },
      authenticationRef: { name: 'kafka' },
    }]);
  });

  test('cpu and memory: utilisation of the requests', () => {
    expect(triggersOf(ScaleTrigger.cpu(70), ScaleTrigger.memory(80))).toEqual([
      { type: 'cpu', metricType: 'Utilization', metadata: { value: '70' } },
      { type: 'memory', metricType: 'Utilization', metadata: { value: '80' } },
    ]);
  });

  test('custom: any scaler, credentials by reference', () => {
    expect(triggersOf(ScaleTrigger.custom('aws-sqs-queue', { queueURL: 'https://sqs.eu-central-1.amazonaws.com/1/orders', queueLength: '20' },
      { name: 'aws' }))).toEqual([{
      type: 'aws-sqs-queue', metadata: { queueURL: 'https://sqs.eu-central-1.amazonaws.com/1/orders', queueLength: '20' }, authenticationRef: { name: 'aws' },
    }]);
    const withEnv = api({ env: { SERVICEBUS: 'Endpoint=sb://shop.servicebus.windows.net/' } });
    expect(scaledOf({ minReplicas: 1, triggers: [ScaleTrigger.custom('azure-servicebus', { queueName: 'orders', connectionFromEnv: 'SERVICEBUS' })] }, withEnv)
      .so.spec.triggers[0].metadata).toEqual({ queueName: 'orders', connectionFromEnv: 'SERVICEBUS' });
  });

  test('a cpu trigger with an event trigger may scale to zero (the event trigger wakes it)', () => {
    expect(scaledOf({ triggers: [RABBIT, ScaleTrigger.cpu(70)] }).so.spec.minReplicaCount).toBe(0);
  });

  test('the trigger knows its type', () => {
    expect([RABBIT.scalerType, ScaleTrigger.cpu(1).scalerType, ScaleTrigger.custom('redis', {}).scalerType]).toEqual(['rabbitmq', 'cpu', 'redis']);
  });
});

describe('EventDrivenAutoscaler: exclusive with other scalers of the workload', () => {
  const hpa = (workload: PatternWorkload) => new HorizontalAutoscaler(Chart.of(workload), 'hpa', { workload, maxReplicas: 10 });
  const keda = (workload: PatternWorkload, id = 'scaler') => new EventDrivenAutoscaler(Chart.of(workload), id, { workload, maxReplicas: 10, triggers: [RABBIT] });

  test('after a HorizontalAutoscaler: rejected', () => {
    const workload = api();
    hpa(workload);
    expect(errorOf(() => keda(workload))).toMatch(/shop\/scaler: workload \("api"\) is already scaled by the HorizontalPodAutoscaler at shop\/hpa: one horizontal scaler per workload/);
  });

  test('before a HorizontalAutoscaler: the HPA is rejected', () => {
    const workload = api();
    keda(workload);
    expect(errorOf(() => hpa(workload))).toMatch(/shop\/hpa: workload \("api"\) is already scaled by the ScaledObject at shop\/scaler/);
  });

  test('a second EventDrivenAutoscaler: rejected', () => {
    const workload = api();
    keda(workload, 'first');
    expect(errorOf(() => keda(workload))).toMatch(/is already scaled by the ScaledObject at shop\/first/);
  });

  test('a VPA on memory beside a cpu trigger: accepted; on cpu: rejected, in both orders', () => {
    const cpu = (workload: PatternWorkload) => new EventDrivenAutoscaler(Chart.of(workload), 'scaler', {
      workload, maxReplicas: 10, triggers: [RABBIT, ScaleTrigger.cpu(70)],
    });
    const memoryOnly = api();
    new VerticalAutoscaler(Chart.of(memoryOnly), 'sizer', {
      workload: memoryOnly, updateMode: VerticalUpdateMode.AUTO, containerPolicies: [{ containerName: '*', controlledResources: [ControlledResource.MEMORY] }],
    });
    cpu(memoryOnly);
    expect(synth(Chart.of(memoryOnly)).filter((m) => m.kind === 'ScaledObject')).toHaveLength(1);
    const clash = /has a vertical autoscaler \(shop\/sizer\) that changes the cpu requests, which a horizontal one \(shop\/scaler\) scales on/;
    const before = api();
    new VerticalAutoscaler(Chart.of(before), 'sizer', { workload: before, updateMode: VerticalUpdateMode.AUTO });
    expect(errorOf(() => cpu(before))).toMatch(clash);
    const after = api();
    cpu(after);
    expect(errorOf(() => new VerticalAutoscaler(Chart.of(after), 'sizer', { workload: after, updateMode: VerticalUpdateMode.AUTO }))).toMatch(clash);
  });
});

describe('EventDrivenAutoscaler: rejected', () => {
  test.each<[string, { [key: string]: unknown }, RegExp]>([
    ['no maxReplicas', { maxReplicas: undefined }, /maxReplicas \(undefined\) is required/],
    ['maxReplicas as a string', { maxReplicas: '10' }, /maxReplicas \("10"\) must be an integer/],
    ['maxReplicas NaN', { maxReplicas: NaN }, /maxReplicas \(NaN\) must be an integer/],
    ['negative minReplicas', { minReplicas: -1 }, /minReplicas \(-1\) must be >= 0/],
    ['minReplicas as a string', { minReplicas: '1' }, /minReplicas \("1"\) must be an integer/],
    ['maxReplicas not above minReplicas', { minReplicas: 3, maxReplicas: 3 }, /maxReplicas \(3\) must be more than minReplicas \(3\)/],
    ['idleReplicas other than 0', { minReplicas: 2, idleReplicas: 1 }, /idleReplicas \(1\) must be 0: the only idle count KEDA supports/],
    ['idleReplicas with minReplicas 0', { idleReplicas: 0 }, /minReplicas \(0\) must be at least 1 with idleReplicas/],
    ['idleReplicas as a string', { minReplicas: 1, idleReplicas: '0' }, /idleReplicas \("0"\) must be an integer/],
    ['pollingInterval 0', { pollingInterval: Duration.seconds(0) }, /pollingInterval \("0s"\) must be a whole number of seconds, at least 1/],
    ['pollingInterval as a number', { pollingInterval: 30 }, /pollingInterval \(30\) must be a Duration/],
    ['a fractional cooldownPeriod', { cooldownPeriod: Duration.millis(1500) }, /cooldownPeriod \("1.5s"\) must be a whole number of seconds/],
    ['cooldownPeriod without scale to zero', { minReplicas: 2, cooldownPeriod: Duration.minutes(1) },
      /cooldownPeriod \("60s"\) applies only when scaling to zero \(minReplicas 0, or idleReplicas\), and minReplicas is 2/],
    ['no triggers', { triggers: [] }, /triggers \(\[\]\) must be a non-empty list of ScaleTrigger/],
    ['triggers null', { triggers: null }, /triggers \(null\) must be a non-empty list of ScaleTrigger/],
    ['a trigger that is a plain object', { triggers: [{ type: 'cron', metadata: {} }] }, /triggers\[0\] \(\{"type":"cron","metadata":\{\}\}\) must be created with ScaleTrigger/],
    ['the same trigger twice', { triggers: [RABBIT, RABBIT] }, /triggers\[1\] \("rabbitmq"\) is the same trigger as triggers\[0\]: give it once/],
    ['two cpu triggers', { minReplicas: 1, triggers: [ScaleTrigger.cpu(60), ScaleTrigger.cpu(70)] }, /triggers \("cpu"\) must have one cpu trigger at most/],
    ['scale to zero on cpu alone', { triggers: [ScaleTrigger.cpu(60)] }, /triggers \(\["cpu"\]\) cannot wake the workload from zero/],
    ['idle to zero on memory alone', { minReplicas: 1, idleReplicas: 0, triggers: [ScaleTrigger.memory(60)] }, /triggers \(\["memory"\]\) cannot wake the workload from zero/],
    ['a cron window at minReplicas', { minReplicas: 2, triggers: [ScaleTrigger.cron({ timezone: 'Etc/UTC', start: '0 8 * * *', end: '0 18 * * *', desiredReplicas: 2 })] },
      /triggers\[0\].desiredReplicas \(2\) must be more than minReplicas \(2\) and at most maxReplicas \(10\)/],
    ['a cron window above maxReplicas', { triggers: [ScaleTrigger.cron({ timezone: 'Etc/UTC', start: '0 8 * * *', end: '0 18 * * *', desiredReplicas: 11 })] },
      /desiredReplicas \(11\) must be more than minReplicas \(0\) and at most maxReplicas \(10\)/],
    ['a fallback beyond maxReplicas', { fallback: { failureThreshold: 3, replicas: 11 } }, /fallback.replicas \(11\) must be between minReplicas \(0\) and maxReplicas \(10\)/],
    ['a fallback to zero', { fallback: { failureThreshold: 3, replicas: 0 } }, /fallback.replicas \(0\) must be >= 1/],
    ['a fallback without a threshold', { fallback: { replicas: 2 } }, /fallback.failureThreshold \(undefined\) is required/],
    ['a fallback threshold as a string', { fallback: { failureThreshold: '3', replicas: 2 } }, /fallback.failureThreshold \("3"\) must be an integer/],
    ['a fallback that is no object', { fallback: 3 }, /fallback \(3\) must be \{ failureThreshold, replicas \}/],
    ['a fallback on cpu alone', { minReplicas: 1, triggers: [ScaleTrigger.cpu(60)], fallback: { failureThreshold: 3, replicas: 2 } },
      /fallback \(\{"failureThreshold":3,"replicas":2\}\) needs event triggers only: KEDA's webhook rejects a fallback when any trigger is cpu or memory/],
    ['a fallback with a cpu trigger beside an event trigger', { minReplicas: 1, triggers: [ScaleTrigger.cpu(60), RABBIT], fallback: { failureThreshold: 3, replicas: 2 } },
      /fallback \(\{"failureThreshold":3,"replicas":2\}\) needs event triggers only/],
    ['a misspelt fallback prop', { fallback: { failureThreshold: 3, replica: 2 } }, /fallback.replica \(2\) is not a prop of ScalingFallback: did you mean "replicas"\?/],
    ['a behavior that is no ScalingBehavior', { behavior: { scaleDown: {} } }, /behavior \(\{"scaleDown":\{\}\}\) must be created with ScalingBehavior/],
    ['a misspelt prop', { minReplica: 1 }, /minReplica \(1\) is not a prop of EventDrivenAutoscalerProps: did you mean "minReplicas"\?/],
  ])('%s', (_what, props, message) => {
    expect(kedaError(props)).toMatch(message);
  });

  test('the workload must not set replicas: KEDA owns them', () => {
    expect(kedaError({}, api({ replicas: 3 }))).toMatch(/workload \("api"\) sets replicas \(3\), which the autoscaler owns/);
  });

  test('the disruption budget must allow an eviction at one replica, the fewest while active, also when scaling to zero', () => {
    expect(kedaError({}, api({ disruptionBudget: DisruptionBudget.minAvailable(1) })))
      .toMatch(/workload disruptionBudget \(at 1 replica, the fewest while active\).minAvailable \(1\) must be less than replicas \(1\)/);
    expect(kedaError({}, api({ disruptionBudget: DisruptionBudget.minAvailablePercent(50) })))
      .toMatch(/\(at 1 replica, the fewest while active\).minAvailable \("50%"\) must leave at least one of 1 replicas evictable/);
    // at 2 replicas, the fewest while active, minAvailable(1) allows an eviction
    expect(scaledOf({ minReplicas: 2 }, api({ disruptionBudget: DisruptionBudget.minAvailable(1) })).so.spec.minReplicaCount).toBe(2);
  });

  test('a workload that does not scale horizontally', () => {
    const agent = new DaemonService(newChart('shop'), 'agent', { image: IMAGE, network: CALLERS });
    expect(kedaError({}, agent)).toMatch(/workload \("agent"\) must be a workload that scales horizontally .* a daemon runs one pod per node/);
    const bg = api({ strategy: DeploymentStrategy.blueGreen({ active: BlueGreenTrack.BLUE }) });
    expect(kedaError({}, bg)).toMatch(/workload \("api"\) has the BlueGreen strategy/);
  });

  test('a workload of another namespace', () => {
    const workload = api();
    expect(errorOf(() => new EventDrivenAutoscaler(newChart('ops', { namespace: 'ops' }), 'scaler', { workload, maxReplicas: 5, triggers: [RABBIT] })))
      .toMatch(/workload \("api"\) is in namespace shop and the autoscaler in ops/);
  });

  test.each<[string, unknown]>([['null props', null], ['no workload', {}], ['a workload name', { workload: 'api', maxReplicas: 3, triggers: [RABBIT] }]])(
    'from JavaScript: %s', (_what, props) => {
      expect(errorOf(() => new EventDrivenAutoscaler(newChart('shop'), 'scaler', props as EventDrivenAutoscalerProps)))
        .toMatch(/shop\/scaler: workload \(.*\) must be a workload of this library/);
    });

  test('every problem in one error', () => {
    const message = kedaError({ maxReplicas: 0, triggers: [ScaleTrigger.cpu(NaN)] });
    expect(message).toMatch(/maxReplicas \(0\) must be >= 1/);
    expect(message).toMatch(/triggers\[0\].utilization \(NaN\) must be an integer/);
  });
});

describe('EventDrivenAutoscaler: rejected triggers', () => {
  const cron = (o: { [key: string]: unknown }) => ScaleTrigger.cron({ timezone: 'Europe/Berlin', start: '0 8 * * *', end: '0 18 * * *', desiredReplicas: 3, ...o } as any);
  const prometheus = (o: { [key: string]: unknown }) => ScaleTrigger.prometheus({ serverAddress: 'http://prometheus:9090', query: 'up', threshold: 1, ...o } as any);
  const rabbit = (o: { [key: string]: unknown }) => ScaleTrigger.rabbitMq({ queueName: 'orders', value: 10, authenticationRef: { name: 'rabbitmq' }, ...o } as any);
  const kafka = (o: { [key: string]: unknown }) => ScaleTrigger.kafka({ bootstrapServers: ['kafka:9092'], consumerGroup: 'g', topic: 't', ...o } as any);

  test.each<[string, ScaleTrigger, RegExp]>([
    ['cron options null', ScaleTrigger.cron(null as any), /triggers\[0\] \(null\) must be the options \{ timezone, start, end, desiredReplicas \}/],
    ['a cron without a time zone', cron({ timezone: undefined }), /triggers\[0\].timezone \(undefined\) is required/],
    ['a cron in a short time zone name', cron({ timezone: 'CET' }), /triggers\[0\].timezone \("CET"\) must be an IANA time zone name/],
    ['a cron with six fields', cron({ start: '0 0 8 * * *' }), /triggers\[0\].start \("0 0 8 \* \* \*"\) must have 5 fields .* \(Kubernetes has no seconds field\)/],
    ['a cron window that ends where it starts', cron({ end: '0 8 * * *' }), /triggers\[0\].end \("0 8 \* \* \*"\) must differ from start/],
    ['a cron without desiredReplicas', cron({ desiredReplicas: undefined }), /triggers\[0\].desiredReplicas \(undefined\) is required/],
    ['a cron with desiredReplicas "3"', cron({ desiredReplicas: '3' }), /triggers\[0\].desiredReplicas \("3"\) must be an integer/],
    ['a misspelt cron option', cron({ timeZone: 'Europe/Berlin' }), /triggers\[0\].timeZone \("Europe\/Berlin"\) is not a prop of CronTriggerOptions: did you mean "timezone"\?/],
    ['a prometheus URL with credentials', prometheus({ serverAddress: 'https://admin:hunter2@prometheus:9090' }),
      /triggers\[0\].serverAddress \("\(hidden\)"\) must not hold credentials/],
    ['a prometheus address that is no URL', prometheus({ serverAddress: 'prometheus:9090' }), /triggers\[0\].serverAddress \("prometheus:9090"\) must be a URL \(http or https\)/],
    ['an empty query', prometheus({ query: ' ' }), /triggers\[0\].query \(" "\) must be a non-empty string/],
    ['a zero threshold', prometheus({ threshold: 0 }), /triggers\[0\].threshold \(0\) must be a number greater than 0/],
    ['a threshold as a string', prometheus({ threshold: '100' }), /triggers\[0\].threshold \("100"\) must be a number greater than 0/],
    ['an infinite activationThreshold', prometheus({ activationThreshold: Infinity }), /activationThreshold \(Infinity\) must be a number of 0 or more/],
    ['authModes without a TriggerAuthentication', prometheus({ authModes: [PrometheusAuthMode.BEARER] }),
      /triggers\[0\].authModes \(\["bearer"\]\) needs authenticationRef: the TriggerAuthentication that holds the credentials/],
    ['empty authModes', prometheus({ authModes: [], authenticationRef: { name: 'p' } }), /triggers\[0\].authModes \(\[\]\) must be a non-empty list of PrometheusAuthMode/],
    ['ignoreNullValues as a string', prometheus({ ignoreNullValues: 'false' }), /triggers\[0\].ignoreNullValues \("false"\) must be a boolean/],
    ['a prometheus address of another scheme', prometheus({ serverAddress: 'ftp://prometheus' }), /serverAddress \("ftp:\/\/prometheus"\) must be a URL/],
    ['an unknown auth mode', prometheus({ authModes: ['oauth'], authenticationRef: { name: 'p' } }), /authModes\[0\] \("oauth"\) must be a PrometheusAuthMode/],
    ['a bad authenticationRef name', prometheus({ authenticationRef: { name: 'Prometheus Creds' } }), /authenticationRef.name \("Prometheus Creds"\) must be a DNS-1123 subdomain/],
    ['a bad authenticationRef kind', prometheus({ authenticationRef: { name: 'p', kind: 'Secret' } }), /authenticationRef.kind \("Secret"\) must be a TriggerAuthenticationKind/],
    ['an authenticationRef that is a string', prometheus({ authenticationRef: 'p' }), /authenticationRef \("p"\) must be \{ name, kind \} of a TriggerAuthentication/],
    ['rabbitMq without a host source', rabbit({ authenticationRef: undefined }),
      /triggers\[0\].authenticationRef \(undefined\) or hostFromEnv is required: the connection string holds the credentials/],
    ['a rabbitMq message rate over AMQP', rabbit({ mode: RabbitMqMode.MESSAGE_RATE, protocol: RabbitMqProtocol.AMQP }),
      /triggers\[0\].protocol \("amqp"\) must be RabbitMqProtocol.HTTP with RabbitMqMode.MESSAGE_RATE/],
    ['a fractional queue length', rabbit({ value: 2.5 }), /triggers\[0\].value \(2.5\) must be a whole number greater than 0/],
    ['a bad hostFromEnv', rabbit({ hostFromEnv: 'rabbit-url' }), /triggers\[0\].hostFromEnv \("rabbit-url"\) must be the name of an environment variable/],
    ['an unknown rabbitMq mode', rabbit({ mode: 'length' }), /triggers\[0\].mode \("length"\) must be a RabbitMqMode/],
    ['kafka without brokers', kafka({ bootstrapServers: [] }), /triggers\[0\].bootstrapServers \(\[\]\) must be a non-empty list of "host:port"/],
    ['a kafka broker URL', kafka({ bootstrapServers: ['kafka://user:hunter2@kafka:9092'] }),
      /bootstrapServers\[0\] \("\(hidden\)"\) must be "host:port" \(no scheme, no credentials\)/],
    ['a kafka broker with a scheme', kafka({ bootstrapServers: ['tcp://kafka:9092'] }), /bootstrapServers\[0\] \("tcp:\/\/kafka:9092"\) must be "host:port"/],
    ['a prometheus URL of another scheme with credentials', prometheus({ serverAddress: 'ftp://admin:hunter2@prometheus' }),
      /serverAddress \("\(hidden\)"\) must be a URL \(http or https\)/],
    ['kafka without a topic', kafka({ topic: undefined }), /triggers\[0\].topic \(undefined\) must be a non-empty string/],
    ['a kafka topic with a slash', kafka({ topic: 'a/b' }), /triggers\[0\].topic \("a\/b"\) must be a Kafka topic name/],
    ['SASL without a TriggerAuthentication', kafka({ sasl: KafkaSaslMode.PLAINTEXT }), /triggers\[0\].sasl \("plaintext"\) needs authenticationRef/],
    ['a fractional lag threshold', kafka({ lagThreshold: 1.5 }), /lagThreshold \(1.5\) must be a whole number greater than 0/],
    ['tls as a string', kafka({ tls: 'enable' }), /triggers\[0\].tls \("enable"\) must be a boolean/],
    ['a cpu utilisation of 0', ScaleTrigger.cpu(0), /triggers\[0\].utilization \(0\) must be >= 1/],
    ['a memory utilisation as a string', ScaleTrigger.memory('80' as any), /triggers\[0\].utilization \("80"\) must be an integer/],
    ['a custom type that is cpu', ScaleTrigger.custom('cpu', { value: '50' }), /triggers\[0\].scalerType \("cpu"\) must not be cpu: use ScaleTrigger.cpu\(\)/],
    ['a custom type with capitals', ScaleTrigger.custom('AWS-SQS', { a: 'b' }), /triggers\[0\].scalerType \("AWS-SQS"\) must be a KEDA scaler type/],
    ['custom metadata empty', ScaleTrigger.custom('redis', {}), /triggers\[0\].metadata \(\{\}\) must be a non-empty map/],
    ['a custom metadata value that is a number', ScaleTrigger.custom('redis', { listLength: 5 as any }), /metadata\["listLength"\] \(5\) must be a string/],
    ['a password in custom metadata', ScaleTrigger.custom('redis', { address: 'redis:6379', password: 'hunter2' }),
      /triggers\[0\].metadata\["password"\] \("\(hidden\)"\) is a credential, which must not be in a trigger/],
    ['a connection string in custom metadata', ScaleTrigger.custom('azure-servicebus', { queueName: 'q', connection: 'Endpoint=sb://x/;SharedAccessKey=abc' }),
      /metadata\["connection"\] \("\(hidden\)"\) is a credential/],
    ['an API key in custom metadata', ScaleTrigger.custom('datadog', { query: 'q', apiKey: 'abc' }), /metadata\["apiKey"\] \("\(hidden\)"\) is a credential/],
    ['a URL with a user in custom metadata', ScaleTrigger.custom('rabbitmq', { queueName: 'q', host: 'amqp://guest:guest@rabbitmq:5672/' }),
      /metadata\["host"\] \("\(hidden\)"\) holds credentials \(a URL with a user, or a connection string with a key or password\)/],
  ])('%s', (_what, trigger, message) => {
    const error = triggerError(trigger);
    expect(error).toMatch(message);
    expect(error).not.toMatch(/hunter2|SharedAccessKey=abc|guest:guest/);
  });

  test('the scaler\'s own secret-less parameters pass: ...FromEnv, a token provider, unsafeSsl', () => {
    const token = ScaleTrigger.custom('kafka', { bootstrapServers: 'k:9092', consumerGroup: 'g', topic: 't', saslTokenProvider: 'bearer', passwordFromEnv: 'PW' });
    expect(scaledOf({ minReplicas: 1, triggers: [token] }, api({ env: { PW: 'from-a-secret-in-real-life' } })).so.spec.triggers.map((t: any) => t.type))
      .toEqual(['kafka']);
  });
});

describe('EventDrivenAutoscaler: checked at synth against the pods', () => {
  test('a cpu trigger needs a cpu request on every container', () => {
    const workload = api({ demands: Demands.bestEffort() });
    expect(kedaError({ minReplicas: 1, triggers: [ScaleTrigger.cpu(70)] }, workload))
      .toMatch(/shop\/scaler: triggers\[0\] \("cpu"\) needs a cpu request on every container of the pods, and app of Deployment api has none/);
  });

  test('a memory trigger and a sidecar added later without memory requests', () => {
    const workload = api();
    new EventDrivenAutoscaler(Chart.of(workload), 'scaler', { workload, maxReplicas: 5, triggers: [RABBIT, ScaleTrigger.memory(80)] });
    workload.addContainer({ name: 'proxy', image: 'ghcr.io/acme/proxy:1.0.0', demands: Demands.burstable({ requests: { cpu: Cpu.millis(50) } }) });
    expect(errorOf(() => synth(Chart.of(workload)))).toMatch(/triggers\[1\] \("memory"\) needs a memory request on every container of the pods, and proxy of Deployment api/);
  });

  test('with requests everywhere: accepted', () => {
    const workload = api({ demands: Demands.guaranteed({ cpu: Cpu.millis(250), memory: Size.mebibytes(256) }) });
    expect(scaledOf({ minReplicas: 1, triggers: [ScaleTrigger.cpu(70)] }, workload).so.spec.triggers).toHaveLength(1);
  });

  test('hostFromEnv must be a variable of the first container', () => {
    expect(kedaError({ triggers: [ScaleTrigger.rabbitMq({ queueName: 'orders', value: 10, hostFromEnv: 'RABBITMQ_URL' })] }))
      .toMatch(/triggers\[0\].hostFromEnv \("RABBITMQ_URL"\) must be an environment variable of the container "app"/);
  });

  test('so must every ...FromEnv parameter of a custom trigger', () => {
    const message = kedaError({ triggers: [ScaleTrigger.custom('azure-servicebus', { queueName: 'orders', connectionFromEnv: 'SERVICEBUS' })] });
    expect(message).toMatch(/triggers\[0\].metadata.connectionFromEnv \("SERVICEBUS"\) must be an environment variable of the container "app"/);
  });
});
