import { ApiObject, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { checkExposures, createExposures, exposureChecks, ExposureProps } from './service-exposure';
import { deferConstruction } from '../core/app-checks';
import { selectorLabels } from '../core/labels';
import { checkPort } from '../core/names';
import { PodSpecPatcher } from '../core/patch';
import { addSynthValidation } from '../core/synth-session';
import { checkInt, isInt, lowerFirst, Problems } from '../core/validation';
import {
  BlueGreenTrack, DeploymentStrategy, DeploymentStrategyKind,
} from '../foundational/deployment-strategy';
import { DisruptionBudget } from '../foundational/disruption-budget';
import { HealthCheck, seconds } from '../foundational/health-check';
import { RenderedPlacement } from '../foundational/placement';
import { PatternWorkload, ScaleTarget, WorkloadProps } from '../workload/workload';

/** Props of a `StatelessService`. */
export interface StatelessServiceProps extends WorkloadProps, ExposureProps {
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
   * Leave `spec.replicas` out of the Deployment for an autoscaler to manage (every re-apply would
   * otherwise reset its choice); `replicas` still sizes the spread. A `HorizontalAutoscaler` does
   * this by itself; set it for an autoscaler made elsewhere, or for a budget that needs more pods
   * than the default replicas: the budget is then checked at the `HorizontalAutoscaler`'s
   * `minReplicas`, not at `replicas`. Not with blue-green; with a canary, the stable track.
   * @default false
   */
  readonly autoscaled?: boolean;
  /**
   * How a new version replaces the old one.
   * @default DeploymentStrategy.rollingUpdate() (maxSurge 25 %, maxUnavailable 0)
   */
  readonly strategy?: DeploymentStrategy;
  /**
   * Budget for voluntary disruptions (drains), per Deployment.
   * @default - DisruptionBudget.maxUnavailable(1) for every Deployment of more than one replica
   */
  readonly disruptionBudget?: DisruptionBudget;
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
export class StatelessService extends PatternWorkload {
  /**
   * The Deployment that serves traffic: the only one (rolling, recreate), the stable one (canary)
   * or the active one (blue-green).
   */
  public readonly deployment!: kplus.Deployment;
  /** Every Deployment of the service, in track order (stable, canary / blue, green). */
  public readonly deployments!: kplus.Deployment[];
  /** The canary Deployment, for the canary strategy. */
  public readonly canaryDeployment?: kplus.Deployment;
  /** The Service clients use, when the service has a port. */
  public readonly service?: kplus.Service;
  /** The Service of the inactive track, for the blue-green strategy. */
  public readonly previewService?: kplus.Service;
  /** Per-track Services behind the HTTPRoute, for a weighted canary. */
  public readonly trackServices!: kplus.Service[];
  /** The Gateway API HTTPRoute, for a weighted canary. */
  public readonly httpRoute?: ApiObject;
  /** The PodDisruptionBudgets, one per Deployment of more than one replica. */
  public readonly disruptionBudgets!: ApiObject[];
  /** The strategy in force. */
  public readonly strategy!: DeploymentStrategy;
  /** The NodePort and LoadBalancer Services of `exposures`, in order. */
  public readonly exposedServices!: kplus.Service[];
  /** What an autoscaler needs to know of the props. */
  private readonly scaling!: { readonly givenReplicas?: number; readonly budget?: DisruptionBudget };


  constructor(scope: Construct, id: string, props: StatelessServiceProps) {
    super(scope, id, props);
    try {
      const p: StatelessServiceProps = props ?? ({} as StatelessServiceProps);
      const problems = new Problems(this);

      // ---- shared workload props (identity, image, pod options); "-preview" is the longest suffix
      this._resolveWorkload(p, {
        port: p.port,
        portName: p.portName,
        defaultHealth: p.port !== undefined ? HealthCheck.tcp() : HealthCheck.none(),
        propsInterface: 'StatelessServiceProps',
        nameIsServiceName: true,
        longestSuffix: 16,
      }, problems);

      // ---- ports, replicas, strategy
      checkPort(problems, 'servicePort', p.servicePort);
      if (p.port === undefined) {
        problems.check(p.servicePort === undefined, 'servicePort', p.servicePort, 'requires port (the container port it forwards to)');
      }
      const portName = p.portName ?? 'http';
      const allowUnpinned = p.allowUnpinnedImage === true;
      checkInt(problems, 'replicas', p.replicas, 0);
      // A replicas that is no integer is reported; the relations below (strategy, budget) use the default.
      const replicas = isInt(p.replicas) ? p.replicas : 2;
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
      checkExposures(p, this.name, p.port, problems);
      if (p.autoscaled === true) {
        problems.check(this.strategy.kind !== DeploymentStrategyKind.BLUE_GREEN, 'autoscaled', true,
          'is not supported with the BlueGreen strategy: its active track changes on every switch, which an autoscaler cannot follow');
      }
      const minReady = seconds(problems, 'minReady', p.minReady, 0) ?? 0;
      const deadline = seconds(problems, 'progressDeadline', p.progressDeadline, 1) ?? 600;
      problems.check(deadline > minReady, 'progressDeadline', `${deadline}s`, `must be longer than minReady (${minReady}s)`);

      const tracks = this.tracks(p, replicas);
      const placements = tracks.map((t) => this._resolvePlacement(p, t.replicas, selectorLabels(this._identity, t.track), problems));
      const budget = p.disruptionBudget ?? DisruptionBudget.maxUnavailable(1);
      this.scaling = { givenReplicas: p.replicas, budget: budget instanceof DisruptionBudget ? budget : undefined };
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
          // autoscaled: the autoscaler's floor, not these replicas, must leave an eviction (HorizontalAutoscaler checks it)
          ? budget._render(p.autoscaled === true ? Number.MAX_SAFE_INTEGER : t.replicas, problems,
            t.track === serving ? 'disruptionBudget' : `disruptionBudget (${t.track} track)`) : undefined,
      }));
      problems.throwIfAny();

      // ---- objects
      this.deployments = tracks.map((t, i) => this.createDeployment(p, t, placements[i]));
      this.deployment = this.deployments[0];
      if (p.autoscaled === true) this.deployment.markHasAutoscaler();
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
          const controller = this.strategy._canary.controller;
          if (controller !== undefined) {
            this._admitToServicePort(controller, this.service, servicePort, 'strategy.canary.controller', problems);
            problems.throwIfAny();
          }
        }
      }

      const activeTrack = this.strategy.kind === DeploymentStrategyKind.BLUE_GREEN ? this.strategy._blueGreen.active : undefined;
      this.exposedServices = createExposures(p, {
        scope: this,
        name: this.name,
        labels: this._objectLabels(),
        selector: selectorLabels(this._identity, activeTrack),
        port: p.port,
        servicePort: p.servicePort,
        portName,
      }, [this.service, this.previewService, ...this.trackServices]);

      this.disruptionBudgets = budgets
        .filter((b) => b.spec !== undefined)
        .map((b) => this._createBudget(b.t.id === 'Resource' ? 'Budget' : `${b.t.id}Budget`, b.t.name, selectorLabels(this._identity, b.t.track), b.spec!));

      addSynthValidation(this, () => this.validateServices());
    } catch (e) {
      return deferConstruction(this, e);
    }
  }

  /**
   * The stable Deployment: of a rolling update, a recreate, or a canary, whose canary track keeps
   * its fixed replicas (by replica ratio, the canary's share then falls as the stable track grows:
   * the floor must stay above the canary's replicas). Not blue-green: the active track changes on
   * every switch.
   * @internal
   */
  public _scaleTargets(problems: Problems, prop: string, minReplicas?: number): ScaleTarget[] {
    if (this.strategy.kind === DeploymentStrategyKind.BLUE_GREEN) {
      problems.add(prop, this.name, 'has the BlueGreen strategy, whose active track changes on every switch, which an autoscaler cannot follow: '
        + 'size the two tracks yourself, or autoscale a rolling update or canary');
      return [];
    }
    if (this.strategy.kind === DeploymentStrategyKind.CANARY && this.strategy._canary.weight === undefined && minReplicas !== undefined) {
      const canary = isInt(this.strategy._canary.replicas) ? this.strategy._canary.replicas : 1;
      problems.check(minReplicas > canary, 'minReplicas', minReplicas,
        `must be more than the canary's replicas (${canary}): traffic splits by replica ratio, so at a lower floor the canary would take half or more`);
    }
    return [{
      scalable: this.deployment,
      kind: 'Deployment',
      name: this.deployment.name,
      givenReplicas: this.scaling.givenReplicas,
      budget: this.scaling.budget,
      budgetProp: 'disruptionBudget',
    }];
  }

  private tracks(p: StatelessServiceProps, replicas: number): TrackSpec[] {
    const s = this.strategy;
    switch (s.kind) {
      case DeploymentStrategyKind.BLUE_GREEN: {
        const o = s._blueGreen;
        const inactive = isInt(o.inactiveReplicas) ? o.inactiveReplicas : replicas;
        return [
          { id: 'Blue', name: `${this.name}-blue`, track: 'blue', image: o.blueImage ?? p.image, replicas: o.active === BlueGreenTrack.BLUE ? replicas : inactive },
          { id: 'Green', name: `${this.name}-green`, track: 'green', image: o.greenImage ?? p.image, replicas: o.active === BlueGreenTrack.GREEN ? replicas : inactive },
        ];
      }
      case DeploymentStrategyKind.CANARY:
        return [
          { id: 'Resource', name: this.name, track: 'stable', image: p.image, replicas },
          { id: 'Canary', name: `${this.name}-canary`, track: 'canary', image: s._canary.image, replicas: isInt(s._canary.replicas) ? s._canary.replicas : 1 },
        ];
      default:
        return [{ id: 'Resource', name: this.name, track: 'stable', image: p.image, replicas }];
    }
  }


  private createDeployment(p: StatelessServiceProps, t: TrackSpec, placement: RenderedPlacement): kplus.Deployment {
    const deployment = new kplus.Deployment(this, t.id, {
      ...this._podProps(t.track),
      metadata: this._workloadMetadata(p, t.name, t.track),
      replicas: t.replicas,
      strategy: this.strategy._toKplus(),
      minReady: p.minReady,
      progressDeadline: p.progressDeadline,
    });
    deployment.select(kplus.LabelSelector.of({ labels: selectorLabels(this._identity, t.track) }));
    const where = `${t.id === 'Resource' ? 'deployment' : lowerFirst(t.id) + 'Deployment'}.spec.template.spec`;
    this._completePod(deployment, p, t.image, placement, where);
    if (p.revisionHistoryLimit !== undefined) {
      new PodSpecPatcher(ApiObject.of(deployment)).setSpecField('revisionHistoryLimit', p.revisionHistoryLimit);
    }
    return deployment;
  }

  private createService(id: string, name: string, track: string | undefined, port: number, targetPort: number, portName: string): kplus.Service {
    const service = new kplus.Service(this, id, {
      metadata: { name, labels: this._objectLabels() },
      type: kplus.ServiceType.CLUSTER_IP,
      ports: [{ name: portName, port, targetPort, protocol: kplus.Protocol.TCP }],
    });
    for (const [k, v] of Object.entries(selectorLabels(this._identity, track))) service.selectLabel(k, v);
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
      metadata: { name: this.name, labels: this._objectLabels() },
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

  /** Checks the rendered Services against the pods of every Deployment (see `_checkServices`). */
  private validateServices(): string[] {
    const problems = new Problems(this);
    this._checkServices(problems, [
      ['service', this.service], ['previewService', this.previewService],
      ...this.trackServices.map((svc): [string, kplus.Service] => [svc.node.id === 'StableService' ? 'stableService' : 'canaryService', svc]),
      ...exposureChecks(this.exposedServices),
    ]);
    return problems.messages();
  }

  /** Every pod of every track, plus one more while a rolling update surges. @internal */
  public _concurrentPods(): number {
    return super._concurrentPods() + (this.strategy.kind === DeploymentStrategyKind.RECREATE ? 0 : 1);
  }

  /** The Services of the serving pods: the Service and, for blue-green, the preview Service. @internal */
  public _exposingServices(): kplus.Service[] {
    return [this.service, this.previewService].filter((s): s is kplus.Service => s !== undefined);
  }
}


