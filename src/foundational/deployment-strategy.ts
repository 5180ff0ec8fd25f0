import * as kplus from 'cdk8s-plus-28';
import { checkImage } from '../core/image';
import { KNOWN_PROPS } from '../core/known-props';
import { checkDnsLabel, checkDnsSubdomain } from '../core/names';
import { checkInt, checkKnownKeys, checkPercentOrAbsolute, isInt, Problems, showText } from '../core/validation';
import { NetworkPeer } from '../pod/network';

/** Options for a rolling update. */
export interface RollingUpdateOptions {
  /**
   * Extra pods allowed above the desired count during a rollout.
   * @default PercentOrAbsolute.percent(25)
   */
  readonly maxSurge?: kplus.PercentOrAbsolute;
  /**
   * Pods allowed to be unavailable during a rollout. 0 means zero downtime: old pods go only when
   * new ones are ready.
   * @default PercentOrAbsolute.absolute(0)
   */
  readonly maxUnavailable?: kplus.PercentOrAbsolute;
}

/** The two tracks of a blue-green deployment. */
export enum BlueGreenTrack {
  /** The blue track. */
  BLUE = 'blue',
  /** The green track. */
  GREEN = 'green',
}

/** Options for a blue-green deployment. */
export interface BlueGreenOptions {
  /** The track the Service sends traffic to. Change it to promote (or roll back). */
  readonly active: BlueGreenTrack;
  /**
   * Image of the blue track.
   * @default - the service's image
   */
  readonly blueImage?: string;
  /**
   * Image of the green track.
   * @default - the service's image
   */
  readonly greenImage?: string;
  /**
   * Replicas of the inactive track. The default keeps it at full size for an instant rollback;
   * 0 scales it down (the preview Service then has no endpoints).
   * @default - the service's replicas
   */
  readonly inactiveReplicas?: number;
}

/** Options for a canary release. */
export interface CanaryOptions {
  /** Image of the canary track. */
  readonly image: string;
  /**
   * Replicas of the canary track. Without `weight`, traffic splits by replica ratio
   * (canary / (stable + canary)), so it must stay below the stable replicas.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Exact share of traffic, in percent (0 to 100), sent to the canary through a Gateway API
   * HTTPRoute over one Service per track, whatever the replica ratio.
   * @default - split by replica ratio, no HTTPRoute
   */
  readonly weight?: number;
  /**
   * The Gateway the HTTPRoute attaches to (north-south traffic). Only with `weight`.
   * @default - the route attaches to the service's own Service (GAMMA, for a service mesh)
   */
  readonly gateway?: GatewayReference;
  /**
   * Host names the HTTPRoute matches. Only with `weight`.
   * @default - all host names of the parent
   */
  readonly hostnames?: string[];
  /**
   * Where the Gateway's data plane (the proxies that forward the requests) runs, e.g.
   * `NetworkPeer.namespace('gateway-system')`: the service's NetworkPolicy admits it on the
   * container port, for both tracks. Only with `gateway`.
   * @default - no rule: admit the Gateway with `network.allowFrom`
   */
  readonly controller?: NetworkPeer;
}

/** A Gateway API Gateway, as a parent of an HTTPRoute. */
export interface GatewayReference {
  /** Name of the Gateway. */
  readonly name: string;
  /**
   * Namespace of the Gateway.
   * @default - the route's namespace
   */
  readonly namespace?: string;
  /**
   * The listener of the Gateway to attach to.
   * @default - every listener that allows the route
   */
  readonly sectionName?: string;
}

/** The kinds of deployment strategy. */
export enum DeploymentStrategyKind {
  /** Replace pods gradually (Kubernetes RollingUpdate). */
  ROLLING_UPDATE = 'RollingUpdate',
  /** Stop every old pod, then start the new ones (Kubernetes Recreate: the "fixed" deployment). */
  RECREATE = 'Recreate',
  /** Two full tracks behind one Service whose selector picks the active one. */
  BLUE_GREEN = 'BlueGreen',
  /** A small canary track beside the stable one, both behind the Service. */
  CANARY = 'Canary',
}

/**
 * Declarative Deployment: how a new version replaces the old one.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#strategy
 */
export class DeploymentStrategy {
  /** Replace pods gradually. The default: maxSurge 25 %, maxUnavailable 0 (zero downtime). */
  public static rollingUpdate(options: RollingUpdateOptions = {}): DeploymentStrategy {
    return new DeploymentStrategy(DeploymentStrategyKind.ROLLING_UPDATE, options ?? {});
  }

  /**
   * Stop every old pod before the new ones start ("fixed" deployment): downtime, but never two
   * versions at once.
   */
  public static recreate(): DeploymentStrategy {
    return new DeploymentStrategy(DeploymentStrategyKind.RECREATE, {});
  }

  /**
   * Blue-green: a Deployment per track, a Service selecting the active track and a preview
   * Service selecting the other. Promote by changing `active`.
   */
  public static blueGreen(options: BlueGreenOptions): DeploymentStrategy {
    return new DeploymentStrategy(DeploymentStrategyKind.BLUE_GREEN, options ?? {});
  }

  /**
   * Canary: a stable and a canary Deployment that the Service both selects; traffic splits by
   * replica ratio, or by exact `weight` through an HTTPRoute.
   */
  public static canary(options: CanaryOptions): DeploymentStrategy {
    return new DeploymentStrategy(DeploymentStrategyKind.CANARY, options ?? {});
  }

  private constructor(
    /** Which kind of strategy this is. */
    public readonly kind: DeploymentStrategyKind,
    private readonly options: any,
  ) {}

  /** @internal */
  public get _rolling(): RollingUpdateOptions { return this.options; }
  /** @internal */
  public get _blueGreen(): BlueGreenOptions { return this.options; }
  /** @internal */
  public get _canary(): CanaryOptions { return this.options; }

  /**
   * The kplus strategy for each Deployment of this strategy (blue-green and canary Deployments
   * roll their own pods with the zero-downtime rolling update).
   * @internal
   */
  public _toKplus(): kplus.DeploymentStrategy {
    if (this.kind === DeploymentStrategyKind.RECREATE) return kplus.DeploymentStrategy.recreate();
    const o = this.kind === DeploymentStrategyKind.ROLLING_UPDATE ? this._rolling : {};
    return kplus.DeploymentStrategy.rollingUpdate({
      maxSurge: o.maxSurge ?? kplus.PercentOrAbsolute.percent(25),
      maxUnavailable: o.maxUnavailable ?? kplus.PercentOrAbsolute.absolute(0),
    });
  }

  /**
   * Checks the options against the stable replica count.
   * @internal
   */
  public _validate(replicas: number, allowUnpinned: boolean, problems: Problems, prop: string): void {
    const iface = {
      [DeploymentStrategyKind.ROLLING_UPDATE]: 'RollingUpdateOptions',
      [DeploymentStrategyKind.BLUE_GREEN]: 'BlueGreenOptions',
      [DeploymentStrategyKind.CANARY]: 'CanaryOptions',
      [DeploymentStrategyKind.RECREATE]: undefined,
    }[this.kind];
    if (iface) checkKnownKeys(problems, `${prop}.`, this.options, KNOWN_PROPS[iface], iface);
    switch (this.kind) {
      case DeploymentStrategyKind.ROLLING_UPDATE: {
        const o = this._rolling;
        const surge = o.maxSurge ?? kplus.PercentOrAbsolute.percent(25);
        const unavailable = o.maxUnavailable ?? kplus.PercentOrAbsolute.absolute(0);
        const typed = [['maxSurge', surge], ['maxUnavailable', unavailable]] as const;
        const bad = typed.filter(([, v]) => !(v instanceof kplus.PercentOrAbsolute));
        for (const [k, v] of bad) problems.add(`${prop}.${k}`, v, 'must be PercentOrAbsolute.percent(n) or PercentOrAbsolute.absolute(n) (from cdk8s-plus-28)');
        if (bad.length > 0) break;
        checkPercentOrAbsolute(problems, `${prop}.maxSurge`, surge);
        checkPercentOrAbsolute(problems, `${prop}.maxUnavailable`, unavailable);
        if (surge.isZero() && unavailable.isZero()) {
          problems.add(`${prop}.maxUnavailable`, unavailable.value, 'must not be 0 when maxSurge is also 0 (the rollout could never make progress)');
        }
        break;
      }
      case DeploymentStrategyKind.BLUE_GREEN: {
        const o = this._blueGreen;
        problems.check(Object.values(BlueGreenTrack).includes(o.active), `${prop}.active`, o.active, 'must be BlueGreenTrack.BLUE or BlueGreenTrack.GREEN');
        if (o.blueImage !== undefined) checkImage(problems, `${prop}.blueImage`, o.blueImage, allowUnpinned);
        if (o.greenImage !== undefined) checkImage(problems, `${prop}.greenImage`, o.greenImage, allowUnpinned);
        checkInt(problems, `${prop}.inactiveReplicas`, o.inactiveReplicas, 0);
        problems.check(replicas >= 1, 'replicas', replicas, `must be at least 1: the active track (${showText(o.active)}) needs pods to switch traffic to`);
        break;
      }
      case DeploymentStrategyKind.CANARY: {
        const o = this._canary;
        checkImage(problems, `${prop}.image`, o.image, allowUnpinned);
        checkInt(problems, `${prop}.replicas`, o.replicas, 0);
        // Values that are no integers are reported; the relations below use the defaults instead.
        const canaryReplicas = isInt(o.replicas) ? o.replicas : 1;
        if (o.weight === undefined) {
          problems.check(canaryReplicas < replicas, `${prop}.replicas`, canaryReplicas,
            `must be less than the stable replicas (${replicas}) when traffic splits by replica ratio`);
          problems.check(o.gateway === undefined, `${prop}.gateway`, o.gateway, 'only applies with weight (an HTTPRoute)');
          problems.check(o.hostnames === undefined, `${prop}.hostnames`, o.hostnames, 'only applies with weight (an HTTPRoute)');
          problems.check(o.controller === undefined, `${prop}.controller`, 'NetworkPeer', 'only applies with weight and a gateway (whose data plane calls the pods)');
        } else {
          checkInt(problems, `${prop}.weight`, o.weight, 0, 100);
          if (o.gateway !== undefined) {
            if (o.controller !== undefined) {
              if (o.controller instanceof NetworkPeer) o.controller._render(problems, `${prop}.controller`);
              else problems.add(`${prop}.controller`, o.controller, 'must be a NetworkPeer, e.g. NetworkPeer.namespace("gateway-system")');
            }
            checkDnsSubdomain(problems, `${prop}.gateway.name`, o.gateway?.name);
            if (o.gateway?.namespace !== undefined) checkDnsLabel(problems, `${prop}.gateway.namespace`, o.gateway.namespace);
            if (o.gateway?.sectionName !== undefined) checkDnsLabel(problems, `${prop}.gateway.sectionName`, o.gateway.sectionName);
          } else {
            problems.check(o.hostnames === undefined, `${prop}.hostnames`, o.hostnames, 'only applies with a gateway (a route attached to a Service matches no host names)');
            problems.check(o.controller === undefined, `${prop}.controller`, 'NetworkPeer',
              'only applies with a gateway (a route attached to a Service is served by the mesh: admit its callers with network.allowFrom or connectsTo)');
          }
          if (o.hostnames !== undefined) {
            const hostOk = (h: unknown) => typeof h === 'string' && /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(h) && h.length <= 253;
            problems.check(Array.isArray(o.hostnames) && o.hostnames.every(hostOk), `${prop}.hostnames`, o.hostnames,
              'must be a list of lower-case DNS host names, optionally starting with "*."');
          }
          if (isInt(o.weight)) {
            problems.check(!(o.weight > 0 && canaryReplicas === 0), `${prop}.replicas`, canaryReplicas, `must be at least 1 when weight (${o.weight}) sends traffic to the canary`);
            problems.check(!(o.weight < 100 && replicas === 0), 'replicas', replicas, `must be at least 1 when weight (${o.weight}) leaves traffic on the stable track`);
          }
        }
        break;
      }
      default:
        break;
    }
  }
}

