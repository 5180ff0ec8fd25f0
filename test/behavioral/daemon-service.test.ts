import { ApiObject, Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  Demands, NodeOperator, PatternLabels, PodQos, PolicyRule, PriorityClass, QosClass, Spread, TaintEffect, ServiceExposure, TolerationOperator, Waiver,
} from '../../src';
import {
  DaemonExposure, DaemonService, DaemonServiceProps, DaemonUpdateStrategy, DaemonUpdateStrategyKind, HostPathType,
} from '../../src/behavioral/daemon-service';
import { PodSpecPatcher } from '../../src/core/patch';
import { errorOf } from '../helpers/errors';
import { CALLERS } from '../helpers/network';
import { findObject, mainContainer, Manifest, newChart, synth } from '../helpers/synth';

const IMAGE = 'ghcr.io/acme/agent:2.3.1';
const NAME = PatternLabels.NAME;
const INSTANCE = PatternLabels.INSTANCE;
const { absolute, percent } = { absolute: kplus.PercentOrAbsolute.absolute, percent: kplus.PercentOrAbsolute.percent };

/** Host access needs its waivers; the daemons of these tests give them unless a test says otherwise. */
const HOST_WAIVERS = [Waiver.of(PolicyRule.HOST_PATH, 'a node agent reads node files'), Waiver.of(PolicyRule.HOST_NETWORK, 'a node agent on the host network')];

/**
 * A DaemonService `agent` in a fresh chart, with `props` over a valid baseline (the host waivers,
 * and callers admitted: `network: CALLERS`, unless `props` say otherwise).
 */
function daemon(props: Partial<DaemonServiceProps> = {}, chart: Chart = newChart('nodes')): DaemonService {
  return new DaemonService(chart, 'agent', { image: IMAGE, waivers: HOST_WAIVERS, network: CALLERS, ...props } as DaemonServiceProps);
}

/** Synthesises (validations included) and returns the DaemonSet `agent` and every manifest. */
function render(d: DaemonService): { out: Manifest[]; ds: Manifest; pod: any; c: any } {
  const out = synth(d.node.scope as Chart);
  const ds = findObject(out, 'DaemonSet', d.name);
  return { out, ds, pod: ds.spec.template.spec, c: mainContainer(ds) };
}


describe('DaemonService defaults', () => {
  // GIVEN the smallest daemon, WHEN synthesised
  const { out, ds, pod, c } = render(daemon());

  test('emits only a DaemonSet, its ServiceAccount and its NetworkPolicy, named after the id, selecting its own pod template', () => {
    expect(out.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual(['ServiceAccount/agent', 'NetworkPolicy/agent', 'DaemonSet/agent']);
    expect(ds.apiVersion).toBe('apps/v1');
    expect(ds.spec.selector).toEqual({ matchLabels: { [NAME]: 'agent', [INSTANCE]: 'agent' } });
    expect(ds.spec.template.metadata.labels).toMatchObject(ds.spec.selector.matchLabels);
    expect(ds.metadata.labels).toMatchObject({ [PatternLabels.MANAGED_BY]: 'cdk8s-patterns' });
  });

  test('updates one node at a time (maxUnavailable 1, maxSurge 0)', () => {
    expect(ds.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
  });

  test('adds no spread, anti-affinity or tolerations: a DaemonSet places one pod per node by itself', () => {
    expect(pod.topologySpreadConstraints).toBeUndefined();
    expect(pod.affinity).toBeUndefined();
    expect(pod.tolerations).toBeUndefined();
  });

  test('stays off the host: no hostNetwork, no hostPath, cluster DNS', () => {
    expect(pod.hostNetwork).toBe(false);
    expect(pod.dnsPolicy).toBe('ClusterFirst');
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }]);
  });

  test('hardens the pod to the restricted Pod Security Standard', () => {
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('agent');
    expect(c.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(c.resources).toEqual({
      requests: { 'cpu': '100m', 'memory': '128Mi', 'ephemeral-storage': '128Mi' },
      limits: { 'cpu': '500m', 'memory': '256Mi', 'ephemeral-storage': '1Gi' },
    });
  });

  test('has no port and therefore no probes', () => {
    expect(c.ports).toBeUndefined();
    expect(c.livenessProbe).toBeUndefined();
    expect(c.readinessProbe).toBeUndefined();
  });
});

describe('ports and exposure', () => {
  test('a port gets TCP probes and no Service by default', () => {
    const { out, c } = render(daemon({ port: 9100, portName: 'metrics' }));
    expect(out.map((m) => m.kind)).toEqual(['ServiceAccount', 'NetworkPolicy', 'DaemonSet']);
    expect(c.ports).toEqual([{ containerPort: 9100, name: 'metrics', protocol: 'TCP' }]);
    expect(c.readinessProbe).toMatchObject({ tcpSocket: { port: 9100 } });
    expect(c.livenessProbe).toMatchObject({ tcpSocket: { port: 9100 } });
  });

  test('HEADLESS creates a headless Service selecting the daemon pods', () => {
    const { out, ds } = render(daemon({ port: 9100, portName: 'metrics', exposure: DaemonExposure.HEADLESS }));
    const svc = findObject(out, 'Service', 'agent');
    expect(svc.spec.clusterIP).toBe('None');
    expect(svc.spec.selector).toEqual(ds.spec.selector.matchLabels);
    expect(svc.spec.ports).toEqual([{ name: 'metrics', port: 9100, targetPort: 9100, protocol: 'TCP' }]);
  });

  test('NODE_LOCAL creates a ClusterIP Service that keeps traffic on the node', () => {
    const { out } = render(daemon({ port: 8125, exposure: DaemonExposure.NODE_LOCAL }));
    const svc = findObject(out, 'Service', 'agent');
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.clusterIP).toBeUndefined();
    expect(svc.spec.internalTrafficPolicy).toBe('Local');
  });
});

describe('update strategy', () => {
  test('onDelete replaces pods only when they are deleted', () => {
    const d = daemon({ updateStrategy: DaemonUpdateStrategy.onDelete() });
    expect(d.updateStrategy.kind).toBe(DaemonUpdateStrategyKind.ON_DELETE);
    expect(render(d).ds.spec.updateStrategy).toEqual({ type: 'OnDelete' });
  });

  test('surge defaults maxUnavailable to 0, as the API requires', () => {
    const { ds } = render(daemon({ updateStrategy: DaemonUpdateStrategy.rollingUpdate({ maxSurge: percent(10) }) }));
    expect(ds.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '10%', maxUnavailable: 0 } });
  });

  test('maxUnavailable as a percentage', () => {
    const { ds } = render(daemon({ updateStrategy: DaemonUpdateStrategy.rollingUpdate({ maxUnavailable: percent(25) }) }));
    expect(ds.spec.updateStrategy.rollingUpdate).toEqual({ maxSurge: 0, maxUnavailable: '25%' });
  });

  test('minReady and revisionHistoryLimit', () => {
    const { ds } = render(daemon({ minReady: Duration.seconds(10), revisionHistoryLimit: 3 }));
    expect(ds.spec.minReadySeconds).toBe(10);
    expect(ds.spec.revisionHistoryLimit).toBe(3);
  });
});

describe('placement', () => {
  test('tolerateAllTaints tolerates every taint', () => {
    expect(render(daemon({ tolerateAllTaints: true })).pod.tolerations).toEqual([{ operator: 'Exists' }]);
  });

  test('tolerations, node selector and node affinity from placement', () => {
    const { pod } = render(daemon({
      placement: {
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: TolerationOperator.EXISTS, effect: TaintEffect.NO_SCHEDULE }],
        requiredNodeAffinity: [{ key: 'kubernetes.io/arch', operator: NodeOperator.IN, values: ['amd64', 'arm64'] }],
      },
    }));
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(pod.tolerations).toEqual([{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions)
      .toEqual([{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64', 'arm64'] }]);
    expect(pod.topologySpreadConstraints).toBeUndefined();
  });

  test('priorityClassName, e.g. system-node-critical', () => {
    expect(render(daemon({ priorityClassName: PriorityClass.SYSTEM_NODE_CRITICAL })).pod.priorityClassName).toBe('system-node-critical');
  });
});

describe('host access (explicit opt-outs)', () => {
  test('host paths become hostPath volumes, mounted read-only unless readOnly: false', () => {
    const { pod, c } = render(daemon({
      hostPaths: [
        { path: '/var/log', type: HostPathType.DIRECTORY },
        { path: '/proc', mountPath: '/host/proc' },
        { path: '/var/lib/agent', readOnly: false, type: HostPathType.DIRECTORY_OR_CREATE },
      ],
    }));
    expect(pod.volumes).toEqual(expect.arrayContaining([
      { name: 'host-var-log', hostPath: { path: '/var/log', type: 'Directory' } },
      { name: 'host-proc', hostPath: { path: '/proc', type: '' } },
      { name: 'host-var-lib-agent', hostPath: { path: '/var/lib/agent', type: 'DirectoryOrCreate' } },
    ]));
    expect(c.volumeMounts).toEqual([
      { mountPath: '/tmp', name: 'tmp' },
      { mountPath: '/var/log', name: 'host-var-log', readOnly: true },
      { mountPath: '/host/proc', name: 'host-proc', readOnly: true },
      { mountPath: '/var/lib/agent', name: 'host-var-lib-agent', readOnly: false },
    ]);
  });

  test('hostNetwork uses ClusterFirstWithHostNet DNS', () => {
    const { pod } = render(daemon({ hostNetwork: true, port: 9100 }));
    expect(pod.hostNetwork).toBe(true);
    expect(pod.dnsPolicy).toBe('ClusterFirstWithHostNet');
  });

  test('the rest of the hardening stays in place with host access', () => {
    const { pod, c } = render(daemon({ hostNetwork: true, hostPaths: [{ path: '/sys', mountPath: '/host/sys' }] }));
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.hostPID).toBeUndefined();
    expect(c.securityContext).toMatchObject({
      allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true,
    });
  });

  test('volume names stay unique for paths that slug alike', () => {
    const { pod } = render(daemon({ hostPaths: [{ path: '/var/log', mountPath: '/a' }, { path: '/var-log', mountPath: '/b' }] }));
    expect(pod.volumes.map((v: any) => v.name)).toEqual(['tmp', 'host-var-log', 'host-var-log-2']);
  });
});

describe('Predictable Demands: one QoS tier for every container of the daemon pod', () => {
  const guaranteed = Demands.guaranteed({ cpu: kplus.Cpu.millis(200), memory: Size.mebibytes(128) });

  test('added sidecars and init containers get the tier and the hardening', () => {
    const d = daemon({ demands: guaranteed, hostPaths: [{ path: '/var/log' }] });
    d.addContainer({ name: 'shipper', image: 'ghcr.io/acme/shipper:1.0.0', port: 2021 });
    d.addInitContainer({ name: 'prepare', image: 'ghcr.io/acme/prepare:1.0.0' });
    const { pod } = render(d);
    expect(PodQos.classify(pod)).toBe(QosClass.GUARANTEED);
    const all = [...pod.containers, ...pod.initContainers];
    expect(all.map((c: any) => c.name).sort()).toEqual(['app', 'prepare', 'shipper']);
    for (const c of all) {
      expect(c.resources).toEqual(pod.containers[0].resources);
      expect(c.securityContext).toMatchObject({ capabilities: { drop: ['ALL'] }, runAsNonRoot: true });
    }
  });

  test('a Burstable sidecar in a Guaranteed daemon fails synth, naming the container', () => {
    const d = daemon({ demands: guaranteed });
    d.addContainer({ name: 'shipper', image: 'ghcr.io/acme/shipper:1.0.0', demands: Demands.burstable({ requests: { cpu: kplus.Cpu.millis(50) } }) });
    expect(() => render(d)).toThrow(/daemonSet.spec.template.spec QoS class \("Burstable"\) must be Guaranteed, as demands asks: .*shipper/);
  });
});

describe('DaemonService bad input', () => {
  const cases: Array<[string, () => unknown, string]> = [
    // update strategy
    ['both zero', () => daemon({ updateStrategy: DaemonUpdateStrategy.rollingUpdate({ maxSurge: absolute(0), maxUnavailable: percent(0) }) }),
      'updateStrategy.rollingUpdate.maxUnavailable ("0%") must not be 0 when maxSurge is also 0'],
    ['both non-zero', () => daemon({ updateStrategy: DaemonUpdateStrategy.rollingUpdate({ maxSurge: absolute(1), maxUnavailable: absolute(1) }) }),
      'updateStrategy.rollingUpdate.maxSurge (1) must be 0 when maxUnavailable (1) is not'],
    ['a percentage over 100', () => daemon({ updateStrategy: DaemonUpdateStrategy.rollingUpdate({ maxUnavailable: percent(150) }) }),
      'updateStrategy.rollingUpdate.maxUnavailable ("150%") must be a percentage from 0% to 100%'],
    ['a negative maxSurge', () => daemon({ updateStrategy: DaemonUpdateStrategy.rollingUpdate({ maxSurge: absolute(-1) }) }),
      'updateStrategy.rollingUpdate.maxSurge (-1) must be a non-negative integer'],
    ['a number instead of PercentOrAbsolute', () => daemon({ updateStrategy: DaemonUpdateStrategy.rollingUpdate({ maxSurge: 1 as any }) }),
      'updateStrategy.rollingUpdate.maxSurge (1) must be PercentOrAbsolute'],
    ['a plain-object strategy', () => daemon({ updateStrategy: { type: 'OnDelete' } as any }),
      'updateStrategy ({"type":"OnDelete"}) must be created with DaemonUpdateStrategy.rollingUpdate() or onDelete()'],
    ['surge with a host-network port',
      () => daemon({ hostNetwork: true, port: 9100, updateStrategy: DaemonUpdateStrategy.rollingUpdate({ maxSurge: absolute(1) }) }),
      'updateStrategy.rollingUpdate.maxSurge (1) must be 0 with hostNetwork and a port: the new pod could not bind port 9100'],
    // host network
    ['a privileged port on the host network', () => daemon({ hostNetwork: true, port: 80 }),
      'port (80) must be at least 1024 with hostNetwork'],
    ['hostNetwork as a string', () => daemon({ hostNetwork: 'true' as any }), 'hostNetwork ("true") must be a boolean'],
    // host paths
    ['a relative host path', () => daemon({ hostPaths: [{ path: 'var/log' }] }),
      'hostPaths[0].path ("var/log") must be an absolute, normalised path'],
    ['a host path with ..', () => daemon({ hostPaths: [{ path: '/var/log/../lib/kubelet' }] }),
      'hostPaths[0].path ("/var/log/../lib/kubelet") must be an absolute, normalised path'],
    ['a host path with a trailing /', () => daemon({ hostPaths: [{ path: '/var/log/' }] }),
      'hostPaths[0].path ("/var/log/") must be an absolute, normalised path'],
    ['the node root', () => daemon({ hostPaths: [{ path: '/', mountPath: '/host' }] }), 'hostPaths[0].path ("/") must not be / (the whole node'],
    ['the docker socket', () => daemon({ hostPaths: [{ path: '/var/run/docker.sock', type: HostPathType.SOCKET }] }),
      'hostPaths[0].path ("/var/run/docker.sock") must not be /var/run/docker.sock (a container runtime socket: whoever can reach it is root'],
    ['the containerd socket', () => daemon({ hostPaths: [{ path: '/run/containerd/containerd.sock' }] }),
      'hostPaths[0].path ("/run/containerd/containerd.sock") must not be inside /run/containerd (the container runtime\'s socket directory'],
    ['a directory holding a runtime socket', () => daemon({ hostPaths: [{ path: '/var/run' }] }),
      'hostPaths[0].path ("/var/run") must not contain /var/run/docker.sock'],
    ['the kubelet directory', () => daemon({ hostPaths: [{ path: '/var/lib/kubelet/pods' }] }),
      'hostPaths[0].path ("/var/lib/kubelet/pods") must not be inside /var/lib/kubelet (the kubelet\'s directory'],
    ['every container\'s filesystem', () => daemon({ hostPaths: [{ path: '/var/lib/containerd' }] }),
      'hostPaths[0].path ("/var/lib/containerd") must not be /var/lib/containerd (the container runtime\'s data: every container\'s filesystem)'],
    ['root\'s home', () => daemon({ hostPaths: [{ path: '/root/.kube' }] }), 'hostPaths[0].path ("/root/.kube") must not be inside /root'],
    ['/etc, which holds the node credentials', () => daemon({ hostPaths: [{ path: '/etc', mountPath: '/host/etc' }] }),
      'hostPaths[0].path ("/etc") must not contain /etc/kubernetes'],
    ['a writable /sys', () => daemon({ hostPaths: [{ path: '/sys/fs/cgroup', mountPath: '/host/cgroup', readOnly: false }] }),
      'hostPaths[0].readOnly (false) must not be false for /sys/fs/cgroup: /sys of the node may be mounted read-only only'],
    ['/proc over the container\'s own', () => daemon({ hostPaths: [{ path: '/proc' }] }),
      'hostPaths[0].mountPath (default: the path) ("/proc") must not be /proc or inside it (it would shadow the container\'s own /proc): '
      + 'mount it elsewhere, e.g. /host/proc'],
    ['a mount inside /tmp', () => daemon({ hostPaths: [{ path: '/var/log', mountPath: '/tmp/logs' }] }),
      'hostPaths[0].mountPath ("/tmp/logs") must not overlap /tmp'],
    ['a mount over the container root', () => daemon({ hostPaths: [{ path: '/var/log', mountPath: '/' }] }),
      'hostPaths[0].mountPath ("/") must not be / (it would replace the container\'s whole filesystem)'],
    ['nested mount paths', () => daemon({ hostPaths: [{ path: '/var/log' }, { path: '/opt/pods', mountPath: '/var/log/pods' }] }),
      'hostPaths[1].mountPath ("/var/log/pods") must not overlap the mount path /var/log of another host path'],
    ['the same host path twice',
      () => daemon({ hostPaths: [{ path: '/var/log', mountPath: '/a' }, { path: '/var/log', mountPath: '/b', readOnly: false }] }),
      'hostPaths[1].path ("/var/log") must not be mounted twice'],
    ['an unknown host path type', () => daemon({ hostPaths: [{ path: '/var/log', type: 'Anything' as any }] }),
      'hostPaths[0].type ("Anything") must be a HostPathType'],
    ['readOnly as a string', () => daemon({ hostPaths: [{ path: '/var/log', readOnly: 'false' as any }] }),
      'hostPaths[0].readOnly ("false") must be a boolean'],
    ['hostPaths as a string', () => daemon({ hostPaths: '/var/log' as any }), 'hostPaths ("/var/log") must be a list'],
    ['a null host path', () => daemon({ hostPaths: [null as any] }), 'hostPaths[0] (null) must be { path, mountPath, readOnly, type }'],
    // placement
    ['a spread on a daemon', () => daemon({ placement: { spread: Spread.zones() } }),
      'placement.spread ({"scope":"zones","options":{}}) does not apply to a DaemonSet'],
    ['anti-affinity on a daemon', () => daemon({ placement: { preferSeparateHosts: true } }),
      'placement.preferSeparateHosts (true) does not apply to a DaemonSet'],
    ['tolerations with tolerateAllTaints',
      () => daemon({ tolerateAllTaints: true, placement: { tolerations: [{ key: 'a', operator: TolerationOperator.EXISTS }] } }),
      'placement.tolerations ([{"key":"a","operator":"Exists"}]) must be empty with tolerateAllTaints'],
    // counts, exposure, names
    ['a negative revisionHistoryLimit', () => daemon({ revisionHistoryLimit: -1 }), 'revisionHistoryLimit (-1) must be >= 0'],
    ['a fractional minReady', () => daemon({ minReady: Duration.millis(1500) }), 'minReady ("1.5s") must be a whole number of seconds, at least 0'],
    ['exposure without a port', () => daemon({ exposure: DaemonExposure.HEADLESS }), 'port (undefined) is required with exposure Headless'],
    ['an unknown exposure', () => daemon({ port: 9100, exposure: 'Public' as any }),
      'exposure ("Public") must be DaemonExposure.NONE, HEADLESS or NODE_LOCAL'],
    ['a Service name that is not DNS-1035', () => daemon({ name: '9-agent', port: 9100, exposure: DaemonExposure.HEADLESS }),
      'name ("9-agent") must be a DNS-1035 label'],
  ];

  test.each(cases)('%s', (_name, build, expected) => {
    const message = errorOf(build);
    expect(message).toContain('nodes/agent: ');
    expect(message).toContain(expected);
  });

  test('every problem is reported at once', () => {
    const message = errorOf(() => daemon({ revisionHistoryLimit: -1, hostPaths: [{ path: '/' }], placement: { spread: Spread.hosts() } }));
    expect(message).toMatch(/^cdk8s-patterns: \d+ invalid values:/);
    for (const part of ['revisionHistoryLimit (-1)', 'hostPaths[0].path ("/")', 'placement.spread']) expect(message).toContain(part);
  });
});

describe('checks of the rendered pod, after raw kplus changes', () => {
  test('a raw hostPath volume without the hostPaths opt-out fails synth', () => {
    const d = daemon();
    d.daemonSet.addVolume(kplus.Volume.fromHostPath(d.daemonSet, 'Raw', 'raw', { path: '/var/lib/docker' }));
    expect(() => render(d))
      .toThrow(/spec.volumes\["raw"\].hostPath \("\/var\/lib\/docker"\) is not allowed under the restricted Pod Security Standard/);
  });

  test('a raw hostPath volume beside declared host paths fails synth: only declared paths are checked', () => {
    const d = daemon({ hostPaths: [{ path: '/var/log' }] });
    d.daemonSet.addVolume(kplus.Volume.fromHostPath(d.daemonSet, 'Raw', 'raw', { path: '/var/run' }));
    expect(() => render(d)).toThrow(/volumes\["raw"\].hostPath \("\/var\/run"\) must be declared with the hostPaths prop/);
  });

  test('a container that mounts a read-only host path writable fails synth', () => {
    const d = daemon({ hostPaths: [{ path: '/var/log' }] });
    const volume = d.daemonSet.containers[0].mounts.find((m) => m.path === '/var/log')!.volume;
    d.daemonSet.containers[0].mount('/logs-rw', volume);
    expect(() => render(d))
      .toThrow(/containers\["app"\].volumeMounts\["\/logs-rw"\].readOnly \(undefined\) must be true: hostPaths declares \/var\/log read-only/);
  });

  test('a sidecar port on the host network while the update surges fails synth', () => {
    const d = daemon({ hostNetwork: true, updateStrategy: DaemonUpdateStrategy.rollingUpdate({ maxSurge: absolute(1) }) });
    d.addContainer({ name: 'metrics', image: 'ghcr.io/acme/metrics:1.0.0', port: 9102 });
    expect(() => render(d)).toThrow(/containers\["metrics"\].ports\["metrics"\] \(9102\) must not be a host port while updateStrategy surges/);
  });

  test('the raw hostNetwork field without the opt-out fails synth', () => {
    const d = daemon();
    new PodSpecPatcher(ApiObject.of(d.daemonSet)).setPodField('hostNetwork', true);
    expect(() => render(d)).toThrow(/daemonSet.spec.template.spec.hostNetwork \(true\) must not be set under the restricted Pod Security Standard/);
  });
});

describe('DaemonService: runtime storage and admin credentials stay off limits', () => {
  test.each(['/var/lib/docker', '/var/lib/containers/storage', '/var/lib/rancher', '/etc/rancher/k3s', '/home'])('%s is refused', (path) => {
    const chart = newChart('ops');
    expect(errorOf(() => new DaemonService(chart, 'agent', { image: 'ghcr.io/acme/agent:1.0.0', hostPaths: [{ path }] })))
      .toMatch(new RegExp(`hostPaths\\[0\\]\\.path \\("${path.replace(/\//g, '\\/')}"\\)`));
  });
});

describe('host access needs its waivers', () => {
  test('hostPaths and hostNetwork without waivers are rejected, naming the rule', () => {
    const message = errorOf(() => daemon({ waivers: [], hostNetwork: true, hostPaths: [{ path: '/proc', mountPath: '/host/proc' }] }));
    expect(message).toContain('nodes/agent: hostPaths (["/proc"]) relaxes the secure defaults, which policy checkers flag: '
      + 'give the reason with waivers: [Waiver.of(PolicyRule.HOST_PATH, reason)]');
    expect(message).toContain('hostNetwork (true) relaxes the secure defaults, which policy checkers flag: '
      + 'give the reason with waivers: [Waiver.of(PolicyRule.HOST_NETWORK, reason)]');
  });
});

describe('exposures of a daemon are checked like its Service', () => {
  test('a port bound later on an exposure that no container listens on fails at synth', () => {
    const d = daemon({ port: 9100, exposures: [ServiceExposure.nodePort({ reason: 'scraped from outside the cluster' })] });
    d.exposedServices[0].bind(9999);
    expect(errorOf(() => synth(d.node.scope as Chart)))
      .toContain('exposures[0].spec.ports["9999"].targetPort (9999) must be a container port of the daemon pod');
  });
});
