import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { CustomResourceDefinition, CustomResourceScope } from './custom-resource';
import { SingletonLocking, SingletonService, SingletonServiceProps, SingletonWorkloadKind } from '../behavioral/singleton-service';
import { deferConstruction, wasNotBuilt } from '../core/app-checks';
import { KNOWN_PROPS } from '../core/known-props';
import { checkPort, defaultNameFromId } from '../core/names';
import { checkInt, checkKnownKeys, Problems, renderValue } from '../core/validation';
import { HealthCheck, HealthProbe } from '../foundational/health-check';
import { Waiver } from '../pod/waiver';
import { ClusterRole, ClusterRoleBinding, IRoleReference, Role, RoleBinding } from '../security/rbac';
import { ApiVerb, RbacRule } from '../security/rbac-rule';
import { Ambassador } from '../structural/ambassador';
import { apiAccessMount, API_THROUGH_HELPER, WorkloadProps } from '../workload/workload';

/** Where a controller watches and acts. */
export enum ControllerScope {
  /** In its own namespace (the Chart's): a Role and a RoleBinding. */
  NAMESPACE = 'Namespace',
  /** In every namespace: a ClusterRole and a ClusterRoleBinding. Ask for it only when the controller needs it. */
  CLUSTER = 'Cluster',
}

/** Options of the API proxy ambassador of a `Controller`. */
export interface ApiProxyOptions {
  /**
   * An image with `kubectl` as its entrypoint, pinned, e.g. `registry.k8s.io/kubectl:v1.28.15`.
   */
  readonly image: string;
  /**
   * The port on 127.0.0.1 where the controller reaches the API.
   * @default 8001
   */
  readonly port?: number;
}

/** Props of a `Controller`. */
export interface ControllerProps extends WorkloadProps {
  /**
   * The resources the controller watches: `get`, `list` and `watch` on each, e.g.
   * `[ApiResource.CONFIG_MAPS]`. At least one, or a custom resource it `manages`.
   * @default - none (then `manages` lists what it watches)
   */
  readonly watches?: kplus.IApiResource[];
  /**
   * The custom resources the controller manages, as an operator: it watches them (`get`, `list`,
   * `watch`) and writes their status (`get`, `update` and `patch` on `<plural>/status`).
   * @default - none
   */
  readonly manages?: CustomResourceDefinition[];
  /**
   * The resources the controller changes: `create`, `update`, `patch` and `delete` on each. For
   * fewer verbs (e.g. only `delete` on pods, as a controller that restarts pods needs), use `rules`.
   * @default - none
   */
  readonly writes?: kplus.IApiResource[];
  /**
   * More rules, for what `watches` and `writes` cannot say: a subresource (`pods/log`), a verb
   * list, or objects by name.
   * @default - none
   */
  readonly rules?: RbacRule[];
  /**
   * Where the controller acts. `CLUSTER` grants the rules in every namespace (and on cluster-scoped
   * resources): the ClusterRole and ClusterRoleBinding are named `<namespace>-<name>`.
   * @default ControllerScope.NAMESPACE
   */
  readonly scope?: ControllerScope;
  /**
   * Replicas. One runs as a Deployment with the Recreate strategy; more elect a leader through a
   * Lease (the controller must use leader election, e.g. controller-runtime's `LeaderElection`),
   * and the others are hot standbys.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * The port of the controller's own endpoints (metrics, health), exposed by a ClusterIP Service.
   * @default - no port and no Service
   */
  readonly port?: number;
  /**
   * Name of the port.
   * @default 'http'
   */
  readonly portName?: string;
  /**
   * Reach the API through an ambassador, as the book shows: a `kubectl proxy` container that
   * holds the token and listens on `127.0.0.1:<port>`; the controller calls plain HTTP on
   * localhost and never sees a credential. Without it, the controller gets a bound token itself
   * (`apiAccess`).
   * @default - no proxy: the controller's container gets the token
   */
  readonly apiProxy?: ApiProxyOptions;
}

/** Keys of `ControllerProps` that are not passed on to the workload. */
const CONTROLLER_ONLY = ['watches', 'manages', 'writes', 'rules', 'scope', 'replicas', 'apiProxy'];

/**
 * Controller: a workload that watches resources through the API server and acts on them (the
 * book's example watches ConfigMaps and restarts the pods that use them). A `SingletonService`
 * (one active replica: a Deployment of one, or leader election over a Lease when there are more),
 * its ServiceAccount, least-privilege RBAC generated from `watches`, `writes` and `rules` (a Role
 * and RoleBinding `<name>` in its namespace, or cluster-wide when asked), a NetworkPolicy egress
 * rule to the API server, and optionally the API proxy ambassador.
 *
 * @see https://kubernetes.io/docs/concepts/architecture/controller/
 *
 * @example
 * new Controller(chart, 'config-watcher', {
 *   image: 'ghcr.io/acme/config-watcher:1.2.0',
 *   watches: [ApiResource.CONFIG_MAPS],
 *   rules: [RbacRule.allow({ verbs: [ApiVerb.LIST, ApiVerb.DELETE], resources: [ApiResource.PODS] })],
 * });
 */
export class Controller extends Construct {
  /** The controller's workload (its Deployment, ServiceAccount and NetworkPolicy). */
  public readonly workload!: SingletonService;
  /** The Role or ClusterRole of the controller's rules. */
  public readonly role!: IRoleReference;
  /** The RoleBinding or ClusterRoleBinding that grants it to the controller's ServiceAccount. */
  public readonly binding!: Construct;
  /** The API proxy ambassador, if asked for. */
  public readonly apiProxy?: Ambassador;
  /** Where the controller reaches the API: `http://127.0.0.1:<port>` through the proxy, or `https://kubernetes.default.svc`. */
  public readonly apiUrl!: string;

  constructor(scope: Construct, id: string, props: ControllerProps) {
    super(scope, id);
    try {
      const p = props ?? ({} as ControllerProps);
      const problems = new Problems(this);
      checkKnownKeys(problems, '', props, KNOWN_PROPS.ControllerProps, 'ControllerProps');
      problems.check(p.apiAccess === undefined, 'apiAccess', p.apiAccess, 'is set by the Controller: it always reaches the API (through apiProxy, or with its own token)');
      const manages = Array.isArray(p.manages) ? p.manages : [];
      if (p.manages !== undefined) {
        if (!problems.check(Array.isArray(p.manages), 'manages', p.manages, 'must be a list of CustomResourceDefinition')) {
          // reported
        } else {
          p.manages.forEach((d, i) => {
            if (wasNotBuilt(d)) problems.add(`manages[${i}]`, 'not built', 'is a CustomResourceDefinition that was not built (its problems are listed)');
            else problems.check(d instanceof CustomResourceDefinition, `manages[${i}]`, d, 'must be a CustomResourceDefinition of this library');
          });
        }
      }
      const watches = p.watches ?? [];
      problems.check(Array.isArray(watches) && (watches.length > 0 || manages.length > 0), 'watches', p.watches,
        'must list at least one resource the controller watches, e.g. [ApiResource.CONFIG_MAPS] (or the custom resources it manages)');
      if (p.writes !== undefined) problems.check(Array.isArray(p.writes), 'writes', p.writes, 'must be a list of resources');
      if (p.rules !== undefined) problems.check(Array.isArray(p.rules), 'rules', p.rules, 'must be a list of RbacRule');
      const where = p.scope ?? ControllerScope.NAMESPACE;
      problems.check(Object.values(ControllerScope).includes(where), 'scope', where, 'must be a ControllerScope');
      manages.forEach((d, i) => {
        if (d instanceof CustomResourceDefinition && !wasNotBuilt(d) && d.scope === CustomResourceScope.CLUSTER) {
          problems.check(where === ControllerScope.CLUSTER, `manages[${i}]`, d.name,
            'is cluster-scoped: a Role cannot grant it, so the controller needs scope: ControllerScope.CLUSTER');
        }
      });
      const replicas = p.replicas ?? 1;
      checkInt(problems, 'replicas', replicas, 1);
      const proxy = p.apiProxy;
      const proxyPort = proxy?.port ?? 8001;
      if (proxy !== undefined) {
        if (proxy === null || typeof proxy !== 'object') {problems.add('apiProxy', proxy, 'must be { image, port }');} else {
          checkPort(problems, 'apiProxy.port', proxy.port);
          problems.check(proxyPort !== p.port, 'apiProxy.port', proxyPort, `must differ from port (${renderValue(p.port)}): both listen in one pod`);
        }
      }
      const name = p.name ?? defaultNameFromId(id);
      const waivers = Array.isArray(p.waivers) ? p.waivers : undefined;
      const rbacWaivers = (waivers ?? []).filter((w) => w instanceof Waiver && String(w.rule).startsWith('rbac-'));
      const podWaivers = Array.isArray(p.waivers) ? p.waivers.filter((w) => !rbacWaivers.includes(w)) : p.waivers;
      problems.throwIfAny();

      // ---- the workload: one active replica; the API reached with a token, or through the proxy,
      // which then holds the only token (the controller's container gets none, also with leader election)
      const workloadProps: { [key: string]: unknown } = {};
      for (const [k, v] of Object.entries(p)) if (!CONTROLLER_ONLY.includes(k)) workloadProps[k] = v;
      const locking = replicas > 1
        ? SingletonLocking.inApplication({ replicas })
        : SingletonLocking.outOfApplication({ kind: SingletonWorkloadKind.DEPLOYMENT });
      const viaProxy = proxy !== undefined;
      this.workload = new SingletonService(this, 'Workload', {
        ...workloadProps,
        name,
        locking,
        waivers: podWaivers,
        apiAccess: true,
        ...(viaProxy ? { [API_THROUGH_HELPER]: true } : {}),
      } as SingletonServiceProps);
      this.apiUrl = viaProxy ? `http://127.0.0.1:${proxyPort}` : 'https://kubernetes.default.svc';
      if (viaProxy) {
        const kubectl = (path: string) => HealthProbe.exec(['kubectl', `--server=http://127.0.0.1:${proxyPort}`, 'get', `--raw=${path}`]);
        this.apiProxy = new Ambassador(this, 'ApiProxy', {
          workload: this.workload,
          container: {
            name: 'api-proxy',
            image: proxy.image,
            // --www serves the proxy's own /tmp under /local/: a page it answers without the API server.
            args: ['proxy', '--address=127.0.0.1', `--port=${proxyPort}`, '--www=/tmp', '--www-prefix=/local/'],
            port: proxyPort,
            portName: 'api-proxy',
            mounts: [apiAccessMount()],
            env: { HOME: '/tmp' }, // kubectl caches API discovery under $HOME/.kube: the writable /tmp
            // The proxy listens on 127.0.0.1, which the kubelet cannot reach: kubectl asks it. Ready
            // when the API server is (/readyz, allowed to every identity); alive while the proxy
            // answers on its own, so that an API server outage never restarts it.
            health: HealthCheck.of({ liveness: kubectl('/local/'), readiness: kubectl('/readyz'), startup: kubectl('/local/') }),
          },
        });
      }

      // ---- least privilege: what it watches and writes, nothing else
      const definitions = manages.filter((d): d is CustomResourceDefinition => d instanceof CustomResourceDefinition && !wasNotBuilt(d));
      const rules = [
        ...(watches.length > 0 ? [RbacRule.read(watches)] : []),
        ...definitions.map((d) => RbacRule.read([d.resource])),
        ...definitions.map((d) => RbacRule.allow({ verbs: [ApiVerb.GET, ApiVerb.UPDATE, ApiVerb.PATCH], resources: [d.statusResource] })),
        ...(p.writes !== undefined && p.writes.length > 0 ? [RbacRule.write(p.writes)] : []),
        ...(p.rules ?? []),
      ];
      const ns = Chart.of(this).namespace;
      const roleWaivers = rbacWaivers.length > 0 ? rbacWaivers : undefined;
      if (where === ControllerScope.CLUSTER) {
        const clusterName = ns !== undefined ? `${ns}-${name}` : name;
        const role = new ClusterRole(this, 'Role', { name: clusterName, rules, waivers: roleWaivers });
        this.role = role;
        this.binding = new ClusterRoleBinding(this, 'Binding', { name: clusterName, role, subjects: [this.workload.serviceAccount] });
      } else {
        const role = new Role(this, 'Role', { name, rules, waivers: roleWaivers });
        this.role = role;
        this.binding = new RoleBinding(this, 'Binding', { name, role, subjects: [this.workload.serviceAccount] });
      }
    } catch (e) {
      return deferConstruction(this, e);
    }
  }
}
