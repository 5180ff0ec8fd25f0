import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { registerAppChecks } from './app-checks';
import {
  hardenedContainerContext, hardenedPodContext, POD_SECCOMP, PodSecurityOptions, ResolvedSecurity, resolveSecurity,
} from './hardening';
import { checkImage, defaultPullPolicy } from './image';
import { AppIdentity, MANAGED_LABELS, PatternLabels, standardLabels } from './labels';
import { checkDns1035Label, checkDnsLabel, checkDnsSubdomain, checkLabelKey, checkLabels, checkLabelValue, checkPort, checkPortName, defaultNameFromId, namePropOf } from './names';
import { PodSpecPatcher } from './patch';
import { checkRenderedPodSpec } from './pod-checks';
import { addSynthValidation, renderForChecks } from './synth-session';
import { Problems } from './validation';
import { Demands } from '../foundational/demands';
import { HealthCheck } from '../foundational/health-check';
import { LifecycleOptions, RenderedLifecycle, renderLifecycle } from '../foundational/lifecycle';
import { PlacementOptions, RenderedPlacement, renderPlacement } from '../foundational/placement';
import { PodQos } from '../foundational/qos';

/** Props every workload construct of this library shares. */
export interface WorkloadProps {
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
}

/** Explicit relaxations of the restricted Pod Security Standard for one pod. @internal */
export interface PodRelaxations {
  /** hostPath volumes are allowed (a node agent that reads node files). */
  readonly hostPath?: boolean;
  /** hostNetwork is allowed. */
  readonly hostNetwork?: boolean;
}

/** The main pod of a kplus workload, as the base class tracks it. @internal */
interface PodRecord {
  readonly workload: kplus.AbstractPod;
  readonly where: string;
  readonly relaxations: PodRelaxations;
}

/** The resolved shared props. @internal */
interface ResolvedWorkload {
  readonly port?: number;
  readonly portName: string;
  readonly probes: { [field: string]: kplus.k8s.Probe };
  readonly lifecycle: RenderedLifecycle;
  readonly security: ResolvedSecurity;
  readonly demands: Demands;
}

/**
 * The base of every workload construct: a hardened pod (restricted Pod Security Standard), one
 * QoS tier for every container, probes, lifecycle, placement and priority, sidecars and init
 * containers added with `addContainer` / `addInitContainer`, and synth-time checks of the rendered
 * pods (Pod Security, ports, mounts, probes, QoS tier).
 */
export abstract class PatternWorkload extends Construct {
  /** Base name of the objects. */
  public readonly name: string;
  /** @internal */
  protected readonly _identity: AppIdentity;
  /** @internal */
  protected readonly _extraLabels: { [key: string]: string };
  /** @internal */
  protected _resolved?: ResolvedWorkload;
  private readonly pods: PodRecord[] = [];
  private readonly containerNames = new Set<string>(['app']);

  protected constructor(scope: Construct, id: string, props: WorkloadProps) {
    super(scope, id);
    const p: WorkloadProps = props ?? ({} as WorkloadProps);
    this.name = p.name ?? defaultNameFromId(id);
    this._identity = { name: p.appName ?? this.name, instance: this.name, partOf: p.partOf, component: p.component };
    this._extraLabels = p.labels !== null && typeof p.labels === 'object' ? { ...p.labels } : {};
    registerAppChecks(this);
    addSynthValidation(this, () => this.validatePods());
  }

  /**
   * Validates the shared props into `problems` and keeps the resolved values for `_createPod`.
   * @internal
   */
  protected _resolveWorkload(p: WorkloadProps, rules: WorkloadRules, problems: Problems): void {
    const nameProp = namePropOf(p.name);
    if (rules.nameIsServiceName) checkDns1035Label(problems, nameProp, this.name);
    else checkDnsLabel(problems, nameProp, this.name);
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

    checkImage(problems, 'image', p.image, p.allowUnpinnedImage === true);
    checkPort(problems, 'port', rules.port);
    const portName = rules.portName ?? 'http';
    checkPortName(problems, 'portName', portName);
    for (const [prop, list] of [['command', p.command], ['args', p.args]] as const) {
      if (list === undefined) continue;
      problems.check(Array.isArray(list) && list.every((x) => typeof x === 'string'), prop, list, 'must be a list of strings');
    }
    problems.check(p.env === undefined || (typeof p.env === 'object' && p.env !== null && !Array.isArray(p.env)), 'env', p.env,
      'must be a map of names to strings');
    for (const [k, v] of Object.entries(p.env ?? {})) {
      problems.check(/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(k), 'env key', k,
        'must be a valid environment variable name (letters, digits, "_", "-", "."; not starting with a digit)');
      problems.check(typeof v === 'string', `env["${k}"]`, v, 'must be a string (quote numbers and booleans)');
    }

    const demands = p.demands ?? Demands.libraryDefault();
    if (demands instanceof Demands) demands._validate(problems, 'demands');
    else problems.add('demands', demands, 'must be created with Demands.guaranteed(), burstable() or bestEffort()');
    const health = p.health ?? rules.defaultHealth;
    let probes: { [field: string]: kplus.k8s.Probe } = {};
    if (health instanceof HealthCheck) probes = health._render(rules.port, problems, 'health');
    else problems.add('health', health, 'must be created with HealthCheck.http(), tcp(), grpc(), exec(), of() or none()');
    const lifecycle = renderLifecycle(p.lifecycle, rules.port, problems, 'lifecycle');
    const security = resolveSecurity(p.security, problems, 'security');
    if (p.priorityClassName !== undefined) checkDnsSubdomain(problems, 'priorityClassName', p.priorityClassName);
    this._resolved = {
      port: rules.port,
      portName,
      probes,
      lifecycle,
      security,
      demands: demands instanceof Demands ? demands : Demands.libraryDefault(),
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
    return renderPlacement(p.placement, replicas, selector, problems, 'placement', matchLabelKeys);
  }

  /**
   * Labels of every object: the user's extra labels, then the standard ones (which win), plus a
   * track if given.
   * @internal
   */
  protected _objectLabels(track?: string): { [key: string]: string } {
    return { ...this._extraLabels, ...standardLabels(this._identity), ...(track ? { [PatternLabels.TRACK]: track } : {}) };
  }

  /**
   * Metadata of the workload object itself: name, labels (with the track, if any) and the user's
   * annotations.
   * @internal
   */
  protected _workloadMetadata(p: WorkloadProps, name: string, track?: string): kplus.k8s.ObjectMeta {
    return { name, labels: this._objectLabels(track), ...(p.annotations ? { annotations: { ...p.annotations } } : {}) };
  }

  /**
   * The pod-level kplus props shared by every workload kind: labels, hardened security context,
   * grace period, no service account token, no kplus selector. Subclasses spread it first and may
   * override fields (`restartPolicy`, `serviceAccount` with `automountServiceAccountToken`, ...).
   * @internal
   */
  protected _podProps(track?: string): kplus.WorkloadProps {
    const r = this.resolved();
    return {
      select: false,
      podMetadata: { labels: this._objectLabels(track) },
      automountServiceAccountToken: false,
      terminationGracePeriod: r.lifecycle.gracePeriod,
      securityContext: hardenedPodContext(r.security),
    };
  }

  /**
   * Adds the hardened main container (`app`), its /tmp, and the patched fields (pod seccomp, probes,
   * priority, placement) to a kplus workload, and registers its pod for the synth-time checks.
   * @internal
   */
  protected _completePod(
    workload: kplus.AbstractPod, p: WorkloadProps, image: string, placement: RenderedPlacement, where: string,
    relaxations: PodRelaxations = {},
  ): kplus.Container {
    const r = this.resolved();
    const container = workload.addContainer({
      name: 'app',
      image,
      imagePullPolicy: defaultPullPolicy(image) as kplus.ImagePullPolicy,
      command: p.command,
      args: p.args,
      ports: r.port !== undefined ? [{ number: r.port, name: r.portName, protocol: kplus.Protocol.TCP }] : [],
      envVariables: Object.fromEntries(Object.entries(p.env ?? {}).map(([k, v]) => [k, kplus.EnvValue.fromValue(v)])),
      resources: r.demands._toResources(),
      securityContext: hardenedContainerContext(r.security),
      lifecycle: r.lifecycle.lifecycle.preStop || r.lifecycle.lifecycle.postStart ? r.lifecycle.lifecycle : undefined,
    });
    const tmp = kplus.Volume.fromEmptyDir(workload, 'Tmp', 'tmp', { sizeLimit: r.security.tmpSizeLimit });
    container.mount('/tmp', tmp);

    const patcher = new PodSpecPatcher(ApiObject.of(workload));
    patcher.setPodField('securityContext/seccompProfile', POD_SECCOMP);
    for (const [field, probe] of Object.entries(r.probes)) patcher.setContainerField(0, field, probe);
    // Extended resources (devices) only on the main container; cdk8s-plus-28 cannot express them.
    if (r.demands._hasExtended) patcher.setContainerField(0, 'resources', r.demands._toL1Resources());
    if (p.priorityClassName !== undefined) patcher.setPodField('priorityClassName', p.priorityClassName);
    for (const [field, value] of Object.entries(placement)) {
      if (value !== undefined) patcher.setPodField(field, value);
    }
    this.pods.push({ workload, where, relaxations });
    return container;
  }

  /**
   * Adds a container (sidecar, adapter, ambassador) to every pod of the workload, hardened like the
   * main one and with the workload's demands unless `options.demands` says otherwise.
   */
  public addContainer(options: WorkloadContainerOptions): void {
    this.addExtraContainer(options, false);
  }

  /**
   * Adds an init container, run to completion before the main containers start, to every pod of
   * the workload; hardened, and with the workload's demands unless `options.demands` says
   * otherwise (init containers count towards the pod's QoS class).
   */
  public addInitContainer(options: WorkloadContainerOptions): void {
    this.addExtraContainer(options, true);
  }

  private resolved(): ResolvedWorkload {
    if (!this._resolved) throw new Error(`${this.node.path}: internal error: _resolveWorkload was not called`);
    return this._resolved;
  }

  private addExtraContainer(o: WorkloadContainerOptions, init: boolean): void {
    const r = this.resolved();
    const method = init ? 'addInitContainer' : 'addContainer';
    const problems = new Problems(this);
    const opts = o ?? ({} as WorkloadContainerOptions);
    const at = `${method}(${JSON.stringify(opts.name)})`;
    checkDnsLabel(problems, `${at}.name`, opts.name);
    problems.check(!this.containerNames.has(opts.name), `${at}.name`, opts.name, 'must be unique in the pod');
    checkImage(problems, `${at}.image`, opts.image, opts.allowUnpinnedImage === true);
    checkPort(problems, `${at}.port`, opts.port);
    if (init) problems.check(opts.port === undefined, `${at}.port`, opts.port, 'does not apply to an init container');
    const portName = opts.portName ?? (typeof opts.name === 'string' ? opts.name.slice(0, 15).replace(/-+$/, '') : '');
    if (opts.port !== undefined) checkPortName(problems, `${at}.portName`, portName);
    for (const [prop, list] of [['command', opts.command], ['args', opts.args]] as const) {
      if (list === undefined) continue;
      problems.check(Array.isArray(list) && list.every((x) => typeof x === 'string'), `${at}.${prop}`, list, 'must be a list of strings');
    }
    for (const [k, v] of Object.entries(opts.env ?? {})) {
      problems.check(/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(k), `${at}.env key`, k,
        'must be a valid environment variable name (letters, digits, "_", "-", "."; not starting with a digit)');
      problems.check(typeof v === 'string', `${at}.env["${k}"]`, v, 'must be a string');
    }
    const demands = opts.demands ?? r.demands;
    if (demands instanceof Demands) demands._validate(problems, `${at}.demands`);
    else problems.add(`${at}.demands`, demands, 'must be created with Demands.guaranteed(), burstable() or bestEffort()');
    problems.throwIfAny();
    this.containerNames.add(opts.name);

    for (const { workload } of this.pods) {
      const props: kplus.ContainerProps = {
        name: opts.name,
        image: opts.image,
        imagePullPolicy: defaultPullPolicy(opts.image) as kplus.ImagePullPolicy,
        command: opts.command,
        args: opts.args,
        ports: opts.port !== undefined ? [{ number: opts.port, name: portName, protocol: kplus.Protocol.TCP }] : [],
        envVariables: Object.fromEntries(Object.entries(opts.env ?? {}).map(([k, v]) => [k, kplus.EnvValue.fromValue(v)])),
        resources: demands._toResources(),
        securityContext: hardenedContainerContext(r.security),
      };
      const container = init ? workload.addInitContainer(props) : workload.addContainer(props);
      const tmp = kplus.Volume.fromEmptyDir(workload, `Tmp-${opts.name}`, `tmp-${opts.name}`.slice(0, 63), { sizeLimit: r.security.tmpSizeLimit });
      container.mount('/tmp', tmp);
    }
  }

  /**
   * Checks rendered Services against the rendered pods of this workload: each selector must match
   * the pods of at least one workload object, and each target port must exist on every pod set the
   * selector matches (or part of the traffic fails). `services` pairs a prop name with a Service.
   * @internal
   */
  protected _checkServices(problems: Problems, services: Array<[string, kplus.Service | undefined]>): void {
    const pods = this.pods.map(({ workload }) => renderForChecks(ApiObject.of(workload))).map((json) => {
      const template = json.kind === 'CronJob' ? json.spec?.jobTemplate?.spec?.template : json.spec?.template;
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
          const found = (pod.spec.containers ?? []).some((c: any) =>
            (c.ports ?? []).some((cp: any) => cp.containerPort === target || cp.name === target));
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
    for (const { workload, where, relaxations } of this.pods) {
      const spec = podSpecOf(renderForChecks(ApiObject.of(workload)));
      if (!spec) continue;
      checkRenderedPodSpec(problems, spec, {
        restricted: true, where, allowHostPath: relaxations.hostPath, allowHostNetwork: relaxations.hostNetwork,
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
 * The pod spec of a rendered workload manifest (Deployment, StatefulSet, DaemonSet, Job, CronJob).
 * @internal
 */
export function podSpecOf(manifest: any): any {
  if (manifest?.kind === 'CronJob') return manifest.spec?.jobTemplate?.spec?.template?.spec;
  return manifest?.spec?.template?.spec;
}
