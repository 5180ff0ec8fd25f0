import { Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  BatchJob, BlueGreenTrack, DaemonService, Demands, DeploymentStrategy, DisruptionBudget, HorizontalAutoscaler, HorizontalAutoscalerProps,
  PolicyCheck,
  PolicyRule, ScalingBehavior, ScalingMetric, ScalingPolicyType, ScalingSelectPolicy, SingletonLocking, SingletonService, StatefulService,
  StatelessService, Waiver,
} from '../../src';
import { errorOf, IMAGE, service } from '../helpers/errors';
import { CALLERS } from '../helpers/network';
import { findObject, Manifest, newChart, synth } from '../helpers/synth';

/** A StatelessService `api` and its autoscaler `scaler`, synthesised (every check ran, every manifest validated). */
function scaled(
  props: Partial<HorizontalAutoscalerProps>, serviceProps: { [key: string]: unknown } = {},
): { manifests: Manifest[]; hpa: Manifest; deployment: Manifest } {
  const api = service(serviceProps);
  new HorizontalAutoscaler(Chart.of(api), 'scaler', { workload: api, maxReplicas: 10, ...props });
  const manifests = synth(Chart.of(api));
  return { manifests, hpa: findObject(manifests, 'HorizontalPodAutoscaler', 'api'), deployment: findObject(manifests, 'Deployment', 'api') };
}

describe('HorizontalAutoscaler: the book\'s Elastic Scale, horizontally', () => {
  test('an autoscaling/v2 HPA on the Deployment, 80 % CPU and 2 pods at least by default; the Deployment leaves replicas out', () => {
    const { hpa, deployment } = scaled({});
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
    });
    expect(hpa.metadata.labels).toMatchObject({ 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' });
    expect(deployment.spec).not.toHaveProperty('replicas');
  });

  test('every kind of metric, as autoscaling/v2 spells it', () => {
    const { hpa } = scaled({
      metrics: [
        ScalingMetric.cpuUtilization(60),
        ScalingMetric.memoryAverageValue(Size.mebibytes(384)),
        ScalingMetric.pods({ metricName: 'http_requests_per_second' }, '100'),
        ScalingMetric.object({
          metricName: 'requests_per_second', describedObject: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'shop' }, value: '2k',
        }),
        ScalingMetric.external({ metricName: 'queue_messages_ready', selector: { queue: 'orders' }, averageValue: '30' }),
      ],
    });
    expect(hpa.spec.metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } },
      { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '384Mi' } } },
      { type: 'Pods', pods: { metric: { name: 'http_requests_per_second' }, target: { type: 'AverageValue', averageValue: '100' } } },
      {
        type: 'Object',
        object: {
          describedObject: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'shop' },
          metric: { name: 'requests_per_second' },
          target: { type: 'Value', value: '2k' },
        },
      },
      {
        type: 'External',
        external: { metric: { name: 'queue_messages_ready', selector: { matchLabels: { queue: 'orders' } } }, target: { type: 'AverageValue', averageValue: '30' } },
      },
    ]);
  });

  test('CPU as an average amount per pod', () => {
    const { hpa } = scaled({ metrics: [ScalingMetric.cpuAverageValue(kplus.Cpu.millis(250))] });
    expect(hpa.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'AverageValue', averageValue: '250m' } } }]);
  });

  test('behavior presets: scale up fast and down slowly; scale up only; custom rules', () => {
    expect(scaled({ behavior: ScalingBehavior.fastUpSlowDown() }).hpa.spec.behavior).toEqual({
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Max',
        policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }, { type: 'Pods', value: 4, periodSeconds: 15 }],
      },
      scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }] },
    });
    expect(scaled({ behavior: ScalingBehavior.scaleUpOnly() }).hpa.spec.behavior).toEqual({ scaleDown: { selectPolicy: 'Disabled' } });
    expect(scaled({
      behavior: ScalingBehavior.custom({
        scaleDown: {
          stabilizationWindow: Duration.minutes(10),
          selectPolicy: ScalingSelectPolicy.MIN,
          policies: [
            { type: ScalingPolicyType.PODS, value: 1, period: Duration.minutes(2) },
            { type: ScalingPolicyType.PERCENT, value: 20, period: Duration.minutes(1) },
          ],
        },
      }),
    }).hpa.spec.behavior).toEqual({
      scaleDown: {
        stabilizationWindowSeconds: 600,
        selectPolicy: 'Min',
        policies: [{ type: 'Pods', value: 1, periodSeconds: 120 }, { type: 'Percent', value: 20, periodSeconds: 60 }],
      },
    });
  });

  test('a StatefulService: the HPA scales its StatefulSet, which leaves replicas out', () => {
    const chart = newChart('db', { namespace: 'db' });
    const kv = new StatefulService(chart, 'kv', { image: IMAGE, port: 6379, network: CALLERS });
    new HorizontalAutoscaler(chart, 'scaler', { workload: kv, minReplicas: 3, maxReplicas: 7 });
    const manifests = synth(chart);
    expect(findObject(manifests, 'HorizontalPodAutoscaler', 'kv').spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'kv' });
    expect(findObject(manifests, 'StatefulSet', 'kv').spec).not.toHaveProperty('replicas');
  });

  test('minReplicas 1 needs its waiver, which writes each checker\'s exemption on the HPA; PolicyCheck agrees', () => {
    expect(errorOf(() => scaledBuild({ minReplicas: 1 })))
      .toContain('shop/scaler: minReplicas (1) lets one node going down stop the service: keep at least 2, or waive it with Waiver.of(PolicyRule.AUTOSCALE_TO_ONE_REPLICA, reason)');
    const api = service({});
    const chart = Chart.of(api);
    new HorizontalAutoscaler(chart, 'scaler', {
      workload: api,
      minReplicas: 1,
      maxReplicas: 5,
      metrics: [ScalingMetric.cpuUtilization(50)],
      waivers: [Waiver.of(PolicyRule.AUTOSCALE_TO_ONE_REPLICA, 'an internal tool: a minute of downtime on a node drain is fine')],
    });
    PolicyCheck.addTo(chart);
    const hpa = findObject(synth(chart), 'HorizontalPodAutoscaler', 'api');
    expect(hpa.spec.minReplicas).toBe(1);
    expect(hpa.metadata.annotations).toEqual({
      'patterns.cdk8s.io/policy-ignore': 'hpa-consistent: an internal tool: a minute of downtime on a node drain is fine',
      'kube-score/ignore': 'horizontalpodautoscaler-replicas',
      'ignore-check.kube-linter.io/hpa-minimum-three-replicas': 'an internal tool: a minute of downtime on a node drain is fine',
      'polaris.fairwinds.com/hpaMinAvailability-exempt': 'true',
    });
  });

  test('a waiver that waives nothing is reported', () => {
    expect(errorOf(() => scaledBuild({ minReplicas: 2, waivers: [Waiver.of(PolicyRule.AUTOSCALE_TO_ONE_REPLICA, 'just in case')] })))
      .toContain('shop/scaler: waivers ("autoscale-to-one-replica") waives nothing: minReplicas (2) is not 1; remove it');
    expect(errorOf(() => scaledBuild({ waivers: [Waiver.of(PolicyRule.HOST_PATH, 'no')] })))
      .toContain('shop/scaler: waivers ("host-path") waives nothing here: only PolicyRule.AUTOSCALE_TO_ONE_REPLICA applies to an autoscaler');
  });
});

/** Builds `api` and its autoscaler in a fresh chart; returns the autoscaler. */
function scaledBuild(props: Partial<HorizontalAutoscalerProps>, serviceProps: { [key: string]: unknown } = {}): HorizontalAutoscaler {
  const api = service(serviceProps);
  return new HorizontalAutoscaler(Chart.of(api), 'scaler', { workload: api, maxReplicas: 10, ...props });
}

describe('HorizontalAutoscaler: bad input, one error listing every problem', () => {
  test('minReplicas above maxReplicas, below 1, and a missing maxReplicas', () => {
    expect(errorOf(() => scaledBuild({ minReplicas: 5, maxReplicas: 3 })))
      .toContain('shop/scaler: maxReplicas (3) must be more than minReplicas (5), or there is nothing to scale');
    expect(errorOf(() => scaledBuild({ minReplicas: 0 })))
      .toContain('shop/scaler: minReplicas (0) must be at least 1: scale to zero needs an EventDrivenAutoscaler (KEDA)');
    expect(errorOf(() => scaledBuild({ maxReplicas: undefined as any }))).toContain('shop/scaler: maxReplicas (undefined) is required');
    expect(errorOf(() => scaledBuild({ minReplicas: 2.5, maxReplicas: 2 ** 31 }))).toMatch(
      /minReplicas \(2\.5\) must be an integer\n.*maxReplicas \(2147483648\) must be >= 1 \(and at most 2147483647\)/);
  });

  test('an HPA plus fixed replicas is refused: the autoscaler owns the count', () => {
    expect(errorOf(() => scaledBuild({}, { replicas: 3 })))
      .toContain('shop/scaler: workload ("api") sets replicas (3), which the autoscaler owns: leave replicas out of the workload');
  });

  test('a CPU utilisation target needs a CPU request on every container, also on a container added later', () => {
    const api = service({});
    new HorizontalAutoscaler(Chart.of(api), 'scaler', { workload: api, maxReplicas: 4 });
    api.addContainer({ name: 'proxy', image: 'ghcr.io/acme/proxy:2.0.1', demands: Demands.burstable({ requests: { memory: Size.mebibytes(64) } }) });
    expect(errorOf(() => api)).toContain('shop/scaler: metrics ("cpu utilization") needs a cpu request on every container of the pods, and proxy of Deployment api has none');
    // AND an average value needs no request
    const other = service({});
    other.addContainer({ name: 'proxy', image: 'ghcr.io/acme/proxy:2.0.1', demands: Demands.burstable({ requests: { memory: Size.mebibytes(64) } }) });
    new HorizontalAutoscaler(Chart.of(other), 'scaler', { workload: other, maxReplicas: 4, metrics: [ScalingMetric.cpuAverageValue(kplus.Cpu.millis(200))] });
    expect(() => synth(Chart.of(other))).not.toThrow();
  });

  test('the disruption budget must still allow an eviction at minReplicas', () => {
    const waivers = [Waiver.of(PolicyRule.AUTOSCALE_TO_ONE_REPLICA, 'a staging copy')];
    expect(errorOf(() => scaledBuild({ minReplicas: 1, waivers }, { disruptionBudget: DisruptionBudget.minAvailable(1) })))
      .toContain('shop/scaler: workload disruptionBudget (at minReplicas 1).minAvailable (1) must be less than replicas (1), or it blocks every eviction');
    expect(() => synth(Chart.of(scaledBuild({ minReplicas: 2 }, { disruptionBudget: DisruptionBudget.minAvailable(1) })))).not.toThrow();
  });

  test('workloads that do not scale horizontally say why', () => {
    const chart = newChart('ops');
    const cases: Array<[string, any]> = [
      ['a daemon runs one pod per node', new DaemonService(chart, 'agent', { image: IMAGE })],
      ['a Job runs its pods to completion', new BatchJob(chart, 'migrate', { image: IMAGE })],
      ['a singleton runs one active pod by design', new SingletonService(chart, 'lock', {
        image: IMAGE, port: 8080, network: CALLERS, locking: SingletonLocking.outOfApplication(),
      })],
      ['has the BlueGreen strategy', new StatelessService(chart, 'bg', {
        image: IMAGE, port: 8080, network: CALLERS, strategy: DeploymentStrategy.blueGreen({ active: BlueGreenTrack.BLUE, greenImage: 'ghcr.io/acme/api:1.5.0' }),
      })],
    ];
    cases.forEach(([, workload], i) => new HorizontalAutoscaler(chart, `scaler${i}`, { workload, maxReplicas: 4 }));
    const message = errorOf(() => chart);
    for (const [why] of cases) expect(message).toContain(why);
  });

  test('one horizontal scaler per workload', () => {
    const api = service({});
    new HorizontalAutoscaler(Chart.of(api), 'first', { workload: api, maxReplicas: 4 });
    new HorizontalAutoscaler(Chart.of(api), 'second', { workload: api, maxReplicas: 6 });
    expect(errorOf(() => api)).toContain('shop/second: workload ("api") is already scaled by the HorizontalPodAutoscaler at shop/first: one horizontal scaler per workload');
  });

  test('the autoscaler must be in the workload\'s namespace', () => {
    const api = service({});
    const other = new Chart(Chart.of(api).node.scope!, 'other', { namespace: 'elsewhere' });
    new HorizontalAutoscaler(other, 'scaler', { workload: api, maxReplicas: 4 });
    expect(errorOf(() => api)).toContain('other/scaler: workload ("api") is in namespace (none) and the autoscaler in elsewhere');
  });

  test('invalid metrics and behaviour: every problem at once', () => {
    const message = errorOf(() => scaledBuild({
      metrics: [
        ScalingMetric.cpuUtilization(0),
        ScalingMetric.cpuUtilization(50),
        ScalingMetric.pods({ metricName: 'bad name!' }, 'lots'),
        ScalingMetric.object({ metricName: 'rps', describedObject: { apiVersion: 'v1', kind: 'ingress', name: '' } }),
        ScalingMetric.external({ metricName: 'q', value: '1', averageValue: '2' }),
        ScalingMetric.memoryAverageValue(Size.kibibytes(1.5)),
        'cpu' as any,
      ],
      behavior: ScalingBehavior.custom({
        scaleUp: { stabilizationWindow: Duration.hours(2), policies: [{ type: 'Seconds' as any, value: 0, period: Duration.hours(1) }] },
        scaleDown: { selectPolicy: 'Maybe' as any, policies: [] },
      }),
    }));
    for (const line of [
      'metrics[0].utilization (0) must be >= 1',
      'metrics[2].metricName ("bad name!") must be a metric name',
      'metrics[2].averageValue ("lots") must be a positive quantity',
      'metrics[3].value (undefined) or averageValue is required: the target of the metric',
      'metrics[3].describedObject.kind ("ingress") must be a kind',
      'metrics[3].describedObject.name ("") must be the name of an object',
      'metrics[4].value ("1") and averageValue are exclusive: give one target',
      'metrics[5].averageValue',
      'metrics[6] ("cpu") must be created with ScalingMetric.cpuUtilization()',
      'metrics ("cpu") must have one target for cpu at most',
      'behavior.scaleUp.stabilizationWindow ("7200s") must be a whole number of seconds, at least 0 and at most 3600',
      'behavior.scaleUp.policies[0].type ("Seconds") must be a ScalingPolicyType',
      'behavior.scaleUp.policies[0].value (0) must be >= 1',
      'behavior.scaleUp.policies[0].period ("3600s") must be a whole number of seconds, at least 1 and at most 1800',
      'behavior.scaleDown.selectPolicy ("Maybe") must be a ScalingSelectPolicy',
      'behavior.scaleDown.policies ([]) must be a non-empty list',
    ]) expect(message).toContain(`shop/scaler: ${line}`);
  });

  test('wrong types from JavaScript end in the library\'s error, never a TypeError', () => {
    for (const props of [
      null, { workload: null, maxReplicas: 3 }, { workload: 'api', maxReplicas: '3' }, { maxReplicas: NaN, metrics: null },
      { metrics: [null], behavior: 'fast' }, { behavior: ScalingBehavior.custom(null as any) }, { behavior: ScalingBehavior.custom({ scaleUp: null as any }) },
      { metrics: [ScalingMetric.pods(null as any, null as any), ScalingMetric.object(null as any), ScalingMetric.cpuAverageValue(null as any)] },
      { maxReplics: 3 },
    ]) {
      const message = errorOf(() => {
        const api = service({});
        return new HorizontalAutoscaler(Chart.of(api), 'scaler', props === null ? null as any : { workload: api, maxReplicas: 3, ...props } as any);
      });
      expect(message).toMatch(/^cdk8s-patterns: \d+ invalid values?:\n {2}- shop\/scaler: /);
    }
    expect(errorOf(() => scaledBuild({ maxReplics: 3 } as any))).toContain('shop/scaler: maxReplics (3) is not a prop of HorizontalAutoscalerProps: did you mean "maxReplicas"?');
  });
});

describe('HorizontalAutoscaler: review findings', () => {
  test('option keys of behaviour and metrics that no interface has are reported, not dropped', () => {
    const message = errorOf(() => scaledBuild({
      metrics: [ScalingMetric.external({ metricName: 'q', value: '1', selectors: { queue: 'orders' } } as any)],
      behavior: ScalingBehavior.custom({
        scaleDown: { stabilisationWindow: Duration.minutes(5), policies: [{ type: ScalingPolicyType.PODS, value: 1, perod: Duration.minutes(1) }] },
      } as any),
    }));
    expect(message).toContain('metrics[0].selectors ({"queue":"orders"}) is not a prop of TargetedMetricOptions: did you mean "selector"?');
    expect(message).toContain('behavior.scaleDown.stabilisationWindow');
    expect(message).toContain('behavior.scaleDown.policies[0].perod');
  });

  test('a workload that is not one is reported with every other problem', () => {
    const message = errorOf(() => new HorizontalAutoscaler(newChart('shop'), 'scaler', { workload: 'api' as any, maxReplicas: -1, metrics: [] }));
    expect(message).toContain('shop/scaler: maxReplicas (-1) must be >= 1');
    expect(message).toContain('shop/scaler: metrics ([]) must be a non-empty list');
    expect(message).toContain('shop/scaler: workload ("api") must be a workload of this library');
  });
});

describe('HorizontalAutoscaler and a budget that needs more than the default replicas', () => {
  test('autoscaled: true checks the budget at the autoscaler\'s minReplicas instead', () => {
    const budget = DisruptionBudget.minAvailable(2);
    expect(() => synth(Chart.of(scaledBuild({ minReplicas: 3 }, { autoscaled: true, disruptionBudget: budget })))).not.toThrow();
    expect(errorOf(() => scaledBuild({ minReplicas: 2 }, { autoscaled: true, disruptionBudget: DisruptionBudget.minAvailable(2) })))
      .toContain('shop/scaler: workload disruptionBudget (at minReplicas 2).minAvailable (2) must be less than replicas (2)');
  });
});

describe('HorizontalAutoscaler on a canary: the stable track scales, the canary keeps its replicas', () => {
  test('the HPA targets the stable Deployment, which leaves replicas out; the canary track keeps its own', () => {
    const { hpa, manifests } = scaled({ minReplicas: 3 }, { strategy: DeploymentStrategy.canary({ image: 'ghcr.io/acme/api:1.5.0', replicas: 1 }) });
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' });
    expect(findObject(manifests, 'Deployment', 'api').spec).not.toHaveProperty('replicas');
    expect(findObject(manifests, 'Deployment', 'api-canary').spec.replicas).toBe(1);
  });

  test('by replica ratio, the floor must stay above the canary\'s replicas; by weight, the split is exact at any size', () => {
    const waivers = [Waiver.of(PolicyRule.AUTOSCALE_TO_ONE_REPLICA, 'a staging copy')];
    expect(errorOf(() => scaledBuild({ minReplicas: 1, waivers }, { strategy: DeploymentStrategy.canary({ image: 'ghcr.io/acme/api:1.5.0', replicas: 1 }) })))
      .toContain('shop/scaler: minReplicas (1) must be more than the canary\'s replicas (1)');
    expect(() => synth(Chart.of(scaledBuild({ minReplicas: 2 }, {
      strategy: DeploymentStrategy.canary({ image: 'ghcr.io/acme/api:1.5.0', replicas: 2, weight: 10 }),
    })))).not.toThrow();
  });
});
