import { createHash } from 'crypto';
import { ApiObject, ApiObjectMetadataDefinition, Chart, Duration, Lazy, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { addEnv, checkMount, ContainerRole, kplusContainerProps, ResolvedContainer, resolveContainer } from './container';
import { kplusVolume } from './kplus-bridge';
import { deferProblems, registerAppChecks, wasNotBuilt } from '../core/app-checks';
import { KNOWN_PROPS } from '../core/known-props';
import { AppIdentity, MANAGED_LABELS, PatternLabels, selectorLabels, standardLabels } from '../core/labels';
import {
  checkDns1035Label, checkDnsLabel, checkDnsSubdomain, checkLabelKey, checkLabels, checkLabelValue, checkPort, checkPortName,
  defaultNameFromId, namePropOf,
} from '../core/names';
import { intOrString, PodSpecPatcher } from '../core/patch';
import { checkRenderedPodSpec } from '../core/pod-checks';
import { parseQuantityExact, wholeMebibytes } from '../core/quantity';
import { addSynthValidation, renderForChecks, sessionMemo } from '../core/synth-session';
import { checkKnownKeys, cutShort, MAX_RENDERED_PROP, Problems, renderValue, showList } from '../core/validation';
import { Demands } from '../foundational/demands';
import { DisruptionBudget } from '../foundational/disruption-budget';
import { HealthCheck } from '../foundational/health-check';
import { LifecycleOptions } from '../foundational/lifecycle';
import { PlacementOptions, RenderedPlacement, renderPlacement } from '../foundational/placement';
import { PodQos } from '../foundational/qos';
import { ContainerOptions, WorkloadContainerOptions } from '../pod/container';
import { IConfigMapReference } from '../pod/env';
import {
  NetworkOptions, NetworkPeer, NetworkRule, NetworkRuleOptions, RenderedNetworkRule, renderNetworkRule, renderPorts, ruleAdmits,
} from '../pod/network';
import { hardenedPodContext, PodSecurityOptions, podSeccomp, ResolvedSecurity, resolveSecurity } from '../pod/security';
import { PodVolume, VolumeMount } from '../pod/volume';
import { PolicyRule, Waiver, waiverAnnotations } from '../pod/waiver';

/**
 * Props every workload construct of this library shares: the pod (identity, volumes, placement,
 * security) and its main container (`app`), which takes every `ContainerOptions` a helper takes.
 */
export interface WorkloadProps extends ContainerOptions {
  /** Container image, pinned to a tag other than `latest` or to a digest. */
  readonly image: string;
  /**
   * Base name of the objects and the value of `app.kubernetes.io/instance`.
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
   * Annotations on the workload object (Deployment, Job, DaemonSet, ...), e.g.
   * `patterns.cdk8s.io/checker-ignore: "<rule>: <reason>"` to document why a checker rule does not apply.
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
  /**
   * Policy rules this workload deliberately does not meet, each with its reason, written as every
   * checker's own exemption annotation on the workload object (see `Waiver`).
   * @default - none
   */
  readonly waivers?: Waiver[];
  /**
   * Liveness, readiness and startup probes of the main container.
   * @default - depends on the workload (TCP on the port for services; none for jobs)
   */
  readonly health?: HealthCheck;
  /**
   * Grace period and lifecycle hooks.
   * @default - 30 s grace period, no hooks
   */
  readonly lifecycle?: LifecycleOptions;
  /**
   * Volumes of the pods, mountable into any container (`mounts`): shared emptyDirs, ConfigMaps,
   * Secrets, claims, downward API and projected volumes.
   * @default - none (besides each container's /tmp)
   */
  readonly volumes?: PodVolume[];
  /**
   * Requests and limits of every container, chosen by QoS tier.
   * @default Demands.libraryDefault() (Burstable: requests 100m cpu / 128Mi memory, limits 500m / 256Mi)
   */
  readonly demands?: Demands;
  /**
   * Where the pods may and should run: node selection, affinity, tolerations and spread.
   * @default - pods of a workload with more than one replica spread across hosts (preferred)
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
   * Network segmentation of the pods. Every workload gets its own NetworkPolicy that denies all
   * traffic in and out but DNS lookups; these rules, `connectsTo`, exposures and an Ingress's
   * `controller` open what the app needs.
   * @default - deny everything but DNS, plus what `connectsTo` and exposures allow
   */
  readonly network?: NetworkOptions;
  /**
   * The main container talks to the Kubernetes API server as the workload's ServiceAccount (a
   * controller, an operator): it gets a bound, short-lived token (a projected volume at the
   * standard path, renewed by the kubelet) and the NetworkPolicy lets it reach the API server
   * (`network.apiServer`). What it may do is granted with RBAC (`Role`, `RoleBinding`).
   * @default false - no token is mounted
   */
  readonly apiAccess?: boolean;
  /**
   * What the cluster autoscaler may do with the pods when it removes a node it does not need:
   * `true` lets it evict them even though they use local storage (every pod of this library has
   * a `/tmp` emptyDir, which some cluster autoscaler settings treat as data to keep, so the node
   * stays); `false` pins their node: it is never removed while they run. Written as the pod
   * annotation `cluster-autoscaler.kubernetes.io/safe-to-evict`.
   * @default - no annotation: the cluster autoscaler's own rules
   * @see https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/FAQ.md#what-types-of-pods-can-prevent-ca-from-removing-a-node
   */
  readonly safeToEvict?: boolean;
  /**
   * Accept an image without a tag or with the `latest` tag. Such images make rollouts
   * unrepeatable; this is an explicit opt-out.
   * @default false
   */
  readonly allowUnpinnedImage?: boolean;
}

/**
 * A Deployment or StatefulSet an autoscaler scales.
 * @internal
 */
export interface ScaleTarget {
  /** The kplus workload, to leave `spec.replicas` out (`markHasAutoscaler`). */
  readonly scalable: kplus.Deployment | kplus.StatefulSet;
  /** `Deployment` or `StatefulSet`. */
  readonly kind: string;
  /** Its name. */
  readonly name: string;
  /** The replicas the user gave the workload, if any (an autoscaler owns them). */
  readonly givenReplicas?: number;
  /** The budget of its pods, to check against the autoscaler's floor. */
  readonly budget?: DisruptionBudget;
  /** The prop of that budget. */
  readonly budgetProp: string;
}

/**
 * An autoscaler attached to a workload.
 * @internal
 */
export interface AutoscalerRecord {
  /** `HorizontalPodAutoscaler`, `ScaledObject` or `VerticalPodAutoscaler`. */
  readonly kind: string;
  /** Its construct path. */
  readonly path: string;
  /** Whether it sets the number of pods (HPA, KEDA). */
  readonly horizontal: boolean;
  /** The container resources it scales on (HPA: cpu, memory) or changes (VPA, when its mode acts on the pods). */
  readonly resources: string[];
}

/** How a subclass wants the shared props resolved. @internal */
export interface WorkloadRules {
  /** The main container's port, if any. */
  readonly port?: number;
  /** Its name. */
  readonly portName?: string;
  /** Health check when the user gives none. */
  readonly defaultHealth: HealthCheck;
  /** Whether the name also names a Service (DNS-1035) or only other objects (DNS-1123 label). */
  readonly nameIsServiceName: boolean;
  /** Longest suffix the subclass appends to the name ("-preview"), to keep names within 63. */
  readonly longestSuffix: number;
  /** Names of volume claim templates (a StatefulSet's), mountable like volumes, with the prop of each. */
  readonly claimTemplates?: Array<{ readonly name: string; readonly prop: string }>;
  /** The pattern itself needs the API server (leader election), whatever `apiAccess` says. */
  readonly apiAccess?: boolean;
  /** The name of the props interface, whose keys are the known props. */
  readonly propsInterface: string;
  /** Props the subclass reports itself when given (a prop of another construct, with a better hint). */
  readonly foreignProps?: string[];
}

/** Explicit relaxations of the restricted Pod Security Standard for one pod. @internal */
export interface PodRelaxations {
  /** hostPath volumes are allowed (a node agent that reads node files). */
  readonly hostPath?: boolean;
  /** hostNetwork is allowed. */
  readonly hostNetwork?: boolean;
}

/** A pod of a kplus workload, as the base class tracks it. @internal */
interface PodRecord {
  readonly workload: kplus.AbstractPod;
  readonly where: string;
  readonly relaxations: PodRelaxations;
  /** The kplus volume of each pod volume, by name. */
  readonly volumes: Map<string, kplus.Volume>;
}

/** A volume of the pods, with the prop that declared it. @internal */
interface VolumeRecord {
  readonly rendered: kplus.k8s.Volume;
  readonly prop: string;
  /** The ConfigMaps it reads. */
  readonly configMaps: IConfigMapReference[];
  /** A volume claim template of the workload (one claim per pod), not a volume of the pod spec. */
  readonly claimTemplate?: boolean;
  /** The access modes of the claim it mounts, when known. */
  readonly accessModes?: string[];
}

/** The resolved shared props. @internal */
interface ResolvedWorkload {
  readonly port?: number;
  readonly portName: string;
  readonly gracePeriod: Duration;
  readonly security: ResolvedSecurity;
  readonly demands: Demands;
  readonly main: ResolvedContainer;
  readonly waiverAnnotations: { [key: string]: string };
  /** Annotations of the pods from the props (`safeToEvict`). */
  readonly podAnnotations: { [key: string]: string };
}

/**
 * The base of every workload construct: a hardened pod (restricted Pod Security Standard) whose
 * containers, main and helpers alike, are described by one option set (`ContainerOptions`) and
 * rendered by one code path; volumes shared between them; one QoS tier for every container;
 * probes, lifecycle, placement and priority; and synth-time checks of the rendered pods (Pod
 * Security, ports, mounts, probes, QoS tier).
 */
export abstract class PatternWorkload extends Construct {
  /** Base name of the objects. */
  public readonly name: string;
  /**
   * The ServiceAccount the pods run as (`<name>`): the workload's own, never `default`, and its
   * token is not mounted unless `apiAccess` asks. Bind roles to it (`RoleBinding`).
   */
  public readonly serviceAccount: kplus.ServiceAccount;
  /**
   * The NetworkPolicy (`<name>`) that selects every pod of the workload: no traffic in or out but
   * DNS lookups and what `network`, `connectsTo`, exposures and Ingress controllers allow.
   */
  public readonly networkPolicy: ApiObject;
  /** @internal */
  public readonly _identity: AppIdentity;
  /** @internal */
  protected readonly _extraLabels: { [key: string]: string };
  /** @internal */
  protected _resolved?: ResolvedWorkload;
  private readonly pods: PodRecord[] = [];
  private readonly volumes = new Map<string, VolumeRecord>();
  private readonly containers: ResolvedContainer[] = [];
  /** The policy rules the workload waives. */
  private waived = new Set<PolicyRule>();
  /** The user's waivers (when valid), and those the library adds for its own documented choices. */
  private userWaivers: Waiver[] = [];
  private readonly autoWaivers: Waiver[] = [];
  /** Services whose first kplus port is a placeholder that a patch removes (a port-less headless Service). */
  private readonly placeholderPorts = new Set<kplus.Service>();
  /** The number of pods of each pod set, as `_resolvePlacement` was told. */
  private readonly podSetSizes: number[] = [];
  /**
   * The autoscalers attached to the workload, for the checks of the next one (one horizontal
   * scaler; no vertical scaler acting on a resource a horizontal one scales on).
   * @internal
   */
  public readonly _autoscalers: AutoscalerRecord[] = [];
  /** Rules of the NetworkPolicy, each with the prop or call that made it. */
  private readonly ingressRules: Array<{ readonly rule: RenderedNetworkRule; readonly prop: string; readonly self?: boolean }> = [];
  private readonly egressRules: Array<{ readonly rule: RenderedNetworkRule; readonly prop: string }> = [];

  /**
   * Set by a construct that was to connect a caller to this workload (a work queue's workers, a
   * scatter-gather's root) but was not built: its problems are reported, and the check that the
   * workload's Services have callers is skipped, since it would only point at the wrong fix.
   * @internal
   */
  public _callerNotBuilt = false;

  protected constructor(scope: Construct, id: string, props: WorkloadProps) {
    super(scope, id);
    const p: WorkloadProps = props ?? ({} as WorkloadProps);
    // A name that is no string (from JavaScript) is reported by _resolveWorkload; until then, the
    // names derived from it use the construct id's.
    this.name = typeof p.name === 'string' ? p.name : defaultNameFromId(id);
    this._identity = { name: p.appName ?? this.name, instance: this.name, partOf: p.partOf, component: p.component };
    this._extraLabels = p.labels !== null && typeof p.labels === 'object' ? { ...p.labels } : {};
    this.serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', {
      metadata: { name: this.name, labels: this._objectLabels() },
      automountToken: false,
    });
    this.networkPolicy = new WorkloadNetworkPolicy(this, 'NetworkPolicy', {
      metadata: { name: this.name, labels: this._objectLabels() },
      spec: Lazy.any({ produce: () => this.networkPolicySpec() }),
    }, () => this.networkPolicyWaivers());
    registerAppChecks(this);
    addSynthValidation(this, () => this.validatePods());
  }

  /**
   * Validates the shared props into `problems` and keeps the resolved values for `_completePod`.
   * @internal
   */
  protected _resolveWorkload(p: WorkloadProps, rules: WorkloadRules, problems: Problems): void {
    checkKnownKeys(problems, '', p, KNOWN_PROPS[rules.propsInterface], rules.propsInterface, rules.foreignProps);
    for (const [key, iface] of NESTED_OPTIONS) checkKnownKeys(problems, `${key}.`, (p as any)[key], KNOWN_PROPS[iface], iface);
    const nameProp = namePropOf(p.name);
    const name = p.name ?? this.name;
    if (rules.nameIsServiceName) checkDns1035Label(problems, nameProp, name);
    else checkDnsLabel(problems, nameProp, name);
    const max = 63 - rules.longestSuffix;
    problems.check(typeof this.name !== 'string' || this.name.length <= max, 'name', this.name,
      `must be at most ${max} characters, leaving room for the suffixes of derived names`);
    if (p.appName !== undefined) checkLabelValue(problems, 'appName', p.appName);
    if (p.partOf !== undefined) checkLabelValue(problems, 'partOf', p.partOf);
    if (p.component !== undefined) checkLabelValue(problems, 'component', p.component);
    checkLabels(problems, 'labels', p.labels);
    for (const k of Object.keys(p.annotations ?? {})) checkLabelKey(problems, 'annotations key', k);
    for (const [k, v] of Object.entries(p.annotations ?? {})) {
      problems.check(typeof v === 'string', `annotations["${k}"]`, v, 'must be a string');
    }
    const managed = [...MANAGED_LABELS, PatternLabels.TRACK];
    for (const k of Object.keys(p.labels ?? {})) {
      problems.check(!managed.includes(k), 'labels key', k,
        'must not override a label this library manages (use name, appName, partOf or component instead)');
    }

    const demands = p.demands ?? Demands.libraryDefault();
    const podDemands = demands instanceof Demands ? demands : Demands.libraryDefault();
    const security = resolveSecurity(p.security, problems, 'security');
    if (p.priorityClassName !== undefined) checkDnsSubdomain(problems, 'priorityClassName', p.priorityClassName);

    if (p.volumes !== undefined && !Array.isArray(p.volumes)) problems.add('volumes', p.volumes, 'must be a list of PodVolume');
    (Array.isArray(p.volumes) ? p.volumes : []).forEach((v, i) => this.declareVolume(v, `volumes[${i}]`, problems));
    for (const t of rules.claimTemplates ?? []) {
      if (typeof t.name !== 'string') continue; // reported by the subclass
      const first = this.volumes.get(t.name);
      if (problems.check(first === undefined, t.prop, t.name, `must be unique among the volumes of the pod (also declared by ${cutShort(first?.prop ?? '', MAX_RENDERED_PROP)})`)) {
        this.volumes.set(t.name, { rendered: { name: t.name }, prop: t.prop, configMaps: [], claimTemplate: true });
      }
    }
    if (security.shareTmp) this.declareVolume(PodVolume.emptyDir('tmp', { sizeLimit: security.tmpSizeLimit }), 'security.shareTmp', problems);

    this.resolveNetwork(p, rules, problems);
    const before = problems.all.length;
    waiverAnnotations(p.waivers, problems, 'waivers');
    this.userWaivers = problems.all.length === before && Array.isArray(p.waivers) ? [...p.waivers] : [];
    this.waived = new Set((Array.isArray(p.waivers) ? p.waivers : []).filter((w) => w instanceof Waiver).map((w) => w.rule));
    if (security.readOnlyRootFilesystem === false) {
      this._requireWaiver(PolicyRule.WRITABLE_ROOT_FILESYSTEM, 'security.readOnlyRootFilesystem', false, problems);
    }
    for (const key of ['runAsGroup', 'fsGroup'] as const) {
      if (p.security?.[key] === 0) this._requireWaiver(PolicyRule.ROOT_GROUP, `security.${key}`, 0, problems);
    }
    const main = resolveContainer({
      ...p,
      role: ContainerRole.MAIN,
      name: 'app',
      port: rules.port,
      portName: rules.portName ?? 'http',
      defaultHealth: rules.defaultHealth,
      demands: p.demands ?? Demands.libraryDefault(),
    }, security, podDemands, problems, '');
    // The token goes to the main container only when it calls the API itself (not through a helper that holds it).
    if ((p.apiAccess === true || rules.apiAccess === true) && (p as any)[API_THROUGH_HELPER] !== true && this.volumes.has(API_ACCESS_VOLUME)) {
      main.mounts.push({ volume: API_ACCESS_VOLUME, path: API_ACCESS_PATH, readOnly: true });
    }
    this.declareContainer(main, problems);
    if (main.oneCheck) this.waiveOneCheck();
    const waivers = this.waiverAnnotations();
    for (const k of Object.keys(waivers)) {
      problems.check(p.annotations?.[k] === undefined, `annotations["${k}"]`, p.annotations?.[k], 'is written from waivers: give the rule and reason there');
    }
    problems.check(p.safeToEvict === undefined || typeof p.safeToEvict === 'boolean', 'safeToEvict', p.safeToEvict, 'must be true or false');
    const podAnnotations: { [key: string]: string } = typeof p.safeToEvict === 'boolean'
      ? { [SAFE_TO_EVICT]: String(p.safeToEvict) } : {};
    this._resolved = {
      waiverAnnotations: waivers,
      podAnnotations,
      port: rules.port,
      portName: rules.portName ?? 'http',
      gracePeriod: Duration.seconds(main.gracePeriod ?? 30),
      security,
      demands: podDemands,
      main,
    };
  }

  /**
   * Validates the placement for a pod set of `replicas` selected by `selector`. A spread counts pods
   * that share the values of `matchLabelKeys` (`pod-template-hash`: one rollout of a Deployment;
   * `batch.kubernetes.io/controller-uid`: one Job run).
   * @internal
   */
  protected _resolvePlacement(
    p: WorkloadProps, replicas: number, selector: { [key: string]: string }, problems: Problems, matchLabelKeys?: string[],
  ): RenderedPlacement {
    if (Number.isInteger(replicas)) this.podSetSizes.push(replicas);
    return renderPlacement(p.placement, replicas, selector, problems, 'placement', matchLabelKeys);
  }

  /**
   * Labels of every object: the user's extra labels, then the standard ones (which win), plus a
   * track if given.
   * @internal
   */
  public _objectLabels(track?: string): { [key: string]: string } {
    return { ...this._extraLabels, ...standardLabels(this._identity), ...(track ? { [PatternLabels.TRACK]: track } : {}) };
  }

  /**
   * Metadata of the workload object itself: name, labels (with the track, if any) and the user's
   * annotations.
   * @internal
   */
  protected _workloadMetadata(p: WorkloadProps, name: string, track?: string): kplus.k8s.ObjectMeta {
    const annotations = { ...(p.annotations ?? {}), ...(this._resolved?.waiverAnnotations ?? {}) };
    return { name, labels: this._objectLabels(track), ...(Object.keys(annotations).length > 0 ? { annotations } : {}) };
  }

  /**
   * The pod-level kplus props shared by every workload kind: labels, hardened security context,
   * grace period, the workload's ServiceAccount without its token, no kplus selector. Subclasses
   * spread it first and may override fields (`restartPolicy`, ...).
   * @internal
   */
  protected _podProps(track?: string): kplus.WorkloadProps {
    const r = this.resolved();
    return {
      select: false,
      podMetadata: {
        labels: this._objectLabels(track),
        ...(Object.keys(r.podAnnotations).length > 0 ? { annotations: { ...r.podAnnotations } } : {}),
      },
      serviceAccount: this.serviceAccount,
      automountServiceAccountToken: false,
      terminationGracePeriod: r.gracePeriod,
      securityContext: hardenedPodContext(r.security),
    };
  }

  /**
   * Adds the pod's volumes, the hardened main container (`app`) and the patched fields (pod
   * seccomp, probes, priority, placement) to a kplus workload, and registers its pod for helpers
   * added later and for the synth-time checks.
   * @internal
   */
  protected _completePod(
    workload: kplus.AbstractPod, p: WorkloadProps, image: string, placement: RenderedPlacement, where: string,
    relaxations: PodRelaxations = {},
  ): kplus.Container {
    const r = this.resolved();
    const pod: PodRecord = { workload, where, relaxations, volumes: new Map() };
    for (const v of this.volumes.values()) if (!v.claimTemplate) this.addVolumeToPod(pod, v.rendered);
    const container = this.addContainerToPod(pod, r.main, image);

    const patcher = new PodSpecPatcher(ApiObject.of(workload));
    patcher.setPodField('securityContext/seccompProfile', podSeccomp(r.security));
    if (p.priorityClassName !== undefined) patcher.setPodField('priorityClassName', p.priorityClassName);
    for (const [field, value] of Object.entries(placement)) {
      if (value !== undefined) patcher.setPodField(field, value);
    }
    this.pods.push(pod);
    return container;
  }

  /**
   * Adds a volume to every pod of the workload, to be mounted by containers added after it
   * (`mounts: [{ volume: name, path }]`). Volumes given in the props exist from the start.
   */
  public addVolume(volume: PodVolume): void {
    const problems = new Problems(this);
    this._change(problems, (c) => c.volume(volume, `addVolume(${renderValue(volume?.name)})`));
    deferProblems(this, problems);
  }

  /**
   * Adds a container beside the main one (Sidecar, Adapter, Ambassador) to every pod of the
   * workload: hardened like the main one, with the workload's demands unless `options.demands` says
   * otherwise, sharing the pod's network and the volumes it mounts. In a Job, a container that
   * never exits keeps the Job from completing: use `addNativeSidecar` there.
   */
  public addContainer(options: WorkloadContainerOptions): void {
    this.addHelper(options, ContainerRole.SIDECAR, 'addContainer');
  }

  /**
   * Adds an init container (Init Container) to every pod of the workload: run to completion, in the
   * order added, before the main containers start; hardened, and with the workload's demands unless
   * `options.demands` says otherwise (init containers count towards the pod's QoS class).
   */
  public addInitContainer(options: WorkloadContainerOptions): void {
    this.addHelper(options, ContainerRole.INIT, 'addInitContainer');
  }

  /**
   * Adds a native sidecar: an init container with `restartPolicy: Always` that starts before the
   * main containers (and the init containers added after it), runs beside them and stops after
   * them. Needs Kubernetes 1.29 or later (1.28 only with the `SidecarContainers` feature gate);
   * older API servers drop the field and run it as a plain init container that never finishes.
   * @see https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/
   */
  public addNativeSidecar(options: WorkloadContainerOptions): void {
    this.addHelper(options, ContainerRole.NATIVE_SIDECAR, 'addNativeSidecar');
  }

  /**
   * Adds annotations to the pod template of every pod set of the workload (e.g. Prometheus scrape
   * annotations). Keys must be valid annotation keys; a key already set on the pods is rejected.
   */
  public addPodAnnotations(annotations: { [key: string]: string }): void {
    const problems = new Problems(this);
    this._change(problems, (c) => c.podAnnotations(annotations, 'addPodAnnotations'));
    deferProblems(this, problems);
  }

  /**
   * Exposes a container port of the pods through the workload's Service (and, for blue-green, the
   * preview Service) as one more named port, e.g. an adapter's metrics port. The port must belong
   * to a container of the pods (checked at synth); a workload without a Service is rejected.
   * @returns the Services the port was added to
   */
  public exposePort(containerPort: number, name: string, servicePort?: number): kplus.Service[] {
    const problems = new Problems(this);
    const at = `exposePort(${renderValue(name)})`;
    checkPort(problems, `${at}.containerPort`, containerPort);
    checkPortName(problems, `${at}.name`, name);
    checkPort(problems, `${at}.servicePort`, servicePort);
    this._change(problems, (c) => c.exposePort(containerPort, name, servicePort,
      { port: `${at}.containerPort`, name: `${at}.name`, servicePort: `${at}.servicePort` }));
    problems.throwIfAny();
    return this._exposingServices();
  }

  /**
   * Lets `peer` open connections to the pods (on `options.ports`, or every port): an ingress rule
   * of the workload's NetworkPolicy. For another workload of this library, use its `connectsTo`.
   */
  public allowFrom(peer: NetworkPeer, options: NetworkRuleOptions = {}): void {
    this.addNetworkRule(this.ingressRules, { ...(options ?? {}), peer }, 'allowFrom()');
  }

  /**
   * Lets the pods open connections to `peer` (on `options.ports`, or every port): an egress rule of
   * the workload's NetworkPolicy. For another workload of this library, use `connectsTo`.
   */
  public allowTo(peer: NetworkPeer, options: NetworkRuleOptions = {}): void {
    this.addNetworkRule(this.egressRules, { ...(options ?? {}), peer }, 'allowTo()');
  }

  /**
   * Declares that the pods call `target`'s pods, on `options.ports` (container ports of the
   * target; default: its main port): writes the egress rule on this workload's NetworkPolicy and
   * the matching ingress rule on the target's, so both sides always agree. Across namespaces the
   * rules name each other's namespace.
   */
  public connectsTo(target: PatternWorkload, options: NetworkRuleOptions = {}): void {
    if (wasNotBuilt(target)) return; // its problems are pending: synth reports them
    const problems = new Problems(this);
    const at = `connectsTo(${renderValue(target instanceof PatternWorkload ? target.name : target)})`;
    if (!(target instanceof PatternWorkload)) {
      problems.add(`${at}.target`, target, 'must be a workload of this library (for other pods use allowTo with a NetworkPeer)');
      if (deferProblems(this, problems)) return;
    }
    const o = options ?? {};
    const port = target._resolved?.port;
    problems.check(o.ports !== undefined || port !== undefined, `${at}.ports`, o.ports,
      `must list the ports to call: ${target.name} has no main port`);
    const ports = renderPorts(o.ports !== undefined ? o : { ...o, ports: port !== undefined ? [port] : undefined }, problems, at);
    const mine = Chart.of(this).namespace;
    const theirs = Chart.of(target).namespace;
    problems.check((mine === undefined) === (theirs === undefined), `${at}.target`, target.name,
      `is in namespace ${theirs ?? '(the chart has none)'} and the caller in ${mine ?? '(the chart has none)'}: give both charts a namespace, or neither`);
    problems.check(!this.egressRules.some((r) => r.prop === at), `${at}.target`, target.name, 'is already connected to');
    const crossing = mine !== theirs;
    const toTarget = NetworkPeer._selected(selectorLabels(target._identity), crossing ? theirs : undefined)._render(problems, at);
    const fromMe = NetworkPeer._selected(selectorLabels(this._identity), crossing ? mine : undefined)._render(problems, at);
    if (deferProblems(this, problems)) return;
    this.egressRules.push({ rule: { peers: toTarget, ...(ports ? { ports } : {}) }, prop: at });
    target.ingressRules.push({ rule: { peers: fromMe, ...(ports ? { ports } : {}) }, prop: `${this.node.path}: ${at}` });
  }

  /**
   * Lets the pods of the workload reach each other on every port (peers of a StatefulSet that
   * replicate or form a cluster). Not counted as callers of its Services.
   * @internal
   */
  protected _allowPeers(): void {
    const peers = NetworkPeer._selected(selectorLabels(this._identity), undefined)._render(new Problems(this), 'peers');
    this.ingressRules.push({ rule: { peers }, prop: 'peers', self: true });
    this.egressRules.push({ rule: { peers }, prop: 'peers' });
  }

  /**
   * Admits `peer` (an ingress or gateway controller) to the container port behind `servicePort`
   * of `service`, a Service of this workload.
   * @internal
   */
  public _admitToServicePort(peer: NetworkPeer, service: kplus.Service, servicePort: number | undefined, prop: string, problems: Problems): void {
    if (!(peer instanceof NetworkPeer)) {
      problems.add(prop, peer, 'must be a NetworkPeer, e.g. NetworkPeer.namespace("ingress-nginx")');
      return;
    }
    const sp = this._servicePorts(service).find((x) => x.port === servicePort) ?? this._servicePorts(service)[0];
    const port = this.targetPortNumber(sp?.targetPort ?? sp?.port);
    const before = problems.all.length;
    const peers = peer._render(problems, prop);
    if (problems.all.length > before) return; // an invalid peer admits nobody
    const rule: RenderedNetworkRule = { peers, ...(port !== undefined ? { ports: [{ port, protocol: 'TCP' }] } : {}) };
    const key = JSON.stringify(rule);
    if (!this.ingressRules.some((r) => JSON.stringify(r.rule) === key)) this.ingressRules.push({ rule, prop });
  }

  /**
   * How many pods of the workload may run at once: the sum of its pod sets by default. A subclass
   * adds what its update strategy surges, or says Infinity (one pod per node).
   * @internal
   */
  public _concurrentPods(): number {
    return this.podSetSizes.reduce((a, b) => a + b, 0);
  }

  /**
   * Records a problem unless the workload waives `rule`: every relaxation of the secure defaults that
   * policy checkers flag comes with its reason, written as their exemption annotations.
   * @internal
   */
  protected _requireWaiver(rule: PolicyRule, prop: string, value: unknown, problems: Problems): void {
    problems.check(this.waived.has(rule), prop, value,
      `relaxes the secure defaults, which policy checkers flag: give the reason with waivers: [Waiver.of(PolicyRule.${policyRuleKey(rule)}, reason)]`);
  }

  /** The ports a Service of this workload really has (without a placeholder). @internal */
  public _servicePorts(service: kplus.Service): kplus.ServicePort[] {
    return service.ports.slice(this.placeholderPorts.has(service) ? 1 : 0);
  }

  /**
   * The Services that select the serving pods, to which `exposePort` adds ports. None by default.
   * @internal
   */
  public _exposingServices(): kplus.Service[] {
    return [];
  }

  /**
   * The Deployments or StatefulSets a horizontal autoscaler scales, one per track; a workload that
   * does not scale horizontally records why instead.
   * @internal
   */
  public _scaleTargets(problems: Problems, prop: string, _minReplicas?: number): ScaleTarget[] {
    problems.add(prop, this.name, `must be a workload that scales horizontally (StatelessService, StatefulService): ${this._whyNotScalable()}`);
    return [];
  }

  /** Why the workload has no horizontal scale. @internal */
  protected _whyNotScalable(): string {
    return 'this one has no replica count';
  }

  /**
   * The controllers of the pods (one per track), as a `targetRef` of an autoscaler names them.
   * @internal
   */
  public _podControllers(): Array<{ apiVersion: string; kind: string; name: string }> {
    return this.pods.map((pod) => {
      const o = ApiObject.of(pod.workload);
      return { apiVersion: o.apiVersion, kind: o.kind, name: o.name };
    });
  }

  /**
   * The containers of the pods, by name, as the autoscalers' resource policies name them (main,
   * sidecars, native sidecars and init containers).
   * @internal
   */
  public _containerNames(): string[] {
    return this.containers.map((c) => c.name);
  }

  /**
   * Whether the pods run to completion (a Job): a helper that never exits keeps them from it.
   * @internal
   */
  public _runsToCompletion(): boolean {
    return false;
  }

  /**
   * Mounts a volume of the workload into a container that already exists (the main container is
   * `app`), e.g. configuration that an init container prepares.
   */
  public addMount(containerName: string, mount: VolumeMount): void {
    const problems = new Problems(this);
    const at = `addMount(${renderValue(containerName)})`;
    this._change(problems, (c) => c.mount(containerName, mount, { container: `${at}.containerName`, volume: `${at}.volume`, path: `${at}.path` }));
    deferProblems(this, problems);
  }

  /**
   * The in-cluster DNS name of the workload's Service (`<service>.<namespace>.svc.cluster.local`,
   * or `<service>`, resolvable from the same namespace, when the chart has no namespace), for
   * other workloads' environment; undefined for a workload without a Service.
   */
  public get dnsName(): string | undefined {
    const service = this._exposingServices()[0];
    if (service === undefined) return undefined;
    const ns = Chart.of(this).namespace;
    return ns !== undefined ? `${service.name}.${ns}.svc.cluster.local` : service.name;
  }

  /**
   * The governing headless Service (`clusterIP: None`) of a StatefulSet, named `<name>-headless`,
   * selecting the pods by `selector`. kplus renders no Service without a port, so a port-less one
   * gets a placeholder that a patch removes; kplus' `cdk8s.io/metadata.addr` selector label (which
   * the StatefulSet adds) is removed the same way, so ports and labels added later still count.
   * @internal
   */
  protected _createHeadlessService(port: number | undefined, portName: string, selector: { [key: string]: string }): kplus.Service {
    const service = new kplus.Service(this, 'HeadlessService', {
      metadata: { name: `${this.name}-headless`, labels: this._objectLabels() },
      type: kplus.ServiceType.CLUSTER_IP,
      clusterIP: 'None',
      ports: [{ name: portName, port: port ?? 1, targetPort: port ?? 1, protocol: kplus.Protocol.TCP }],
    });
    const patcher = new PodSpecPatcher(ApiObject.of(service));
    if (port === undefined) {
      patcher.remove('/spec/ports/0');
      this.placeholderPorts.add(service);
    }
    patcher.remove('/spec/selector/cdk8s.io~1metadata.addr');
    for (const [k, v] of Object.entries(selector)) service.selectLabel(k, v);
    return service;
  }

  /**
   * A PodDisruptionBudget of the pods `selector` picks, from a rendered `DisruptionBudget`; an
   * unhealthy pod may always be evicted, so a broken rollout never blocks a drain.
   * @internal
   */
  protected _createBudget(id: string, name: string, selector: { [key: string]: string }, spec: { [k: string]: any }): ApiObject {
    return new kplus.k8s.KubePodDisruptionBudget(this, id, {
      metadata: { name, labels: this._objectLabels() },
      spec: {
        selector: { matchLabels: selector },
        ...(spec.maxUnavailable !== undefined ? { maxUnavailable: intOrString(spec.maxUnavailable) } : {}),
        ...(spec.minAvailable !== undefined ? { minAvailable: intOrString(spec.minAvailable) } : {}),
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      },
    });
  }

  /** Names of the pods' volumes, in the order declared. */
  public get volumeNames(): string[] {
    return [...this.volumes.keys()];
  }

  /**
   * Checks the options of a container that a construct adds once the pods exist, into `problems`,
   * without adding it: so that the construct's one error lists the container's problems with its
   * own. (`_change` checks it again, with the pod, when it adds it.)
   * @internal
   */
  public _checkContainer(problems: Problems, o: WorkloadContainerOptions, role: ContainerRole, prop: string): void {
    if (this._resolved === undefined) return;
    this.checkAgainstPod(this.resolveAddedContainer(o, role, prop, problems), problems);
  }

  /** Validates the options of a container added to the pods (a sidecar, adapter, ambassador or init container). */
  private resolveAddedContainer(o: WorkloadContainerOptions, role: ContainerRole, prop: string, problems: Problems): ResolvedContainer {
    const r = this.resolved();
    const opts = o ?? ({} as WorkloadContainerOptions);
    checkKnownKeys(problems, prop, opts, KNOWN_PROPS.WorkloadContainerOptions, 'WorkloadContainerOptions');
    checkKnownKeys(problems, `${prop}lifecycle.`, opts.lifecycle, KNOWN_PROPS.LifecycleOptions, 'LifecycleOptions');
    return resolveContainer({
      ...opts,
      role,
      defaultHealth: opts.port !== undefined && role !== ContainerRole.INIT ? HealthCheck.tcp() : HealthCheck.none(),
    }, r.security, r.demands, problems, prop);
  }

  /**
   * Makes several changes to the pods as one: `build` records them, each is checked against the
   * pods as they would be after the ones before it, and they are applied only if nothing at all
   * went into `problems` (including what the caller recorded before). Otherwise nothing changes.
   * @internal
   */
  public _change(problems: Problems, build: (changes: PodChanges) => void): boolean {
    const volumes = new Map(this.volumes);
    const containers = [...this.containers];
    const mounts = new Map(this.containers.map((c) => [c, c.mounts.length]));
    const annotations = new Map<string, string>();
    const servicePorts: Array<{ port: number; name: string }> = [];
    const apply: Array<() => void> = [];
    build({
      volume: (volume, prop, nameProp) => {
        const rendered = this.declareVolume(volume, prop, problems, nameProp);
        if (rendered) apply.push(() => this.pods.forEach((pod) => this.addVolumeToPod(pod, rendered)));
      },
      container: (o, role, prop) => {
        const c = this.resolveAddedContainer(o, role, prop, problems);
        if (!this.declareContainer(c, problems)) return;
        apply.push(() => {
          this.pods.forEach((pod) => {
            for (const m of c.ownMounts) this.addVolumeToPod(pod, this.volumes.get(m.volume)!.rendered);
            this.addContainerToPod(pod, c, c.image);
          });
          if (c.oneCheck && this.waiveOneCheck()) {
            for (const [k, v] of Object.entries(this.waiverAnnotations())) this.pods.forEach((pod) => pod.workload.metadata.addAnnotation(k, v));
          }
        });
      },
      mount: (containerName, mount, props) => {
        const checked = this.declareMount(containerName, mount, problems, props);
        if (!checked) return;
        apply.push(() => this.pods.forEach((pod) => {
          let index = pod.workload.containers.findIndex((k) => k.name === containerName);
          const list = index >= 0 ? 'containers' : 'initContainers';
          if (index < 0) index = pod.workload.initContainers.findIndex((k) => k.name === containerName);
          const container = (list === 'containers' ? pod.workload.containers : pod.workload.initContainers)[index];
          this.mountInPod(pod, container, checked, new PodSpecPatcher(ApiObject.of(pod.workload)), index, list);
        }));
      },
      podAnnotations: (map, prop) => {
        const entries = map !== null && typeof map === 'object' && !Array.isArray(map) ? Object.entries(map) : [];
        problems.check(entries.length > 0, prop, map, 'must be a non-empty map of annotation keys to strings');
        for (const [k, v] of entries) {
          checkLabelKey(problems, `${prop} key`, k);
          problems.check(typeof v === 'string', `${prop}["${k}"]`, v, 'must be a string');
          const taken = annotations.has(k) || this.pods.some((pod) => podMetadata(pod.workload).toJson().annotations?.[k] !== undefined);
          problems.check(!taken, `${prop}["${k}"]`, v, 'is already set on the pods');
          annotations.set(k, v);
        }
        apply.push(() => this.pods.forEach((pod) => entries.forEach(([k, v]) => podMetadata(pod.workload).addAnnotation(k, v))));
      },
      exposePort: (containerPort, name, servicePort, props) => {
        const services = this._exposingServices();
        if (!problems.check(services.length > 0, props.servicePort, servicePort ?? containerPort,
          'needs a Service, and the workload has none (give the workload a port, or for a DaemonService an exposure)')) return;
        const port = servicePort ?? containerPort;
        const portProp = servicePort !== undefined ? props.servicePort : props.port;
        for (const svc of services) {
          const existing = [...this._servicePorts(svc).map((p) => ({ port: p.port, name: p.name })), ...servicePorts];
          problems.check(!existing.some((p) => p.port === port), portProp, port, `is already a port of Service "${svc.name}"`);
          problems.check(!existing.some((p) => p.name === name), props.name, name, `is already a port name of Service "${svc.name}"`);
        }
        servicePorts.push({ port, name });
        apply.push(() => services.forEach((svc) => svc.bind(port, { name, targetPort: containerPort, protocol: kplus.Protocol.TCP })));
      },
    });
    if (!problems.isEmpty) {
      this.volumes.clear();
      for (const [k, v] of volumes) this.volumes.set(k, v);
      this.containers.splice(0, this.containers.length, ...containers);
      for (const [c, n] of mounts) c.mounts.splice(n);
      return false;
    }
    for (const f of apply) f();
    return true;
  }

  /** Checks the network props into `problems` and records their rules; adds the API access volume. */
  private resolveNetwork(p: WorkloadProps, rules: WorkloadRules, problems: Problems): void {
    const n = p.network;
    if (n !== undefined && (n === null || typeof n !== 'object' || Array.isArray(n))) problems.add('network', n, 'must be NetworkOptions: { allowFrom?, allowTo?, apiServer? }');
    const list = (v: unknown, prop: string): NetworkRule[] => {
      if (v === undefined) return [];
      if (Array.isArray(v)) return v;
      problems.add(prop, v, 'must be a list of rules: [{ peer: NetworkPeer..., ports?: [...] }]');
      return [];
    };
    const network = n !== null && typeof n === 'object' ? n : {};
    for (const [v, target, prop] of [[network.allowFrom, this.ingressRules, 'network.allowFrom'], [network.allowTo, this.egressRules, 'network.allowTo']] as const) {
      list(v, prop).forEach((r, i) => {
        checkKnownKeys(problems, `${prop}[${i}].`, r, KNOWN_PROPS.NetworkRule, 'NetworkRule');
        const rule = renderNetworkRule(r, problems, `${prop}[${i}]`);
        if (rule) target.push({ rule, prop: `${prop}[${i}]` });
      });
    }
    problems.check(p.apiAccess === undefined || typeof p.apiAccess === 'boolean', 'apiAccess', p.apiAccess, 'must be true or false');
    const api = p.apiAccess === true || rules.apiAccess === true;
    if (network.apiServer !== undefined && !(network.apiServer instanceof NetworkPeer)) {
      problems.add('network.apiServer', network.apiServer, 'must be a NetworkPeer, e.g. NetworkPeer.cidr("10.0.0.10/32")');
    } else if (network.apiServer !== undefined && !api) {
      problems.add('network.apiServer', 'NetworkPeer', 'has no effect: the pods do not talk to the API server (set apiAccess: true)');
    } else if (api) {
      const peers = (network.apiServer ?? NetworkPeer.anywhere())._render(problems, 'network.apiServer');
      this.egressRules.push({ rule: { peers, ports: [443, 6443].map((port) => ({ port, protocol: 'TCP' })) }, prop: 'apiAccess' });
      this.declareVolume(PodVolume._kubeApiAccess(API_ACCESS_VOLUME), 'apiAccess', problems);
    }
  }

  /** Adds a rule given to `allowFrom` / `allowTo`; a bad rule is recorded for synth and adds nothing. */
  private addNetworkRule(rules: Array<{ rule: RenderedNetworkRule; prop: string }>, rule: NetworkRule, prop: string): void {
    const problems = new Problems(this);
    const rendered = renderNetworkRule(rule, problems, prop);
    if (deferProblems(this, problems)) return;
    rules.push({ rule: rendered!, prop });
  }

  /** The ingress rules of the NetworkPolicy: the declared ones, then one from anywhere for the exposures. */
  private ingressOf(): RenderedNetworkRule[] {
    const exposed = this.ownServices().filter((c) => c.type === kplus.ServiceType.NODE_PORT || c.type === kplus.ServiceType.LOAD_BALANCER);
    const fromOutside = exposed.flatMap((svc) => this._servicePorts(svc)).map((sp) => this.targetPortNumber(sp.targetPort ?? sp.port))
      .filter((port): port is number => port !== undefined);
    const anywhere = NetworkPeer.anywhere()._render(new Problems(this), 'exposures');
    return [
      ...this.ingressRules.map((r) => r.rule),
      ...(fromOutside.length > 0 ? [{ peers: anywhere, ports: [...new Set(fromOutside)].map((port) => ({ port, protocol: 'TCP' })) }] : []),
    ];
  }

  /** The spec of the NetworkPolicy, rendered at synth (rules may be added until then). */
  private networkPolicySpec(): any {
    const ingress = this.ingressOf();
    const egress = [{ peers: [], ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] }, ...this.egressRules.map((r) => r.rule)];
    const render = (r: RenderedNetworkRule, key: 'from' | 'to') => ({
      ...(r.peers.length > 0 ? { [key]: r.peers } : {}),
      ...(r.ports ? { ports: r.ports.map((q) => ({ port: kplus.k8s.IntOrString.fromNumber(q.port), protocol: q.protocol })) } : {}),
    });
    return {
      podSelector: { matchLabels: selectorLabels(this._identity) },
      policyTypes: ['Ingress', 'Egress'],
      ...(ingress.length > 0 ? { ingress: ingress.map((r) => render(r, 'from')) } : {}),
      egress: egress.map((r) => render(r, 'to')),
    };
  }

  /**
   * A pod selector peer in a namespace of the app must select pods of the app: a rule that selects
   * nothing is a typo, or a caller that was renamed (the checkers report it as a dangling peer).
   */
  private validatePeers(problems: Problems): void {
    const rules = [...this.ingressRules, ...this.egressRules].filter((r) => r.rule.peers.some((peer) => peer.podSelector !== undefined));
    if (rules.length === 0) return;
    const own = Chart.of(this).namespace;
    const { namespaces, pods } = sessionMemo(this.node.root, 'pods-of-the-app', () => {
      const charts = this.node.root.node.findAll().filter((c): c is Chart => Chart.isChart(c));
      return {
        namespaces: new Set(charts.map((c) => c.namespace)),
        pods: charts.flatMap((chart) => chart.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject && Chart.of(c) === chart)
          .map((o) => renderForChecks(o)).filter((json) => podSpecOf(json) !== undefined)
          .map((json) => ({ namespace: chart.namespace, labels: (podTemplateOf(json)?.metadata?.labels ?? {}) as { [k: string]: string } }))),
      };
    });
    for (const { rule, prop } of rules) {
      for (const peer of rule.peers) {
        if (peer.podSelector === undefined) continue;
        const ns: string | undefined = peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] ?? own;
        if (peer.namespaceSelector !== undefined && (ns === undefined || !namespaces.has(ns))) continue;
        const labels: { [k: string]: string } = peer.podSelector.matchLabels ?? {};
        const found = pods.some((pod) => pod.namespace === ns && Object.entries(labels).every(([k, v]) => pod.labels[k] === v));
        problems.check(found, `${prop}.peer`, labels,
          `selects no pod of the app in namespace ${ns ?? '(none)'}: a peer that selects nothing is a typo or a renamed workload `
          + '(for pods this app does not make, name their namespace: NetworkPeer.namespace or podsInNamespace)');
      }
    }
  }

  /**
   * The disk-backed emptyDirs count against the pod's ephemeral storage, and the kubelet evicts a
   * pod whose usage passes the sum of its containers' limits: that sum must hold the emptyDirs'
   * size limits, or a volume is cut short by an eviction before it is full.
   */
  private validateEphemeralStorage(problems: Problems): void {
    const mib = (q: unknown) => Number((parseQuantityExact(q) ?? 0n) / 1_000_000_000n / 1_048_576n);
    const disks = [...this.volumes.values()].filter((v) => v.rendered.emptyDir !== undefined && v.rendered.emptyDir.medium !== 'Memory');
    const total = disks.reduce((sum, v) => sum + mib(v.rendered.emptyDir!.sizeLimit?.value), 0);
    const running = this.containers.filter((c) => c.role !== ContainerRole.INIT);
    const limits = running.reduce((sum, c) => sum + (wholeMebibytes(c.demands._ephemeralStorage().limit, (x: Size) => x.toMebibytes()) ?? 0), 0);
    problems.check(total <= limits, 'demands ephemeralStorage limits', `${limits}Mi`,
      `must hold the size limits of the pod's disk-backed emptyDirs (${total}Mi in ${showList(disks.map((v) => v.rendered.name))}): `
      + 'the kubelet evicts the pod when its usage passes the sum of its containers\' limits; raise demands.limits.ephemeralStorage or shrink the volumes');
  }

  /** Every Service of the workload: its own, the exposures, the tracks'. */
  private ownServices(): kplus.Service[] {
    return this.node.findAll().filter((c): c is kplus.Service => c instanceof kplus.Service);
  }

  /** The container port a Service target port (number or name) reaches, if any. */
  private targetPortNumber(target: number | string | undefined): number | undefined {
    if (typeof target === 'number') return target;
    return this.containers.flatMap((c) => c.ports).find((q) => q.name === target)?.number;
  }

  /**
   * Checks the NetworkPolicy against the pods: every port of a rule that admits traffic is a port
   * of the pods, and every port a Service of the workload sends traffic to is admitted from somewhere.
   */
  private validateNetwork(problems: Problems): void {
    const served = new Set(this.containers.flatMap((c) => c.ports.map((q) => q.number)));
    for (const { rule, prop } of this.ingressRules) {
      for (const port of rule.ports ?? []) {
        problems.check(served.has(port.port), `${prop}.ports`, port.port,
          `admits traffic to a port no container of the pods listens on (${[...served].join(', ') || 'none'})`);
      }
    }
    this.validatePeers(problems);
    // A caller that was to connect was not built: its problems are reported; "no caller" would only mislead.
    if (this._callerNotBuilt) return;
    const selfRules = new Set(this.ingressRules.filter((r) => r.self).map((r) => r.rule));
    const rules = this.ingressOf().filter((r) => !selfRules.has(r));
    const unreached = new Map<number, string[]>();
    for (const svc of this.ownServices()) {
      for (const sp of this._servicePorts(svc)) {
        const port = this.targetPortNumber(sp.targetPort ?? sp.port);
        if (port === undefined || rules.some((r) => ruleAdmits(r, port))) continue;
        unreached.set(port, [...(unreached.get(port) ?? []), svc.name]);
      }
    }
    for (const [port, services] of unreached) {
      problems.add('network.allowFrom', port,
        `must admit the callers of port ${port}, which Service ${services.map((n) => `"${n}"`).join(', ')} send${services.length === 1 ? 's' : ''} traffic to, `
        + `but the NetworkPolicy "${this.name}" admits none: allow them with network.allowFrom, <caller>.connectsTo(<this workload>), or an Ingress / HttpRoute \`controller\``);
    }
  }

  /**
   * A container whose liveness probe is its readiness probe (`HealthCheck.tcp()`, `exec()`, the
   * default TCP check of a port) has no separate health endpoint: the library records that as the
   * IDENTICAL_PROBES waiver with its reason, unless the user gave one. Returns whether it added it.
   */
  private waiveOneCheck(): boolean {
    if (this.waived.has(PolicyRule.IDENTICAL_PROBES) || this.autoWaivers.length > 0) return false;
    this.autoWaivers.push(Waiver.of(PolicyRule.IDENTICAL_PROBES,
      'one check for every role (HealthCheck.tcp() or exec(), or the default TCP check of a port): the container has no separate health '
      + 'endpoint; HealthCheck.http(path) checks readiness on an endpoint and liveness on the port'));
    return true;
  }

  /**
   * The exemptions of the NetworkPolicy: a peer that selects pods of a namespace the app does not
   * make (`NetworkPeer.podsInNamespace`) is a link checkers cannot resolve (LNK001 of the independent
   * checker): the user's `EXTERNAL_REFERENCE` waiver, or, since the peer names those pods on
   * purpose, the library's reason.
   */
  private networkPolicyWaivers(): { [key: string]: string } {
    const named = [...this.ingressRules, ...this.egressRules].flatMap(({ rule }) => rule.peers)
      .filter((peer) => peer.podSelector !== undefined && peer.namespaceSelector !== undefined)
      .map((peer): string | undefined => peer.namespaceSelector!.matchLabels?.['kubernetes.io/metadata.name']);
    if (named.length === 0) return {};
    // The app's namespaces, found once per synth (not once per workload).
    const namespaces = sessionMemo(this.node.root, 'namespaces-of-the-app',
      () => new Set(this.node.root.node.findAll().filter((c): c is Chart => Chart.isChart(c)).map((c) => c.namespace)));
    const outside = new Set(named.filter((ns) => ns === undefined || !namespaces.has(ns)).map((ns) => ns ?? 'the labelled namespaces'));
    if (outside.size === 0) return {};
    const own = this.userWaivers.filter((w) => w.rule === PolicyRule.EXTERNAL_REFERENCE);
    const waivers = own.length > 0 ? own : [Waiver.of(PolicyRule.EXTERNAL_REFERENCE,
      `the NetworkPolicy names pods of ${showList([...outside].sort())}, which this app does not make (NetworkPeer.podsInNamespace)`)];
    return waiverAnnotations(waivers, new Problems(this), 'waivers');
  }

  /** The exemption annotations of every waiver in force. */
  private waiverAnnotations(): { [key: string]: string } {
    return waiverAnnotations([...this.userWaivers, ...this.autoWaivers], new Problems(this), 'waivers');
  }

  private resolved(): ResolvedWorkload {
    if (!this._resolved) throw new Error(`${this.node.path}: internal error: _resolveWorkload was not called`);
    return this._resolved;
  }

  private addHelper(o: WorkloadContainerOptions, role: ContainerRole, method: string): void {
    const problems = new Problems(this);
    this._change(problems, (c) => c.container(o, role, `${method}(${renderValue(o?.name)}).`));
    deferProblems(this, problems);
  }

  /** Checks a mount into an existing container against the pod, and declares it. */
  private declareMount(containerName: string, mount: VolumeMount, problems: Problems, props: MountProps): VolumeMount | undefined {
    const c = this.containers.find((x) => x.name === containerName);
    problems.check(c !== undefined, props.container, containerName, `must name a container of the pods (${showList(this.containers.map((x) => x.name))})`);
    problems.check(this.volumes.has(mount?.volume), props.volume, mount?.volume, `must name a volume of the workload (declared: ${showList([...this.volumes.keys()])})`);
    const checked = checkMount(problems, { path: props.path, subPath: `${props.path} subPath`, readOnly: `${props.path} readOnly` }, mount);
    if (checked === undefined || c === undefined || !this.volumes.has(mount.volume)) return undefined;
    const taken = [...c.mounts.map((m) => m.path), ...c.ownMounts.map((m) => m.path)];
    if (!problems.check(!taken.includes(checked.path), props.path, mount.path, `is already a mount path of container "${containerName}"`)) return undefined;
    c.mounts.push(checked);
    return checked;
  }

  /** Checks a volume against the declared ones and declares it. */
  private declareVolume(v: PodVolume, prop: string, problems: Problems, nameProp: string = `${prop}.name`): kplus.k8s.Volume | undefined {
    if (!(v instanceof PodVolume)) {
      problems.add(prop, v, 'must be created with PodVolume.emptyDir(), configMap(), secret(), persistentVolumeClaim(), downwardApi() or projected()');
      return undefined;
    }
    const rendered = v._render(problems, prop, nameProp);
    if (typeof v.name !== 'string') return undefined; // reported by _render
    const first = this.volumes.get(v.name);
    if (!problems.check(first === undefined, nameProp, v.name, `must be unique in the pod (also declared by ${cutShort(first?.prop ?? '', MAX_RENDERED_PROP)})`)) return undefined;
    this.volumes.set(v.name, { rendered, prop, configMaps: v._configMaps, accessModes: v._accessModes });
    return rendered;
  }

  /**
   * Checks a container against the pod (names, ports, mounted volumes) and declares it with its
   * own volumes. Returns whether it was declared.
   */
  private declareContainer(c: ResolvedContainer, problems: Problems): boolean {
    // Secrets are files by default: one in the environment is an explicit, waived choice.
    for (const at of c.env.secretReads) {
      problems.check(this.waived.has(PolicyRule.SECRET_IN_ENV), at, 'a Secret',
        'reads a Secret into the environment, where it leaks into crash dumps, logs and child processes: mount it as a file '
        + '(PodVolume.secret), or opt in with waivers: [Waiver.of(PolicyRule.SECRET_IN_ENV, reason)]');
    }
    if (c.role !== ContainerRole.MAIN && c.readOnlyRootFilesystem === false && this._resolved?.security.readOnlyRootFilesystem !== false) {
      this._requireWaiver(PolicyRule.WRITABLE_ROOT_FILESYSTEM, `${c.prop}readOnlyRootFilesystem`, false, problems);
    }
    const other = this.checkAgainstPod(c, problems);
    if (other !== undefined) return false;
    // The container's own emptyDirs get the proposed name, or, if a volume has it already (a long
    // name cut to 63 characters, or a user's volume), the proposal with a hash of what it is for.
    for (const m of c.ownMounts) {
      if (this.volumes.has(m.volume)) {
        const hash = createHash('sha256').update(`${c.name}:${m.path}`).digest('hex').slice(0, 6);
        m.volume = `${m.volume.slice(0, 56).replace(/-+$/, '')}-${hash}`;
      }
      const prop = m.path === '/tmp' ? `the /tmp emptyDir of the ${c.role} "${c.name}"` : `${c.prop}writableDirectories["${m.path}"]`;
      this.declareVolume(PodVolume.emptyDir(m.volume, { sizeLimit: c.ownSizeLimit }), prop, problems, prop);
    }
    this.containers.push(c);
    return true;
  }

  /**
   * Checks a container against the pod: a unique name, ports (numbers and names) no other
   * container has, mounts of declared volumes. Returns the container that has its name, if any.
   */
  private checkAgainstPod(c: ResolvedContainer, problems: Problems): ResolvedContainer | undefined {
    const other = this.containers.find((x) => x.name === c.name);
    problems.check(other === undefined, `${c.prop}name`, c.name, `must be unique in the pod (the ${other?.role} has it)`);
    c.ports.forEach((port, i) => {
      const fromPortProp = i === 0 && c.hasPortProp;
      const extra = i - (c.hasPortProp ? 1 : 0);
      for (const x of this.containers) {
        problems.check(!x.ports.some((q) => q.number === port.number), `${c.prop}${fromPortProp ? 'port' : `additionalPorts[${extra}].number`}`, port.number,
          `is already used by the ${x.role} "${x.name}" (containers of a pod share one network namespace)`);
        problems.check(!x.ports.some((q) => q.name === port.name), `${c.prop}${fromPortProp ? 'portName' : `additionalPorts[${extra}].name`}`, port.name,
          `is already used by the ${x.role} "${x.name}"`);
      }
    });
    c.mounts.forEach((m, i) => {
      problems.check(this.volumes.has(m?.volume), `${c.prop}mounts[${i}].volume`, m?.volume,
        `must name a volume of the workload (declared: ${showList([...this.volumes.keys()])}); declare it in volumes or with addVolume() first`);
    });
    return other;
  }

  /** Mounts a volume into a container of a pod: a pod volume through kplus, a claim template through a patch. */
  private mountInPod(
    pod: PodRecord, container: kplus.Container, m: VolumeMount, patcher: PodSpecPatcher, index: number, list: 'containers' | 'initContainers',
  ): void {
    if (this.volumes.get(m.volume)?.claimTemplate) {
      patcher.appendToContainerField(index, 'volumeMounts', {
        name: m.volume,
        mountPath: m.path,
        ...(m.readOnly === true ? { readOnly: true } : {}),
        ...(m.subPath !== undefined ? { subPath: m.subPath } : {}),
      }, list);
    } else {
      container.mount(m.path, pod.volumes.get(m.volume)!, mountOptions(m));
    }
  }

  private addVolumeToPod(pod: PodRecord, rendered: kplus.k8s.Volume): void {
    const volume = kplusVolume(pod.workload, `Volume-${rendered.name}`, rendered);
    pod.workload.addVolume(volume);
    pod.volumes.set(rendered.name, volume);
  }

  /** The one code path that adds a container, whatever its role, to a pod. */
  private addContainerToPod(pod: PodRecord, c: ResolvedContainer, image: string): kplus.Container {
    const r = this.resolved();
    const props = kplusContainerProps(c, image, r.security);
    const main = c.role === ContainerRole.MAIN || c.role === ContainerRole.SIDECAR;
    const index = main ? pod.workload.containers.length : pod.workload.initContainers.length;
    const container = main ? pod.workload.addContainer(props) : pod.workload.addInitContainer(props);
    addEnv(container, c.env);
    const shared = r.security.shareTmp ? [{ volume: 'tmp', path: '/tmp' }] : [];
    for (const m of [...shared, ...c.ownMounts]) container.mount(m.path, pod.volumes.get(m.volume)!);
    if (r.security.appArmor !== undefined) {
      podMetadata(pod.workload).addAnnotation(`container.apparmor.security.beta.kubernetes.io/${c.name}`, r.security.appArmor);
    }
    const patcher = new PodSpecPatcher(ApiObject.of(pod.workload));
    for (const m of c.mounts) this.mountInPod(pod, container, m, patcher, index, main ? 'containers' : 'initContainers');
    for (const [field, probe] of Object.entries(c.probes)) patcher.setContainerField(index, field, probe, main ? 'containers' : 'initContainers');
    // Ephemeral storage in MiB, and extended resources (devices, main container only): cdk8s-plus-28 can express neither.
    patcher.setContainerField(index, 'resources', c.demands._toL1Resources(c.role === ContainerRole.MAIN), main ? 'containers' : 'initContainers');
    return container;
  }

  /**
   * Checks rendered Services against the rendered pods of this workload: each selector must match
   * the pods of at least one workload object, and each target port must exist on every pod set the
   * selector matches (or part of the traffic fails). `services` pairs a prop name with a Service.
   * @internal
   */
  protected _checkServices(problems: Problems, services: Array<[string, kplus.Service | undefined]>): void {
    const pods = this.pods.map(({ workload }) => renderForChecks(ApiObject.of(workload))).map((json) => {
      const template = podTemplateOf(json);
      return { kind: json.kind, name: json.metadata?.name, labels: template?.metadata?.labels ?? {}, spec: template?.spec ?? {} };
    });
    for (const [at, svc] of services) {
      if (!svc) continue;
      const json = renderForChecks(ApiObject.of(svc));
      const selector: { [k: string]: string } = json.spec?.selector ?? {};
      const matching = pods.filter((pod) => Object.entries(selector).every(([k, v]) => pod.labels[k] === v));
      const kinds = [...new Set(pods.map((pod) => pod.kind))].join(' or ');
      if (!problems.check(Object.keys(selector).length > 0 && matching.length > 0, `${at}.spec.selector`, selector,
        `must match the pods of a ${kinds} of this construct`)) continue;
      for (const sp of json.spec?.ports ?? []) {
        const target = sp.targetPort ?? sp.port;
        for (const pod of matching) {
          const found = podServesPort(pod.spec, target);
          problems.check(found, `${at}.spec.ports["${sp.name ?? sp.port}"].targetPort`, target,
            `must be a container port of every selected pod (missing in ${pod.kind} "${pod.name}")`);
        }
      }
    }
  }

  /** Checks every rendered pod: Pod Security, ports, mounts, probes, and the QoS tier. */
  private validatePods(): string[] {
    if (!this._resolved) return [];
    const problems = new Problems(this);
    const tier = this._resolved.demands.qosClass;
    const mounted = new Set(this.containers.flatMap((c) => [...c.mounts.map((m) => m.volume), ...c.ownMounts.map((m) => m.volume)]));
    if (this._resolved.security.shareTmp) mounted.add('tmp');
    // A ConfigMap this library makes lives in its chart's namespace; a pod can only read one of its own.
    const namespace = Chart.of(this).namespace;
    const reads: Array<[string, IConfigMapReference]> = [
      ...[...this.volumes.values()].flatMap((v) => v.configMaps.map((cm): [string, IConfigMapReference] => [v.prop, cm])),
      ...this.containers.flatMap((c) => c.env.configMaps.map((cm): [string, IConfigMapReference] => [`${c.prop}envVariables/envFrom`, cm])),
    ];
    for (const [prop, cm] of reads) {
      if (!Construct.isConstruct(cm)) continue;
      const theirs = Chart.of(cm).namespace;
      problems.check(theirs === namespace, prop, cm.configMapName,
        `is a ConfigMap in namespace ${theirs ?? '(none)'}, but the pods run in ${namespace ?? '(none)'}: a pod reads ConfigMaps of its own namespace only`);
    }
    this.validateNetwork(problems);
    this.validateEphemeralStorage(problems);
    const pods = this._concurrentPods();
    for (const v of this.volumes.values()) {
      if (!v.accessModes?.includes('ReadWriteOncePod')) continue;
      problems.check(pods <= 1, v.prop, v.rendered.persistentVolumeClaim?.claimName,
        `is a ReadWriteOncePod claim, which one pod at a time can use, but up to ${pods === Infinity ? 'one pod per node' : `${pods} pods`} of this `
        + 'workload run at once (one replica with the Recreate strategy, or a claim template per pod in a StatefulService)');
    }
    for (const [name, v] of this.volumes) {
      problems.check(mounted.has(name), `${v.prop}`, name, 'is mounted by no container: add a mount ({ volume, path }) to the container that needs it, or remove the volume');
    }
    for (const { workload, where, relaxations } of this.pods) {
      const spec = podSpecOf(renderForChecks(ApiObject.of(workload)));
      if (!spec) continue;
      const claimTemplates = [...this.volumes.entries()].filter(([, v]) => v.claimTemplate).map(([name]) => name);
      checkRenderedPodSpec(problems, spec, {
        restricted: true, where, allowHostPath: relaxations.hostPath, allowHostNetwork: relaxations.hostNetwork, claimTemplates,
      });
      const actual = PodQos.classify(spec);
      for (const reason of PodQos.explain(spec, tier)) {
        problems.add(`${where} QoS class`, actual, `must be ${tier}, as demands asks: ${reason}`);
      }
    }
    return problems.messages();
  }
}

/**
 * The workload a helper construct (Adapter, Ambassador, ConfigImage, ...) attaches to, or throws
 * a validation error naming the `workload` prop.
 * @internal
 */
export function attachedWorkload(problems: Problems, workload: unknown): PatternWorkload {
  if (!(workload instanceof PatternWorkload)) {
    problems.add('workload', workload, 'must be a workload of this library (StatelessService, DaemonService, ...)');
    problems.throwIfAny();
  }
  return workload as PatternWorkload;
}

/**
 * Whether a Service target port reaches a container of a rendered pod spec: a port number or name
 * of a container, or the port number of a native sidecar (an init container with
 * `restartPolicy: Always`; a named target port is looked up in the containers only).
 * @internal
 */
export function podServesPort(spec: any, target: number | string): boolean {
  const has = (c: any, byName: boolean) => (c.ports ?? []).some((p: any) => p.containerPort === target || (byName && p.name === target));
  return (spec?.containers ?? []).some((c: any) => has(c, true))
    || (spec?.initContainers ?? []).some((c: any) => c.restartPolicy === 'Always' && has(c, false));
}

/** Nested option objects of the workload props, checked for unknown keys like the props themselves. */
const NESTED_OPTIONS: Array<[string, string]> = [
  ['security', 'PodSecurityOptions'], ['network', 'NetworkOptions'], ['placement', 'PlacementOptions'], ['lifecycle', 'LifecycleOptions'],
];

/** The volume and path of the API server token of a workload with `apiAccess`. */
const API_ACCESS_VOLUME = 'kube-api-access';

/**
 * A props key (a symbol: no user can write it) by which a construct of this library says that the
 * pods reach the API through a helper container it adds, which mounts the token volume
 * (`kube-api-access`) itself: the main container then gets no token.
 * @internal
 */
export const API_THROUGH_HELPER = Symbol.for('cdk8s-patterns.api-through-helper');
/** The cluster autoscaler's pod annotation. */
const SAFE_TO_EVICT = 'cluster-autoscaler.kubernetes.io/safe-to-evict';
const API_ACCESS_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * The mount of the API server token of a workload with `apiAccess`, at the path client libraries
 * read it from, for a helper container that calls the API for the pod (see `API_THROUGH_HELPER`).
 * @internal
 */
export function apiAccessMount(): VolumeMount {
  return { volume: API_ACCESS_VOLUME, path: API_ACCESS_PATH, readOnly: true };
}

/** The enum key of a policy rule, for messages (`HOST_PATH`). */
function policyRuleKey(rule: PolicyRule): string {
  return Object.entries(PolicyRule).find(([, v]) => v === rule)?.[0] ?? String(rule);
}

/** The prop names a mount's problems are reported under. @internal */
export interface MountProps {
  readonly container: string;
  readonly volume: string;
  readonly path: string;
}

/**
 * The changes `PatternWorkload._change` can make, each recorded with the prop names to blame.
 * @internal
 */
export interface PodChanges {
  /** Declares a volume of the pods (`nameProp` is blamed for its name; default `<prop>.name`). */
  volume(volume: PodVolume, prop: string, nameProp?: string): void;
  /** Adds a helper container; `prop` prefixes its props (`addContainer("x").`). */
  container(options: WorkloadContainerOptions, role: ContainerRole, prop: string): void;
  /** Mounts a declared volume into an existing container. */
  mount(containerName: string, mount: VolumeMount, props: MountProps): void;
  /** Adds annotations to the pod templates. */
  podAnnotations(annotations: { [key: string]: string }, prop: string): void;
  /** Adds a port to the workload's Services. */
  exposePort(containerPort: number, name: string, servicePort: number | undefined,
    props: { readonly port: string; readonly name: string; readonly servicePort: string }): void;
}

/** kplus mount options of a mount. */
function mountOptions(m: VolumeMount): kplus.MountOptions {
  return { ...(m.readOnly === true ? { readOnly: true } : {}), ...(m.subPath !== undefined ? { subPath: m.subPath } : {}) };
}

/** The metadata of the pods of a kplus workload (its pod template), or of a bare pod. */
function podMetadata(pod: kplus.AbstractPod): ApiObjectMetadataDefinition {
  return pod instanceof kplus.Workload ? pod.podMetadata : pod.metadata;
}

/** The pod template of a rendered workload manifest (Deployment, StatefulSet, DaemonSet, Job, CronJob, KEDA ScaledJob). */
function podTemplateOf(manifest: any): any {
  switch (manifest?.kind) {
    case 'CronJob': return manifest.spec?.jobTemplate?.spec?.template;
    case 'ScaledJob': return manifest.spec?.jobTargetRef?.template;
    default: return manifest?.spec?.template;
  }
}

/**
 * The pod spec of a rendered workload manifest (Deployment, StatefulSet, DaemonSet, Job, CronJob, KEDA ScaledJob).
 * @internal
 */
export function podSpecOf(manifest: any): any {
  return podTemplateOf(manifest)?.spec;
}

/**
 * A workload's NetworkPolicy, whose exemption annotations are computed at synth from its rules as
 * they are then (rules added after construction included).
 */
class WorkloadNetworkPolicy extends kplus.k8s.KubeNetworkPolicy {
  constructor(
    scope: Construct, id: string, props: kplus.k8s.KubeNetworkPolicyProps, private readonly annotationsAtSynth: () => { [key: string]: string },
  ) {
    super(scope, id, props);
  }

  public toJson(): any {
    const json = super.toJson();
    const extra = this.annotationsAtSynth();
    if (Object.keys(extra).length > 0) json.metadata = { ...json.metadata, annotations: { ...(json.metadata?.annotations ?? {}), ...extra } };
    return json;
  }
}
