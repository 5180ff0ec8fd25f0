import { ApiObject, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { registerAppChecks } from '../core/app-checks';
import {
  hardenedContainerContext, hardenedPodContext, POD_SECCOMP, PodSecurityOptions, ResolvedSecurity, resolveSecurity,
} from '../core/hardening';
import { checkImage } from '../core/image';
import { AppIdentity, PatternLabels, selectorLabels, standardLabels } from '../core/labels';
import {
  checkDns1035Label, checkDnsLabel, checkDnsSubdomain, checkLabels, checkLabelValue, checkPort, checkPortName, defaultNameFromId,
} from '../core/names';
import { PodSpecPatcher } from '../core/patch';
import { checkRenderedPodSpec } from '../core/pod-checks';
import { checkInt, Problems } from '../core/validation';
import { Demands } from '../foundational/demands';
import {
  BlueGreenTrack, DeploymentStrategy, DeploymentStrategyKind,
} from '../foundational/deployment-strategy';
import { DisruptionBudget } from '../foundational/disruption-budget';
import { HealthCheck, seconds } from '../foundational/health-check';
import { LifecycleOptions, renderLifecycle } from '../foundational/lifecycle';
import { PlacementOptions, RenderedPlacement, renderPlacement } from '../foundational/placement';
import { PodQos } from '../foundational/qos';

/** Props of a `StatelessService`. */
export interface StatelessServiceProps {
  /** Container image, pinned to a tag other than `latest` or to a digest. */
  readonly image: string;
  /**
   * Base name of every object (Deployment, Service, PodDisruptionBudget, ...) and the value of
   * `app.kubernetes.io/instance`. A DNS-1123 label: clients reach the Service at this name.
   * @default - the construct id in kebab-case (`Api` becomes `api`)
   */
  readonly name?: string;
  /**
   * Value of `app.kubernetes.io/name`: the application, shared by all its instances.
   * @default - the name
   */
  readonly appName?: string;
  /**
   * Value of `app.kubernetes.io/part-of`: the larger application this one belongs to.
   * @default - no part-of label
   */
  readonly partOf?: string;
  /**
   * Value of `app.kubernetes.io/component`, e.g. `backend`.
   * @default - no component label
   */
  readonly component?: string;
  /**
   * Extra labels on every object and pod. Never used in selectors.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * The port the container listens on. When set, a ClusterIP Service exposes it and probes default
   * to it.
   * @default - no port and no Service
   */
  readonly port?: number;
  /**
   * The port the Service listens on.
   * @default - the same as `port`
   */
  readonly servicePort?: number;
  /**
   * Name of the port (an IANA service name: at most 15 characters).
   * @default 'http'
   */
  readonly portName?: string;
  /**
   * Number of pods (of the stable or each blue-green track). 0 is allowed (scaled down).
   * @default 2
   */
  readonly replicas?: number;
  /**
   * How a new version replaces the old one.
   * @default DeploymentStrategy.rollingUpdate() (maxSurge 25 %, maxUnavailable 0)
   */
  readonly strategy?: DeploymentStrategy;
  /**
   * Liveness, readiness and startup probes of the container.
   * @default - HealthCheck.tcp() on the port when there is one; no probes otherwise
   */
  readonly health?: HealthCheck;
  /**
   * Grace period and lifecycle hooks.
   * @default - 30 s grace period, no hooks
   */
  readonly lifecycle?: LifecycleOptions;
  /**
   * Requests and limits of the container, chosen by QoS tier.
   * @default Demands.libraryDefault() (Burstable: requests 100m cpu / 128Mi memory, limits 500m / 256Mi)
   */
  readonly demands?: Demands;
  /**
   * Budget for voluntary disruptions (drains), per Deployment.
   * @default - DisruptionBudget.maxUnavailable(1) for every Deployment of more than one replica
   */
  readonly disruptionBudget?: DisruptionBudget;
  /**
   * Where the pods may and should run: node selection, affinity, tolerations and spread.
   * @default - pods of a Deployment with more than one replica spread across hosts (preferred)
   */
  readonly placement?: PlacementOptions;
  /**
   * PriorityClass of the pods (see `PriorityClass`), e.g. `PriorityClass.SYSTEM_CLUSTER_CRITICAL`.
   * @default - the cluster's default priority
   * @see https://kubernetes.io/docs/concepts/scheduling-eviction/pod-priority-preemption/
   */
  readonly priorityClassName?: string;
  /**
   * Adjustments to the hardened security context.
   * @default - restricted Pod Security Standard: uid/gid 10001, read-only root, /tmp emptyDir
   */
  readonly security?: PodSecurityOptions;
  /**
   * Entrypoint override.
   * @default - the image's ENTRYPOINT
   */
  readonly command?: string[];
  /**
   * Arguments to the entrypoint.
   * @default - the image's CMD
   */
  readonly args?: string[];
  /**
   * Plain environment variables of the container.
   * @default - none
   */
  readonly env?: { [name: string]: string };
  /**
   * Minimum time a new pod must be ready before it counts as available.
   * @default Duration.seconds(0)
   */
  readonly minReady?: Duration;
  /**
   * Time after which a stalled rollout is reported as failed.
   * @default Duration.seconds(600)
   */
  readonly progressDeadline?: Duration;
  /**
   * Old ReplicaSets kept for `kubectl rollout undo`.
   * @default 10
   */
  readonly revisionHistoryLimit?: number;
  /**
   * Accept an image without a tag or with the `latest` tag. Such images make rollouts
   * unrepeatable; this is an explicit opt-out.
   * @default false
   */
  readonly allowUnpinnedImage?: boolean;
}

/** A container added to every pod of a workload (a sidecar, adapter, ambassador or init container). */
export interface WorkloadContainerOptions {
  /** Container name, unique in the pod (a DNS-1123 label). */
  readonly name: string;
  /** Image, pinned like the main one. */
  readonly image: string;
  /**
   * Entrypoint override.
   * @default - the image's ENTRYPOINT
   */
  readonly command?: string[];
  /**
   * Arguments.
   * @default - the image's CMD
   */
  readonly args?: string[];
  /**
   * Plain environment variables.
   * @default - none
   */
  readonly env?: { [name: string]: string };
  /**
   * A port the container listens on (not for init containers).
   * @default - none
   */
  readonly port?: number;
  /**
   * Name of the port: an IANA service name, unique in the pod.
   * @default - the container name, cut to 15 characters
   */
  readonly portName?: string;
  /**
   * Requests and limits. Must keep the pod in the workload's QoS tier (checked at synth).
   * @default - the workload's demands
   */
  readonly demands?: Demands;
  /**
   * Accept an unpinned image (explicit opt-out).
   * @default false
   */
  readonly allowUnpinnedImage?: boolean;
}

/** What one Deployment of the service (a track) needs. */
interface TrackSpec {
  readonly id: string;
  readonly name: string;
  readonly track: string;
  readonly image: string;
  readonly replicas: number;
}

/**
 * Stateless Service: a hardened Deployment (or two, for blue-green and canary), a ClusterIP Service
 * and a PodDisruptionBudget, with the Declarative Deployment, Health Probe, Managed Lifecycle and
 * Predictable Demands patterns applied.
 *
 * Every pod carries `app.kubernetes.io/name`, `app.kubernetes.io/instance` and
 * `patterns.cdk8s.io/track` (`stable` for rolling and recreate, `stable`/`canary`, or
 * `blue`/`green`); Deployments select on all three, so switching between rolling, recreate and
 * canary never changes an (immutable) selector.
 *
 * @example
 * new StatelessService(chart, 'api', {
 *   image: 'ghcr.io/acme/api:1.4.2',
 *   port: 8080,
 *   replicas: 3,
 *   health: HealthCheck.http('/healthz'),
 * });
 */
export class StatelessService extends Construct {
  /** Base name of the objects. */
  public readonly name: string;
  /**
   * The Deployment that serves traffic: the only one (rolling, recreate), the stable one (canary)
   * or the active one (blue-green).
   */
  public readonly deployment: kplus.Deployment;
  /** Every Deployment of the service, in track order (stable, canary / blue, green). */
  public readonly deployments: kplus.Deployment[];
  /** The canary Deployment, for the canary strategy. */
  public readonly canaryDeployment?: kplus.Deployment;
  /** The Service clients use, when the service has a port. */
  public readonly service?: kplus.Service;
  /** The Service of the inactive track, for the blue-green strategy. */
  public readonly previewService?: kplus.Service;
  /** Per-track Services behind the HTTPRoute, for a weighted canary. */
  public readonly trackServices: kplus.Service[];
  /** The Gateway API HTTPRoute, for a weighted canary. */
  public readonly httpRoute?: ApiObject;
  /** The PodDisruptionBudgets, one per Deployment of more than one replica. */
  public readonly disruptionBudgets: ApiObject[];
  /** The strategy in force. */
  public readonly strategy: DeploymentStrategy;

  private readonly identity: AppIdentity;
  private readonly extraLabels: { [key: string]: string };
  private readonly demands: Demands;
  private readonly security: ResolvedSecurity;
  private readonly extraContainerNames = new Set<string>(['app']);

  constructor(scope: Construct, id: string, props: StatelessServiceProps) {
    super(scope, id);
    const p: StatelessServiceProps = props ?? ({} as StatelessServiceProps);
    const problems = new Problems(this);

    // ---- identity and labels
    this.name = p.name ?? defaultNameFromId(id);
    checkDns1035Label(problems, p.name === undefined ? 'name (from the construct id)' : 'name', this.name);
    // Longest derived name: "<name>-preview" / "<name>-canary" (+ ReplicaSet/pod hashes, which
    // Kubernetes truncates itself); keep the base short enough for the suffixes.
    problems.check(this.name.length <= 47, 'name', this.name, 'must be at most 47 characters, leaving room for the "-preview"/"-canary" suffixes and pod hashes');
    this.identity = {
      name: p.appName ?? this.name,
      instance: this.name,
      partOf: p.partOf,
      component: p.component,
    };
    if (p.appName !== undefined) checkLabelValue(problems, 'appName', p.appName);
    if (p.partOf !== undefined) checkLabelValue(problems, 'partOf', p.partOf);
    if (p.component !== undefined) checkLabelValue(problems, 'component', p.component);
    checkLabels(problems, 'labels', p.labels);
    this.extraLabels = { ...(p.labels ?? {}) };
    const managed = [PatternLabels.NAME, PatternLabels.INSTANCE, PatternLabels.MANAGED_BY, PatternLabels.PART_OF,
      PatternLabels.COMPONENT, PatternLabels.TRACK];
    for (const k of Object.keys(p.labels ?? {})) {
      problems.check(!managed.includes(k), 'labels key', k,
        'must not override a label this library manages (use name, appName, partOf or component instead)');
    }

    // ---- ports
    checkPort(problems, 'port', p.port);
    checkPort(problems, 'servicePort', p.servicePort);
    const portName = p.portName ?? 'http';
    checkPortName(problems, 'portName', portName);
    if (p.port === undefined) {
      problems.check(p.servicePort === undefined, 'servicePort', p.servicePort, 'requires port (the container port it forwards to)');
    }

    // ---- image, replicas, strategy
    const allowUnpinned = p.allowUnpinnedImage === true;
    checkImage(problems, 'image', p.image, allowUnpinned);
    const replicas = p.replicas ?? 2;
    checkInt(problems, 'replicas', p.replicas, 0);
    checkInt(problems, 'revisionHistoryLimit', p.revisionHistoryLimit, 0);
    this.strategy = p.strategy ?? DeploymentStrategy.rollingUpdate();
    if (!(this.strategy instanceof DeploymentStrategy)) {
      problems.add('strategy', this.strategy, 'must be created with DeploymentStrategy.rollingUpdate(), recreate(), blueGreen() or canary()');
      problems.throwIfAny();
    }
    this.strategy._validate(replicas, allowUnpinned, problems, `strategy.${lowerFirst(this.strategy.kind)}`);
    if (this.strategy.kind === DeploymentStrategyKind.CANARY && this.strategy._canary.weight !== undefined) {
      problems.check(p.port !== undefined, 'port', p.port, 'is required for a weighted canary (the HTTPRoute routes to a port)');
    }

    // ---- pod options: rendered now so every problem is reported before any object exists
    const demands = p.demands ?? Demands.libraryDefault();
    if (demands instanceof Demands) demands._validate(problems, 'demands');
    else problems.add('demands', demands, 'must be created with Demands.guaranteed(), burstable() or bestEffort()');
    const health = p.health ?? (p.port !== undefined ? HealthCheck.tcp() : HealthCheck.none());
    const probes = health instanceof HealthCheck ? health._render(p.port, problems, 'health') : {};
    if (!(health instanceof HealthCheck)) problems.add('health', health, 'must be created with HealthCheck.http(), tcp(), grpc(), exec(), of() or none()');
    const lifecycle = renderLifecycle(p.lifecycle, p.port, problems, 'lifecycle');
    const security = resolveSecurity(p.security, problems, 'security');
    if (p.priorityClassName !== undefined) checkDnsSubdomain(problems, 'priorityClassName', p.priorityClassName);
    const minReady = seconds(problems, 'minReady', p.minReady, 0) ?? 0;
    const deadline = seconds(problems, 'progressDeadline', p.progressDeadline, 1) ?? 600;
    problems.check(deadline > minReady, 'progressDeadline', `${deadline}s`, `must be longer than minReady (${minReady}s)`);
    for (const [prop, list] of [['command', p.command], ['args', p.args]] as const) {
      if (list === undefined) continue;
      problems.check(Array.isArray(list) && list.every((x) => typeof x === 'string'), prop, list, 'must be a list of strings');
    }
    problems.check(p.env === undefined || (typeof p.env === 'object' && !Array.isArray(p.env)), 'env', p.env, 'must be a map of names to strings');
    for (const [k, v] of Object.entries(p.env ?? {})) {
      problems.check(typeof v === 'string', `env["${k}"]`, v, 'must be a string (quote numbers and booleans)');
    }
    for (const k of Object.keys(p.env ?? {})) {
      problems.check(/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(k), 'env key', k, 'must be a valid environment variable name (letters, digits, "_", "-", "."; not starting with a digit)');
    }

    const tracks = this.tracks(p, replicas);
    const placements = tracks.map((t) => renderPlacement(p.placement, t.replicas, selectorLabels(this.identity, t.track), problems, 'placement'));
    const budget = p.disruptionBudget ?? DisruptionBudget.maxUnavailable(1);
    if (!(budget instanceof DisruptionBudget)) {
      problems.add('disruptionBudget', budget, 'must be created with DisruptionBudget.maxUnavailable(), minAvailable(), ... or none()');
      problems.throwIfAny();
    }
    // A budget protects every track of more than one replica. An explicit budget also applies to
    // the serving track (stable or active) whatever its size; never to a small canary or an idle track.
    const serving = this.strategy.kind === DeploymentStrategyKind.BLUE_GREEN ? this.strategy._blueGreen.active : 'stable';
    const budgets = tracks.map((t) => ({
      t,
      spec: t.replicas > 1 || (p.disruptionBudget !== undefined && t.track === serving)
        ? budget._render(t.replicas, problems, t.track === serving ? 'disruptionBudget' : `disruptionBudget (${t.track} track)`) : undefined,
    }));
    problems.throwIfAny();
    this.demands = demands;
    this.security = security;

    // ---- objects
    const podSpec: PodSpecInputs = {
      props: p, portName, probes, lifecycle, security, resources: demands._toResources(),
    };
    this.deployments = tracks.map((t, i) => this.createDeployment(t, podSpec, placements[i]));
    this.deployment = this.deployments[0];
    if (this.strategy.kind === DeploymentStrategyKind.CANARY) this.canaryDeployment = this.deployments[1];
    if (this.strategy.kind === DeploymentStrategyKind.BLUE_GREEN) {
      const active = this.strategy._blueGreen.active;
      this.deployment = this.deployments[tracks.findIndex((t) => t.track === active)];
    }

    this.trackServices = [];
    if (p.port !== undefined) {
      const servicePort = p.servicePort ?? p.port;
      const svc = (sid: string, name: string, track?: string) =>
        this.createService(sid, name, track, servicePort, p.port!, portName);
      if (this.strategy.kind === DeploymentStrategyKind.BLUE_GREEN) {
        const active = this.strategy._blueGreen.active;
        const inactive = active === BlueGreenTrack.BLUE ? BlueGreenTrack.GREEN : BlueGreenTrack.BLUE;
        this.service = svc('Service', this.name, active);
        this.previewService = svc('PreviewService', `${this.name}-preview`, inactive);
      } else {
        this.service = svc('Service', this.name);
      }
      if (this.strategy.kind === DeploymentStrategyKind.CANARY && this.strategy._canary.weight !== undefined) {
        this.trackServices.push(svc('StableService', `${this.name}-stable`, 'stable'));
        this.trackServices.push(svc('CanaryService', `${this.name}-canary`, 'canary'));
        this.httpRoute = this.createRoute(servicePort);
      }
    }

    this.disruptionBudgets = budgets
      .filter((b) => b.spec !== undefined)
      .map((b) => new kplus.k8s.KubePodDisruptionBudget(this, b.t.id === 'Resource' ? 'Budget' : `${b.t.id}Budget`, {
        metadata: { name: b.t.name, labels: this.objectLabels() },
        spec: {
          selector: { matchLabels: selectorLabels(this.identity, b.t.track) },
          ...(b.spec!.maxUnavailable !== undefined ? { maxUnavailable: intOrString(b.spec!.maxUnavailable) } : {}),
          ...(b.spec!.minAvailable !== undefined ? { minAvailable: intOrString(b.spec!.minAvailable) } : {}),
          unhealthyPodEvictionPolicy: 'AlwaysAllow',
        },
      }));

    registerAppChecks(this);
    this.node.addValidation({ validate: () => this.validateRendered() });
  }

  /** The Deployments (tracks) the strategy needs. */
  private tracks(p: StatelessServiceProps, replicas: number): TrackSpec[] {
    const s = this.strategy;
    switch (s.kind) {
      case DeploymentStrategyKind.BLUE_GREEN: {
        const o = s._blueGreen;
        const inactive = o.inactiveReplicas ?? replicas;
        return [
          { id: 'Blue', name: `${this.name}-blue`, track: 'blue', image: o.blueImage ?? p.image, replicas: o.active === BlueGreenTrack.BLUE ? replicas : inactive },
          { id: 'Green', name: `${this.name}-green`, track: 'green', image: o.greenImage ?? p.image, replicas: o.active === BlueGreenTrack.GREEN ? replicas : inactive },
        ];
      }
      case DeploymentStrategyKind.CANARY:
        return [
          { id: 'Resource', name: this.name, track: 'stable', image: p.image, replicas },
          { id: 'Canary', name: `${this.name}-canary`, track: 'canary', image: s._canary.image, replicas: s._canary.replicas ?? 1 },
        ];
      default:
        return [{ id: 'Resource', name: this.name, track: 'stable', image: p.image, replicas }];
    }
  }

  /** Labels of every object: the user's extra labels, then the standard ones (which win). */
  private objectLabels(): { [key: string]: string } {
    return { ...this.extraLabels, ...standardLabels(this.identity) };
  }

  /**
   * Adds a container (sidecar, adapter, ambassador) to the pods of every Deployment, hardened like
   * the main one and with the workload's demands unless `options.demands` says otherwise.
   */
  public addContainer(options: WorkloadContainerOptions): void {
    this.addExtraContainer(options, false);
  }

  /**
   * Adds an init container, run to completion before the main containers start, to the pods of
   * every Deployment; hardened, and with the workload's demands unless `options.demands` says
   * otherwise (init containers count towards the pod's QoS class).
   */
  public addInitContainer(options: WorkloadContainerOptions): void {
    this.addExtraContainer(options, true);
  }

  private addExtraContainer(o: WorkloadContainerOptions, init: boolean): void {
    const method = init ? 'addInitContainer' : 'addContainer';
    const problems = new Problems(this);
    const opts = o ?? ({} as WorkloadContainerOptions);
    const at = `${method}(${JSON.stringify(opts.name)})`;
    checkDnsLabel(problems, `${at}.name`, opts.name);
    problems.check(!this.extraContainerNames.has(opts.name), `${at}.name`, opts.name, 'must be unique in the pod');
    checkImage(problems, `${at}.image`, opts.image, opts.allowUnpinnedImage === true);
    checkPort(problems, `${at}.port`, opts.port);
    if (init) problems.check(opts.port === undefined, `${at}.port`, opts.port, 'does not apply to an init container');
    const portName = opts.portName ?? (typeof opts.name === 'string' ? opts.name.slice(0, 15).replace(/-+$/, '') : '');
    if (opts.port !== undefined) checkPortName(problems, `${at}.portName`, portName);
    for (const [prop, list] of [['command', opts.command], ['args', opts.args]] as const) {
      if (list !== undefined) problems.check(Array.isArray(list) && list.every((x) => typeof x === 'string'), `${at}.${prop}`, list, 'must be a list of strings');
    }
    for (const [k, v] of Object.entries(opts.env ?? {})) {
      problems.check(typeof v === 'string', `${at}.env["${k}"]`, v, 'must be a string');
    }
    const demands = opts.demands ?? this.demands;
    if (demands instanceof Demands) demands._validate(problems, `${at}.demands`);
    else problems.add(`${at}.demands`, demands, 'must be created with Demands.guaranteed(), burstable() or bestEffort()');
    problems.throwIfAny();
    this.extraContainerNames.add(opts.name);

    for (const d of this.deployments) {
      const props: kplus.ContainerProps = {
        name: opts.name,
        image: opts.image,
        command: opts.command,
        args: opts.args,
        ports: opts.port !== undefined ? [{ number: opts.port, name: portName, protocol: kplus.Protocol.TCP }] : [],
        envVariables: Object.fromEntries(Object.entries(opts.env ?? {}).map(([k, v]) => [k, kplus.EnvValue.fromValue(v)])),
        resources: demands._toResources(),
        securityContext: hardenedContainerContext(this.security),
      };
      const container = init ? d.addInitContainer(props) : d.addContainer(props);
      const tmp = kplus.Volume.fromEmptyDir(d, `Tmp-${opts.name}`, `tmp-${opts.name}`.slice(0, 63), { sizeLimit: this.security.tmpSizeLimit });
      container.mount('/tmp', tmp);
    }
  }

  private createDeployment(t: TrackSpec, s: PodSpecInputs, placement: RenderedPlacement): kplus.Deployment {
    const p = s.props;
    const labels = { ...this.objectLabels(), [PatternLabels.TRACK]: t.track };
    const deployment = new kplus.Deployment(this, t.id, {
      metadata: { name: t.name, labels },
      replicas: t.replicas,
      strategy: this.strategy._toKplus(),
      minReady: p.minReady,
      progressDeadline: p.progressDeadline,
      select: false,
      podMetadata: { labels },
      automountServiceAccountToken: false,
      terminationGracePeriod: s.lifecycle.gracePeriod,
      securityContext: hardenedPodContext(s.security),
      containers: [{
        name: 'app',
        image: t.image,
        command: p.command,
        args: p.args,
        ports: p.port !== undefined ? [{ number: p.port, name: s.portName, protocol: kplus.Protocol.TCP }] : [],
        envVariables: Object.fromEntries(Object.entries(p.env ?? {}).map(([k, v]) => [k, kplus.EnvValue.fromValue(v)])),
        resources: s.resources,
        securityContext: hardenedContainerContext(s.security),
        lifecycle: s.lifecycle.lifecycle.preStop || s.lifecycle.lifecycle.postStart ? s.lifecycle.lifecycle : undefined,
      }],
    });
    deployment.select(kplus.LabelSelector.of({ labels: selectorLabels(this.identity, t.track) }));
    const tmp = kplus.Volume.fromEmptyDir(deployment, 'Tmp', 'tmp', { sizeLimit: s.security.tmpSizeLimit });
    deployment.containers[0].mount('/tmp', tmp);

    const patcher = new PodSpecPatcher(ApiObject.of(deployment));
    patcher.setPodField('securityContext/seccompProfile', POD_SECCOMP);
    for (const [field, probe] of Object.entries(s.probes)) patcher.setContainerField(0, field, probe);
    if (p.revisionHistoryLimit !== undefined) patcher.setSpecField('revisionHistoryLimit', p.revisionHistoryLimit);
    if (p.priorityClassName !== undefined) patcher.setPodField('priorityClassName', p.priorityClassName);
    for (const [field, value] of Object.entries(placement)) {
      if (value !== undefined) patcher.setPodField(field, value);
    }
    return deployment;
  }

  private createService(id: string, name: string, track: string | undefined, port: number, targetPort: number, portName: string): kplus.Service {
    const service = new kplus.Service(this, id, {
      metadata: { name, labels: this.objectLabels() },
      type: kplus.ServiceType.CLUSTER_IP,
      ports: [{ name: portName, port, targetPort, protocol: kplus.Protocol.TCP }],
    });
    for (const [k, v] of Object.entries(selectorLabels(this.identity, track))) service.selectLabel(k, v);
    return service;
  }

  private createRoute(port: number): ApiObject {
    const o = this.strategy._canary;
    const weight = o.weight!;
    const parent = o.gateway
      ? {
        group: 'gateway.networking.k8s.io',
        kind: 'Gateway',
        name: o.gateway.name,
        ...(o.gateway.namespace ? { namespace: o.gateway.namespace } : {}),
        ...(o.gateway.sectionName ? { sectionName: o.gateway.sectionName } : {}),
      }
      : { group: '', kind: 'Service', name: this.name, port };
    return new ApiObject(this, 'Route', {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: this.name, labels: this.objectLabels() },
      spec: {
        parentRefs: [parent],
        ...(o.hostnames ? { hostnames: o.hostnames } : {}),
        rules: [{
          matches: [{ path: { type: 'PathPrefix', value: '/' } }],
          backendRefs: [
            { group: '', kind: 'Service', name: `${this.name}-stable`, port, weight: 100 - weight },
            { group: '', kind: 'Service', name: `${this.name}-canary`, port, weight },
          ],
        }],
      },
    });
  }

  /**
   * Checks the rendered objects, after everything added since construction: hardened pods, and
   * Services whose selector and targetPort match a pod of the service.
   */
  private validateRendered(): string[] {
    const problems = new Problems(this);
    const pods: any[] = [];
    for (const d of this.deployments) {
      const json = ApiObject.of(d).toJson();
      const spec = json.spec.template.spec;
      pods.push({ name: json.metadata.name, labels: json.spec.template.metadata?.labels ?? {}, spec });
      const where = `${d.node.id === 'Resource' ? 'deployment' : lowerFirst(d.node.id) + 'Deployment'}.spec.template.spec`;
      checkRenderedPodSpec(problems, spec, { restricted: true, where });
      // Predictable Demands: the pod must land in the QoS tier the demands ask for.
      const actual = PodQos.classify(spec);
      for (const reason of PodQos.explain(spec, this.demands.qosClass)) {
        problems.add(`${where} QoS class`, actual, `must be ${this.demands.qosClass}, as demands asks: ${reason}`);
      }
    }
    for (const svc of [this.service, this.previewService, ...this.trackServices]) {
      if (!svc) continue;
      const json = ApiObject.of(svc).toJson();
      const selector: { [k: string]: string } = json.spec.selector ?? {};
      const matching = pods.filter((pod) => Object.entries(selector).every(([k, v]) => pod.labels[k] === v));
      const at = `${lowerFirst(svc.node.id)}.spec`;
      if (!problems.check(Object.keys(selector).length > 0 && matching.length > 0, `${at}.selector`, selector, 'must match the pods of a Deployment of this service')) continue;
      for (const sp of json.spec.ports ?? []) {
        const target = sp.targetPort ?? sp.port;
        // Every selected Deployment must expose the port, or part of the traffic fails.
        for (const pod of matching) {
          const found = (pod.spec.containers ?? []).some((c: any) =>
            (c.ports ?? []).some((cp: any) => cp.containerPort === target || cp.name === target));
          problems.check(found, `${at}.ports["${sp.name ?? sp.port}"].targetPort`, target, `must be a container port of every selected pod (missing in Deployment "${pod.name}")`);
        }
      }
    }
    return problems.messages();
  }
}

/** Everything the pod template of every track shares. */
interface PodSpecInputs {
  readonly props: StatelessServiceProps;
  readonly portName: string;
  readonly probes: { [field: string]: kplus.k8s.Probe };
  readonly lifecycle: { gracePeriod: Duration; lifecycle: kplus.ContainerLifecycle };
  readonly security: ResolvedSecurity;
  readonly resources: kplus.ContainerResources;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function intOrString(v: number | string): kplus.k8s.IntOrString {
  return typeof v === 'number' ? kplus.k8s.IntOrString.fromNumber(v) : kplus.k8s.IntOrString.fromString(v);
}
