import { ApiObject, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { checkExposures, createExposures, exposureChecks, ExposureProps } from './service-exposure';
import { deferConstruction } from '../core/app-checks';
import { KNOWN_PROPS } from '../core/known-props';
import { selectorLabels } from '../core/labels';
import { checkDnsSubdomain, checkPort } from '../core/names';
import { addSynthValidation, renderForChecks } from '../core/synth-session';
import { checkInt, checkKnownKeys, isInt, isMap, Problems, renderValue } from '../core/validation';
import { DeploymentStrategy } from '../foundational/deployment-strategy';
import { DisruptionBudget } from '../foundational/disruption-budget';
import { HealthCheck, seconds } from '../foundational/health-check';
import { WorkloadContainerOptions } from '../pod/container';
import { definedEnvNames, EnvVariable, PodField } from '../pod/env';
import { ContainerRole } from '../workload/container';
import { apiAccessMount, API_THROUGH_HELPER, PatternWorkload, WorkloadProps } from '../workload/workload';

/** The Kubernetes workload that runs an out-of-application singleton. */
export enum SingletonWorkloadKind {
  /**
   * A StatefulSet of one replica: **at most one** pod. The StatefulSet controller creates pod
   * `<name>-0` again only after the old `<name>-0` is gone from the API server, so two never run
   * at once, not even while a node is unreachable (the pod stays, Terminating or Unknown, until the
   * node comes back, the node object is deleted, or an admin force-deletes the pod). The price is
   * availability: during a node partition the singleton stays down until then. Force-deleting the
   * pod (`kubectl delete pod --force --grace-period=0`) while its node may still run it breaks the
   * guarantee. A rollout whose new pod never becomes ready is not undone by reverting the
   * template alone: delete the broken pod too (the OrderedReady policy waits for it).
   * @see https://kubernetes.io/docs/tasks/run-application/force-delete-stateful-set-pod/
   */
  STATEFUL_SET = 'StatefulSet',
  /**
   * A Deployment of one replica with the Recreate strategy: **usually one, briefly two** pods.
   * Recreate waits for every old pod to terminate before a rollout starts the new version, so a
   * rollout never overlaps. But the ReplicaSet replaces a pod as soon as it is marked for deletion:
   * during an eviction or drain the old pod still runs its grace period while the new one starts,
   * and when a node is unreachable its pod is evicted (after 300 s by default) and replaced while
   * it may still run there. Use it only when a short overlap is harmless and availability matters more.
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#recreate-deployment
   */
  DEPLOYMENT = 'Deployment',
}

/** The families of the Singleton Service pattern: out of the application, and leader election in it or beside it. */
export enum SingletonLockingKind {
  /** Kubernetes keeps one instance running (one replica); the application knows nothing. */
  OUT_OF_APPLICATION = 'OutOfApplication',
  /** Several replicas run; the application elects a leader through a Lease and only it acts. */
  IN_APPLICATION = 'InApplication',
  /**
   * Several replicas run; an election container in every pod competes for the Lease, and the
   * application asks it on localhost who leads: the application needs no election code.
   */
  ELECTION_SIDECAR = 'ElectionSidecar',
}

/** Options of `SingletonLocking.outOfApplication()`. */
export interface OutOfApplicationLockingOptions {
  /**
   * The workload that runs the one instance, and so the guarantee: at most one (StatefulSet) or
   * usually one, briefly two (Deployment).
   * @default SingletonWorkloadKind.STATEFUL_SET
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#deployment-and-scaling-guarantees
   */
  readonly kind?: SingletonWorkloadKind;
}

/** Options of `SingletonLocking.inApplication()`. */
export interface InApplicationLockingOptions {
  /**
   * Replicas of the Deployment: one leader and `replicas - 1` hot standbys. At least 2 (one
   * replica needs no election: use `SingletonLocking.outOfApplication()`).
   * @default 2
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/deployment/
   */
  readonly replicas?: number;
  /**
   * Name of the `coordination.k8s.io/v1` Lease the replicas compete for (a DNS-1123 subdomain).
   * @default - `<name>-leader`
   * @see https://kubernetes.io/docs/concepts/architecture/leases/
   */
  readonly leaseName?: string;
  /**
   * How long a leader holds the Lease without renewing it; also how long a crashed leader's work
   * stays undone before a standby takes over. Passed to the app as `LEASE_DURATION_SECONDS` and
   * written to the pre-created Lease. Whole seconds, at least 1.
   * @default Duration.seconds(15) (client-go's recommended default)
   * @see https://pkg.go.dev/k8s.io/client-go/tools/leaderelection#LeaderElectionConfig
   */
  readonly leaseDuration?: Duration;
}

/** Options of `SingletonLocking.electionSidecar()`. */
export interface ElectionSidecarLockingOptions extends InApplicationLockingOptions {
  /**
   * The election container, added to every pod. It must run a Lease election (e.g. client-go's
   * `leaderelection` with a `LeaseLock`) on the Lease `$(LEASE_NAME)` in `$(POD_NAMESPACE)` with
   * the identity `$(POD_NAME)` and the lease duration `$(LEASE_DURATION_SECONDS)`: it gets these
   * four variables (refer to them in `args`, Kubernetes expands them), and the pod's only
   * ServiceAccount token. It answers on `port` who leads (the application's `ELECTION_URL`), and
   * needs `health`: an elector that listens on 127.0.0.1 cannot be probed by the kubelet on that
   * port, so say how to probe it (another port, `HealthCheck.exec()`, or `HealthCheck.none()`).
   */
  readonly sidecar: WorkloadContainerOptions;
  /**
   * Run the election container as a native sidecar (an init container with
   * `restartPolicy: Always`): it starts before the application, so the first question on
   * localhost finds it. Needs Kubernetes 1.29 or later (1.28 with the `SidecarContainers`
   * feature gate). With `false`, the application must retry until the elector answers.
   * @default false
   */
  readonly native?: boolean;
}

/** What a locking choice resolves to. */
interface ResolvedLocking {
  readonly kind: SingletonLockingKind;
  readonly workloadKind: SingletonWorkloadKind;
  readonly replicas: number;
  readonly leaseName: string;
  readonly leaseDurationSeconds: number;
  /** The election container, for `ELECTION_SIDECAR`. */
  readonly sidecar?: WorkloadContainerOptions;
  readonly native: boolean;
}

/** Environment variables the in-application family sets on the main container (and the election sidecar family on the elector). */
const LEADER_ENV = ['POD_NAME', 'POD_NAMESPACE', 'LEASE_NAME', 'LEASE_DURATION_SECONDS'];
/** Environment variables the election sidecar family sets on the main container. */
const ELECTION_ENV = ['POD_NAME', 'ELECTION_URL'];

/**
 * How a Singleton Service makes sure only one instance is active: out of the application
 * (Kubernetes runs one pod) or in the application (leader election over a Lease).
 * @see https://kubernetes.io/docs/concepts/architecture/leases/
 */
export class SingletonLocking {
  /**
   * Out-of-application locking: Kubernetes runs exactly one replica, and the application needs no
   * locking code. A StatefulSet (the default) gives "at most one"; a Deployment with Recreate gives
   * "usually one, briefly two" (see `SingletonWorkloadKind`). There is no standby: after a crash
   * or an eviction the singleton is down until its replacement is ready.
   */
  public static outOfApplication(options: OutOfApplicationLockingOptions = {}): SingletonLocking {
    return new SingletonLocking(SingletonLockingKind.OUT_OF_APPLICATION, options ?? {});
  }

  /**
   * In-application locking (leader election): a Deployment of `replicas` pods that compete for one
   * `coordination.k8s.io/v1` Lease, e.g. with client-go's `leaderelection` and a `LeaseLock`
   * (controller-runtime's default lock since v0.12). Only the holder of the Lease acts; the others
   * are hot standbys and take over about `leaseDuration` after the leader dies (at once when a
   * leader that shuts down releases the Lease, e.g. client-go's `ReleaseOnCancel`).
   *
   * The main container gets `POD_NAME` (use it as the holder identity), `POD_NAMESPACE`,
   * `LEASE_NAME` and `LEASE_DURATION_SECONDS`. The pods run as the workload's ServiceAccount with
   * API access (`apiAccess`: a bound token in a projected volume at the standard path, while
   * `automountServiceAccountToken` stays false, and egress to the API server), bound to a Role that allows only `get` and `update` on
   * that one Lease. The Lease is created with the app, because RBAC cannot restrict `create` by
   * resource name (Kubernetes ignores `resourceNames` for `create`): granting `create` would allow
   * every Lease in the namespace. So if the Lease is deleted, the election stops until it is
   * re-applied. An app that also records leader events needs `create` on `events` (not granted).
   *
   * Leader election is a lease, not a fencing token: client-go's leader steps down when it cannot
   * renew within its renew deadline (shorter than the lease duration), but a process that is paused
   * (a long GC pause, CPU starvation) or whose clock runs slow can still act for a moment after a
   * standby has taken over. Make the work idempotent, or fence it where two actors would do harm.
   * @see https://pkg.go.dev/k8s.io/client-go/tools/leaderelection
   */
  public static inApplication(options: InApplicationLockingOptions = {}): SingletonLocking {
    return new SingletonLocking(SingletonLockingKind.IN_APPLICATION, options ?? {});
  }

  /**
   * Leader election through an election sidecar: as `inApplication()` (a Deployment of
   * `replicas` pods, one Lease created with the app, a Role that allows only `get` and `update` on
   * it), but the election runs in a container beside the application, so the application itself
   * needs no election code and no API access. It asks the elector who leads, on
   * `ELECTION_URL` (`http://127.0.0.1:<sidecar.port>`), and compares the answer with its own
   * `POD_NAME`; only the leader acts.
   *
   * The elector holds the pod's only ServiceAccount token (the application's container gets none)
   * and gets `POD_NAME`, `POD_NAMESPACE`, `LEASE_NAME` and `LEASE_DURATION_SECONDS`. Any elector
   * built on client-go's `leaderelection` with a `LeaseLock` works: it gets the Lease, which
   * exists, and updates it; it cannot create Leases (RBAC cannot restrict `create` to one name).
   *
   * What it costs: one more container per pod (its requests count towards the pod's), and the
   * answer is only as fresh as the application's last question: a leader that cannot reach the
   * API server stops renewing, and the elector's answer changes about `leaseDuration` later, so
   * ask before every unit of work and make the work idempotent (a lease is not a fencing token).
   * @see https://kubernetes.io/blog/2016/01/simple-leader-election-with-kubernetes/
   */
  public static electionSidecar(options: ElectionSidecarLockingOptions): SingletonLocking {
    return new SingletonLocking(SingletonLockingKind.ELECTION_SIDECAR, options);
  }

  private constructor(
    /** Which family of locking this is. */
    public readonly kind: SingletonLockingKind,
    private readonly options: any,
  ) {}

  /**
   * Validates the options into `problems` and resolves the defaults for a singleton named `name`.
   * @internal
   */
  public _resolve(name: string, problems: Problems, prop: string): ResolvedLocking {
    if (this.kind === SingletonLockingKind.OUT_OF_APPLICATION) {
      const o: OutOfApplicationLockingOptions = this.options;
      checkKnownKeys(problems, `${prop}.outOfApplication.`, o, KNOWN_PROPS.OutOfApplicationLockingOptions, 'OutOfApplicationLockingOptions');
      const kind = o.kind ?? SingletonWorkloadKind.STATEFUL_SET;
      const ok = problems.check(Object.values(SingletonWorkloadKind).includes(kind), `${prop}.outOfApplication.kind`, kind,
        'must be SingletonWorkloadKind.STATEFUL_SET or SingletonWorkloadKind.DEPLOYMENT');
      return {
        kind: this.kind,
        workloadKind: ok ? kind : SingletonWorkloadKind.STATEFUL_SET,
        replicas: 1,
        leaseName: '',
        leaseDurationSeconds: 0,
        native: false,
      };
    }
    const sidecarFamily = this.kind === SingletonLockingKind.ELECTION_SIDECAR;
    const at = `${prop}.${sidecarFamily ? 'electionSidecar' : 'inApplication'}`;
    const o: ElectionSidecarLockingOptions = this.options ?? ({} as ElectionSidecarLockingOptions);
    if (typeof o !== 'object') problems.add(at, o, 'must be an object of options');
    const iface = sidecarFamily ? 'ElectionSidecarLockingOptions' : 'InApplicationLockingOptions';
    checkKnownKeys(problems, `${at}.`, o, KNOWN_PROPS[iface], iface);
    if (sidecarFamily) {
      const c = o.sidecar;
      if (c === null || typeof c !== 'object') {
        problems.add(`${at}.sidecar`, c, 'is required: the election container ({ name, image, port, health })');
      } else {
        if (c.port === undefined) problems.add(`${at}.sidecar.port`, c.port, 'is required: the application asks the elector on 127.0.0.1:<port> who leads');
        else checkPort(problems, `${at}.sidecar.port`, c.port);
        problems.check(c.health !== undefined, `${at}.sidecar.health`, c.health,
          'is required: an elector that listens on 127.0.0.1 cannot be probed by the kubelet (which probes the pod IP), so a default TCP '
          + 'probe could always fail; probe another port (e.g. its metrics or probe port), use HealthCheck.exec(), or opt out with HealthCheck.none()');
        for (const [k, envProp] of definedEnvNames(c.env, c.envVariables)) {
          problems.check(!LEADER_ENV.includes(k), `${at}.sidecar.${envProp}`, k, `must not be one of ${LEADER_ENV.join(', ')}: the election sets them`);
        }
      }
      problems.check(o.native === undefined || typeof o.native === 'boolean', `${at}.native`, o.native, 'must be true or false');
    } else if (this.kind !== SingletonLockingKind.IN_APPLICATION) {
      problems.add(prop, this.kind, 'must be created with SingletonLocking.outOfApplication(), inApplication() or electionSidecar()');
    }
    const replicas = o.replicas ?? 2;
    if (!isInt(replicas)) {
      problems.add(`${at}.replicas`, replicas, 'must be an integer');
    } else if (replicas < 2) {
      problems.add(`${at}.replicas`, replicas,
        'must be at least 2 (a leader and a standby); for one replica use SingletonLocking.outOfApplication()');
    } else {
      checkInt(problems, `${at}.replicas`, replicas, 2);
    }
    if (o.leaseName !== undefined) checkDnsSubdomain(problems, `${at}.leaseName`, o.leaseName);
    const duration = seconds(problems, `${at}.leaseDuration`, o.leaseDuration, 1) ?? 15;
    return {
      kind: this.kind,
      workloadKind: SingletonWorkloadKind.DEPLOYMENT,
      replicas: isInt(replicas) && replicas >= 2 ? replicas : 2,
      leaseName: o.leaseName ?? `${name}-leader`,
      leaseDurationSeconds: duration,
      sidecar: sidecarFamily ? o.sidecar : undefined,
      native: o.native === true,
    };
  }
}

/** Props of a `SingletonService`. */
export interface SingletonServiceProps extends WorkloadProps, ExposureProps {
  /**
   * How only one instance is active: `SingletonLocking.outOfApplication()` (one replica, Kubernetes
   * guarantees it), `SingletonLocking.inApplication()` (leader election among several replicas) or
   * `SingletonLocking.electionSidecar()` (the same election, run by a container beside the app).
   * @see https://kubernetes.io/docs/concepts/architecture/leases/
   */
  readonly locking: SingletonLocking;
  /**
   * The port the container listens on. When set, a ClusterIP Service `<name>` exposes it (with a
   * stable virtual IP, unlike the pod IP, which changes whenever the singleton is rescheduled) and
   * probes default to it.
   * @default - no port and no client Service
   * @see https://kubernetes.io/docs/concepts/services-networking/service/
   */
  readonly port?: number;
  /**
   * Name of the port (an IANA service name: at most 15 characters).
   * @default 'http'
   * @see https://kubernetes.io/docs/concepts/services-networking/service/#multi-port-services
   */
  readonly portName?: string;
  /**
   * Budget for voluntary disruptions (drains). A budget that blocks every eviction is rejected,
   * e.g. `DisruptionBudget.minAvailable(1)` on one replica: it would block node drains forever.
   * @default - none for one replica (a budget could only block drains); DisruptionBudget.maxUnavailable(1) for leader election
   * @see https://kubernetes.io/docs/tasks/run-application/configure-pdb/
   */
  readonly disruptionBudget?: DisruptionBudget;
}

/**
 * Singleton Service: only one instance of the application is active at a time, with both families
 * of the pattern.
 *
 * **Out of application** (`SingletonLocking.outOfApplication()`): one replica, which Kubernetes
 * keeps running.
 * - `STATEFUL_SET` (default): StatefulSet `<name>` of 1 replica ("at most one"), its governing
 *   headless Service `<name>-headless` (`clusterIP: None`, selecting the pod; required by the
 *   StatefulSet's `serviceName`, giving the pod the DNS name `<name>-0.<name>-headless`).
 * - `DEPLOYMENT`: Deployment `<name>` of 1 replica with the Recreate strategy ("usually one,
 *   briefly two").
 * No PodDisruptionBudget by default: on one replica it could only block node drains.
 *
 * **In application** (`SingletonLocking.inApplication()`): Deployment `<name>` of N ≥ 2 replicas,
 * Lease `<name>-leader`, ServiceAccount `<name>`, Role and RoleBinding `<name>-leader-election`
 * (get and update on that Lease only), and a PodDisruptionBudget `<name>` with `maxUnavailable: 1`.
 *
 * **Election sidecar** (`SingletonLocking.electionSidecar()`): the same objects, plus the election
 * container in every pod; it holds the token, and the app asks it on `ELECTION_URL` who leads.
 *
 * With a `port`, a ClusterIP Service `<name>` selects **every** replica. For leader election
 * this means followers receive requests too: they must serve them (read-only work), forward them
 * to the leader, or refuse them with a retriable error (HTTP 503, gRPC UNAVAILABLE). Do not fail
 * readiness on followers: the rolling update (maxUnavailable 0) would wait for new pods that never
 * become ready, and the PodDisruptionBudget would count the followers as disrupted and block
 * draining the leader's node.
 *
 * @example
 * new SingletonService(chart, 'scheduler', {
 *   image: 'ghcr.io/acme/scheduler:2.0.1',
 *   locking: SingletonLocking.outOfApplication(),
 * });
 */
export class SingletonService extends PatternWorkload {
  /** The locking choice in force. */
  public readonly locking!: SingletonLocking;
  /** Replicas of the workload: 1 out of application, N for leader election. */
  public readonly replicas!: number;
  /** The workload that runs the pods: `statefulSet` or `deployment`. */
  public readonly workload!: kplus.Workload;
  /** The StatefulSet, for `SingletonWorkloadKind.STATEFUL_SET`. */
  public readonly statefulSet?: kplus.StatefulSet;
  /** The Deployment, for `SingletonWorkloadKind.DEPLOYMENT` and for leader election. */
  public readonly deployment?: kplus.Deployment;
  /**
   * The headless Service the StatefulSet's `serviceName` names, for `SingletonWorkloadKind.STATEFUL_SET`.
   * Its selector is rendered as name and instance, whatever is added to it through cdk8s-plus.
   */
  public readonly headlessService?: kplus.Service;
  /** The ClusterIP Service clients use, when the singleton has a port. */
  public readonly service?: kplus.Service;
  /** The NodePort and LoadBalancer Services of `exposures`, in order. */
  public readonly exposedServices!: kplus.Service[];
  /** The `coordination.k8s.io/v1` Lease, for leader election. */
  public readonly lease?: ApiObject;
  /** Name of the Lease, for leader election. */
  public readonly leaseName?: string;
  /**
   * Where the application asks the election sidecar who leads (`http://127.0.0.1:<port>`, also
   * its `ELECTION_URL`), for `SingletonLocking.electionSidecar()`.
   */
  public readonly electionUrl?: string;
  /** The Role that allows get and update on the Lease, for leader election. */
  public readonly role?: kplus.Role;
  /** The RoleBinding of the Role to the ServiceAccount, for leader election. */
  public readonly roleBinding?: kplus.RoleBinding;
  /** The PodDisruptionBudget, if any. */
  public readonly disruptionBudget?: ApiObject;

  private readonly outOfApplication!: boolean;

  constructor(scope: Construct, id: string, props: SingletonServiceProps) {
    super(scope, id, props);
    try {
      const p: SingletonServiceProps = props ?? ({} as SingletonServiceProps);
      const problems = new Problems(this);

      // ---- locking first: it decides the workload kind, and so the longest derived name
      if (!(p.locking instanceof SingletonLocking)) {
        problems.add('locking', p.locking,
          'must be created with SingletonLocking.outOfApplication(), SingletonLocking.inApplication() or SingletonLocking.electionSidecar()');
        problems.throwIfAny();
      }
      this.locking = p.locking;
      const lock = p.locking._resolve(this.name, problems, 'locking');
      this.outOfApplication = lock.kind === SingletonLockingKind.OUT_OF_APPLICATION;
      this.replicas = lock.replicas;
      const isStatefulSet = lock.workloadKind === SingletonWorkloadKind.STATEFUL_SET;

      // ---- shared workload props. A StatefulSet's pods carry the label
      // controller-revision-hash=<name>-<10-character hash>, which must fit in 63: name <= 52.
      const viaSidecar = lock.kind === SingletonLockingKind.ELECTION_SIDECAR;
      // With an election sidecar, the elector holds the pod's only token (the app's container gets none).
      this._resolveWorkload(viaSidecar ? { ...p, [API_THROUGH_HELPER]: true } as SingletonServiceProps : p, {
        port: p.port,
        portName: p.portName,
        defaultHealth: p.port !== undefined ? HealthCheck.tcp() : HealthCheck.none(),
        propsInterface: 'SingletonServiceProps',
        foreignProps: ['replicas', 'strategy'],
        nameIsServiceName: true,
        longestSuffix: isStatefulSet ? 11 : 0,
        apiAccess: !this.outOfApplication,
      }, problems);
      // Props of StatelessService that a JavaScript caller might carry over: the locking decides them.
      for (const prop of ['replicas', 'strategy']) {
        problems.check((p as any)[prop] === undefined, prop, (p as any)[prop],
          'is not a prop of SingletonService: the locking decides it (SingletonLocking.inApplication({ replicas }) for standbys)');
      }
      if (!this.outOfApplication) {
        const reserved = viaSidecar ? ELECTION_ENV : LEADER_ENV;
        for (const [k, prop] of definedEnvNames(p.env, p.envVariables)) {
          problems.check(!reserved.includes(k), prop, k, `must not be one of ${reserved.join(', ')}: leader election sets them`);
        }
        if (viaSidecar && lock.sidecar?.port !== undefined) {
          problems.check(lock.sidecar.port !== p.port, 'locking.electionSidecar.sidecar.port', lock.sidecar.port,
            `must differ from port (${renderValue(p.port)}): both listen in one pod`);
        }
        if (viaSidecar) {
          problems.check(p.apiAccess === undefined, 'apiAccess', p.apiAccess,
            'does not apply with SingletonLocking.electionSidecar(): the elector holds the pod\'s token, and the app needs none');
          (Array.isArray(p.mounts) ? p.mounts : []).forEach((m, i) => problems.check(m?.volume !== apiAccessMount().volume, `mounts[${i}].volume`, m?.volume,
            'must not be the ServiceAccount token: with an election sidecar only the elector holds it (the app asks the elector)'));
        }
      }

      const selector = selectorLabels(this._identity);
      checkExposures(p, this.name, p.port, problems);
      const placement = this._resolvePlacement(p, lock.replicas, selector, problems);
      const budget = p.disruptionBudget ?? (lock.replicas > 1 ? DisruptionBudget.maxUnavailable(1) : DisruptionBudget.none());
      if (!(budget instanceof DisruptionBudget)) {
        problems.add('disruptionBudget', budget, 'must be created with DisruptionBudget.maxUnavailable(), minAvailable(), ... or none()');
        problems.throwIfAny();
      }
      const budgetSpec = budget._render(lock.replicas, problems, 'disruptionBudget');
      // The elector is added once the pods exist; its options are checked now, so that the one error lists their problems too.
      const elector = viaSidecar && lock.sidecar !== null && typeof lock.sidecar === 'object' ? electorOptions(lock) : undefined;
      if (elector) this._checkContainer(problems, elector.options, elector.role, ELECTOR_PROP);
      problems.throwIfAny();

      // ---- objects
      const portName = p.portName ?? 'http';
      if (!this.outOfApplication) {
        this.leaseName = lock.leaseName;
        this.lease = new kplus.k8s.KubeLease(this, 'Lease', {
          metadata: { name: lock.leaseName, labels: this._objectLabels() },
          spec: { leaseDurationSeconds: lock.leaseDurationSeconds },
        });
        this.role = new kplus.Role(this, 'Role', {
          metadata: { name: `${this.name}-leader-election`, labels: this._objectLabels() },
        });
        const leaseResource: kplus.IApiResource = { apiGroup: 'coordination.k8s.io', resourceType: 'leases', resourceName: lock.leaseName };
        this.role.allow(['get', 'update'], leaseResource);
        this.roleBinding = new kplus.RoleBinding(this, 'RoleBinding', {
          metadata: { name: `${this.name}-leader-election`, labels: this._objectLabels() },
          role: this.role,
        });
        this.roleBinding.addSubjects(this.serviceAccount);
      }

      const podProps: kplus.WorkloadProps = this._podProps();
      let where: string;
      if (isStatefulSet) {
        this.headlessService = this._createHeadlessService(p.port, portName, selector);
        this.statefulSet = new kplus.StatefulSet(this, 'Resource', {
          ...podProps,
          metadata: this._workloadMetadata(p, this.name),
          replicas: 1,
          service: this.headlessService,
        });
        this.workload = this.statefulSet;
        where = 'statefulSet.spec.template.spec';
      } else {
        this.deployment = new kplus.Deployment(this, 'Resource', {
          ...podProps,
          metadata: this._workloadMetadata(p, this.name),
          replicas: lock.replicas,
          // One replica: stop the old pod before starting the new one. Leader election: a
          // zero-downtime rolling update keeps a standby ready to take over from the leader.
          strategy: (this.outOfApplication ? DeploymentStrategy.recreate() : DeploymentStrategy.rollingUpdate())._toKplus(),
        });
        this.workload = this.deployment;
        where = 'deployment.spec.template.spec';
      }
      this.workload.select(kplus.LabelSelector.of({ labels: selector }));
      const container = this._completePod(this.workload, p, p.image, placement, where);
      if (viaSidecar) {
        const sidecar = lock.sidecar!;
        // 127.0.0.1, not localhost: a client that resolves localhost to ::1 first would miss an elector bound to 127.0.0.1.
        this.electionUrl = `http://127.0.0.1:${sidecar.port}`;
        container.env.addVariable('POD_NAME', kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAME));
        container.env.addVariable('ELECTION_URL', kplus.EnvValue.fromValue(this.electionUrl));
        this._change(problems, (changes) => changes.container(elector!.options, elector!.role, ELECTOR_PROP));
        problems.throwIfAny();
      } else if (!this.outOfApplication) {
        container.env.addVariable('POD_NAME', kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAME));
        container.env.addVariable('POD_NAMESPACE', kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAMESPACE));
        container.env.addVariable('LEASE_NAME', kplus.EnvValue.fromValue(lock.leaseName));
        container.env.addVariable('LEASE_DURATION_SECONDS', kplus.EnvValue.fromValue(String(lock.leaseDurationSeconds)));
      }

      if (p.port !== undefined) {
        this.service = new kplus.Service(this, 'Service', {
          metadata: { name: this.name, labels: this._objectLabels() },
          type: kplus.ServiceType.CLUSTER_IP,
          ports: [{ name: portName, port: p.port, targetPort: p.port, protocol: kplus.Protocol.TCP }],
        });
        for (const [k, v] of Object.entries(selector)) this.service.selectLabel(k, v);
      }
      this.exposedServices = createExposures(p, {
        scope: this, name: this.name, labels: this._objectLabels(), selector, port: p.port, servicePort: undefined, portName,
      }, [this.service]);

      if (budgetSpec !== undefined) {
        this.disruptionBudget = this._createBudget('Budget', this.name, selector, budgetSpec);
      }

      addSynthValidation(this, () => this.validateRendered());
    } catch (e) {
      return deferConstruction(this, e);
    }
  }

  /**
   * Checks the rendered objects, after everything added or patched since construction: one
   * replica out of application (no autoscaler), a StatefulSet whose serviceName names its headless
   * Service, and Services whose selectors and target ports match the pods.
   */
  private validateRendered(): string[] {
    const problems = new Problems(this);
    const kind = this.statefulSet ? 'statefulSet' : 'deployment';
    const workload = renderForChecks(ApiObject.of(this.workload));
    if (this.outOfApplication) {
      problems.check(workload.spec.replicas === 1, `${kind}.spec.replicas`, workload.spec.replicas,
        'must be 1: an out-of-application singleton runs exactly one pod (no autoscaler, no patch may change it)');
    }
    if (this.headlessService) {
      const headless = renderForChecks(ApiObject.of(this.headlessService));
      problems.check(workload.spec.serviceName === headless.metadata.name, 'statefulSet.spec.serviceName', workload.spec.serviceName,
        `must name the headless Service of this singleton ("${headless.metadata.name}")`);
      problems.check(headless.spec.clusterIP === 'None', 'headlessService.spec.clusterIP', headless.spec.clusterIP,
        'must be "None": the StatefulSet\'s serviceName must point at a headless Service');
      problems.check((headless.spec.type ?? 'ClusterIP') === 'ClusterIP', 'headlessService.spec.type', headless.spec.type,
        'must be ClusterIP: a headless Service cannot be NodePort or LoadBalancer');
    }
    this._checkServices(problems, [
      ['service', this.service], ['headlessService', this.headlessService],
      ...exposureChecks(this.exposedServices),
    ]);
    return problems.messages();
  }

  /** @internal */
  protected _whyNotScalable(): string {
    return 'a singleton runs one active pod by design, and an autoscaler would start more';
  }

  /** The Service, when the singleton has one. @internal */
  public _exposingServices(): kplus.Service[] {
    return this.service ? [this.service] : [];
  }
}


/** The prop prefix of the election container in messages. */
const ELECTOR_PROP = 'locking.electionSidecar.sidecar.';

/**
 * The election container as added to the pods: the user's options, with the election's variables
 * (the user's own first, so that their indexes in messages are the user's) and the token mount.
 * What is not a list or a map is passed on as given, for the container's own checks to report.
 */
function electorOptions(lock: ResolvedLocking): { options: WorkloadContainerOptions; role: ContainerRole } {
  const sidecar = lock.sidecar!;
  return {
    role: lock.native ? ContainerRole.NATIVE_SIDECAR : ContainerRole.SIDECAR,
    options: {
      ...sidecar,
      envVariables: sidecar.envVariables === undefined || Array.isArray(sidecar.envVariables) ? [
        ...(sidecar.envVariables ?? []),
        EnvVariable.fromPodField('POD_NAME', PodField.NAME),
        EnvVariable.fromPodField('POD_NAMESPACE', PodField.NAMESPACE),
      ] : sidecar.envVariables,
      env: sidecar.env === undefined || isMap(sidecar.env)
        ? { LEASE_NAME: lock.leaseName, LEASE_DURATION_SECONDS: String(lock.leaseDurationSeconds), ...(sidecar.env ?? {}) }
        : sidecar.env,
      mounts: sidecar.mounts === undefined || Array.isArray(sidecar.mounts) ? [...(sidecar.mounts ?? []), apiAccessMount()] : sidecar.mounts,
    },
  };
}
