import { ApiObject, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { checkAnnotations, checkDns1035Label, isCidr } from '../core/names';
import { PodSpecPatcher } from '../core/patch';
import { durationMillis, showDuration } from '../core/quantity';
import { isInt, Problems } from '../core/validation';
import { PolicyRule, Waiver, waiverAnnotations } from '../pod/waiver';

/** Which endpoints external traffic may reach. */
export enum TrafficPolicy {
  /** Any Ready pod of the cluster (an extra hop, the client address is lost). */
  CLUSTER = 'Cluster',
  /** Only pods on the node that received the traffic (keeps the client address; nodes without a pod drop it). */
  LOCAL = 'Local',
}

/** Options of a NodePort exposure. */
export interface NodePortOptions {
  /**
   * Why the workload must be reachable from outside the cluster: exposing a Service publicly is an
   * exception to the secure defaults, which policy checkers flag. The reason is written into each
   * checker's exemption annotation on the Service.
   */
  readonly reason: string;
  /**
   * The port opened on every node, 30000–32767.
   * @default - one the cluster picks
   */
  readonly nodePort?: number;
  /**
   * Which pods external traffic reaches.
   * @default TrafficPolicy.CLUSTER
   */
  readonly externalTrafficPolicy?: TrafficPolicy;
  /**
   * Name of the Service.
   * @default - `<workload>-nodeport`
   */
  readonly name?: string;
}

/** Options of a LoadBalancer exposure. */
export interface LoadBalancerOptions {
  /**
   * Why the workload must be reachable from outside the cluster: exposing a Service publicly is an
   * exception to the secure defaults, which policy checkers flag. The reason is written into each
   * checker's exemption annotation on the Service.
   */
  readonly reason: string;
  /**
   * Client address ranges allowed (CIDRs such as `203.0.113.0/24`). Empty allows everyone.
   * @default - everyone
   */
  readonly sourceRanges?: string[];
  /**
   * Which pods external traffic reaches; `LOCAL` keeps client addresses.
   * @default TrafficPolicy.CLUSTER
   */
  readonly externalTrafficPolicy?: TrafficPolicy;
  /**
   * The load balancer implementation, e.g. `service.k8s.aws/nlb`.
   * @default - the cloud's default
   */
  readonly loadBalancerClass?: string;
  /**
   * Annotations for the cloud's load balancer controller (internal, TLS, health checks, ...).
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
  /**
   * Name of the Service.
   * @default - `<workload>-lb`
   */
  readonly name?: string;
}

/**
 * One more way to reach a workload from outside the cluster (Service Discovery): a Service of type
 * NodePort or LoadBalancer beside the workload's ClusterIP Service, on the same pods and port.
 * @see https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types
 */
export class ServiceExposure {
  /** A port on every node (`<node IP>:<nodePort>`): external, non-HTTP clients, bare-metal clusters. */
  public static nodePort(options: NodePortOptions): ServiceExposure {
    return new ServiceExposure('NodePort', options ?? ({} as NodePortOptions));
  }

  /** A cloud load balancer with its own address: external clients. */
  public static loadBalancer(options: LoadBalancerOptions): ServiceExposure {
    return new ServiceExposure('LoadBalancer', options ?? ({} as LoadBalancerOptions));
  }

  private constructor(
    /** `NodePort` or `LoadBalancer`. */
    public readonly type: string,
    /** @internal */
    public readonly _options: NodePortOptions & LoadBalancerOptions,
  ) {}
}

/** Session affinity and traffic options of the workload's Services. */
export interface ServiceOptions {
  /**
   * Send each client (by IP) to the same pod for this long (`sessionAffinity: ClientIP`).
   * @default - no affinity
   */
  readonly sessionAffinityTimeout?: Duration;
  /**
   * Which pods traffic from inside the cluster reaches; `LOCAL` keeps it on the client's node.
   * @default TrafficPolicy.CLUSTER
   */
  readonly internalTrafficPolicy?: TrafficPolicy;
}

/** Props every workload with a Service takes for exposing it. */
export interface ExposureProps {
  /**
   * More Services for clients outside the cluster: NodePort and LoadBalancer, on the same pods and
   * port as the workload's own Service. For HTTP, prefer an `Ingress` or a Gateway API route.
   * @default - none
   */
  readonly exposures?: ServiceExposure[];
  /**
   * Session affinity and traffic policy of every Service of the workload.
   * @default - no affinity, cluster-wide traffic
   */
  readonly serviceOptions?: ServiceOptions;
}

/** What the workload exposes. @internal */
export interface ExposureTarget {
  readonly scope: Construct;
  readonly name: string;
  readonly labels: { [key: string]: string };
  readonly selector: { [key: string]: string };
  readonly port?: number;
  readonly servicePort: number | undefined;
  readonly portName: string;
}

/** The default name of an exposure's Service. */
function exposureName(e: ServiceExposure, workload: string): string {
  return e._options.name ?? `${workload}-${e.type === 'NodePort' ? 'nodeport' : 'lb'}`;
}

/** Annotations the library writes for the waiver; `kube-score/ignore` is merged, the others are the library's alone. */
const WAIVER_KEYS = ['patterns.cdk8s.io/checker-ignore', 'ignore-check.kube-linter.io/exposed-services'];

/** Checks exposure props into `problems` (before anything is created). @internal */
export function checkExposures(p: ExposureProps, workload: string, port: number | undefined, problems: Problems): void {
  const list = p.exposures;
  const names = new Map<string, string>();
  if (list !== undefined && !Array.isArray(list)) problems.add('exposures', list, 'must be a list of ServiceExposure');
  (Array.isArray(list) ? list : []).forEach((e, i) => {
    const at = `exposures[${i}]`;
    if (!(e instanceof ServiceExposure)) {
      problems.add(at, e, 'must be created with ServiceExposure.nodePort() or loadBalancer()');
      return;
    }
    problems.check(port !== undefined, at, e.type, 'needs a port: a Service forwards to the container port');
    const o = e._options;
    problems.check(typeof o.reason === 'string' && o.reason.trim().length > 0, `${at}.reason`, o.reason,
      'is required: why the workload must be reachable from outside the cluster (written into the checkers\' exemption annotations)');
    const name = exposureName(e, workload);
    checkDns1035Label(problems, `${at}.name`, name);
    const first = names.get(name);
    problems.check(first === undefined, `${at}.name`, name, `must be unique: ${first} has it (give one of them a name)`);
    names.set(name, at);
    for (const k of WAIVER_KEYS) {
      problems.check(o.annotations?.[k] === undefined, `${at}.annotations["${k}"]`, o.annotations?.[k], 'is written by the library from reason');
    }
    if (o.nodePort !== undefined) {
      problems.check(isInt(o.nodePort) && o.nodePort >= 30000 && o.nodePort <= 32767, `${at}.nodePort`, o.nodePort,
        'must be an integer from 30000 to 32767 (the default node port range)');
    }
    if (o.externalTrafficPolicy !== undefined) {
      problems.check(Object.values(TrafficPolicy).includes(o.externalTrafficPolicy), `${at}.externalTrafficPolicy`, o.externalTrafficPolicy, 'must be a TrafficPolicy');
    }
    (Array.isArray(o.sourceRanges) ? o.sourceRanges : []).forEach((r, j) => {
      problems.check(isCidr(r), `${at}.sourceRanges[${j}]`, r, 'must be a CIDR such as 203.0.113.0/24');
    });
    if (o.sourceRanges !== undefined && !Array.isArray(o.sourceRanges)) problems.add(`${at}.sourceRanges`, o.sourceRanges, 'must be a list of CIDRs');
    checkAnnotations(problems, `${at}.annotations`, o.annotations);
    if (o.loadBalancerClass !== undefined) {
      problems.check(typeof o.loadBalancerClass === 'string' && /^([a-z0-9.-]+\/)?[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/i.test(o.loadBalancerClass),
        `${at}.loadBalancerClass`, o.loadBalancerClass, 'must be a qualified name such as service.k8s.aws/nlb');
    }
  });
  const o = p.serviceOptions ?? undefined;
  problems.check(o === undefined || port !== undefined, 'serviceOptions', 'given', 'needs a port: without one the workload has no Service to apply it to');
  if (o !== undefined && (o === null || typeof o !== 'object')) problems.add('serviceOptions', o, 'must be { sessionAffinityTimeout, internalTrafficPolicy }');
  if (o?.sessionAffinityTimeout !== undefined) {
    const s = (durationMillis(o.sessionAffinityTimeout) ?? NaN) / 1000;
    problems.check(Number.isInteger(s) && s >= 1 && s <= 86400, 'serviceOptions.sessionAffinityTimeout', showDuration(o.sessionAffinityTimeout),
      'must be a Duration of whole seconds from 1 second to 1 day');
  }
  if (o?.internalTrafficPolicy !== undefined) {
    problems.check(Object.values(TrafficPolicy).includes(o.internalTrafficPolicy), 'serviceOptions.internalTrafficPolicy', o.internalTrafficPolicy,
      'must be a TrafficPolicy');
  }
}

/** Applies the service options to a Service. */
function applyServiceOptions(service: kplus.Service, o: ServiceOptions | undefined): void {
  if (!o) return;
  const patcher = new PodSpecPatcher(ApiObject.of(service));
  if (o.sessionAffinityTimeout !== undefined) {
    patcher.setSpecField('sessionAffinity', 'ClientIP');
    patcher.setSpecField('sessionAffinityConfig', { clientIp: { timeoutSeconds: o.sessionAffinityTimeout.toSeconds() } });
  }
  if (o.internalTrafficPolicy !== undefined) patcher.setSpecField('internalTrafficPolicy', o.internalTrafficPolicy);
}

/**
 * The exemption annotations of a Service that is public on purpose, in each checker's own form:
 * this library's checker, kube-linter and kube-score.
 * @internal
 */
export function exposedServiceWaiver(reason: string, kubeScoreIgnore?: string): { [key: string]: string } {
  const out = waiverAnnotations([Waiver.of(PolicyRule.EXPOSED_SERVICE, reason)], new Problems('exposure'), 'reason');
  const ignored = new Set([...(kubeScoreIgnore ?? '').split(','), ...(out['kube-score/ignore'] ?? '').split(',')].map((x) => x.trim()).filter((x) => x !== ''));
  return { ...out, 'kube-score/ignore': [...ignored].join(',') };
}

/**
 * Creates the NodePort and LoadBalancer Services of a workload (after `checkExposures`) and applies
 * the service options to them and to the workload's own Services (`own`; undefined ones skipped).
 * @internal
 */
export function createExposures(p: ExposureProps, t: ExposureTarget, own: Array<kplus.Service | undefined>): kplus.Service[] {
  const exposed = renderExposures(p, t);
  for (const s of [...own, ...exposed]) if (s) applyServiceOptions(s, p.serviceOptions);
  return exposed;
}

/** The exposed Services, named by prop, for the synth-time Service checks. @internal */
export function exposureChecks(exposed: kplus.Service[]): Array<[string, kplus.Service]> {
  return exposed.map((svc, i): [string, kplus.Service] => [`exposures[${i}]`, svc]);
}

function renderExposures(p: ExposureProps, t: ExposureTarget): kplus.Service[] {
  return (p.exposures ?? []).map((e) => {
    const o = e._options;
    const name = exposureName(e, t.name);
    const service = new kplus.Service(t.scope, `${e.type}Service-${name}`, {
      metadata: { name, labels: t.labels, annotations: { ...(o.annotations ?? {}), ...exposedServiceWaiver(o.reason, o.annotations?.['kube-score/ignore']) } },
      type: e.type === 'NodePort' ? kplus.ServiceType.NODE_PORT : kplus.ServiceType.LOAD_BALANCER,
      ports: [{
        name: t.portName,
        port: t.servicePort ?? t.port!,
        targetPort: t.port!,
        protocol: kplus.Protocol.TCP,
        ...(o.nodePort !== undefined ? { nodePort: o.nodePort } : {}),
      }],
      ...(o.sourceRanges !== undefined ? { loadBalancerSourceRanges: [...o.sourceRanges] } : {}),
    });
    for (const [k, v] of Object.entries(t.selector)) service.selectLabel(k, v);
    const patcher = new PodSpecPatcher(ApiObject.of(service));
    if (o.externalTrafficPolicy !== undefined) patcher.setSpecField('externalTrafficPolicy', o.externalTrafficPolicy);
    if (o.loadBalancerClass !== undefined) patcher.setSpecField('loadBalancerClass', o.loadBalancerClass);
    return service;
  });
}

