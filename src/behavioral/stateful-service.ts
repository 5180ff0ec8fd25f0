import { ApiObject, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { checkExposures, createExposures, exposureChecks, ExposureProps } from './service-exposure';
import { deferConstruction } from '../core/app-checks';
import { selectorLabels } from '../core/labels';
import { checkDnsLabel } from '../core/names';
import { PodSpecPatcher } from '../core/patch';
import { addSynthValidation } from '../core/synth-session';
import { checkInt, isInt, Problems } from '../core/validation';
import { DisruptionBudget } from '../foundational/disruption-budget';
import { HealthCheck, seconds } from '../foundational/health-check';
import { ClaimOptions, renderClaimSpec, VolumeMode } from '../storage/persistent-volume-claim';
import { PatternWorkload, ScaleTarget, WorkloadProps } from '../workload/workload';

/** A volume claim template: one PersistentVolumeClaim per pod, kept across restarts and rescheduling. */
export interface ClaimTemplate extends ClaimOptions {
  /**
   * Name of the template, mounted like a volume (`mounts: [{ volume: name, path }]`). Each pod's
   * claim is named `<name>-<statefulset>-<ordinal>`.
   */
  readonly name: string;
}

/** What happens to the claims of the pods. */
export enum ClaimRetention {
  /** Keep the claims (and the data): the default of Kubernetes. */
  RETAIN = 'Retain',
  /** Delete the claims (and, with a Delete reclaim policy, the data). */
  DELETE = 'Delete',
}

/** When the claims of a StatefulSet's pods are deleted. */
export interface ClaimRetentionPolicy {
  /**
   * When the StatefulSet is deleted.
   * @default ClaimRetention.RETAIN
   */
  readonly whenDeleted?: ClaimRetention;
  /**
   * When it is scaled down (the claims of the removed ordinals).
   * @default ClaimRetention.RETAIN
   */
  readonly whenScaled?: ClaimRetention;
}

/** In which order pods are started and stopped. */
export enum PodManagementPolicy {
  /** One at a time, in ordinal order, each Ready before the next (peers join a cluster one by one). */
  ORDERED_READY = 'OrderedReady',
  /** All at once (peers that find each other themselves). Updates still go one pod at a time. */
  PARALLEL = 'Parallel',
}

/** Options of a rolling update of a StatefulSet. */
export interface StatefulRollingUpdateOptions {
  /**
   * Only pods with an ordinal of at least `partition` are updated: a staged rollout (set it to
   * replicas - 1 to update the last pod only, then lower it).
   * @default 0
   */
  readonly partition?: number;
}

/** How a StatefulService replaces its pods with a new version. */
export class StatefulUpdateStrategy {
  /** Replace pods one at a time, from the highest ordinal down, each Ready before the next. */
  public static rollingUpdate(options: StatefulRollingUpdateOptions = {}): StatefulUpdateStrategy {
    return new StatefulUpdateStrategy('RollingUpdate', options?.partition);
  }

  /** Never replace pods by themselves: a pod gets the new version when it is deleted (by an operator or a person). */
  public static onDelete(): StatefulUpdateStrategy {
    return new StatefulUpdateStrategy('OnDelete', undefined);
  }

  private constructor(
    /** `RollingUpdate` or `OnDelete`. */
    public readonly kind: string,
    /** The partition of a rolling update. */
    public readonly partition?: number,
  ) {}
}

/** Props of a `StatefulService`. */
export interface StatefulServiceProps extends WorkloadProps, ExposureProps {
  /**
   * The port the container listens on: on the headless Service (for peers) and the client Service.
   * @default - no port
   */
  readonly port?: number;
  /**
   * Name of the port.
   * @default 'http'
   */
  readonly portName?: string;
  /**
   * Number of pods.
   * @default 3
   */
  readonly replicas?: number;
  /**
   * Leave `spec.replicas` out for an autoscaler to manage (a re-apply then keeps its choice);
   * `replicas` still sizes the budget and the peer list.
   * @default false
   */
  readonly autoscaled?: boolean;
  /**
   * Storage per pod: each template makes one claim per pod, which follows the pod (same ordinal)
   * across restarts and nodes. Mount it with `mounts: [{ volume: '<name>', path }]`.
   * @default - no claims
   */
  readonly volumeClaimTemplates?: ClaimTemplate[];
  /**
   * Whether the claims are deleted with the StatefulSet or on scale-down.
   * @default - both retained (Kubernetes' default)
   */
  readonly claimRetention?: ClaimRetentionPolicy;
  /**
   * Order in which pods start and stop.
   * @default PodManagementPolicy.ORDERED_READY
   */
  readonly podManagementPolicy?: PodManagementPolicy;
  /**
   * How a new version replaces the pods.
   * @default StatefulUpdateStrategy.rollingUpdate()
   */
  readonly updateStrategy?: StatefulUpdateStrategy;
  /**
   * Time a new pod must be Ready before it counts as available.
   * @default Duration.seconds(0)
   */
  readonly minReady?: Duration;
  /**
   * Publish the DNS records of pods that are not Ready yet on the headless Service: peers can then
   * find each other while they start (e.g. to form a cluster).
   * @default false
   */
  readonly publishNotReadyAddresses?: boolean;
  /**
   * A ClusterIP Service named after the workload, balancing clients over the Ready pods (needs a port).
   * @default true when there is a port
   */
  readonly clientService?: boolean;
  /**
   * Budget for voluntary disruptions (drains).
   * @default - DisruptionBudget.maxUnavailable(1) with more than one replica
   */
  readonly disruptionBudget?: DisruptionBudget;
}

/**
 * Stateful Service: a StatefulSet whose pods have a stable identity (ordinal names `<name>-0`,
 * `<name>-1`, ...), stable DNS names through the governing headless Service, and storage of their
 * own (volume claim templates) that follows them across restarts and nodes; started, scaled and
 * updated one at a time by default. A client Service balances over the Ready pods.
 *
 * The headless Service is named `<name>-headless`, so a pod is reachable at
 * `<name>-<ordinal>.<name>-headless.<namespace>.svc.cluster.local` (`podDnsNames()`), e.g. for a
 * seed list in the environment of its peers. The NetworkPolicy lets the pods reach each other on
 * every port (replication, cluster membership); clients still need an allow rule of their own.
 *
 * @example
 * new StatefulService(chart, 'kv', {
 *   image: 'ghcr.io/acme/kv:3.1.0',
 *   port: 7000,
 *   replicas: 3,
 *   volumeClaimTemplates: [{ name: 'data', size: Size.gibibytes(10) }],
 *   mounts: [{ volume: 'data', path: '/var/lib/kv' }],
 * });
 */
export class StatefulService extends PatternWorkload {
  /** The StatefulSet. */
  public readonly statefulSet!: kplus.StatefulSet;
  /** The governing headless Service (`clusterIP: None`), which gives each pod its DNS name. */
  public readonly headlessService!: kplus.Service;
  /** The client Service, when there is one. */
  public readonly service?: kplus.Service;
  /** The PodDisruptionBudget, when there is one. */
  public readonly disruptionBudget?: ApiObject;
  /** Number of pods. */
  public readonly replicas!: number;
  /** Name of the headless Service. */
  public readonly headlessServiceName!: string;
  /** The NodePort and LoadBalancer Services of `exposures`, in order. */
  public readonly exposedServices!: kplus.Service[];
  /** What an autoscaler needs to know of the props. */
  private readonly scaling!: { readonly givenReplicas?: number; readonly budget?: DisruptionBudget };


  constructor(scope: Construct, id: string, props: StatefulServiceProps) {
    super(scope, id, props);
    try {
      const p: StatefulServiceProps = props ?? ({} as StatefulServiceProps);
      const problems = new Problems(this);
      const templates = Array.isArray(p.volumeClaimTemplates) ? p.volumeClaimTemplates : [];
      if (p.volumeClaimTemplates !== undefined && !Array.isArray(p.volumeClaimTemplates)) {
        problems.add('volumeClaimTemplates', p.volumeClaimTemplates, 'must be a list of { name, size, accessModes, storageClassName, volumeMode }');
      }
      this._resolveWorkload(p, {
        port: p.port,
        portName: p.portName,
        defaultHealth: p.port !== undefined ? HealthCheck.tcp() : HealthCheck.none(),
        propsInterface: 'StatefulServiceProps',
        nameIsServiceName: true,
        // "-headless", and the pods' controller-revision-hash label "<name>-<10 characters>" must fit 63
        longestSuffix: 11,
        claimTemplates: templates.map((t, i) => ({ name: t?.name, prop: `volumeClaimTemplates[${i}].name` })),
      }, problems);

      checkInt(problems, 'replicas', p.replicas, 0);
      // A replicas that is no integer is reported; the relations below (partition, budget) use the default.
      this.replicas = isInt(p.replicas) ? p.replicas : 3;
      const claims = templates.map((t, i) => {
        const at = `volumeClaimTemplates[${i}].`;
        checkDnsLabel(problems, `${at}name`, t?.name);
        const spec = renderClaimSpec(t, problems, at);
        problems.check(spec.volumeMode !== VolumeMode.BLOCK, `${at}volumeMode`, spec.volumeMode,
          'must be Filesystem: a Block volume needs volumeDevices, which this library does not render yet');
        return { metadata: { name: t?.name, labels: this._objectLabels() }, spec };
      });
      const policy = p.podManagementPolicy ?? PodManagementPolicy.ORDERED_READY;
      problems.check(Object.values(PodManagementPolicy).includes(policy), 'podManagementPolicy', policy, 'must be a PodManagementPolicy');
      const strategy = p.updateStrategy ?? StatefulUpdateStrategy.rollingUpdate();
      if (!(strategy instanceof StatefulUpdateStrategy)) {
        problems.add('updateStrategy', strategy, 'must be created with StatefulUpdateStrategy.rollingUpdate() or onDelete()');
      } else if (strategy.partition !== undefined) {
        checkInt(problems, 'updateStrategy.partition', strategy.partition, 0);
        problems.check(!isInt(strategy.partition) || strategy.partition <= this.replicas, 'updateStrategy.partition', strategy.partition,
          `must not be larger than replicas (${this.replicas}): no pod would ever be updated`);
      }
      const retention = p.claimRetention ?? {};
      for (const key of ['whenDeleted', 'whenScaled'] as const) {
        const v = retention[key];
        problems.check(v === undefined || Object.values(ClaimRetention).includes(v), `claimRetention.${key}`, v, 'must be a ClaimRetention');
      }
      checkExposures(p, this.name, p.port, problems);
      const minReady = seconds(problems, 'minReady', p.minReady, 0) ?? 0;
      const clientService = p.clientService ?? p.port !== undefined;
      problems.check(!clientService || p.port !== undefined, 'clientService', p.clientService, 'needs a port');
      const selector = selectorLabels(this._identity);
      // A StatefulSet's pods carry no pod-template-hash: spread all of them together.
      const placement = this._resolvePlacement(p, this.replicas, selector, problems, []);
      const budget = p.disruptionBudget ?? (this.replicas > 1 ? DisruptionBudget.maxUnavailable(1) : DisruptionBudget.none());
      this.scaling = { givenReplicas: p.replicas, budget: budget instanceof DisruptionBudget ? budget : undefined };
      if (!(budget instanceof DisruptionBudget)) {
        problems.add('disruptionBudget', budget, 'must be created with DisruptionBudget.maxUnavailable(), minAvailable(), ... or none()');
        problems.throwIfAny();
      }
      // autoscaled: the autoscaler's floor, not these replicas, must leave an eviction (HorizontalAutoscaler checks it)
      const budgetSpec = budget._render(p.autoscaled === true ? Number.MAX_SAFE_INTEGER : this.replicas, problems, 'disruptionBudget');
      problems.throwIfAny();
      this._allowPeers();

      // ---- the governing headless Service: one DNS record per pod
      this.headlessServiceName = `${this.name}-headless`;
      const portName = p.portName ?? 'http';
      this.headlessService = this._createHeadlessService(p.port, portName, selector);
      const headless = new PodSpecPatcher(ApiObject.of(this.headlessService));
      if (p.publishNotReadyAddresses === true) headless.setSpecField('publishNotReadyAddresses', true);

      // ---- the StatefulSet
      this.statefulSet = new kplus.StatefulSet(this, 'Resource', {
        ...this._podProps(),
        metadata: this._workloadMetadata(p, this.name),
        replicas: this.replicas,
        service: this.headlessService,
        podManagementPolicy: policy as unknown as kplus.PodManagementPolicy,
        strategy: strategy.kind === 'OnDelete' ? kplus.StatefulSetUpdateStrategy.onDelete()
          : kplus.StatefulSetUpdateStrategy.rollingUpdate({ partition: strategy.partition ?? 0 }),
        minReady: Duration.seconds(minReady),
      });
      if (p.autoscaled === true) this.statefulSet.markHasAutoscaler();
      this.statefulSet.select(kplus.LabelSelector.of({ labels: selector }));
      this._completePod(this.statefulSet, p, p.image, placement, 'statefulSet.spec.template.spec');
      const patcher = new PodSpecPatcher(ApiObject.of(this.statefulSet));
      if (claims.length > 0) patcher.setSpecField('volumeClaimTemplates', claims);
      if (p.claimRetention !== undefined) {
        patcher.setSpecField('persistentVolumeClaimRetentionPolicy', {
          whenDeleted: retention.whenDeleted ?? ClaimRetention.RETAIN,
          whenScaled: retention.whenScaled ?? ClaimRetention.RETAIN,
        });
      }

      // ---- the client Service and the budget
      if (clientService) {
        this.service = new kplus.Service(this, 'Service', {
          metadata: { name: this.name, labels: this._objectLabels() },
          type: kplus.ServiceType.CLUSTER_IP,
          ports: [{ name: portName, port: p.port!, targetPort: p.port!, protocol: kplus.Protocol.TCP }],
        });
        for (const [k, v] of Object.entries(selector)) this.service.selectLabel(k, v);
      }
      this.exposedServices = createExposures(p, {
        scope: this, name: this.name, labels: this._objectLabels(), selector, port: p.port, servicePort: undefined, portName,
      }, [this.service]);
      if (budgetSpec !== undefined) {
        this.disruptionBudget = this._createBudget('Budget', this.name, selector, budgetSpec);
      }
      addSynthValidation(this, () => {
        const later = new Problems(this);
        this._checkServices(later, [
          ['headlessService', this.headlessService], ['service', this.service],
          ...exposureChecks(this.exposedServices),
        ]);
        return later.messages();
      });
    } catch (e) {
      return deferConstruction(this, e);
    }
  }

  /**
   * The DNS name of every pod, in ordinal order: `<name>-<i>.<name>-headless.<namespace>.svc.<clusterDomain>`
   * when the chart has a namespace, else the short `<name>-<i>.<name>-headless`, which resolves from
   * pods of the same namespace.
   */
  public podDnsNames(clusterDomain: string = 'cluster.local'): string[] {
    const ns = Chart.of(this).namespace;
    const suffix = ns !== undefined ? `.${ns}.svc.${clusterDomain}` : '';
    return Array.from({ length: this.replicas }, (_, i) => `${this.name}-${i}.${this.headlessServiceName}${suffix}`);
  }

  /** @internal */
  public _scaleTargets(_problems: Problems, _prop: string, _minReplicas?: number): ScaleTarget[] {
    return [{
      scalable: this.statefulSet,
      kind: 'StatefulSet',
      name: this.statefulSet.name,
      givenReplicas: this.scaling.givenReplicas,
      budget: this.scaling.budget,
      budgetProp: 'disruptionBudget',
    }];
  }

  /** The Services of the serving pods: the client Service (else the headless one). @internal */
  public _exposingServices(): kplus.Service[] {
    return [this.service ?? this.headlessService];
  }
}
