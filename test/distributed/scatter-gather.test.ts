import { ApiObject, Chart, JsonPatch, Size } from 'cdk8s';
import {
  ConfigResource, EnvFrom, EnvVariable, EventDrivenAutoscaler, HealthCheck, HorizontalAutoscaler, PodManagementPolicy, ScaleTrigger,
  ScatterGather, ScatterGatherProps, StatefulService, StatefulServiceProps, StatelessService, StatelessServiceProps, VerticalAutoscaler,
} from '../../src';
import { errorOf, IMAGE } from '../helpers/errors';
import { CALLERS } from '../helpers/network';
import { findObject, Manifest, newChart, synth } from '../helpers/synth';

const ROOT_IMAGE = 'ghcr.io/acme/search-root:2.3.0';
const SHARD_IMAGE = 'ghcr.io/acme/search-shard:2.3.0';

/** Four index shards on port 9200, each with a claim of its own. */
function shards(chart: Chart, props: Partial<StatefulServiceProps> = {}): StatefulService {
  return new StatefulService(chart, 'shard', {
    image: SHARD_IMAGE,
    port: 9200,
    replicas: 4,
    podManagementPolicy: PodManagementPolicy.PARALLEL,
    clientService: false,
    volumeClaimTemplates: [{ name: 'index', size: Size.gibibytes(20) }],
    mounts: [{ volume: 'index', path: '/var/lib/index' }],
    ...props,
  } as StatefulServiceProps);
}

/** The root's props: port 8080, callers admitted. */
function rootProps(props: Partial<StatelessServiceProps> = {}): StatelessServiceProps {
  return { image: ROOT_IMAGE, port: 8080, health: HealthCheck.http('/healthz'), network: CALLERS, ...props } as StatelessServiceProps;
}

/** A scatter-gather `search` over `shard` in the chart `search` (namespace `search` unless told). */
function build(
  rootOver: Partial<StatelessServiceProps> = {}, leavesOver: Partial<StatefulServiceProps> = {}, namespace: string | null = 'search',
): { chart: Chart; sg: ScatterGather; leaves: StatefulService } {
  const chart = newChart('search', namespace !== null ? { namespace } : {});
  const leaves = shards(chart, leavesOver);
  const sg = new ScatterGather(chart, 'search', { leaves, root: rootProps(rootOver) });
  return { chart, sg, leaves };
}

const envOf = (manifests: Manifest[], name: string) => findObject(manifests, 'Deployment', name).spec.template.spec.containers[0].env;

const ADDRESSES = [0, 1, 2, 3].map((i) => `shard-${i}.shard-headless.search.svc.cluster.local:9200`);

describe('ScatterGather: the root fans out to the leaves it finds by name', () => {
  test('the root\'s environment names every leaf, the count, the headless Service and the port, exactly', () => {
    const { chart, sg } = build();
    const out = synth(chart); // every check ran, every manifest validated against the 1.28 schema
    expect(envOf(out, 'search')).toEqual([
      { name: 'LEAF_ADDRESSES', value: ADDRESSES.join(',') },
      { name: 'LEAF_COUNT', value: '4' },
      { name: 'LEAVES_SERVICE', value: 'shard-headless.search.svc.cluster.local' },
      { name: 'LEAF_PORT', value: '9200' },
    ]);
    expect(sg.leafAddresses).toEqual(ADDRESSES);
    expect(sg.leafPort).toBe(9200);
    expect(sg.leavesDnsName).toBe('shard-headless.search.svc.cluster.local');
    expect(sg.root).toBeInstanceOf(StatelessService);
    expect(sg.root.name).toBe('search');
    expect(sg.leaves.name).toBe('shard');
    // the root is an ordinary StatelessService: its Service takes the clients' requests
    expect(findObject(out, 'Service', 'search').spec.ports).toEqual([{ name: 'http', port: 8080, targetPort: 8080, protocol: 'TCP' }]);
  });

  test('the leaves\' headless Service gives each pod its name; by default it publishes Ready leaves only', () => {
    const { chart } = build();
    const out = synth(chart);
    const headless = findObject(out, 'Service', 'shard-headless');
    expect(headless.spec).toMatchObject({
      clusterIP: 'None',
      ports: [{ name: 'http', port: 9200, targetPort: 9200, protocol: 'TCP' }],
      selector: { 'app.kubernetes.io/name': 'shard', 'app.kubernetes.io/instance': 'shard' },
    });
    expect(headless.spec).not.toHaveProperty('publishNotReadyAddresses');
    expect(findObject(out, 'StatefulSet', 'shard').spec).toMatchObject({ serviceName: 'shard-headless', replicas: 4 });
    // leaves that publish their not-ready addresses: the root resolves starting leaves too
    const other = build({}, { publishNotReadyAddresses: true });
    expect(findObject(synth(other.chart), 'Service', 'shard-headless').spec.publishNotReadyAddresses).toBe(true);
  });

  test('both NetworkPolicies allow exactly root -> leaves on the leaf port', () => {
    const { chart } = build();
    const out = synth(chart);
    const root = { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'search', 'app.kubernetes.io/instance': 'search' } } };
    const leaf = { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'shard', 'app.kubernetes.io/instance': 'shard' } } };
    const port = [{ port: 9200, protocol: 'TCP' }];
    const rootPolicy = findObject(out, 'NetworkPolicy', 'search').spec;
    expect(rootPolicy.egress).toEqual([
      { ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] },
      { to: [leaf], ports: port },
    ]);
    const leafPolicy = findObject(out, 'NetworkPolicy', 'shard').spec;
    // the peers among themselves (the StatefulService's own rule), then the root, on 9200 only
    expect(leafPolicy.ingress).toEqual([{ from: [leaf] }, { from: [root], ports: port }]);
    expect(leafPolicy.egress).toEqual([
      { ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] },
      { to: [leaf] },
    ]);
  });

  test('charts without a namespace: short names, which resolve in the namespace both are applied to', () => {
    const { chart, sg } = build({}, {}, null);
    const env = envOf(synth(chart), 'search');
    expect(env).toContainEqual({ name: 'LEAF_ADDRESSES', value: [0, 1, 2, 3].map((i) => `shard-${i}.shard-headless:9200`).join(',') });
    expect(env).toContainEqual({ name: 'LEAVES_SERVICE', value: 'shard-headless' });
    expect(sg.leavesDnsName).toBe('shard-headless');
  });

  test('leaves in a namespace of their own: the addresses name it, and the rules name each other\'s namespace', () => {
    const index = newChart('index', { namespace: 'index' });
    const leaves = shards(index);
    const chart = new Chart(index.node.root, 'search', { namespace: 'search' });
    const sg = new ScatterGather(chart, 'search', { leaves, root: rootProps() });
    const out = synth(chart);
    expect(sg.leafAddresses[3]).toBe('shard-3.shard-headless.index.svc.cluster.local:9200');
    expect(envOf(out, 'search')).toContainEqual({ name: 'LEAVES_SERVICE', value: 'shard-headless.index.svc.cluster.local' });
    const to = findObject(out, 'NetworkPolicy', 'search').spec.egress[1].to[0];
    expect(to.namespaceSelector).toEqual({ matchLabels: { 'kubernetes.io/metadata.name': 'index' } });
    const from = findObject(out, 'NetworkPolicy', 'shard').spec.ingress[1].from[0];
    expect(from.namespaceSelector).toEqual({ matchLabels: { 'kubernetes.io/metadata.name': 'search' } });
  });

  test('the root\'s own variables come after the leaf variables and may refer to them; command and args too', () => {
    const { chart } = build({
      env: { MERGE_TOP_K: '20' },
      envVariables: [EnvVariable.literal('SHARDS', '$(LEAF_ADDRESSES)')],
      args: ['--expect=$(LEAF_COUNT)'],
    });
    const out = synth(chart);
    expect(envOf(out, 'search').map((v: any) => v.name)).toEqual(['LEAF_ADDRESSES', 'LEAF_COUNT', 'LEAVES_SERVICE', 'LEAF_PORT', 'MERGE_TOP_K', 'SHARDS']);
    expect(findObject(out, 'Deployment', 'search').spec.template.spec.containers[0].args).toEqual(['--expect=$(LEAF_COUNT)']);
  });

  test('the root\'s name, and a cluster domain of its own', () => {
    const chart = newChart('search', { namespace: 'search' });
    const leaves = shards(chart, { replicas: 2 });
    const sg = new ScatterGather(chart, 'ProductSearch', { leaves, root: rootProps(), clusterDomain: 'corp.internal' });
    expect(sg.root.name).toBe('product-search');
    expect(sg.leafAddresses).toEqual(['shard-0.shard-headless.search.svc.corp.internal:9200', 'shard-1.shard-headless.search.svc.corp.internal:9200']);
    const other = newChart('x', { namespace: 'x' });
    expect(new ScatterGather(other, 'search', { leaves: shards(other), root: rootProps({ name: 'gather' }) }).root.name).toBe('gather');
    const out = synth(chart);
    expect(envOf(out, 'product-search')).toContainEqual({ name: 'LEAF_COUNT', value: '2' });
    expect(findObject(out, 'Deployment', 'product-search').spec.template.spec.containers[0].env).toHaveLength(4);
  });

  test('a vertical autoscaler on the leaves is fine: it changes requests, not the count', () => {
    const { chart, leaves } = build();
    new VerticalAutoscaler(chart, 'shard-sizer', { workload: leaves });
    expect(() => synth(chart)).not.toThrow();
  });
});

describe('ScatterGather: bad input, one error listing every problem', () => {
  test('leaves that are no StatefulService, the leaf variables in the root\'s env, no root port, an unknown key, a bad domain', () => {
    const message = errorOf(() => {
      const chart = newChart('search', { namespace: 'search' });
      const api = new StatelessService(chart, 'api', { image: IMAGE, port: 9200, network: CALLERS });
      return new ScatterGather(chart, 'search', {
        leaves: api as any,
        root: rootProps({
          port: undefined,
          env: { LEAF_ADDRESSES: 'a:1' },
          envVariables: [EnvVariable.literal('LEAF_PORT', '1'), EnvVariable.literal('OTHER', 'x')],
        }),
        clusterDomain: 'Not A Domain',
        leafs: 3,
      } as unknown as ScatterGatherProps);
    });
    // the root is built all the same, so its own problems (probes on a port it has not) are listed too
    expect(message).toMatch(/^cdk8s-patterns: 10 invalid values:\n/);
    expect(message).toContain('search/search/Root: health.readiness.port (undefined) is required for a http probe when the container has no port');
    expect(message).toContain('search/search: leafs (3) is not a prop of ScatterGatherProps: did you mean "leaves"?');
    expect(message).toContain('search/search: clusterDomain ("Not A Domain") must be a DNS-1123 subdomain');
    expect(message).toContain('search/search: root.port (undefined) is required: clients send their requests to the root\'s Service, on this port');
    expect(message).toContain('search/search: root.env["LEAF_ADDRESSES"] ("LEAF_ADDRESSES") must not be one of LEAF_ADDRESSES, LEAF_COUNT, LEAVES_SERVICE, '
      + 'LEAF_PORT: the ScatterGather sets them from the leaves');
    expect(message).toContain('search/search: root.envVariables[0].name ("LEAF_PORT") must not be one of');
    expect(message).toContain('search/search: leaves ("StatelessService \\"api\\"") must be a StatefulService of this library: the root needs each leaf\'s stable name');
  });

  test('a ConfigMap whose keys include a leaf variable', () => {
    const chart = newChart('search', { namespace: 'search' });
    const settings = new ConfigResource(chart, 'settings', { data: { COUNT: '9', TOP_K: '20' } });
    const message = errorOf(() => new ScatterGather(chart, 'search', {
      leaves: shards(chart),
      root: rootProps({ envFrom: [EnvFrom.configMap(settings, { prefix: 'LEAF_' })] }),
    }));
    expect(message).toContain('search/search: root.envFrom[0] ("LEAF_COUNT") must not define LEAF_ADDRESSES, LEAF_COUNT, LEAVES_SERVICE, LEAF_PORT');
    // and nothing else: that the leaves have no caller while the ScatterGather is not built would point at the wrong fix
    expect(message).not.toContain('must admit the callers');
    expect(message).toMatch(/1 invalid value:/);
  });

  test('leaves without a port, or without replicas', () => {
    expect(errorOf(() => build({}, { port: undefined, clientService: undefined })))
      .toContain('search/search: leaves ("shard") has no port: give the StatefulService the port the root calls each leaf on');
    expect(errorOf(() => build({}, { replicas: 0, disruptionBudget: undefined })))
      .toContain('search/search: leaves ("shard") has 0 replicas: a scatter-gather needs at least one leaf');
  });

  test('autoscaled leaves: autoscaled: true, an autoscaler attached before, or one attached after (found at synth)', () => {
    const stale = 'the root\'s LEAF_ADDRESSES and LEAF_COUNT are fixed at synth and would go stale when the count changes';
    expect(errorOf(() => build({}, { autoscaled: true })))
      .toContain(`search/search: leaves ("shard") is autoscaled (autoscaled: true): ${stale}`);

    const before = newChart('search', { namespace: 'search' });
    const scaledFirst = shards(before, { replicas: undefined });
    new HorizontalAutoscaler(before, 'shard-scaler', { workload: scaledFirst, maxReplicas: 8 });
    expect(errorOf(() => new ScatterGather(before, 'search', { leaves: scaledFirst, root: rootProps() })))
      .toContain(`search/search: leaves ("shard") is scaled by the HorizontalPodAutoscaler at search/shard-scaler: ${stale}`);

    const after = newChart('search', { namespace: 'search' });
    const scaledLater = shards(after, { replicas: undefined });
    const sg = new ScatterGather(after, 'search', { leaves: scaledLater, root: rootProps() });
    new HorizontalAutoscaler(after, 'shard-scaler', { workload: scaledLater, maxReplicas: 8 });
    expect(errorOf(() => sg)).toContain(`search/search: leaves ("shard") is scaled by the HorizontalPodAutoscaler at search/shard-scaler: ${stale}`);

    const keda = newChart('search', { namespace: 'search' });
    const scaledByKeda = shards(keda, { replicas: undefined });
    const kedaSg = new ScatterGather(keda, 'search', { leaves: scaledByKeda, root: rootProps() });
    new EventDrivenAutoscaler(keda, 'shard-scaler', {
      workload: scaledByKeda,
      minReplicas: 2,
      maxReplicas: 8,
      triggers: [ScaleTrigger.cron({ timezone: 'Europe/Berlin', start: '0 8 * * 1-5', end: '0 18 * * 1-5', desiredReplicas: 6 })],
    });
    expect(errorOf(() => kedaSg)).toContain(`search/search: leaves ("shard") is scaled by the ScaledObject at search/shard-scaler: ${stale}`);
  });

  test('leaves in a chart with a namespace, the root in one without (or the other way round)', () => {
    const leavesChart = newChart('index', { namespace: 'index' });
    const leaves = shards(leavesChart);
    const chart = new Chart(leavesChart.node.root, 'search');
    expect(errorOf(() => new ScatterGather(chart, 'search', { leaves, root: rootProps() })))
      .toContain('search/search: leaves ("shard") is in namespace index and the root in (the chart has none): give both charts a namespace');
  });

  test('missing props: leaves and root are required', () => {
    const message = errorOf(() => new ScatterGather(newChart('search'), 'search', {} as ScatterGatherProps));
    expect(message).toContain('search/search: leaves (undefined) is required: the StatefulService whose pods answer the fanned-out requests');
    expect(message).toContain('search/search: root (undefined) is required: the props of the root StatelessService');
    expect(errorOf(() => new ScatterGather(newChart('search'), 'search', undefined as any))).toMatch(/2 invalid values/);
  });

  test('the root\'s own problems and the ScatterGather\'s come in one error', () => {
    const message = errorOf(() => build({ image: 'ghcr.io/acme/search-root', replicas: -1, env: { LEAF_COUNT: '4' } }));
    expect(message).toContain('search/search/Root: image ("ghcr.io/acme/search-root")');
    expect(message).toContain('search/search/Root: replicas (-1) must be >= 0');
    expect(message).toContain('search/search: root.env["LEAF_COUNT"] ("LEAF_COUNT") must not be one of');
    expect(message).toContain('search/search: root ("not built") has problems (listed above), so the ScatterGather is not built either');
    // the leaf variable is reported once, by the ScatterGather, not again as a duplicate by the root
    expect(message).not.toContain('defined twice');
  });

  test('leaves that were not built: their problems, then this one; the ScatterGather is not built, and says so when read', () => {
    const chart = newChart('search', { namespace: 'search' });
    const leaves = shards(chart, { replicas: -2 });
    const sg = new ScatterGather(chart, 'search', { leaves, root: rootProps() });
    const message = errorOf(() => chart);
    expect(message).toContain('search/shard: replicas (-2) must be >= 0');
    expect(message).toContain('search/search: leaves ("not built") is a StatefulService that was not built (its problems are listed)');
    expect(() => sg.root).toThrow(/search\/search: root \(read\) cannot be used: the construct was not built/);
  });
});

describe('ScatterGather: what would make the root\'s list wrong', () => {
  test('a replica count patched after construction: the list would miss leaves', () => {
    const { chart, leaves } = build();
    ApiObject.of(leaves.statefulSet).addJsonPatch(JsonPatch.replace('/spec/replicas', 5));
    expect(errorOf(() => chart)).toContain(
      'search/search: leaves ("shard") renders 5 replicas (changed after construction, e.g. by a patch), but the root\'s LEAF_ADDRESSES and LEAF_COUNT list 4');
  });

  test('a clusterDomain where the charts have no namespace (short names: it would be ignored)', () => {
    const chart = newChart('search');
    const leaves = shards(chart);
    expect(errorOf(() => new ScatterGather(chart, 'search', { leaves, root: rootProps(), clusterDomain: 'corp.internal' })))
      .toContain('search/search: clusterDomain ("corp.internal") has no effect: the leaves\' chart has no namespace');
  });
});
