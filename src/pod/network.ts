import { checkDnsLabel, checkLabels, checkPort, isCidr } from '../core/names';
import { Problems } from '../core/validation';

/** The label every namespace carries with its own name (Kubernetes 1.22+). */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Transport protocol of a NetworkPolicy port. */
export enum NetworkProtocol {
  /** TCP. */
  TCP = 'TCP',
  /** UDP. */
  UDP = 'UDP',
  /** SCTP. */
  SCTP = 'SCTP',
}

/**
 * The other side of a network rule: pods (of this namespace or another), whole namespaces, or
 * address ranges outside the cluster. A peer of another workload of this library is made by
 * `connectsTo`, which writes both sides.
 */
export class NetworkPeer {
  /** The pods of the workload's own namespace that carry every one of `labels`. */
  public static pods(labels: { [key: string]: string }): NetworkPeer {
    return new NetworkPeer('pods', { labels });
  }

  /** The pods of namespace `namespace` that carry every one of `labels`. */
  public static podsInNamespace(namespace: string, labels: { [key: string]: string }): NetworkPeer {
    return new NetworkPeer('podsInNamespace', { namespace, labels });
  }

  /** Every pod of namespace `namespace` (e.g. the ingress controller's or the monitoring namespace). */
  public static namespace(namespace: string): NetworkPeer {
    return new NetworkPeer('namespace', { namespace });
  }

  /** Every pod of every namespace that carries every one of `labels`. */
  public static namespacesLabelled(labels: { [key: string]: string }): NetworkPeer {
    return new NetworkPeer('namespacesLabelled', { labels });
  }

  /**
   * Addresses in `cidr` (e.g. `203.0.113.0/24`), except those in `except`. For addresses outside
   * the cluster: a pod's address is rewritten by many network plugins before a rule sees it.
   */
  public static cidr(cidr: string, except?: string[]): NetworkPeer {
    return new NetworkPeer('cidr', { cidr, except });
  }

  /** Every IPv4 and IPv6 address. */
  public static anywhere(): NetworkPeer {
    return new NetworkPeer('anywhere', {});
  }

  /** @internal */
  public static _selected(labels: { [key: string]: string }, namespace: string | undefined): NetworkPeer {
    return namespace === undefined ? NetworkPeer.pods(labels) : NetworkPeer.podsInNamespace(namespace, labels);
  }

  private constructor(
    private readonly kind: string,
    private readonly o: { labels?: { [key: string]: string }; namespace?: string; cidr?: string; except?: string[] },
  ) {}

  /** Checks the peer into `problems` and renders it as NetworkPolicy peers. @internal */
  public _render(problems: Problems, prop: string): any[] {
    const o = this.o;
    const labels = () => {
      const ok = problems.check(o.labels !== null && typeof o.labels === 'object' && !Array.isArray(o.labels) && Object.keys(o.labels).length > 0,
        `${prop}.labels`, o.labels, 'must be a non-empty map of labels (an empty selector would select every pod)');
      if (ok) checkLabels(problems, `${prop}.labels`, o.labels);
      return { matchLabels: { ...o.labels } };
    };
    const namespace = () => {
      checkDnsLabel(problems, `${prop}.namespace`, o.namespace!);
      return { matchLabels: { [NAMESPACE_NAME_LABEL]: o.namespace! } };
    };
    switch (this.kind) {
      case 'pods': return [{ podSelector: labels() }];
      case 'podsInNamespace': return [{ namespaceSelector: namespace(), podSelector: labels() }];
      case 'namespace': return [{ namespaceSelector: namespace() }];
      case 'namespacesLabelled': return [{ namespaceSelector: labels() }];
      case 'cidr': {
        problems.check(isCidr(o.cidr), `${prop}.cidr`, o.cidr, 'must be a CIDR such as 203.0.113.0/24');
        if (o.except !== undefined && !Array.isArray(o.except)) problems.add(`${prop}.except`, o.except, 'must be a list of CIDRs');
        const except = Array.isArray(o.except) ? o.except : [];
        except.forEach((e, i) => problems.check(isCidr(e), `${prop}.except[${i}]`, e, `must be a CIDR inside ${o.cidr}`));
        return [{ ipBlock: { cidr: o.cidr, ...(except.length > 0 ? { except: [...except] } : {}) } }];
      }
      default: return [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }];
    }
  }
}

/** Ports a network rule admits. */
export interface NetworkRuleOptions {
  /**
   * Port numbers of the receiving pods (container ports, not Service ports).
   * @default - every port
   */
  readonly ports?: number[];
  /**
   * Protocol of the ports.
   * @default NetworkProtocol.TCP
   */
  readonly protocol?: NetworkProtocol;
}

/** A peer and the ports a workload's NetworkPolicy admits to or from it. */
export interface NetworkRule extends NetworkRuleOptions {
  /** The other side. */
  readonly peer: NetworkPeer;
}

/**
 * The network segmentation of a workload's pods. Every workload gets a NetworkPolicy that denies
 * all traffic in and out, except DNS lookups and what these rules (and `connectsTo`, exposures,
 * an Ingress's `controller`) allow.
 */
export interface NetworkOptions {
  /**
   * Who may open connections to the pods, and on which ports.
   * @default - nobody, besides the workload's callers declared with `connectsTo`
   */
  readonly allowFrom?: NetworkRule[];
  /**
   * Where the pods may open connections, besides DNS.
   * @default - nowhere, besides the workloads they `connectsTo`
   */
  readonly allowTo?: NetworkRule[];
  /**
   * Where the Kubernetes API server is, for a workload that talks to it (`apiAccess`, leader
   * election): its addresses, as the network plugin sees them (often the control-plane nodes,
   * not the `kubernetes` Service's ClusterIP).
   * @default - any address on ports 443 and 6443
   */
  readonly apiServer?: NetworkPeer;
}

/** One rendered rule, before it is merged into a NetworkPolicy. @internal */
export interface RenderedNetworkRule {
  readonly peers: any[];
  readonly ports?: Array<{ port: number; protocol: string }>;
}

/** Checks a rule (peer and ports) into `problems` and renders it. @internal */
export function renderNetworkRule(rule: NetworkRule, problems: Problems, prop: string): RenderedNetworkRule | undefined {
  if (rule === null || typeof rule !== 'object' || Array.isArray(rule)) {
    problems.add(prop, rule, 'must be a rule: { peer: NetworkPeer..., ports?: [...] }');
    return undefined;
  }
  if (!(rule.peer instanceof NetworkPeer)) {
    problems.add(`${prop}.peer`, rule.peer, 'must be created with NetworkPeer.pods(), namespace(), cidr(), anywhere(), ...');
    return undefined;
  }
  const peers = rule.peer._render(problems, `${prop}.peer`);
  const ports = renderPorts(rule, problems, prop);
  return { peers, ...(ports !== undefined ? { ports } : {}) };
}

/** Checks and renders the ports of a rule. @internal */
export function renderPorts(o: NetworkRuleOptions, problems: Problems, prop: string): Array<{ port: number; protocol: string }> | undefined {
  const protocol = o.protocol ?? NetworkProtocol.TCP;
  problems.check(Object.values(NetworkProtocol).includes(protocol), `${prop}.protocol`, protocol, 'must be a NetworkProtocol');
  if (o.ports === undefined) return undefined;
  if (!problems.check(Array.isArray(o.ports) && o.ports.length > 0, `${prop}.ports`, o.ports,
    'must be a non-empty list of port numbers (leave it out to admit every port)')) return undefined;
  o.ports.forEach((port, i) => {
    checkPort(problems, `${prop}.ports[${i}]`, port);
    problems.check(o.ports!.indexOf(port) === i, `${prop}.ports[${i}]`, port, 'is listed twice');
  });
  return o.ports.map((port) => ({ port, protocol }));
}

/** Whether a rendered rule admits `port` (TCP). @internal */
export function ruleAdmits(rule: RenderedNetworkRule, port: number): boolean {
  return rule.ports === undefined || rule.ports.some((p) => p.port === port && p.protocol === 'TCP');
}
