import { Chart, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import {
  BatchJob, ContainerScalingMode, ControlledResource, ControlledValues, DaemonService, Demands, DeploymentStrategy, EventDrivenAutoscaler,
  HorizontalAutoscaler, PatternLabels, PatternWorkload, PeriodicJob, ScaleTrigger, ScalingMetric, StatefulService,
  VerticalAutoscaler, VerticalAutoscalerProps, VerticalUpdateMode,
} from '../../src';
import { crdSchemaErrors, crdUnknownFields } from '../helpers/crd-schemas';
import { VERTICAL_POD_AUTOSCALER_V1 } from '../helpers/crd-schemas-autoscalers';
import { errorOf, IMAGE, service } from '../helpers/errors';
import { CALLERS } from '../helpers/network';
import { Manifest, newChart, objectsOf, synth } from '../helpers/synth';

const LABELS = { [PatternLabels.NAME]: 'api', [PatternLabels.INSTANCE]: 'api', [PatternLabels.MANAGED_BY]: 'cdk8s-patterns' };

/** A StatelessService `api` (no replicas: some tests autoscale it horizontally too) in a fresh chart `shop`. */
function api(props: { [key: string]: unknown } = {}): PatternWorkload {
  return service(props, newChart('shop', { namespace: 'shop' }));
}

/** The VerticalPodAutoscalers of the app of `workload` with a VerticalAutoscaler of `props` (over `workload`), synthesised. */
function vpasOf(props: Partial<VerticalAutoscalerProps> = {}, workload: PatternWorkload = api()): Manifest[] {
  new VerticalAutoscaler(Chart.of(workload), 'sizer', { workload, ...props });
  return objectsOf(synth(Chart.of(workload)), 'VerticalPodAutoscaler');
}

/** The error of a VerticalAutoscaler with exactly `props`, `workload` filled in unless given. */
function vpaError(props: { [key: string]: unknown }, workload: PatternWorkload = api()): string {
  return errorOf(() => new VerticalAutoscaler(Chart.of(workload), 'sizer', { workload, ...props } as VerticalAutoscalerProps));
}

describe('VerticalAutoscaler: the VerticalPodAutoscaler', () => {
  test('recommendations only by default: one VPA named after the Deployment, with the workload\'s labels', () => {
    // GIVEN a StatelessService and a VerticalAutoscaler without options
    const [vpa] = vpasOf();
    // THEN it is an autoscaling.k8s.io/v1 VerticalPodAutoscaler that targets the Deployment
    expect(vpa.apiVersion).toBe('autoscaling.k8s.io/v1');
    expect(vpa.metadata).toEqual({ name: 'api', namespace: 'shop', labels: LABELS });
    // AND the update mode is written out: the VPA's own default would be Auto
    expect(vpa.spec).toEqual({
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
      updatePolicy: { updateMode: 'Off' },
    });
  });

  test('AUTO with container policies, bounds as quantities, and the updater\'s minimum replicas', () => {
    const workload = api({ replicas: 3 });
    workload.addContainer({ name: 'proxy', image: 'ghcr.io/acme/proxy:1.0.0' });
    const sizer = new VerticalAutoscaler(Chart.of(workload), 'sizer', {
      workload,
      updateMode: VerticalUpdateMode.AUTO,
      minReplicas: 2,
      containerPolicies: [
        {
          containerName: 'app',
          minAllowed: { cpu: Cpu.millis(100), memory: Size.mebibytes(128) },
          maxAllowed: { cpu: Cpu.units(2), memory: Size.gibibytes(2) },
          controlledValues: ControlledValues.REQUESTS_ONLY,
        },
        { containerName: 'proxy', mode: ContainerScalingMode.OFF },
        { containerName: '*', controlledResources: [ControlledResource.MEMORY], maxAllowed: { memory: Size.mebibytes(512) } },
      ],
    });
    const [vpa] = objectsOf(synth(Chart.of(workload)), 'VerticalPodAutoscaler');
    expect(sizer.updateMode).toBe(VerticalUpdateMode.AUTO);
    expect(sizer.apiObjects.map((o) => o.name)).toEqual(['api']);
    expect(vpa.spec).toEqual({
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
      updatePolicy: { updateMode: 'Auto', minReplicas: 2 },
      resourcePolicy: {
        containerPolicies: [
          { containerName: 'app', minAllowed: { cpu: '100m', memory: '128Mi' }, maxAllowed: { cpu: '2', memory: '2048Mi' }, controlledValues: 'RequestsOnly' },
          { containerName: 'proxy', mode: 'Off' },
          { containerName: '*', controlledResources: ['memory'], maxAllowed: { memory: '512Mi' } },
        ],
      },
    });
  });

  test.each([VerticalUpdateMode.INITIAL, VerticalUpdateMode.RECREATE])('updateMode %s', (updateMode) => {
    expect(vpasOf({ updateMode })[0].spec.updatePolicy).toEqual({ updateMode });
  });

  test('one VPA per Deployment of a canary: the stable track and the canary', () => {
    const workload = api({ replicas: 3, strategy: DeploymentStrategy.canary({ image: 'ghcr.io/acme/api:1.5.0', replicas: 1 }) });
    const vpas = vpasOf({}, workload);
    expect(vpas.map((v) => [v.metadata.name, v.spec.targetRef])).toEqual([
      ['api', { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }],
      ['api-canary', { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api-canary' }],
    ]);
  });

  test.each<[string, () => PatternWorkload, VerticalUpdateMode, object]>([
    ['StatefulSet', () => new StatefulService(newChart('shop'), 'kv', { image: IMAGE, port: 7000, network: CALLERS }), VerticalUpdateMode.AUTO,
      { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'kv' }],
    ['DaemonSet', () => new DaemonService(newChart('shop'), 'agent', { image: IMAGE, network: CALLERS }), VerticalUpdateMode.RECREATE,
      { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent' }],
    ['Job', () => new BatchJob(newChart('shop'), 'reindex', { image: IMAGE }), VerticalUpdateMode.INITIAL,
      { apiVersion: 'batch/v1', kind: 'Job', name: 'reindex' }],
    ['CronJob', () => new PeriodicJob(newChart('shop'), 'nightly', { image: IMAGE, schedule: '0 3 * * *' }), VerticalUpdateMode.INITIAL,
      { apiVersion: 'batch/v1', kind: 'CronJob', name: 'nightly' }],
  ])('a %s is a target too', (_kind, workload, updateMode, targetRef) => {
    const [vpa] = vpasOf({ updateMode }, workload());
    expect(vpa.spec.targetRef).toEqual(targetRef);
    expect(vpa.metadata.name).toBe((targetRef as any).name);
  });

  test('a Guaranteed workload in AUTO keeps limits equal to requests (REQUESTS_AND_LIMITS): accepted', () => {
    const workload = api({ demands: Demands.guaranteed({ cpu: Cpu.millis(500), memory: Size.mebibytes(512) }) });
    expect(vpasOf({ updateMode: VerticalUpdateMode.AUTO, containerPolicies: [{ containerName: 'app', controlledValues: ControlledValues.REQUESTS_AND_LIMITS }] },
      workload)).toHaveLength(1);
  });

  test('a BestEffort workload may have recommendations (OFF)', () => {
    expect(vpasOf({}, api({ demands: Demands.bestEffort() }))).toHaveLength(1);
  });

  test('null for an optional prop is the default (as undefined)', () => {
    expect(vpasOf({ updateMode: null as any })[0].spec.updatePolicy).toEqual({ updateMode: 'Off' });
  });

  test('the manifests match the VerticalPodAutoscaler CRD (and an invented field would not)', () => {
    const [vpa] = vpasOf({ updateMode: VerticalUpdateMode.AUTO, containerPolicies: [{ containerName: '*', minAllowed: { cpu: Cpu.millis(50) } }] });
    expect(crdSchemaErrors(vpa, VERTICAL_POD_AUTOSCALER_V1)).toEqual([]);
    expect(crdUnknownFields({ ...vpa, spec: { ...vpa.spec, updatePolicy: { updateMode: 'Auto', minReplica: 2 } } }, VERTICAL_POD_AUTOSCALER_V1))
      .toEqual(['.spec.updatePolicy.minReplica']);
    expect(crdSchemaErrors({ ...vpa, spec: { ...vpa.spec, updatePolicy: { updateMode: 'Always' } } }, VERTICAL_POD_AUTOSCALER_V1).join())
      .toMatch(/updateMode must be one of Off, Initial, Recreate, Auto/);
  });
});

describe('VerticalAutoscaler: with a horizontal autoscaler on the same workload', () => {
  const hpa = (workload: PatternWorkload, metrics = [ScalingMetric.cpuUtilization(70)]) =>
    new HorizontalAutoscaler(Chart.of(workload), 'scaler', { workload, maxReplicas: 10, metrics });
  const clash = /has a vertical autoscaler \(shop\/sizer\) that changes the cpu requests, which a horizontal one \(shop\/scaler\) scales on/;

  test('a VPA acting on cpu after an HPA on cpu: rejected', () => {
    const workload = api();
    hpa(workload);
    expect(vpaError({ updateMode: VerticalUpdateMode.AUTO }, workload)).toMatch(clash);
  });

  test('an HPA on cpu after a VPA acting on cpu: rejected', () => {
    const workload = api();
    new VerticalAutoscaler(Chart.of(workload), 'sizer', { workload, updateMode: VerticalUpdateMode.INITIAL });
    expect(errorOf(() => hpa(workload))).toMatch(clash);
  });

  test('a KEDA cpu trigger counts as an HPA on cpu, in both orders', () => {
    const keda = (workload: PatternWorkload) => new EventDrivenAutoscaler(Chart.of(workload), 'scaler', {
      workload, minReplicas: 2, maxReplicas: 10, triggers: [ScaleTrigger.cpu(70)],
    });
    const first = api();
    keda(first);
    expect(vpaError({ updateMode: VerticalUpdateMode.AUTO }, first)).toMatch(clash);
    const second = api();
    new VerticalAutoscaler(Chart.of(second), 'sizer', { workload: second, updateMode: VerticalUpdateMode.AUTO });
    expect(errorOf(() => keda(second))).toMatch(clash);
  });

  test.each<[string, Partial<VerticalAutoscalerProps>]>([
    ['recommendations only (OFF)', {}],
    ['memory only', { updateMode: VerticalUpdateMode.AUTO, containerPolicies: [{ containerName: '*', controlledResources: [ControlledResource.MEMORY] }] }],
    ['the only container OFF', { updateMode: VerticalUpdateMode.AUTO, containerPolicies: [{ containerName: 'app', mode: ContainerScalingMode.OFF }] }],
  ])('accepted: %s, with an HPA on cpu, in both orders', (_what, props) => {
    const before = api();
    hpa(before);
    expect(vpasOf(props, before)).toHaveLength(1);
    const after = api();
    new VerticalAutoscaler(Chart.of(after), 'sizer', { workload: after, ...props });
    hpa(after);
    expect(objectsOf(synth(Chart.of(after)), 'HorizontalPodAutoscaler')).toHaveLength(1);
  });

  test('the clash is listed with the other problems, in one error', () => {
    const workload = api();
    hpa(workload);
    const message = vpaError({ updateMode: VerticalUpdateMode.AUTO, minReplicas: 0 }, workload);
    expect(message).toMatch(/2 invalid values/);
    expect(message).toMatch(/minReplicas \(0\) must be >= 1/);
    expect(message).toMatch(clash);
  });

  test('an HPA on memory and a VPA on cpu only: accepted; on both: the message names memory', () => {
    const workload = api();
    hpa(workload, [ScalingMetric.memoryUtilization(70)]);
    expect(vpasOf({ updateMode: VerticalUpdateMode.AUTO, containerPolicies: [{ containerName: 'app', controlledResources: [ControlledResource.CPU] }] },
      workload)).toHaveLength(1);
    const other = api();
    hpa(other, [ScalingMetric.memoryUtilization(70), ScalingMetric.cpuUtilization(70)]);
    expect(vpaError({ updateMode: VerticalUpdateMode.RECREATE }, other)).toMatch(/changes the cpu and memory requests/);
  });

  test('an HPA on an external metric and a VPA on cpu and memory: accepted', () => {
    const workload = api();
    hpa(workload, [ScalingMetric.external({ metricName: 'queue_length', averageValue: '30' })]);
    expect(vpasOf({ updateMode: VerticalUpdateMode.AUTO }, workload)).toHaveLength(1);
  });

  test('a sidecar added after the VPA falls under the default policy: its cpu clashes with the HPA, at synth', () => {
    // GIVEN a VPA that leaves the app's cpu alone, and an HPA on cpu
    const workload = api();
    new VerticalAutoscaler(Chart.of(workload), 'sizer', {
      workload, updateMode: VerticalUpdateMode.AUTO, containerPolicies: [{ containerName: 'app', controlledResources: [ControlledResource.MEMORY] }],
    });
    hpa(workload);
    // WHEN a sidecar without a policy is added afterwards
    workload.addContainer({ name: 'proxy', image: 'ghcr.io/acme/proxy:1.0.0' });
    // THEN synth finds that the VPA changes its cpu requests
    expect(errorOf(() => synth(Chart.of(workload))))
      .toMatch(/shop\/sizer: workload \("api"\) has containers added after the autoscaler, whose cpu requests it changes, which the horizontal autoscaler at shop\/scaler/);
  });
});

describe('VerticalAutoscaler: rejected', () => {
  test.each<[string, { [key: string]: unknown }, RegExp]>([
    ['an unknown updateMode', { updateMode: 'auto' }, /updateMode \("auto"\) must be a VerticalUpdateMode/],
    ['minReplicas below 1', { updateMode: VerticalUpdateMode.AUTO, minReplicas: 0 }, /minReplicas \(0\) must be >= 1/],
    ['minReplicas without eviction', { minReplicas: 2 }, /minReplicas \(2\) applies only to VerticalUpdateMode.RECREATE or AUTO .* updateMode is "Off"/],
    ['minReplicas as a string', { updateMode: VerticalUpdateMode.AUTO, minReplicas: '2' }, /minReplicas \("2"\) must be an integer/],
    ['minReplicas NaN', { updateMode: VerticalUpdateMode.AUTO, minReplicas: NaN }, /minReplicas \(NaN\) must be an integer/],
    ['containerPolicies not a list', { containerPolicies: { containerName: 'app' } }, /containerPolicies \(\{"containerName":"app"\}\) must be a list/],
    ['containerPolicies null', { containerPolicies: null }, /containerPolicies \(null\) must be a list/],
    ['a null policy', { containerPolicies: [null] }, /containerPolicies\[0\] \(null\) must be \{ containerName, mode/],
    ['no containerName', { containerPolicies: [{ mode: ContainerScalingMode.OFF }] }, /containerPolicies\[0\].containerName \(undefined\) is required/],
    ['a containerName that is a number', { containerPolicies: [{ containerName: 5 }] }, /containerPolicies\[0\].containerName \(5\) is required/],
    ['an unknown container', { containerPolicies: [{ containerName: 'sidecar' }] },
      /containerPolicies\[0\].containerName \("sidecar"\) must be a container of the pods \(app\) or "\*"/],
    ['a container named twice', { containerPolicies: [{ containerName: 'app' }, { containerName: 'app', mode: ContainerScalingMode.OFF }] },
      /containerPolicies\[1\].containerName \("app"\) has a policy already \(containerPolicies\[0\]\): one policy per container/],
    ['"*" twice', { containerPolicies: [{ containerName: '*' }, { containerName: '*' }] }, /containerPolicies\[1\].containerName \("\*"\) has a policy already/],
    ['an unknown mode', { containerPolicies: [{ containerName: 'app', mode: 'Auto ' }] }, /containerPolicies\[0\].mode \("Auto "\) must be a ContainerScalingMode/],
    ['an unknown controlledValues', { containerPolicies: [{ containerName: 'app', controlledValues: 'Requests' }] },
      /controlledValues \("Requests"\) must be a ControlledValues/],
    ['empty controlledResources', { containerPolicies: [{ containerName: 'app', controlledResources: [] }] },
      /controlledResources \(\[\]\) must be a non-empty list of ControlledResource/],
    ['controlledResources as a string', { containerPolicies: [{ containerName: 'app', controlledResources: 'cpu' }] },
      /controlledResources \("cpu"\) must be a non-empty list/],
    ['an unknown resource', { containerPolicies: [{ containerName: 'app', controlledResources: ['ephemeral-storage'] }] },
      /controlledResources\[0\] \("ephemeral-storage"\) must be a ControlledResource/],
    ['a resource twice', { containerPolicies: [{ containerName: 'app', controlledResources: ['cpu', 'cpu'] }] },
      /controlledResources \(\["cpu","cpu"\]\) must list each resource once/],
    ['ephemeral storage bounds', { containerPolicies: [{ containerName: 'app', maxAllowed: { ephemeralStorage: Size.gibibytes(1) } }] },
      /maxAllowed.ephemeralStorage \("1048576Ki"\) is not scaled by the VerticalPodAutoscaler: cpu and memory only/],
    ['a cpu bound as a string', { containerPolicies: [{ containerName: 'app', minAllowed: { cpu: '250m' } }] },
      /minAllowed.cpu \("250m"\) must be a positive Cpu, e.g. Cpu.millis\(250\)/],
    ['a zero cpu bound', { containerPolicies: [{ containerName: 'app', minAllowed: { cpu: Cpu.millis(0) } }] }, /minAllowed.cpu \("0m"\) must be a positive Cpu/],
    ['a memory bound of a fraction of a MiB', { containerPolicies: [{ containerName: 'app', maxAllowed: { memory: Size.kibibytes(1536) } }] },
      /maxAllowed.memory \("1536Ki"\) must be a positive Size of whole mebibytes/],
    ['a memory bound as a string', { containerPolicies: [{ containerName: 'app', maxAllowed: { memory: '1Gi' } }] },
      /maxAllowed.memory \("1Gi"\) must be a positive Size of whole mebibytes/],
    ['a memory bound NaN', { containerPolicies: [{ containerName: 'app', maxAllowed: { memory: Size.mebibytes(NaN) } }] },
      /maxAllowed.memory \("invalid Size"\) must be a positive Size/],
    ['empty bounds', { containerPolicies: [{ containerName: 'app', minAllowed: {} }] }, /minAllowed \(\{\}\) must set cpu or memory/],
    ['bounds that are no object', { containerPolicies: [{ containerName: 'app', minAllowed: 5 }] }, /minAllowed \(5\) must be \{ cpu, memory \}/],
    ['max below min', { containerPolicies: [{ containerName: 'app', minAllowed: { memory: Size.gibibytes(1) }, maxAllowed: { memory: Size.mebibytes(512) } }] },
      /maxAllowed.memory \("512Mi"\) must not be lower than minAllowed.memory \(1024Mi\)/],
    ['a bound of a resource it does not control', { containerPolicies: [{ containerName: 'app', controlledResources: ['memory'], maxAllowed: { cpu: Cpu.units(1) } }] },
      /maxAllowed.cpu \("1"\) has no effect: controlledResources leaves cpu out/],
    ['settings of a container turned OFF', { containerPolicies: [{ containerName: 'app', mode: ContainerScalingMode.OFF, controlledValues: 'RequestsOnly' }] },
      /containerPolicies\[0\].controlledValues \("RequestsOnly"\) has no effect: the policy turns the container's scaling OFF/],
    ['a misspelt prop', { updateMod: VerticalUpdateMode.AUTO }, /updateMod \("Auto"\) is not a prop of VerticalAutoscalerProps: did you mean "updateMode"\?/],
    ['a misspelt policy prop', { containerPolicies: [{ containerName: 'app', maxAlowed: {} }] },
      /containerPolicies\[0\].maxAlowed \(\{\}\) is not a prop of ContainerResourcePolicy: did you mean "maxAllowed"\?/],
  ])('%s', (_what, props, message) => {
    expect(vpaError(props)).toMatch(message);
  });

  test('every problem in one error', () => {
    const message = vpaError({ updateMode: 'x', containerPolicies: [{ containerName: 'nope' }] });
    expect(message).toMatch(/2 invalid values/);
    expect(message).toMatch(/updateMode \("x"\)/);
    expect(message).toMatch(/containerPolicies\[0\].containerName \("nope"\)/);
  });

  test('an init container or native sidecar cannot be named', () => {
    const workload = api();
    workload.addNativeSidecar({ name: 'proxy', image: 'ghcr.io/acme/proxy:1.0.0' });
    workload.addInitContainer({ name: 'migrate', image: 'ghcr.io/acme/migrate:1.0.0' });
    expect(vpaError({ containerPolicies: [{ containerName: 'proxy' }] }, workload))
      .toMatch(/containerPolicies\[0\].containerName \("proxy"\) is an init container \(or native sidecar\), which the VerticalPodAutoscaler does not scale/);
    expect(vpaError({ containerPolicies: [{ containerName: 'migrate' }] }, workload)).toMatch(/\("migrate"\) is an init container/);
  });

  test.each([VerticalUpdateMode.RECREATE, VerticalUpdateMode.AUTO])('a Job or CronJob in %s: evicting its running pods would lose their work', (updateMode) => {
    const job = new BatchJob(newChart('shop'), 'reindex', { image: IMAGE });
    expect(vpaError({ updateMode }, job)).toMatch(new RegExp(`updateMode \\("${updateMode}"\\) must be OFF or INITIAL for a Job: the updater would evict running pods`));
    const cron = new PeriodicJob(newChart('shop'), 'nightly', { image: IMAGE, schedule: '0 3 * * *' });
    expect(vpaError({ updateMode }, cron)).toMatch(/must be OFF or INITIAL for a CronJob/);
  });

  test('a Job named with generateName has no name to target', () => {
    const job = new BatchJob(newChart('shop'), 'reindex', { image: IMAGE, generateName: true });
    expect(vpaError({}, job)).toMatch(/workload \("reindex"\) makes its Job with generateName .* which a VerticalPodAutoscaler cannot target/);
  });

  test('a Guaranteed workload with REQUESTS_ONLY would become Burstable', () => {
    const workload = api({ demands: Demands.guaranteed({ cpu: Cpu.millis(500), memory: Size.mebibytes(512) }) });
    expect(vpaError({ updateMode: VerticalUpdateMode.INITIAL, containerPolicies: [{ containerName: '*', controlledValues: ControlledValues.REQUESTS_ONLY }] }, workload))
      .toMatch(/containerPolicies\[0\].controlledValues \("RequestsOnly"\) must be REQUESTS_AND_LIMITS for a Guaranteed workload/);
  });

  test('a BestEffort workload in AUTO would get requests and become Burstable', () => {
    expect(vpaError({ updateMode: VerticalUpdateMode.AUTO }, api({ demands: Demands.bestEffort() })))
      .toMatch(/updateMode \("Auto"\) must be OFF for a BestEffort workload: the autoscaler would give the pods requests/);
  });

  test('two vertical autoscalers on one workload', () => {
    const workload = api();
    new VerticalAutoscaler(Chart.of(workload), 'first', { workload });
    expect(vpaError({}, workload)).toMatch(/workload \("api"\) already has the VerticalPodAutoscaler at shop\/first: one vertical autoscaler per workload/);
  });

  test('a workload of another namespace', () => {
    const workload = api();
    expect(errorOf(() => new VerticalAutoscaler(newChart('ops', { namespace: 'ops' }), 'sizer', { workload })))
      .toMatch(/workload \("api"\) is in namespace shop and the autoscaler in ops/);
  });

  test.each<[string, unknown]>([
    ['null props', null],
    ['no workload', {}],
    ['a workload name', { workload: 'api' }],
  ])('from JavaScript: %s', (_what, props) => {
    expect(errorOf(() => new VerticalAutoscaler(newChart('shop'), 'sizer', props as VerticalAutoscalerProps)))
      .toMatch(/shop\/sizer: workload \(.*\) must be a workload of this library/);
  });

  test('a bad workload does not hide the other problems', () => {
    const message = errorOf(() => new VerticalAutoscaler(newChart('shop'), 'sizer', { workload: 'api', updateMode: 'Sometimes', minReplicas: 0 } as any));
    expect(message).toMatch(/^cdk8s-patterns: 3 invalid values:/);
    expect(message).toContain('shop/sizer: updateMode ("Sometimes") must be a VerticalUpdateMode');
    expect(message).toContain('shop/sizer: minReplicas (0)');
    expect(message).toContain('shop/sizer: workload ("api") must be a workload of this library');
  });

  test('a construct that was not built says why when used', () => {
    const sizer = new VerticalAutoscaler(newChart('shop'), 'sizer', {} as VerticalAutoscalerProps);
    expect(() => sizer.apiObjects).toThrow(/shop\/sizer: apiObjects \(.*\) cannot be used: the construct was not built/);
  });
});
