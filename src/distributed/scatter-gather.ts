import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { StatefulService } from '../behavioral/stateful-service';
import { StatelessService, StatelessServiceProps } from '../behavioral/stateless-service';
import { deferConstruction, wasNotBuilt } from '../core/app-checks';
import { KNOWN_PROPS } from '../core/known-props';
import { checkDnsSubdomain, defaultNameFromId } from '../core/names';
import { addSynthValidation, renderForChecks } from '../core/synth-session';
import { checkKnownKeys, isMap, Problems, renderValue, showList } from '../core/validation';
import { definedEnvNames, EnvFrom } from '../pod/env';
import { PatternWorkload } from '../workload/workload';

/** The variables the construct sets on the root's main container. */
const LEAF_ENV = ['LEAF_ADDRESSES', 'LEAF_COUNT', 'LEAVES_SERVICE', 'LEAF_PORT'] as const;

/** Props of a `ScatterGather`. */
export interface ScatterGatherProps {
  /**
   * The leaves: a `StatefulService` with a `port` and a fixed number of replicas (at least one),
   * each pod one shard or partition of the work. Its stable pod names are the root's
   * `LEAF_ADDRESSES`; its headless Service (`<name>-headless`) is `LEAVES_SERVICE`. Not
   * autoscaled (`autoscaled: true` or a horizontal autoscaler is rejected: the list in the root's
   * environment would go stale), and in the root's namespace or one of its own when both charts
   * have one. Give it `podManagementPolicy: PodManagementPolicy.PARALLEL` unless a shard needs
   * the one before it: by default the leaves start one at a time.
   */
  readonly leaves: StatefulService;
  /**
   * The props of the root, a `StatelessService` that takes the clients' requests on `port` (so a
   * port is required), fans each out to every leaf and merges the answers. Its `env`,
   * `envVariables` and `envFrom` must not define `LEAF_ADDRESSES`, `LEAF_COUNT`,
   * `LEAVES_SERVICE` or `LEAF_PORT`: the construct sets them, first, so that the root's own
   * `envVariables`, `command` and `args` may refer to them as `$(LEAF_ADDRESSES)`. Its name
   * defaults to the construct id in kebab-case; the problems of these props are reported under
   * `<path>/Root`.
   */
  readonly root: StatelessServiceProps;
  /**
   * The cluster's DNS domain, in the leaves' DNS names when their chart has a namespace.
   * @default 'cluster.local'
   */
  readonly clusterDomain?: string;
}

/**
 * Scatter-Gather: a root service that fans each request out to all N leaves and merges their
 * answers (a search over N index shards, a price quote from N partitions, a query over N time
 * ranges). The leaves are an existing `StatefulService`: fixed replicas with stable names, each
 * reachable through its headless Service. The construct creates the root, a `StatelessService`
 * (id `Root`), and wires both sides:
 *
 * - the root's main container gets `LEAF_ADDRESSES` (comma-separated `host:port` of every leaf,
 *   in ordinal order: `podDnsNames()`), `LEAF_COUNT`, `LEAVES_SERVICE` (the DNS name of the
 *   leaves' headless Service, which resolves to the IPs of the leaves that are Ready) and
 *   `LEAF_PORT`;
 * - the NetworkPolicies of both sides allow exactly root → leaves on the leaf port
 *   (`root.connectsTo(leaves)`); everything else stays denied.
 *
 * What the root sees: by default (`publishNotReadyAddresses: false` on the leaves) a leaf that is
 * not Ready (starting, failing its readiness probe, being replaced in a rollout) has no DNS record
 * at all, so its name in `LEAF_ADDRESSES` does not resolve (NXDOMAIN, possibly cached by the
 * cluster's DNS for a few seconds) and `LEAVES_SERVICE` omits it. With
 * `publishNotReadyAddresses: true` its name resolves as soon as the pod has an IP, and the root
 * sees refused connections or timeouts instead. Either way the root must bound each call with a
 * timeout and decide what a missing leaf means: a partial answer (flagged as such) or an error.
 * `LEAF_COUNT` says how many answers a complete result has.
 *
 * Changing the leaves' replicas changes the root's environment, so the root rolls out with the new
 * list; during that rollout, new leaves may not be Ready yet.
 *
 * @example
 * const shards = new StatefulService(chart, 'shard', {
 *   image: 'ghcr.io/acme/search-shard:2.3.0', port: 9200, replicas: 4,
 *   podManagementPolicy: PodManagementPolicy.PARALLEL, clientService: false,
 *   volumeClaimTemplates: [{ name: 'index', size: Size.gibibytes(20) }],
 *   mounts: [{ volume: 'index', path: '/var/lib/index' }],
 * });
 * new ScatterGather(chart, 'search', {
 *   leaves: shards,
 *   root: { image: 'ghcr.io/acme/search-root:2.3.0', port: 8080, health: HealthCheck.http('/healthz') },
 * });
 */
export class ScatterGather extends Construct {
  /** The root: the StatelessService that takes the requests, fans them out and merges the answers. */
  public readonly root!: StatelessService;
  /** The leaves, as given. */
  public readonly leaves!: StatefulService;
  /** `host:port` of every leaf, in ordinal order: the value of `LEAF_ADDRESSES`, as a list. */
  public readonly leafAddresses!: string[];
  /** The port the root calls the leaves on (`LEAF_PORT`). */
  public readonly leafPort!: number;
  /** The DNS name of the leaves' headless Service (`LEAVES_SERVICE`): it resolves to the IPs of the Ready leaves. */
  public readonly leavesDnsName!: string;
  /** The clusterDomain given, for the check that it is used. */
  private givenClusterDomain?: string;

  constructor(scope: Construct, id: string, props: ScatterGatherProps) {
    super(scope, id);
    try {
      const p = props ?? ({} as ScatterGatherProps);
      const problems = new Problems(this);
      checkKnownKeys(problems, '', props, KNOWN_PROPS.ScatterGatherProps, 'ScatterGatherProps');
      const before = problems.all.length;
      if (p.clusterDomain !== undefined) checkDnsSubdomain(problems, 'clusterDomain', p.clusterDomain);
      // An invalid domain is reported; the addresses are still computed (for the other checks) with the default.
      const domain = p.clusterDomain !== undefined && problems.all.length === before ? p.clusterDomain : 'cluster.local';
      this.givenClusterDomain = p.clusterDomain;

      // ---- the root's props: the construct owns the leaf variables
      const r = p.root;
      const rootOk = problems.check(r !== null && typeof r === 'object' && !Array.isArray(r), 'root', r,
        'is required: the props of the root StatelessService (image, port, ...), which takes the requests and fans them out');
      const taken = new Set<string>();
      if (rootOk) {
        problems.check(r.port !== undefined, 'root.port', r.port,
          'is required: clients send their requests to the root\'s Service, on this port');
        for (const [name, prop] of definedEnvNames(r.env, r.envVariables)) {
          if (!(LEAF_ENV as readonly string[]).includes(name)) continue;
          taken.add(name);
          problems.add(`root.${prop}`, name, `must not be one of ${LEAF_ENV.join(', ')}: the ScatterGather sets them from the leaves`);
        }
        (Array.isArray(r.envFrom) ? r.envFrom : []).forEach((e, i) => {
          if (!(e instanceof EnvFrom) || e._source.configMap?.knownKeys === undefined) return;
          const prefix = e._source.prefix ?? '';
          const names = e._source.configMap.knownKeys.map((k) => prefix + k).filter((n) => (LEAF_ENV as readonly string[]).includes(n));
          names.forEach((n) => taken.add(n));
          problems.check(names.length === 0, `root.envFrom[${i}]`, showList(names),
            `must not define ${LEAF_ENV.join(', ')}: the ScatterGather sets them from the leaves`);
        });
      }

      // ---- the leaves
      const leaves = this.checkLeaves(p.leaves, problems);
      let env: { [name: string]: string } = {};
      if (leaves !== undefined) {
        const port = portOf(leaves)!;
        const ns = Chart.of(leaves).namespace;
        this.leaves = leaves;
        this.leafPort = port;
        this.leafAddresses = leaves.podDnsNames(domain).map((host) => `${host}:${port}`);
        this.leavesDnsName = ns !== undefined ? `${leaves.headlessServiceName}.${ns}.svc.${domain}` : leaves.headlessServiceName;
        env = {
          LEAF_ADDRESSES: this.leafAddresses.join(','),
          LEAF_COUNT: String(leaves.replicas),
          LEAVES_SERVICE: this.leavesDnsName,
          LEAF_PORT: String(port),
        };
        for (const name of taken) delete env[name]; // reported above: the root must not report it again
      }

      // ---- the root, also when a problem was found above, so that the one error lists its problems too
      if (rootOk) {
        const userEnv = r.env;
        const merged = userEnv === undefined || isMap(userEnv)
          ? { ...env, ...(userEnv ?? {}) }
          : userEnv; // not a map: the root reports it
        this.root = new StatelessService(this, 'Root', {
          ...r,
          name: r.name ?? defaultNameFromId(id),
          env: merged,
        });
        problems.check(!wasNotBuilt(this.root), 'root', 'not built', 'has problems (listed above), so the ScatterGather is not built either');
      }
      if (problems.all.length > 0 && leaves !== undefined) leaves._callerNotBuilt = true;
      problems.throwIfAny();

      // ---- the network: root -> leaves on the leaf port, on both NetworkPolicies
      this.root.connectsTo(this.leaves, { ports: [this.leafPort] });
      addSynthValidation(this, () => {
        const later = new Problems(this);
        checkNotAutoscaled(later, this.leaves);
        const rendered = renderForChecks(ApiObject.of(this.leaves.statefulSet)).spec?.replicas;
        later.check(rendered === this.leaves.replicas, 'leaves', this.leaves.name,
          `renders ${renderValue(rendered)} replicas (changed after construction, e.g. by a patch), but the root's LEAF_ADDRESSES and LEAF_COUNT `
          + `list ${this.leaves.replicas}: give the StatefulService its count in its props`);
        return later.messages();
      });
    } catch (e) {
      return deferConstruction(this, e);
    }
  }

  /** The leaves, if they can be wired: a built StatefulService with a port, fixed replicas, a namespace like the root's. */
  private checkLeaves(leaves: unknown, problems: Problems): StatefulService | undefined {
    if (leaves === undefined) {
      problems.add('leaves', leaves, 'is required: the StatefulService whose pods answer the fanned-out requests');
      return undefined;
    }
    if (wasNotBuilt(leaves)) {
      problems.add('leaves', 'not built', 'is a StatefulService that was not built (its problems are listed)');
      return undefined;
    }
    if (!(leaves instanceof StatefulService)) {
      const what = leaves instanceof PatternWorkload ? `${leaves.constructor.name} "${leaves.name}"` : leaves;
      problems.add('leaves', what, 'must be a StatefulService of this library: the root needs each leaf\'s stable name, '
        + 'which the pods of a StatefulSet get through its headless Service');
      return undefined;
    }
    const before = problems.all.length;
    problems.check(portOf(leaves) !== undefined, 'leaves', leaves.name, 'has no port: give the StatefulService the port the root calls each leaf on');
    problems.check(leaves.replicas >= 1, 'leaves', leaves.name, `has ${leaves.replicas} replicas: a scatter-gather needs at least one leaf`);
    checkNotAutoscaled(problems, leaves);
    const mine = Chart.of(this).namespace;
    const theirs = Chart.of(leaves).namespace;
    problems.check(this.givenClusterDomain === undefined || theirs !== undefined, 'clusterDomain', this.givenClusterDomain,
      'has no effect: the leaves\' chart has no namespace, so their addresses are short names (resolvable in the same namespace only); '
      + 'give the charts a namespace, or leave clusterDomain out');
    problems.check((mine === undefined) === (theirs === undefined), 'leaves', leaves.name,
      `is in namespace ${theirs ?? '(the chart has none)'} and the root in ${mine ?? '(the chart has none)'}: `
      + 'give both charts a namespace (the addresses then name it), or neither (short names, which resolve in the same namespace only)');
    return problems.all.length === before ? leaves : undefined;
  }
}

/** The main port of a workload: the port `connectsTo` calls by default. */
function portOf(workload: PatternWorkload): number | undefined {
  // `_resolved` is protected: a StatefulService exposes no port of its own.
  return (workload as unknown as { readonly _resolved?: { readonly port?: number } })._resolved?.port;
}

/** Records a problem if the leaves' count is not fixed: `autoscaled: true`, or a horizontal autoscaler attached. */
function checkNotAutoscaled(problems: Problems, leaves: StatefulService): void {
  const scalers = leaves._autoscalers.filter((a) => a.horizontal).map((a) => `the ${a.kind} at ${a.path}`);
  const by = scalers.length > 0 ? `is scaled by ${showList(scalers)}` : 'is autoscaled (autoscaled: true)';
  problems.check(scalers.length === 0 && !leaves.statefulSet.hasAutoscaler, 'leaves', leaves.name,
    `${by}: the root's LEAF_ADDRESSES and LEAF_COUNT are fixed at synth and would go stale when the count changes; `
    + 'give the leaves fixed replicas (scale the root instead, or re-shard by changing replicas)');
}
