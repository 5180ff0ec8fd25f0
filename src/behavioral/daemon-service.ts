import { ApiObject, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { checkExposures, createExposures, exposureChecks, ExposureProps, TrafficPolicy } from './service-exposure';
import { deferConstruction } from '../core/app-checks';
import { selectorLabels } from '../core/labels';
import { intOrString, PodSpecPatcher } from '../core/patch';
import { addSynthValidation, renderForChecks } from '../core/synth-session';
import { checkInt, checkPercentOrAbsolute, lowerFirst, Problems, renderValue } from '../core/validation';
import { HealthCheck, seconds } from '../foundational/health-check';
import { RenderedPlacement } from '../foundational/placement';
import { PolicyRule } from '../pod/waiver';
import { PatternWorkload, podSpecOf, podServesPort, WorkloadProps } from '../workload/workload';

/**
 * What the kubelet checks at a host path before it mounts it.
 * @see https://kubernetes.io/docs/concepts/storage/volumes/#hostpath-volume-types
 */
export enum HostPathType {
  /** A directory must exist at the path. */
  DIRECTORY = 'Directory',
  /**
   * A directory is created if nothing exists at the path (mode 0755, owned by the kubelet's user,
   * usually root: a non-root container can then read it but not write to it).
   */
  DIRECTORY_OR_CREATE = 'DirectoryOrCreate',
  /** A file must exist at the path. */
  FILE = 'File',
  /** A file is created if nothing exists at the path (mode 0644, owned by the kubelet's user). */
  FILE_OR_CREATE = 'FileOrCreate',
  /** A UNIX socket must exist at the path. */
  SOCKET = 'Socket',
  /** A character device must exist at the path. */
  CHAR_DEVICE = 'CharDevice',
  /** A block device must exist at the path. */
  BLOCK_DEVICE = 'BlockDevice',
}

/**
 * A file or directory of the node, mounted into the daemon's main container: an explicit opt-out
 * of the restricted Pod Security Standard (which forbids hostPath volumes), checked at synth.
 *
 * Read-only by default. Rejected: relative or unnormalised paths, `/`, container runtime sockets
 * and their directories, `/var/lib/containerd`, the kubelet's directory (`/var/lib/kubelet`),
 * `/etc/kubernetes`, `/var/lib/etcd`, `/root`, anything inside or containing one of them (such as
 * `/var/run` or `/etc`); writable mounts of the node's system directories (`/proc`, `/sys`, `/dev`,
 * `/boot`, `/etc`, `/usr`, `/lib`, `/bin`, `/sbin`).
 * In Kubernetes 1.28, read-only is not recursive: mounts below the host path stay writable.
 * @see https://kubernetes.io/docs/concepts/storage/volumes/#hostpath
 */
export interface HostPathMount {
  /** Absolute, normalised path on the node, e.g. `/var/log`. */
  readonly path: string;
  /**
   * Where the container sees it. `/proc`, `/sys` and `/dev` of the node must go elsewhere
   * (e.g. `/host/proc`), so as not to shadow the container's own.
   * @default - the same path as on the node
   * @see https://kubernetes.io/docs/concepts/storage/volumes/#hostpath
   */
  readonly mountPath?: string;
  /**
   * Mount read-only. Writing to the node needs an explicit `readOnly: false`.
   * @default true
   * @see https://kubernetes.io/docs/concepts/storage/volumes/#hostpath
   */
  readonly readOnly?: boolean;
  /**
   * What the kubelet checks at the path before mounting it.
   * @default - no check (the API's empty type)
   * @see https://kubernetes.io/docs/concepts/storage/volumes/#hostpath-volume-types
   */
  readonly type?: HostPathType;
}

/** Options of a DaemonSet rolling update. Exactly one of the two must be more than zero. */
export interface DaemonRollingUpdateOptions {
  /**
   * Nodes whose daemon pod may be down during the update (the old pod stops before the new one
   * starts). Must be 0 when `maxSurge` is more than 0.
   * @default - PercentOrAbsolute.absolute(1), or absolute(0) when maxSurge is more than 0
   * @see https://kubernetes.io/docs/tasks/manage-daemon/update-daemon-set/
   */
  readonly maxUnavailable?: kplus.PercentOrAbsolute;
  /**
   * Nodes on which the new pod may start before the old one stops (two daemon pods on a node for
   * a while). Needs maxUnavailable 0, and no host port: the new pod could not bind it.
   * @default PercentOrAbsolute.absolute(0)
   * @see https://kubernetes.io/docs/tasks/manage-daemon/update-daemon-set/
   */
  readonly maxSurge?: kplus.PercentOrAbsolute;
}

/** The kinds of DaemonSet update strategy. */
export enum DaemonUpdateStrategyKind {
  /** Replace the pods node by node (Kubernetes RollingUpdate). */
  ROLLING_UPDATE = 'RollingUpdate',
  /** Replace a pod only when someone deletes it (Kubernetes OnDelete). */
  ON_DELETE = 'OnDelete',
}

/**
 * How a new version of a daemon replaces the old one on each node.
 * @see https://kubernetes.io/docs/tasks/manage-daemon/update-daemon-set/
 */
export class DaemonUpdateStrategy {
  /**
   * Replace the pods node by node. The default: one node at a time (maxUnavailable 1, maxSurge 0).
   * Surge (maxSurge > 0, maxUnavailable 0) keeps every node covered during the update.
   */
  public static rollingUpdate(options: DaemonRollingUpdateOptions = {}): DaemonUpdateStrategy {
    return new DaemonUpdateStrategy(DaemonUpdateStrategyKind.ROLLING_UPDATE, options ?? {});
  }

  /** Replace a pod only when it is deleted (by hand, or when its node is drained). */
  public static onDelete(): DaemonUpdateStrategy {
    return new DaemonUpdateStrategy(DaemonUpdateStrategyKind.ON_DELETE, {});
  }

  private constructor(
    /** Which kind of strategy this is. */
    public readonly kind: DaemonUpdateStrategyKind,
    private readonly options: DaemonRollingUpdateOptions,
  ) {}

  /**
   * The maxSurge value as given (for messages).
   * @internal
   */
  public get _maxSurge(): unknown {
    return this.options.maxSurge?.value;
  }

  /**
   * Whether new pods start before old ones stop (maxSurge > 0).
   * @internal
   */
  public get _surges(): boolean {
    const s = this.options.maxSurge;
    return this.kind === DaemonUpdateStrategyKind.ROLLING_UPDATE && s instanceof kplus.PercentOrAbsolute && !s.isZero();
  }

  /**
   * Checks the options the way the 1.28 API server does (ValidateRollingUpdateDaemonSet): each a
   * non-negative integer or a percentage of at most 100 %, and exactly one of them non-zero.
   * @internal
   */
  public _validate(problems: Problems, prop: string): void {
    if (this.kind !== DaemonUpdateStrategyKind.ROLLING_UPDATE) return;
    const typed = [['maxSurge', this.options.maxSurge], ['maxUnavailable', this.options.maxUnavailable]] as const;
    const bad = typed.filter(([, v]) => v !== undefined && !(v instanceof kplus.PercentOrAbsolute));
    for (const [k, v] of bad) {
      problems.add(`${prop}.${k}`, v, 'must be PercentOrAbsolute.percent(n) or PercentOrAbsolute.absolute(n) (from cdk8s-plus-28)');
    }
    if (bad.length > 0) return;
    const { maxSurge, maxUnavailable } = this.values();
    const okSurge = checkPercentOrAbsolute(problems, `${prop}.maxSurge`, maxSurge);
    const okUnavailable = checkPercentOrAbsolute(problems, `${prop}.maxUnavailable`, maxUnavailable);
    if (!okSurge || !okUnavailable) return;
    if (maxSurge.isZero() && maxUnavailable.isZero()) {
      problems.add(`${prop}.maxUnavailable`, maxUnavailable.value, 'must not be 0 when maxSurge is also 0 (the update could never make progress)');
    } else if (!maxSurge.isZero() && !maxUnavailable.isZero()) {
      problems.add(`${prop}.maxSurge`, maxSurge.value,
        `must be 0 when maxUnavailable (${maxUnavailable.value}) is not: a DaemonSet either surges or takes nodes down, not both`);
    }
  }

  /**
   * The `updateStrategy` of the DaemonSet spec, in L1 props shape (IntOrString objects).
   * @internal
   */
  public _render(): kplus.k8s.DaemonSetUpdateStrategy {
    if (this.kind === DaemonUpdateStrategyKind.ON_DELETE) return { type: 'OnDelete' };
    const { maxSurge, maxUnavailable } = this.values();
    return { type: 'RollingUpdate', rollingUpdate: { maxSurge: intOrString(maxSurge.value), maxUnavailable: intOrString(maxUnavailable.value) } };
  }

  private values(): { maxSurge: kplus.PercentOrAbsolute; maxUnavailable: kplus.PercentOrAbsolute } {
    const maxSurge = this.options.maxSurge ?? kplus.PercentOrAbsolute.absolute(0);
    const maxUnavailable = this.options.maxUnavailable ?? kplus.PercentOrAbsolute.absolute(this._surges ? 0 : 1);
    return { maxSurge, maxUnavailable };
  }
}

/** How clients reach the daemon's pods. */
export enum DaemonExposure {
  /** No Service: the pods are reached per node (e.g. scraped through pod discovery). */
  NONE = 'None',
  /**
   * A headless Service (`clusterIP: None`) listing every node's pod: for discovery and per-node
   * scraping (e.g. a Prometheus ServiceMonitor).
   */
  HEADLESS = 'Headless',
  /**
   * A ClusterIP Service with `internalTrafficPolicy: Local`: a client reaches the daemon pod on
   * its own node only (a node-local agent or cache), never another node's.
   */
  NODE_LOCAL = 'NodeLocal',
}

/** Props of a `DaemonService`. */
export interface DaemonServiceProps extends WorkloadProps, ExposureProps {
  /**
   * The port the daemon listens on (e.g. 9100 for a metrics exporter). Probes default to it.
   * @default - no port
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/#communicating-with-daemon-pods
   */
  readonly port?: number;
  /**
   * Name of the port (an IANA service name: at most 15 characters).
   * @default 'http'
   * @see https://kubernetes.io/docs/concepts/services-networking/service/#multi-port-services
   */
  readonly portName?: string;
  /**
   * Whether and how a Service exposes the port.
   * @default DaemonExposure.NONE
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/#communicating-with-daemon-pods
   */
  readonly exposure?: DaemonExposure;
  /**
   * How a new version replaces the old one on each node.
   * @default DaemonUpdateStrategy.rollingUpdate() (maxUnavailable 1, maxSurge 0)
   * @see https://kubernetes.io/docs/tasks/manage-daemon/update-daemon-set/
   */
  readonly updateStrategy?: DaemonUpdateStrategy;
  /**
   * Tolerate every taint (`operator: Exists`), so the daemon runs on every node, control plane
   * and cordoned nodes included: the usual setting for a node agent (logs, metrics). Drain such
   * nodes with `kubectl drain --ignore-daemonsets`. Cannot be combined with
   * `placement.tolerations`. Whatever this says, the DaemonSet controller itself adds
   * tolerations for the not-ready, unreachable, pressure and unschedulable node taints.
   * @default false
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/#taints-and-tolerations
   */
  readonly tolerateAllTaints?: boolean;
  /**
   * Files and directories of the node mounted into the main container (read-only unless said
   * otherwise): an explicit opt-out of the restricted Pod Security Standard for this pod only.
   * Mount paths must not overlap each other or `/tmp`.
   * @default - none
   * @see https://kubernetes.io/docs/concepts/storage/volumes/#hostpath
   */
  readonly hostPaths?: HostPathMount[];
  /**
   * Run in the node's network namespace (an explicit opt-out of the restricted Pod Security
   * Standard). The port is then open on every node's address, and a port below 1024 cannot be
   * bound (the container runs as non-root with no capabilities). Sets
   * `dnsPolicy: ClusterFirstWithHostNet`, so that cluster DNS still resolves.
   * @default false
   * @see https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/#pod-s-dns-policy
   */
  readonly hostNetwork?: boolean;
  /**
   * Minimum time a new pod must be ready before it counts as available (and the update moves on).
   * @default Duration.seconds(0)
   * @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/daemon-set-v1/
   */
  readonly minReady?: Duration;
  /**
   * Old ControllerRevisions kept for `kubectl rollout undo`.
   * @default 10
   * @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/daemon-set-v1/
   */
  readonly revisionHistoryLimit?: number;
}

/** A host path, resolved. */
interface ResolvedHostPath {
  readonly volumeName: string;
  readonly path: string;
  readonly mountPath: string;
  readonly readOnly: boolean;
  readonly type?: HostPathType;
}

/** Host paths that are never mounted, nor any path that contains them or lies inside them. */
const FORBIDDEN_HOST_PATHS: ReadonlyArray<readonly [string, string]> = [
  ...['/var/run/docker.sock', '/run/docker.sock', '/var/run/cri-dockerd.sock', '/run/cri-dockerd.sock', '/var/run/dockershim.sock']
    .map((p) => [p, 'a container runtime socket: whoever can reach it is root on the node'] as const),
  ...['/run/containerd', '/var/run/containerd', '/run/crio', '/var/run/crio', '/run/k3s/containerd']
    .map((p) => [p, 'the container runtime\'s socket directory: whoever can reach it is root on the node'] as const),
  ['/var/lib/kubelet', 'the kubelet\'s directory: every pod\'s Secrets and the kubelet\'s credentials'],
  ['/etc/kubernetes', 'the node\'s kubeconfigs and PKI'],
  ...['/var/lib/containerd', '/var/lib/docker', '/var/lib/containers', '/var/lib/rancher']
    .map((p) => [p, 'the container runtime\'s data: every container\'s filesystem'] as const),
  ['/etc/rancher', 'the k3s/RKE2 configuration, with the cluster admin kubeconfig'],
  ['/home', 'users\' home directories: SSH keys and kubeconfigs'],
  ['/var/lib/etcd', 'etcd\'s data: every Secret of the cluster'],
  ['/root', 'root\'s home: SSH keys and kubeconfigs'],
];
/** Host directories a daemon may read but never write: writing there changes the node itself. */
const READ_ONLY_HOST_PATHS = ['/proc', '/sys', '/dev', '/boot', '/etc', '/usr', '/lib', '/bin', '/sbin'];
/** Container paths a host path must not shadow. */
const RESERVED_MOUNT_PATHS = ['/proc', '/sys', '/dev'];

/**
 * Daemon Service: one hardened pod per node (a DaemonSet), for node agents such as log
 * collectors, metrics exporters and node-local caches, with the Health Probe, Managed Lifecycle
 * and Predictable Demands patterns applied.
 *
 * Pods carry `app.kubernetes.io/name` and `app.kubernetes.io/instance`, and the DaemonSet selects
 * on both. Spread and pod anti-affinity do not apply (a DaemonSet already places one pod per
 * node); node selection, node affinity and tolerations choose the nodes. Host paths and the host
 * network are explicit, checked opt-outs of the restricted Pod Security Standard. For node agents,
 * give a `priorityClassName` above your workloads (a `PriorityClass` of your own, or
 * `PriorityClass.SYSTEM_NODE_CRITICAL` for agents the node cannot work without, such as a CNI
 * plugin; many clusters admit that class only in `kube-system`, through a ResourceQuota scope).
 *
 * @example
 * new DaemonService(chart, 'node-exporter', {
 *   image: 'quay.io/prometheus/node-exporter:v1.8.1',
 *   port: 9100,
 *   hostNetwork: true,
 *   tolerateAllTaints: true,
 *   hostPaths: [{ path: '/proc', mountPath: '/host/proc' }, { path: '/sys', mountPath: '/host/sys' }],
 * });
 */
export class DaemonService extends PatternWorkload {
  /** The DaemonSet. */
  public readonly daemonSet!: kplus.DaemonSet;
  /** The Service, unless `exposure` is `DaemonExposure.NONE`. */
  public readonly service?: kplus.Service;
  /** The NodePort and LoadBalancer Services of `exposures`, in order. */
  public readonly exposedServices!: kplus.Service[];
  /** The update strategy in force. */
  public readonly updateStrategy!: DaemonUpdateStrategy;
  private readonly hostVolumes!: ResolvedHostPath[];
  private readonly hostNetwork!: boolean;

  constructor(scope: Construct, id: string, props: DaemonServiceProps) {
    super(scope, id, props);
    try {
      const p: DaemonServiceProps = props ?? ({} as DaemonServiceProps);
      const problems = new Problems(this);
      const exposure = p.exposure ?? DaemonExposure.NONE;

      // ---- shared workload props; no derived names, so no suffix
      this._resolveWorkload(p, {
        port: p.port,
        portName: p.portName,
        defaultHealth: p.port !== undefined ? HealthCheck.tcp() : HealthCheck.none(),
        propsInterface: 'DaemonServiceProps',
        nameIsServiceName: exposure !== DaemonExposure.NONE,
        longestSuffix: 0,
      }, problems);

      // ---- exposure, counts, update strategy
      const knownExposure = problems.check(Object.values(DaemonExposure).includes(exposure), 'exposure', exposure,
        'must be DaemonExposure.NONE, HEADLESS or NODE_LOCAL');
      if (knownExposure && exposure !== DaemonExposure.NONE) {
        problems.check(p.port !== undefined, 'port', p.port, `is required with exposure ${exposure} (the Service forwards to it)`);
      }
      problems.check(p.serviceOptions === undefined || exposure !== DaemonExposure.NONE || (p.exposures ?? []).length > 0, 'serviceOptions', 'given',
        'needs a Service: give the daemon an exposure');
      problems.check(exposure !== DaemonExposure.NODE_LOCAL || p.serviceOptions?.internalTrafficPolicy !== TrafficPolicy.CLUSTER,
        'serviceOptions.internalTrafficPolicy', p.serviceOptions?.internalTrafficPolicy, 'contradicts exposure NodeLocal, which keeps traffic on the client\'s node');
      checkInt(problems, 'revisionHistoryLimit', p.revisionHistoryLimit, 0);
      const minReady = seconds(problems, 'minReady', p.minReady, 0) ?? 0;
      this.updateStrategy = p.updateStrategy ?? DaemonUpdateStrategy.rollingUpdate();
      if (!(this.updateStrategy instanceof DaemonUpdateStrategy)) {
        problems.add('updateStrategy', this.updateStrategy, 'must be created with DaemonUpdateStrategy.rollingUpdate() or onDelete()');
        problems.throwIfAny();
      }
      this.updateStrategy._validate(problems, `updateStrategy.${lowerFirst(this.updateStrategy.kind)}`);

      // ---- host network
      problems.check(p.hostNetwork === undefined || typeof p.hostNetwork === 'boolean', 'hostNetwork', p.hostNetwork, 'must be a boolean');
      this.hostNetwork = p.hostNetwork === true;
      if (this.hostNetwork && p.port !== undefined) {
        problems.check(!(Number.isInteger(p.port) && p.port < 1024), 'port', p.port,
          'must be at least 1024 with hostNetwork: the container runs as non-root with no capabilities, '
          + 'so it cannot bind a privileged port of the node');
        problems.check(!this.updateStrategy._surges, 'updateStrategy.rollingUpdate.maxSurge', this.updateStrategy._maxSurge,
          `must be 0 with hostNetwork and a port: the new pod could not bind port ${renderValue(p.port)} while the old one holds it on the node`);
      }

      // ---- placement: one pod per node, so no spread; tolerations
      problems.check(p.tolerateAllTaints === undefined || typeof p.tolerateAllTaints === 'boolean', 'tolerateAllTaints', p.tolerateAllTaints,
        'must be a boolean');
      const placement = this.placement(p, problems);

      // ---- host paths
      this.hostVolumes = resolveHostPaths(p.hostPaths, problems);
      if (this.hostVolumes.length > 0) this._requireWaiver(PolicyRule.HOST_PATH, 'hostPaths', this.hostVolumes.map((h) => h.path), problems);
      if (this.hostNetwork) this._requireWaiver(PolicyRule.HOST_NETWORK, 'hostNetwork', true, problems);
      checkExposures(p, this.name, p.port, problems);
      problems.throwIfAny();

      // ---- objects
      this.daemonSet = new kplus.DaemonSet(this, 'Resource', {
        ...this._podProps(),
        metadata: this._workloadMetadata(p, this.name),
        minReadySeconds: minReady,
        hostNetwork: this.hostNetwork,
        ...(this.hostNetwork ? { dns: { policy: kplus.DnsPolicy.CLUSTER_FIRST_WITH_HOST_NET } } : {}),
      });
      this.daemonSet.select(kplus.LabelSelector.of({ labels: selectorLabels(this._identity) }));
      const container = this._completePod(this.daemonSet, p, p.image, placement, 'daemonSet.spec.template.spec', {
        hostPath: this.hostVolumes.length > 0,
        hostNetwork: this.hostNetwork,
      });
      this.hostVolumes.forEach((h, i) => {
        const volume = kplus.Volume.fromHostPath(this.daemonSet, `HostPath${i}`, h.volumeName, {
          path: h.path,
          ...(h.type !== undefined ? { type: h.type as unknown as kplus.HostPathVolumeType } : {}),
        });
        container.mount(h.mountPath, volume, { readOnly: h.readOnly });
      });
      const patcher = new PodSpecPatcher(ApiObject.of(this.daemonSet));
      patcher.setSpecField('updateStrategy', this.updateStrategy._render());
      if (p.revisionHistoryLimit !== undefined) patcher.setSpecField('revisionHistoryLimit', p.revisionHistoryLimit);

      if (exposure !== DaemonExposure.NONE) this.service = this.createService(exposure, p.port!, p.portName ?? 'http');
      this.exposedServices = createExposures(p, {
        scope: this,
        name: this.name,
        labels: this._objectLabels(),
        selector: selectorLabels(this._identity),
        port: p.port,
        servicePort: undefined,
        portName: p.portName ?? 'http',
      }, [this.service]);
      addSynthValidation(this, () => this.validateDaemonPod());
    } catch (e) {
      return deferConstruction(this, e);
    }
  }

  /** Renders the placement with no spread (one pod per node), plus the tolerate-all toleration. */
  private placement(p: DaemonServiceProps, problems: Problems): RenderedPlacement {
    const o = p.placement ?? {};
    problems.check(o.spread === undefined, 'placement.spread', o.spread,
      'does not apply to a DaemonSet: it already runs exactly one pod on each selected node '
      + '(choose nodes with nodeSelector, node affinity or tolerations)');
    problems.check(o.preferSeparateHosts === undefined || o.preferSeparateHosts === false, 'placement.preferSeparateHosts', o.preferSeparateHosts,
      'does not apply to a DaemonSet: its pods are on separate nodes by construction');
    // One replica: the base adds no default spread.
    const rendered = this._resolvePlacement({ ...p, placement: { ...o, spread: undefined, preferSeparateHosts: undefined } }, 1,
      selectorLabels(this._identity), problems);
    if (p.tolerateAllTaints !== true) return rendered;
    problems.check((o.tolerations ?? []).length === 0, 'placement.tolerations', o.tolerations,
      'must be empty with tolerateAllTaints (which already tolerates every taint, forever)');
    return { ...rendered, tolerations: [{ operator: 'Exists' }] };
  }

  private createService(exposure: DaemonExposure, port: number, portName: string): kplus.Service {
    const service = new kplus.Service(this, 'Service', {
      metadata: { name: this.name, labels: this._objectLabels() },
      type: kplus.ServiceType.CLUSTER_IP,
      ...(exposure === DaemonExposure.HEADLESS ? { clusterIP: 'None' } : {}),
      ports: [{ name: portName, port, targetPort: port, protocol: kplus.Protocol.TCP }],
    });
    for (const [k, v] of Object.entries(selectorLabels(this._identity))) service.selectLabel(k, v);
    if (exposure === DaemonExposure.NODE_LOCAL) new PodSpecPatcher(ApiObject.of(service)).setSpecField('internalTrafficPolicy', 'Local');
    return service;
  }

  /**
   * Checks the rendered pod after everything added since construction: host paths only as
   * declared (path and read-only), and no host port while the update surges.
   */
  private validateDaemonPod(): string[] {
    const problems = new Problems(this);
    const spec = podSpecOf(renderForChecks(ApiObject.of(this.daemonSet))) ?? {};
    const where = 'daemonSet.spec.template.spec';
    const declared = new Map(this.hostVolumes.map((h) => [h.volumeName, h]));
    if (this.hostVolumes.length > 0) {
      // Without declared host paths the base class already rejects every hostPath volume.
      for (const v of spec.volumes ?? []) {
        if (v.hostPath === undefined) continue;
        problems.check(declared.get(v.name)?.path === v.hostPath.path, `${where}.volumes["${v.name}"].hostPath`, v.hostPath.path,
          'must be declared with the hostPaths prop, which checks it (volumes added through the raw kplus API are not)');
      }
    }
    const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
    for (const c of containers) {
      for (const m of c.volumeMounts ?? []) {
        const h = declared.get(m.name);
        if (h === undefined || !h.readOnly) continue;
        problems.check(m.readOnly === true, `${where}.containers["${c.name}"].volumeMounts["${m.mountPath}"].readOnly`, m.readOnly,
          `must be true: hostPaths declares ${h.path} read-only`);
      }
      if (!this.updateStrategy._surges) continue;
      for (const port of c.ports ?? []) {
        const bound = port.hostPort !== undefined || (this.hostNetwork && c.name !== 'app'); // the main port is checked in the constructor
        problems.check(!bound, `${where}.containers["${c.name}"].ports["${port.name ?? port.containerPort}"]`, port.hostPort ?? port.containerPort,
          'must not be a host port while updateStrategy surges (maxSurge > 0): the new pod could not bind it while the old one holds it');
      }
    }
    const services: Array<[string, kplus.Service | undefined]> = [['service', this.service], ...exposureChecks(this.exposedServices)];
    for (const [at, svc] of services) {
      if (!svc) continue;
      for (const sp of renderForChecks(ApiObject.of(svc)).spec?.ports ?? []) {
        const target = sp.targetPort ?? sp.port; // Kubernetes defaults targetPort to port
        problems.check(podServesPort(spec, target), `${at}.spec.ports["${sp.name ?? sp.port}"].targetPort`, target, 'must be a container port of the daemon pod');
      }
    }
    return problems.messages();
  }

  /** @internal */
  protected _whyNotScalable(): string {
    return 'a daemon runs one pod per node, so it grows with the nodes (the cluster autoscaler), not with an autoscaler';
  }

  /** One pod per node. @internal */
  public _concurrentPods(): number {
    return Infinity;
  }

  /** The Service, when the daemon has one. @internal */
  public _exposingServices(): kplus.Service[] {
    return this.service ? [this.service] : [];
  }
}

/** Validates the host paths and gives each a volume name. */
function resolveHostPaths(list: HostPathMount[] | undefined, problems: Problems): ResolvedHostPath[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) {
    problems.add('hostPaths', list, 'must be a list of { path, mountPath, readOnly, type }');
    return [];
  }
  const out: ResolvedHostPath[] = [];
  const names = new Set<string>();
  list.forEach((h, i) => {
    const at = `hostPaths[${i}]`;
    if (h === null || typeof h !== 'object') {
      problems.add(at, h, 'must be { path, mountPath, readOnly, type }');
      return;
    }
    const okPath = checkAbsolutePath(problems, `${at}.path`, h.path);
    const mountPath = h.mountPath ?? h.path;
    const mountProp = h.mountPath === undefined ? `${at}.mountPath (default: the path)` : `${at}.mountPath`;
    const okMount = h.mountPath === undefined ? okPath : checkAbsolutePath(problems, mountProp, mountPath);
    problems.check(h.readOnly === undefined || typeof h.readOnly === 'boolean', `${at}.readOnly`, h.readOnly, 'must be a boolean');
    problems.check(h.type === undefined || Object.values(HostPathType).includes(h.type), `${at}.type`, h.type,
      'must be a HostPathType (Directory, DirectoryOrCreate, File, FileOrCreate, Socket, CharDevice, BlockDevice)');
    const readOnly = h.readOnly !== false;
    if (okPath) {
      if (h.path === '/') {
        problems.add(`${at}.path`, h.path, 'must not be / (the whole node: runtime sockets, credentials and every other pod\'s data)');
      } else {
        for (const [forbidden, why] of FORBIDDEN_HOST_PATHS) {
          if (!overlaps(h.path, forbidden)) continue;
          const how = h.path === forbidden ? 'must not be' : isUnder(h.path, forbidden) ? 'must not be inside' : 'must not contain';
          problems.add(`${at}.path`, h.path, `${how} ${forbidden} (${why})`);
          break;
        }
      }
      const system = READ_ONLY_HOST_PATHS.find((s) => h.path === s || isUnder(h.path, s));
      problems.check(readOnly || system === undefined, `${at}.readOnly`, h.readOnly,
        `must not be false for ${h.path}: ${system} of the node may be mounted read-only only (writing there changes the node itself)`);
      const twin = out.find((o) => o.path === h.path);
      problems.check(twin === undefined, `${at}.path`, h.path, 'must not be mounted twice (mount it once)');
    }
    if (okMount && typeof mountPath === 'string') {
      problems.check(mountPath !== '/', mountProp, mountPath, 'must not be / (it would replace the container\'s whole filesystem)');
      problems.check(!overlaps(mountPath, '/tmp') || mountPath === '/', mountProp, mountPath, 'must not overlap /tmp (the pod\'s writable emptyDir)');
      const reserved = RESERVED_MOUNT_PATHS.find((r) => mountPath === r || isUnder(mountPath, r));
      problems.check(reserved === undefined, mountProp, mountPath,
        `must not be ${reserved} or inside it (it would shadow the container's own ${reserved}): mount it elsewhere, e.g. /host${h.path}`);
      const other = out.find((o) => overlaps(o.mountPath, mountPath));
      problems.check(other === undefined, mountProp, mountPath,
        `must not overlap the mount path ${other?.mountPath} of another host path (nested or repeated mounts)`);
    }
    if (!okPath || !okMount) return;
    const base = `host-${h.path.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '')}`.slice(0, 56).replace(/-+$/, '');
    let volumeName = base;
    for (let n = 2; names.has(volumeName); n++) volumeName = `${base}-${n}`;
    names.add(volumeName);
    out.push({ volumeName, path: h.path, mountPath, readOnly, type: h.type });
  });
  return out;
}

/** Checks an absolute, normalised path with no `.` or `..` segments. Returns whether it is one. */
function checkAbsolutePath(problems: Problems, prop: string, path: unknown): boolean {
  const ok = typeof path === 'string' && path.startsWith('/') && !/[\u0000-\u001f\u007f]/.test(path)
    && (path === '/' || path.slice(1).split('/').every((s) => s !== '' && s !== '.' && s !== '..'));
  return problems.check(ok, prop, path,
    'must be an absolute, normalised path: starting with "/", with no "..", "." or empty segments, no trailing "/" and no control characters');
}

/** Whether `path` lies strictly inside `dir`. */
function isUnder(path: string, dir: string): boolean {
  return path.startsWith(dir.endsWith('/') ? dir : dir + '/');
}

/** Whether two paths are the same or one contains the other. */
function overlaps(a: string, b: string): boolean {
  return a === b || isUnder(a, b) || isUnder(b, a);
}


