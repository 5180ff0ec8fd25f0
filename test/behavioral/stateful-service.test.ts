import { Chart, Duration, Size } from 'cdk8s';
import {
  AccessMode, Adapter, ClaimRetention, DisruptionBudget, PatternLabels, PodManagementPolicy, PodVolume, StatefulService,
  StatefulServiceProps, StatefulUpdateStrategy, VolumeMode,
} from '../../src';
import { errorOf } from '../helpers/errors';
import { CALLERS } from '../helpers/network';
import { findObject, HARDENED_CONTAINER_CONTEXT, mainContainer, Manifest, newChart, objectsOf, synth, validateManifests } from '../helpers/synth';

const IMAGE = 'ghcr.io/acme/kv:3.1.0';
const HELPER_IMAGE = 'ghcr.io/acme/kv-backup:1.2.0';
const NAME = PatternLabels.NAME;
const INSTANCE = PatternLabels.INSTANCE;
const SELECTOR = { [NAME]: 'kv', [INSTANCE]: 'kv' };
const DATA = { name: 'data', size: Size.gibibytes(10) };
const DATA_MOUNT = { volume: 'data', path: '/var/lib/kv' };

/**
 * A StatefulService `kv` in a fresh chart (namespace `storage`) with `props` over a valid baseline
 * (callers admitted: `network: CALLERS`, unless `props` say otherwise).
 */
function stateful(props: Partial<StatefulServiceProps> = {}, chart: Chart = newChart('storage', { namespace: 'storage' })): StatefulService {
  return new StatefulService(chart, 'kv', { image: IMAGE, network: CALLERS, ...props } as StatefulServiceProps);
}

/** Synthesises the chart of `s` and checks the result against the strict 1.28 schema. */
function render(s: StatefulService): Manifest[] {
  const out = synth(s.node.scope as Chart);
  expect(() => validateManifests(out)).not.toThrow();
  return out;
}

/** The error of building and synthesising a StatefulService `kv`. */
function errorOfProps(props: Partial<StatefulServiceProps>): string {
  return errorOf(() => stateful(props));
}

const names = (out: Manifest[]) => out.map((m) => `${m.kind}/${m.metadata.name}`).sort();

describe('StatefulService with a port and a volume claim template (the common case)', () => {
  // GIVEN a three-node store with a port and 10 GiB of storage per pod
  const s = stateful({ port: 7000, volumeClaimTemplates: [DATA], mounts: [DATA_MOUNT] });
  // WHEN synthesised
  const out = render(s);
  const sts = findObject(out, 'StatefulSet', 'kv');
  const headless = findObject(out, 'Service', 'kv-headless');
  const client = findObject(out, 'Service', 'kv');
  const pod = sts.spec.template;

  test('emits the StatefulSet, the headless and client Services, the budget, the ServiceAccount and the NetworkPolicy, nothing else', () => {
    // THEN exactly these objects, all in the chart namespace
    expect(names(out)).toEqual([
      'NetworkPolicy/kv', 'PodDisruptionBudget/kv', 'Service/kv', 'Service/kv-headless', 'ServiceAccount/kv', 'StatefulSet/kv',
    ]);
    for (const m of out) expect(m.metadata.namespace).toBe('storage');
    expect(s.replicas).toBe(3);
    expect(s.headlessServiceName).toBe('kv-headless');
    expect(s.service).toBeDefined();
    expect(s.disruptionBudget).toBeDefined();
  });

  test('the StatefulSet is governed by the headless Service and runs three ordered pods', () => {
    // THEN serviceName names the headless Service, and the defaults are Kubernetes' safe ones
    expect(sts.spec.serviceName).toBe('kv-headless');
    expect(sts.spec.replicas).toBe(3);
    expect(sts.spec.podManagementPolicy).toBe('OrderedReady');
    expect(sts.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
    expect(sts.spec.minReadySeconds).toBe(0);
    expect(sts.spec.selector).toEqual({ matchLabels: SELECTOR });
    expect(pod.metadata.labels).toMatchObject(SELECTOR);
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toBeUndefined();
  });

  test('the headless Service has clusterIP None, the port, and selects by name and instance only', () => {
    // THEN it is headless and selects the pods without the cdk8s address label
    expect(headless.spec.clusterIP).toBe('None');
    expect(headless.spec.type).toBe('ClusterIP');
    expect(headless.spec.selector).toEqual(SELECTOR);
    expect(Object.keys(headless.spec.selector)).not.toContain('cdk8s.io/metadata.addr');
    expect(headless.spec.ports).toEqual([{ name: 'http', port: 7000, targetPort: 7000, protocol: 'TCP' }]);
    expect(headless.spec.publishNotReadyAddresses).toBeUndefined();
  });

  test('the client Service is a normal ClusterIP Service named after the workload', () => {
    // THEN it balances over the same pods
    expect(client.spec.type).toBe('ClusterIP');
    expect(client.spec.clusterIP).toBeUndefined();
    expect(client.spec.selector).toEqual(SELECTOR);
    expect(client.spec.ports).toEqual([{ name: 'http', port: 7000, targetPort: 7000, protocol: 'TCP' }]);
  });

  test('the volume claim template is rendered with its size, access mode and filesystem mode', () => {
    // THEN one template, labelled like the workload, with the pattern's defaults
    expect(sts.spec.volumeClaimTemplates).toEqual([{
      metadata: { name: 'data', labels: { ...SELECTOR, [PatternLabels.MANAGED_BY]: 'cdk8s-patterns' } },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } }, volumeMode: 'Filesystem' },
    }]);
    // AND no storage class: the cluster's default provisions it
    expect(sts.spec.volumeClaimTemplates[0].spec.storageClassName).toBeUndefined();
  });

  test('the template is mounted into the main container by name and is not a pod volume', () => {
    // THEN the main container mounts `data`, and the pod volumes are the /tmp emptyDir only
    expect(mainContainer(sts).volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }, { name: 'data', mountPath: '/var/lib/kv' }]);
    expect(pod.spec.volumes.map((v: any) => v.name)).toEqual(['tmp']);
    expect(s.volumeNames).toContain('data');
  });

  test('TCP probes on the port, container port named http', () => {
    const c = mainContainer(sts);
    expect(c.ports).toEqual([{ containerPort: 7000, name: 'http', protocol: 'TCP' }]);
    expect(c.readinessProbe).toMatchObject({ tcpSocket: { port: 7000 } });
    expect(c.livenessProbe).toMatchObject({ tcpSocket: { port: 7000 }, failureThreshold: 6 });
  });

  test('a budget of maxUnavailable 1 with more than one replica', () => {
    expect(findObject(out, 'PodDisruptionBudget', 'kv').spec).toEqual({
      maxUnavailable: 1, selector: { matchLabels: SELECTOR }, unhealthyPodEvictionPolicy: 'AlwaysAllow',
    });
  });

  test('the pod is hardened like the pods of every other workload', () => {
    // THEN restricted Pod Security: non-root, seccomp, no token, hardened container context
    expect(pod.spec.securityContext).toMatchObject({
      runAsNonRoot: true, runAsUser: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.spec.automountServiceAccountToken).toBe(false);
    expect(pod.spec.serviceAccountName).toBe('kv');
    expect(mainContainer(sts).securityContext).toEqual(HARDENED_CONTAINER_CONTEXT);
    expect(mainContainer(sts).resources).toEqual({
      requests: { 'cpu': '100m', 'memory': '128Mi', 'ephemeral-storage': '128Mi' },
      limits: { 'cpu': '500m', 'memory': '256Mi', 'ephemeral-storage': '1Gi' },
    });
  });

  test('every object carries the standard labels', () => {
    for (const m of out) expect(m.metadata.labels).toMatchObject({ ...SELECTOR, [PatternLabels.MANAGED_BY]: 'cdk8s-patterns' });
  });
});

describe('StatefulService without a port', () => {
  // GIVEN a port-less StatefulService
  const s = stateful({ volumeClaimTemplates: [DATA], mounts: [DATA_MOUNT] });
  // WHEN synthesised
  const out = render(s);

  test('a headless Service with no ports, and no client Service', () => {
    // THEN only the headless Service, with ports [] (valid for clusterIP None)
    expect(names(out)).toEqual(['NetworkPolicy/kv', 'PodDisruptionBudget/kv', 'Service/kv-headless', 'ServiceAccount/kv', 'StatefulSet/kv']);
    const headless = findObject(out, 'Service', 'kv-headless');
    expect(headless.spec.ports).toEqual([]);
    expect(headless.spec.clusterIP).toBe('None');
    expect(headless.spec.selector).toEqual(SELECTOR);
    expect(s.service).toBeUndefined();
  });

  test('no container port and no probes', () => {
    const c = mainContainer(findObject(out, 'StatefulSet', 'kv'));
    expect(c.ports).toBeUndefined();
    expect(c.readinessProbe).toBeUndefined();
    expect(c.livenessProbe).toBeUndefined();
  });
});

describe('StatefulService options', () => {
  test('publishNotReadyAddresses on the headless Service only', () => {
    // GIVEN peers that must find each other before they are Ready
    const out = render(stateful({ port: 7000, publishNotReadyAddresses: true }));
    // THEN the headless Service publishes them; the client Service does not
    expect(findObject(out, 'Service', 'kv-headless').spec.publishNotReadyAddresses).toBe(true);
    expect(findObject(out, 'Service', 'kv').spec.publishNotReadyAddresses).toBeUndefined();
  });

  test('clientService: false removes the client Service but keeps the port on the headless one', () => {
    // GIVEN a port and no client Service
    const s = stateful({ port: 7000, portName: 'peer', clientService: false });
    const out = render(s);
    // THEN only the headless Service, which carries the named port
    expect(objectsOf(out, 'Service').map((m) => m.metadata.name)).toEqual(['kv-headless']);
    expect(findObject(out, 'Service', 'kv-headless').spec.ports).toEqual([{ name: 'peer', port: 7000, targetPort: 7000, protocol: 'TCP' }]);
    expect(s.service).toBeUndefined();
  });

  test('sizes render in the largest whole binary unit', () => {
    // GIVEN templates of 10 MiB, 10 GiB, 1536 MiB and 2 TiB
    const volumeClaimTemplates = [
      { name: 'a', size: Size.mebibytes(10) }, { name: 'b', size: Size.gibibytes(10) },
      { name: 'c', size: Size.mebibytes(1536) }, { name: 'd', size: Size.tebibytes(2) },
    ];
    const mounts = ['a', 'b', 'c', 'd'].map((v) => ({ volume: v, path: `/${v}` }));
    const sts = findObject(render(stateful({ volumeClaimTemplates, mounts })), 'StatefulSet', 'kv');
    // THEN each size is the exact quantity
    expect(sts.spec.volumeClaimTemplates.map((t: any) => t.spec.resources.requests.storage)).toEqual(['10Mi', '10Gi', '1536Mi', '2Ti']);
  });

  test('access modes, storage class, explicit Filesystem mode and a selector are rendered', () => {
    // GIVEN a fully specified template
    const out = render(stateful({
      volumeClaimTemplates: [{
        name: 'data',
        size: Size.gibibytes(1),
        accessModes: [AccessMode.READ_WRITE_ONCE_POD],
        storageClassName: 'fast-ssd',
        volumeMode: VolumeMode.FILESYSTEM,
        selector: { tier: 'ssd' },
      }],
      mounts: [DATA_MOUNT],
    }));
    // THEN the spec carries each
    expect(findObject(out, 'StatefulSet', 'kv').spec.volumeClaimTemplates[0].spec).toEqual({
      accessModes: ['ReadWriteOncePod'],
      resources: { requests: { storage: '1Gi' } },
      storageClassName: 'fast-ssd',
      volumeMode: 'Filesystem',
      selector: { matchLabels: { tier: 'ssd' } },
    });
  });

  test('an empty storage class asks for a pre-provisioned volume of no class', () => {
    const out = render(stateful({ volumeClaimTemplates: [{ ...DATA, storageClassName: '' }], mounts: [DATA_MOUNT] }));
    expect(findObject(out, 'StatefulSet', 'kv').spec.volumeClaimTemplates[0].spec.storageClassName).toBe('');
  });

  test('templates are mounted into sidecars and init containers by name, never as pod volumes', () => {
    // GIVEN a template mounted by the main container, a sidecar (read-only, subPath) and an init container
    const s = stateful({ port: 7000, volumeClaimTemplates: [DATA], mounts: [DATA_MOUNT] });
    s.addContainer({ name: 'backup', image: HELPER_IMAGE, mounts: [{ volume: 'data', path: '/backup/data', readOnly: true, subPath: 'snapshots' }] });
    s.addInitContainer({ name: 'prepare', image: HELPER_IMAGE, mounts: [{ volume: 'data', path: '/data' }] });
    // WHEN synthesised
    const spec = findObject(render(s), 'StatefulSet', 'kv').spec.template.spec;
    // THEN each container mounts the claim template `data`
    const mountsOf = (c: any) => c.volumeMounts.filter((m: any) => m.name === 'data');
    expect(mountsOf(spec.containers.find((c: any) => c.name === 'app'))).toEqual([{ name: 'data', mountPath: '/var/lib/kv' }]);
    expect(mountsOf(spec.containers.find((c: any) => c.name === 'backup')))
      .toEqual([{ name: 'data', mountPath: '/backup/data', readOnly: true, subPath: 'snapshots' }]);
    expect(mountsOf(spec.initContainers.find((c: any) => c.name === 'prepare'))).toEqual([{ name: 'data', mountPath: '/data' }]);
    // AND `data` is not a pod volume (the StatefulSet controller adds the per-pod claim)
    expect(spec.volumes.map((v: any) => v.name)).not.toContain('data');
    expect(spec.volumes.every((v: any) => v.emptyDir !== undefined)).toBe(true);
    // AND the helpers are hardened too
    for (const c of [...spec.containers, ...spec.initContainers]) expect(c.securityContext).toEqual(HARDENED_CONTAINER_CONTEXT);
  });

  test('a template only a sidecar mounts is accepted', () => {
    // GIVEN the main container does not mount the template, a sidecar does
    const s = stateful({ volumeClaimTemplates: [DATA] });
    s.addContainer({ name: 'backup', image: HELPER_IMAGE, mounts: [{ volume: 'data', path: '/data' }] });
    // THEN synth passes and the sidecar mounts it
    const spec = findObject(render(s), 'StatefulSet', 'kv').spec.template.spec;
    expect(spec.containers[1].volumeMounts).toContainEqual({ name: 'data', mountPath: '/data' });
  });

  test('addMount mounts a template into an existing container', () => {
    // GIVEN a template mounted after construction
    const s = stateful({ volumeClaimTemplates: [DATA] });
    s.addMount('app', { volume: 'data', path: '/var/lib/kv' });
    // THEN the main container mounts it
    expect(mainContainer(findObject(render(s), 'StatefulSet', 'kv')).volumeMounts).toContainEqual({ name: 'data', mountPath: '/var/lib/kv' });
  });

  test('two templates, each mounted, each rendered', () => {
    const s = stateful({
      volumeClaimTemplates: [DATA, { name: 'wal', size: Size.gibibytes(2), storageClassName: 'fast-ssd' }],
      mounts: [DATA_MOUNT, { volume: 'wal', path: '/var/lib/kv-wal' }],
    });
    const sts = findObject(render(s), 'StatefulSet', 'kv');
    expect(sts.spec.volumeClaimTemplates.map((t: any) => t.metadata.name)).toEqual(['data', 'wal']);
    expect(mainContainer(sts).volumeMounts.map((m: any) => m.name)).toEqual(['tmp', 'data', 'wal']);
  });

  test('claimRetention renders persistentVolumeClaimRetentionPolicy, Retain filling the gap', () => {
    // GIVEN claims deleted with the StatefulSet
    const sts = findObject(render(stateful({ claimRetention: { whenDeleted: ClaimRetention.DELETE } })), 'StatefulSet', 'kv');
    // THEN the policy is explicit for both events
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Delete', whenScaled: 'Retain' });
    const both = findObject(render(stateful({ claimRetention: { whenScaled: ClaimRetention.DELETE } })), 'StatefulSet', 'kv');
    expect(both.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Delete' });
  });

  test('podManagementPolicy Parallel', () => {
    const sts = findObject(render(stateful({ podManagementPolicy: PodManagementPolicy.PARALLEL })), 'StatefulSet', 'kv');
    expect(sts.spec.podManagementPolicy).toBe('Parallel');
  });

  test('a staged rolling update with a partition', () => {
    // GIVEN five replicas, update only the last one
    const s = stateful({ replicas: 5, updateStrategy: StatefulUpdateStrategy.rollingUpdate({ partition: 4 }) });
    const sts = findObject(render(s), 'StatefulSet', 'kv');
    // THEN the partition is rendered
    expect(sts.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { partition: 4 } });
    expect(sts.spec.replicas).toBe(5);
  });

  test('a partition equal to replicas is allowed (pause the rollout)', () => {
    const s = stateful({ replicas: 3, updateStrategy: StatefulUpdateStrategy.rollingUpdate({ partition: 3 }) });
    const sts = findObject(render(s), 'StatefulSet', 'kv');
    expect(sts.spec.updateStrategy.rollingUpdate.partition).toBe(3);
  });

  test('onDelete() renders the OnDelete strategy without rollingUpdate', () => {
    const strategy = StatefulUpdateStrategy.onDelete();
    expect(strategy.kind).toBe('OnDelete');
    const sts = findObject(render(stateful({ updateStrategy: strategy })), 'StatefulSet', 'kv');
    expect(sts.spec.updateStrategy).toEqual({ type: 'OnDelete' });
  });

  test('minReady renders minReadySeconds', () => {
    const sts = findObject(render(stateful({ minReady: Duration.seconds(15) })), 'StatefulSet', 'kv');
    expect(sts.spec.minReadySeconds).toBe(15);
  });

  test('autoscaled: spec.replicas is left out, replicas still size the budget', () => {
    // GIVEN an autoscaled StatefulService of three replicas
    const s = stateful({ autoscaled: true, replicas: 3 });
    const out = render(s);
    // THEN no spec.replicas; the budget and the peer list still count three
    expect(findObject(out, 'StatefulSet', 'kv').spec.replicas).toBeUndefined();
    expect(findObject(out, 'PodDisruptionBudget', 'kv').spec.maxUnavailable).toBe(1);
    expect(s.podDnsNames()).toHaveLength(3);
  });

  test('one replica: no budget (maxUnavailable 1 of 1 protects nothing) and no spread', () => {
    const out = render(stateful({ replicas: 1 }));
    expect(objectsOf(out, 'PodDisruptionBudget')).toHaveLength(0);
    const sts = findObject(out, 'StatefulSet', 'kv');
    expect(sts.spec.replicas).toBe(1);
    expect(sts.spec.template.spec.topologySpreadConstraints).toBeUndefined();
  });

  test('an explicit budget replaces the default', () => {
    const out = render(stateful({ replicas: 5, disruptionBudget: DisruptionBudget.minAvailable(3) }));
    expect(findObject(out, 'PodDisruptionBudget', 'kv').spec).toEqual({
      minAvailable: 3, selector: { matchLabels: SELECTOR }, unhealthyPodEvictionPolicy: 'AlwaysAllow',
    });
  });

  test('DisruptionBudget.none() removes the default budget', () => {
    expect(objectsOf(render(stateful({ disruptionBudget: DisruptionBudget.none() })), 'PodDisruptionBudget')).toHaveLength(0);
  });

  test('zero replicas are allowed: no budget, no DNS names', () => {
    const s = stateful({ replicas: 0 });
    const out = render(s);
    expect(findObject(out, 'StatefulSet', 'kv').spec.replicas).toBe(0);
    expect(objectsOf(out, 'PodDisruptionBudget')).toHaveLength(0);
    expect(s.podDnsNames()).toEqual([]);
  });

  test('a 52-character name is the longest: "<name>-headless" and the pods\' controller-revision-hash label fit 63', () => {
    // GIVEN the longest name the construct accepts
    const name = 'a'.repeat(52);
    const out = render(stateful({ name }));
    // THEN the headless Service name fits
    expect(findObject(out, 'Service', `${name}-headless`).metadata.name).toHaveLength(61);
  });
});

describe('podDnsNames()', () => {
  test('with a chart namespace: fully qualified, in ordinal order', () => {
    // GIVEN a StatefulService of three in namespace `storage`
    const s = stateful({ port: 7000 });
    // THEN the names follow <name>-<i>.<name>-headless.<ns>.svc.cluster.local
    expect(s.podDnsNames()).toEqual([
      'kv-0.kv-headless.storage.svc.cluster.local',
      'kv-1.kv-headless.storage.svc.cluster.local',
      'kv-2.kv-headless.storage.svc.cluster.local',
    ]);
  });

  test('a custom cluster domain', () => {
    const s = stateful({ replicas: 2 });
    expect(s.podDnsNames('corp.example')).toEqual(['kv-0.kv-headless.storage.svc.corp.example', 'kv-1.kv-headless.storage.svc.corp.example']);
  });

  test('without a chart namespace: the short names, which resolve within the namespace', () => {
    const s = stateful({ replicas: 2 }, newChart('storage'));
    expect(s.podDnsNames()).toEqual(['kv-0.kv-headless', 'kv-1.kv-headless']);
    expect(s.podDnsNames('corp.example')).toEqual(['kv-0.kv-headless', 'kv-1.kv-headless']);
  });

  test('an explicit name is used in the DNS names and the headless Service name', () => {
    const s = stateful({ name: 'cache', replicas: 1 });
    expect(s.headlessServiceName).toBe('cache-headless');
    expect(s.podDnsNames()).toEqual(['cache-0.cache-headless.storage.svc.cluster.local']);
    expect(findObject(render(s), 'StatefulSet', 'cache').spec.serviceName).toBe('cache-headless');
  });

  test('dnsName names the client Service, and the headless one without it', () => {
    // GIVEN a StatefulService with a client Service, one without a namespace, and one without a port
    expect(stateful({ port: 7000 }).dnsName).toBe('kv.storage.svc.cluster.local');
    expect(stateful({ port: 7000 }, newChart('storage')).dnsName).toBe('kv');
    // without a client Service: the headless Service, whose name resolves to every pod's address
    expect(stateful({}).dnsName).toBe('kv-headless.storage.svc.cluster.local');
  });
});

describe('an Adapter on a StatefulService', () => {
  test('adds its port to the client Service and the container to the pods', () => {
    // GIVEN a StatefulService with a port and a metrics adapter
    const s = stateful({ port: 7000, volumeClaimTemplates: [DATA], mounts: [DATA_MOUNT] });
    new Adapter(s.node.scope as Chart, 'exporter', {
      workload: s,
      container: {
        name: 'exporter', image: 'ghcr.io/acme/kv-exporter:0.9.1', port: 9102, mounts: [{ volume: 'data', path: '/data', readOnly: true }],
      },
    });
    // WHEN synthesised
    const out = render(s);
    // THEN the client Service exposes the metrics port beside the main one
    expect(findObject(out, 'Service', 'kv').spec.ports).toEqual([
      { name: 'http', port: 7000, targetPort: 7000, protocol: 'TCP' },
      { name: 'exporter', port: 9102, targetPort: 9102, protocol: 'TCP' },
    ]);
    // AND the headless Service keeps its peer port only
    expect(findObject(out, 'Service', 'kv-headless').spec.ports).toEqual([{ name: 'http', port: 7000, targetPort: 7000, protocol: 'TCP' }]);
    // AND the pods run the hardened exporter, which mounts the claim template read-only, with scrape annotations
    const template = findObject(out, 'StatefulSet', 'kv').spec.template;
    const exporter = template.spec.containers.find((c: any) => c.name === 'exporter');
    expect(exporter.ports).toEqual([{ containerPort: 9102, name: 'exporter', protocol: 'TCP' }]);
    expect(exporter.volumeMounts).toContainEqual({ name: 'data', mountPath: '/data', readOnly: true });
    expect(exporter.securityContext).toEqual(HARDENED_CONTAINER_CONTEXT);
    expect(template.metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9102', 'prometheus.io/path': '/metrics' });
  });

  // Regression: the headless Service of a port-less StatefulService gets `ports: []` from a JSON patch applied at
  // render time, which overwrites the port the Adapter (or exposePort) binds to it afterwards.
  test('on a port-less StatefulService, adds its port to the headless Service (its exposing Service)', () => {
    // GIVEN a port-less StatefulService and an adapter
    const s = stateful({ volumeClaimTemplates: [DATA], mounts: [DATA_MOUNT] });
    new Adapter(s.node.scope as Chart, 'exporter', {
      workload: s, container: { name: 'exporter', image: 'ghcr.io/acme/kv-exporter:0.9.1', port: 9102 },
    });
    // WHEN synthesised
    const out = render(s);
    // THEN the headless Service, the only Service, carries the adapter's port
    expect(findObject(out, 'Service', 'kv-headless').spec.ports).toEqual([{ name: 'exporter', port: 9102, targetPort: 9102, protocol: 'TCP' }]);
  });

  test('exposePort on a port-less StatefulService renders the port on the headless Service it returns', () => {
    // GIVEN a port-less StatefulService with a sidecar port exposed
    const s = stateful({});
    s.addContainer({ name: 'metrics', image: HELPER_IMAGE, port: 9100 });
    const services = s.exposePort(9100, 'metrics');
    expect(services).toEqual([s.headlessService]);
    // THEN the returned Service has the port in the YAML
    expect(findObject(render(s), 'Service', 'kv-headless').spec.ports).toEqual([{ name: 'metrics', port: 9100, targetPort: 9100, protocol: 'TCP' }]);
  });
});

describe('StatefulService bad input', () => {
  const cases: Array<[string, Partial<StatefulServiceProps>, string]> = [
    ['a claim template name that clashes with a pod volume',
      { volumes: [PodVolume.emptyDir('data')], volumeClaimTemplates: [DATA], mounts: [DATA_MOUNT] },
      'volumeClaimTemplates[0].name ("data") must be unique among the volumes of the pod (also declared by volumes[0])'],
    ['two claim templates of one name',
      { volumeClaimTemplates: [DATA, { name: 'data', size: Size.gibibytes(1) }], mounts: [DATA_MOUNT] },
      'volumeClaimTemplates[1].name ("data") must be unique among the volumes of the pod (also declared by volumeClaimTemplates[0].name)'],
    ['a Block claim template', { volumeClaimTemplates: [{ ...DATA, volumeMode: VolumeMode.BLOCK }], mounts: [DATA_MOUNT] },
      'volumeClaimTemplates[0].volumeMode ("Block") must be Filesystem: a Block volume needs volumeDevices, which this library does not render yet'],
    ['a claim template without a size', { volumeClaimTemplates: [{ name: 'data' } as any], mounts: [DATA_MOUNT] },
      'volumeClaimTemplates[0].size (undefined) is required: a Size such as Size.gibibytes(10)'],
    ['a claim template of 1 KiB', { volumeClaimTemplates: [{ name: 'data', size: Size.kibibytes(1) }], mounts: [DATA_MOUNT] },
      'volumeClaimTemplates[0].size ("1Ki") must be a whole, positive number of mebibytes (at most 8 Ei), e.g. Size.mebibytes(10) or Size.gibibytes(5)'],
    ['a claim template with a bad access mode', { volumeClaimTemplates: [{ ...DATA, accessModes: ['RWX' as any] }], mounts: [DATA_MOUNT] },
      'volumeClaimTemplates[0].accessModes (["RWX"]) must be a non-empty list of AccessMode'],
    ['a claim template with a bad storage class', { volumeClaimTemplates: [{ ...DATA, storageClassName: 'Fast_SSD' }], mounts: [DATA_MOUNT] },
      'volumeClaimTemplates[0].storageClassName ("Fast_SSD") must be a DNS-1123 subdomain'],
    ['a claim template with a bad name',
      { volumeClaimTemplates: [{ name: 'Data_1', size: Size.gibibytes(1) }], mounts: [{ volume: 'Data_1', path: '/d' }] },
      'volumeClaimTemplates[0].name ("Data_1") must be a DNS-1123 label'],
    ['volumeClaimTemplates that are not a list', { volumeClaimTemplates: {} as any },
      'volumeClaimTemplates ({}) must be a list of { name, size, accessModes, storageClassName, volumeMode }'],
    ['clientService: true without a port', { clientService: true }, 'clientService (true) needs a port'],
    ['negative replicas', { replicas: -1 }, 'replicas (-1) must be >= 0 (and at most 2147483647)'],
    ['fractional replicas', { replicas: 2.5 }, 'replicas (2.5) must be an integer'],
    ['a partition above replicas', { replicas: 2, updateStrategy: StatefulUpdateStrategy.rollingUpdate({ partition: 3 }) },
      'updateStrategy.partition (3) must not be larger than replicas (2): no pod would ever be updated'],
    ['a partition above the default 3 replicas', { updateStrategy: StatefulUpdateStrategy.rollingUpdate({ partition: 4 }) },
      'updateStrategy.partition (4) must not be larger than replicas (3)'],
    ['a negative partition', { updateStrategy: StatefulUpdateStrategy.rollingUpdate({ partition: -1 }) },
      'updateStrategy.partition (-1) must be >= 0 (and at most 2147483647)'],
    ['a plain-object strategy', { updateStrategy: { kind: 'OnDelete' } as any },
      'updateStrategy ({"kind":"OnDelete"}) must be created with StatefulUpdateStrategy.rollingUpdate() or onDelete()'],
    ['an unknown pod management policy', { podManagementPolicy: 'Random' as any }, 'podManagementPolicy ("Random") must be a PodManagementPolicy'],
    ['an unknown claim retention', { claimRetention: { whenScaled: 'Keep' as any } }, 'claimRetention.whenScaled ("Keep") must be a ClaimRetention'],
    ['an unknown claim retention on delete', { claimRetention: { whenDeleted: 'Forever' as any } },
      'claimRetention.whenDeleted ("Forever") must be a ClaimRetention'],
    ['a fractional minReady', { minReady: Duration.millis(1500) }, 'minReady ("1.5s") must be a whole number of seconds, at least 0'],
    ['a minReady given as a number', { minReady: 5 as any }, 'minReady (5) must be a Duration'],
    ['a plain-object budget', { disruptionBudget: {} as any },
      'disruptionBudget ({}) must be created with DisruptionBudget.maxUnavailable(), minAvailable(), ... or none()'],
    ['a budget that blocks every eviction', { disruptionBudget: DisruptionBudget.minAvailable(3) },
      'disruptionBudget.minAvailable (3) must be less than replicas (3), or it blocks every eviction'],
    ['a name with no room for "-headless"', { name: 'a'.repeat(55) }, `name ("${'a'.repeat(55)}") must be at most 52 characters`],
    ['a name that is not a DNS-1035 label', { name: '1kv' }, 'name ("1kv") must be a DNS-1035 label (it names a Service)'],
    ['a port out of range', { port: 70000 }, 'port (70000) must be an integer from 1 to 65535'],
    ['a mount of an undeclared volume', { mounts: [{ volume: 'nope', path: '/d' }] }, 'mounts[0].volume ("nope") must name a volume of the workload'],
  ];

  test.each(cases)('%s', (_name, props, expected) => {
    // WHEN built and synthesised
    const message = errorOfProps(props);
    // THEN a validation error naming the construct, the prop, the value and the rule
    expect(message).toContain('storage/kv: ');
    expect(message).toContain(expected);
  });

  test('a claim template mounted by no container fails at synth', () => {
    // GIVEN a template nobody mounts
    const s = stateful({ volumeClaimTemplates: [DATA] });
    // THEN the construct is built (reading from one that was not built throws), but synth fails naming the template
    expect(s.headlessServiceName).toBe('kv-headless');
    expect(() => synth(s.node.scope as Chart)).toThrow(/volumeClaimTemplates\[0\]\.name \("data"\) is mounted by no container/);
    expect(errorOf(() => s)).toContain('storage/kv: volumeClaimTemplates[0].name ("data") is mounted by no container: add a mount');
  });

  test('a missing props object and a null template give validation errors, not TypeErrors', () => {
    expect(errorOf(() => new StatefulService(newChart('storage', { namespace: 'storage' }), 'kv', undefined as any)))
      .toContain('storage/kv: image (undefined)');
    const message = errorOfProps({ volumeClaimTemplates: [null as any] });
    expect(message).toContain('volumeClaimTemplates[0].name (undefined) must be a DNS-1123 label');
    expect(message).toContain('volumeClaimTemplates[0].size (undefined) is required');
  });

  test('one error lists every problem', () => {
    // GIVEN four independent mistakes
    const message = errorOfProps({
      replicas: -2,
      clientService: true,
      podManagementPolicy: 'Random' as any,
      volumeClaimTemplates: [{ name: 'data', size: Size.kibibytes(1), volumeMode: VolumeMode.BLOCK }],
      mounts: [DATA_MOUNT],
    });
    // THEN one PatternValidationError names each of them
    expect(message).toMatch(/^cdk8s-patterns: \d+ invalid values:/);
    for (const prop of [
      'replicas (-2)', 'clientService (true)', 'podManagementPolicy ("Random")',
      'volumeClaimTemplates[0].size ("1Ki")', 'volumeClaimTemplates[0].volumeMode ("Block")',
    ]) {
      expect(message).toContain(`storage/kv: ${prop}`);
    }
  });

  test('the error, at synth and on use of the construct that was not built, is a PatternValidationError', () => {
    const chart = newChart('storage', { namespace: 'storage' });
    const s = stateful({ replicas: -1 }, chart);
    expect(() => synth(chart)).toThrow(expect.objectContaining({ name: 'PatternValidationError' }));
    expect(() => s.replicas).toThrow(expect.objectContaining({ name: 'PatternValidationError' }));
  });

  // Regression: the StatefulSet controller labels each pod `controller-revision-hash: <name>-<hash of up to 10 characters>`,
  // a label value of at most 63 characters, so a StatefulSet name must be at most 52 characters (SingletonService
  // enforces this). StatefulService allows 54 (room for "-headless" only): with 53 or 54 characters the pods are
  // never created.
  test('a 53-character name is rejected: no room for the controller-revision-hash label', () => {
    const message = errorOfProps({ name: 'a'.repeat(53) });
    expect(message).toContain(`name ("${'a'.repeat(53)}") must be at most 52 characters`);
  });
});

describe('synth-time checks of what is changed after construction', () => {
  // Regression: the headless Service's selector is set by a JSON patch applied at render time, so a selector changed through
  // the kplus API afterwards is silently dropped from the YAML, and the synth-time selector check on headlessService
  // can never fire.
  test('a headless Service selector that matches no pod', () => {
    // GIVEN a headless Service whose selector is narrowed after construction
    const s = stateful({ port: 7000 });
    s.headlessService.selectLabel('tier', 'web');
    // THEN synth fails: the governing Service would give no pod a DNS name
    expect(errorOf(() => synth(s.node.scope as Chart)))
      .toMatch(/headlessService\.spec\.selector \(.*"tier":"web".*\) must match the pods of a StatefulSet of this construct/);
  });

  test('a headless Service target port no container exposes', () => {
    // GIVEN a port bound on the headless Service that no container listens on
    const s = stateful({ port: 7000 });
    s.headlessService.bind(9999);
    // THEN synth fails naming the headless Service port
    expect(errorOf(() => synth(s.node.scope as Chart)))
      .toContain('headlessService.spec.ports["9999"].targetPort (9999) must be a container port of every selected pod (missing in StatefulSet "kv")');
  });

  test('a client Service selector that matches no pod', () => {
    const s = stateful({ port: 7000 });
    s.service!.selectLabel('tier', 'web');
    expect(errorOf(() => synth(s.node.scope as Chart))).toContain('service.spec.selector (');
    expect(errorOf(() => synth(s.node.scope as Chart))).toContain('must match the pods of a StatefulSet of this construct');
  });

  test('a client Service target port no container exposes', () => {
    const s = stateful({ port: 7000 });
    s.service!.bind(9999);
    expect(errorOf(() => synth(s.node.scope as Chart)))
      .toContain('service.spec.ports["9999"].targetPort (9999) must be a container port of every selected pod (missing in StatefulSet "kv")');
  });
});

describe('StatefulService: review findings', () => {
  test('the spread counts every pod of the set (StatefulSet pods carry no pod-template-hash)', () => {
    const out = render(stateful({ port: 7000, replicas: 3 }));
    const spread = findObject(out, 'StatefulSet', 'kv').spec.template.spec.topologySpreadConstraints;
    expect(spread.length).toBeGreaterThan(0);
    for (const c of spread) expect(c.matchLabelKeys).toBeUndefined();
  });

  test('exposePort on a port-less StatefulService ignores the placeholder port', () => {
    const s = stateful({ additionalPorts: [{ number: 9000, name: 'metrics' }] });
    expect(() => s.exposePort(9000, 'http')).not.toThrow();
    expect(findObject(render(s), 'Service', 'kv-headless').spec.ports).toEqual([{ name: 'http', port: 9000, targetPort: 9000, protocol: 'TCP' }]);
  });
});
