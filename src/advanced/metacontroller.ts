import { ApiObject, Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { CustomResourceDefinition } from './custom-resource';
import { deferConstruction, registerAppChecks, wasNotBuilt } from '../core/app-checks';
import { KNOWN_PROPS } from '../core/known-props';
import { standardLabels } from '../core/labels';
import { checkDnsLabel, checkDnsSubdomain, checkLabels } from '../core/names';
import { makeClusterScoped } from '../core/scope';
import { checkKnownKeys, Problems } from '../core/validation';
import { seconds } from '../foundational/health-check';
import { NetworkPeer } from '../pod/network';
import { attachedWorkload, PatternWorkload } from '../workload/workload';

/** How Metacontroller updates a child (or attachment) whose desired state changed. */
export enum ChildUpdateMethod {
  /** Never update an existing child; replace it only when it is deleted (the default). */
  ON_DELETE = 'OnDelete',
  /** Delete and recreate children at once. */
  RECREATE = 'Recreate',
  /** Update children in place. */
  IN_PLACE = 'InPlace',
  /** Delete and recreate children one at a time, waiting for each to be ready. */
  ROLLING_RECREATE = 'RollingRecreate',
  /** Update children in place one at a time, waiting for each to be ready. */
  ROLLING_IN_PLACE = 'RollingInPlace',
}

/** A kind of object the hook creates and owns. */
export interface ChildResource {
  /** API version of the children, e.g. `v1` or `apps/v1`. */
  readonly apiVersion: string;
  /** The resource (plural, lower case), e.g. `pods` or `configmaps`. */
  readonly resource: string;
  /**
   * How changed children are updated.
   * @default ChildUpdateMethod.ON_DELETE (existing children are never updated)
   */
  readonly updateMethod?: ChildUpdateMethod;
}

/** A kind of object a `DecoratorController` adds behaviour to. */
export interface DecoratedResource {
  /** API version, e.g. `apps/v1`. */
  readonly apiVersion: string;
  /** The resource (plural, lower case), e.g. `statefulsets`. */
  readonly resource: string;
  /**
   * Only objects with these labels.
   * @default - every object of the resource
   */
  readonly labelSelector?: { [key: string]: string };
  /**
   * Only objects with these annotations.
   * @default - every object of the resource
   */
  readonly annotationSelector?: { [key: string]: string };
}

/** Where Metacontroller sends the hook's requests: a workload of this library, through its Service. */
export interface MetacontrollerHook {
  /** The workload that serves the hook; its Service (in a namespace) receives the requests. */
  readonly workload: PatternWorkload;
  /**
   * The path of the hook.
   * @default '/sync'
   */
  readonly path?: string;
  /**
   * How long Metacontroller waits for an answer before it retries later: 1 to 600 seconds.
   * @default Duration.seconds(10)
   */
  readonly timeout?: Duration;
}

/** Options shared by both kinds of Metacontroller controller. */
export interface MetacontrollerOptions {
  /** The webhook that computes the desired state. */
  readonly sync: MetacontrollerHook;
  /**
   * How often every object is sent to the hook even when nothing changed.
   * @default - only on changes
   */
  readonly resyncPeriod?: Duration;
  /**
   * The namespace where Metacontroller runs: the hook workload's NetworkPolicy admits it on the hook's port.
   * @default 'metacontroller'
   */
  readonly metacontrollerNamespace?: string;
  /**
   * Name of the controller object (cluster-scoped).
   * @default - the construct id
   */
  readonly name?: string;
}

/** Props of a `CompositeController`. */
export interface CompositeControllerProps extends MetacontrollerOptions {
  /** The custom resource whose objects are the parents (in the definition's storage version). */
  readonly parent: CustomResourceDefinition;
  /** The kinds of object the hook creates for each parent, owned by it. At least one. */
  readonly children: ChildResource[];
  /**
   * Let Metacontroller select the children by the parent's uid, ignoring the parent's own
   * `spec.selector` (like a Job): right unless the parent has a selector of its own.
   * @default true
   */
  readonly generateSelector?: boolean;
}

/** Props of a `DecoratorController`. */
export interface DecoratorControllerProps extends MetacontrollerOptions {
  /** The objects to decorate. At least one kind. */
  readonly resources: DecoratedResource[];
  /**
   * The kinds of object the hook attaches to each decorated object.
   * @default - none (the hook only adds labels, annotations or status)
   */
  readonly attachments?: ChildResource[];
}

/**
 * Operator, written as a webhook: a Metacontroller `CompositeController`
 * (metacontroller.k8s.io/v1alpha1) that sends each object of a custom resource, with the
 * children it owns, to a hook served by a workload of this library, and makes the children the
 * hook returns. Metacontroller (installed in the cluster) does the watching, the ownership and
 * the rolling updates; the hook is a plain HTTP function, without API access. The workload's
 * NetworkPolicy admits Metacontroller on the hook's port.
 *
 * @see https://metacontroller.github.io/metacontroller/api/compositecontroller.html
 *
 * @example
 * new CompositeController(chart, 'config-watcher', {
 *   parent: configWatcherCrd,
 *   children: [{ apiVersion: 'v1', resource: 'configmaps', updateMethod: ChildUpdateMethod.IN_PLACE }],
 *   sync: { workload: hook },
 * });
 */
export class CompositeController extends Construct {
  /** The CompositeController object. */
  public readonly apiObject!: ApiObject;

  constructor(scope: Construct, id: string, props: CompositeControllerProps) {
    super(scope, id);
    try {
      const p = props ?? ({} as CompositeControllerProps);
      const problems = new Problems(this);
      checkKnownKeys(problems, '', props, KNOWN_PROPS.CompositeControllerProps, 'CompositeControllerProps');
      const parent = p.parent;
      const parentOk = !wasNotBuilt(parent) && parent instanceof CustomResourceDefinition;
      problems.check(parentOk, 'parent', wasNotBuilt(parent) ? 'not built' : parent, 'must be a CustomResourceDefinition of this library (built)');
      const children = childResources(p.children, 'children', problems, true);
      problems.check(p.generateSelector === undefined || typeof p.generateSelector === 'boolean', 'generateSelector', p.generateSelector, 'must be true or false');
      const common = commonSpec(this, p, problems);
      problems.throwIfAny();
      this.apiObject = new ApiObject(this, 'Resource', {
        apiVersion: API_VERSION,
        kind: 'CompositeController',
        metadata: { name: common.name, labels: standardLabels({ name: common.name, instance: common.name }) },
        spec: {
          generateSelector: p.generateSelector ?? true,
          parentResource: { apiVersion: parent.apiVersion(), resource: parent.plural },
          childResources: children,
          ...(common.resync !== undefined ? { resyncPeriodSeconds: common.resync } : {}),
          hooks: { sync: common.hook },
        },
      });
      makeClusterScoped(this.apiObject);
      this.node.addDependency(parent);
      registerAppChecks(this);
    } catch (e) {
      return deferConstruction(this, e);
    }
  }
}

/**
 * Adds behaviour to existing objects, as a webhook: a Metacontroller `DecoratorController`
 * (metacontroller.k8s.io/v1alpha1) that sends every object of `resources` matching the selectors
 * to a hook served by a workload of this library, and applies the labels, annotations and
 * attachments the hook returns. The workload's NetworkPolicy admits Metacontroller on the hook's
 * port.
 *
 * @see https://metacontroller.github.io/metacontroller/api/decoratorcontroller.html
 */
export class DecoratorController extends Construct {
  /** The DecoratorController object. */
  public readonly apiObject!: ApiObject;

  constructor(scope: Construct, id: string, props: DecoratorControllerProps) {
    super(scope, id);
    try {
      const p = props ?? ({} as DecoratorControllerProps);
      const problems = new Problems(this);
      checkKnownKeys(problems, '', props, KNOWN_PROPS.DecoratorControllerProps, 'DecoratorControllerProps');
      const list = Array.isArray(p.resources) ? p.resources : [];
      problems.check(list.length > 0, 'resources', p.resources, 'must list at least one kind of object to decorate');
      const resources = list.map((r, i) => {
        const at = `resources[${i}]`;
        if (r === null || typeof r !== 'object') {
          problems.add(at, r, 'must be { apiVersion, resource, labelSelector, annotationSelector }');
          return {};
        }
        checkKnownKeys(problems, `${at}.`, r, KNOWN_PROPS.DecoratedResource, 'DecoratedResource');
        checkResource(r, at, problems);
        if (r.labelSelector !== undefined) checkLabels(problems, `${at}.labelSelector`, r.labelSelector);
        if (r.annotationSelector !== undefined) checkLabels(problems, `${at}.annotationSelector`, r.annotationSelector);
        return {
          apiVersion: r.apiVersion,
          resource: r.resource,
          ...(r.labelSelector && Object.keys(r.labelSelector).length > 0 ? { labelSelector: { matchLabels: { ...r.labelSelector } } } : {}),
          ...(r.annotationSelector && Object.keys(r.annotationSelector).length > 0
            ? { annotationSelector: { matchAnnotations: { ...r.annotationSelector } } } : {}),
        };
      });
      const attachments = p.attachments === undefined ? [] : childResources(p.attachments, 'attachments', problems, false);
      const common = commonSpec(this, p, problems);
      problems.throwIfAny();
      this.apiObject = new ApiObject(this, 'Resource', {
        apiVersion: API_VERSION,
        kind: 'DecoratorController',
        metadata: { name: common.name, labels: standardLabels({ name: common.name, instance: common.name }) },
        spec: {
          resources,
          ...(attachments.length > 0 ? { attachments } : {}),
          ...(common.resync !== undefined ? { resyncPeriodSeconds: common.resync } : {}),
          hooks: { sync: common.hook },
        },
      });
      makeClusterScoped(this.apiObject);
      registerAppChecks(this);
    } catch (e) {
      return deferConstruction(this, e);
    }
  }
}

const API_VERSION = 'metacontroller.k8s.io/v1alpha1';

function checkResource(r: { apiVersion: unknown; resource: unknown }, at: string, problems: Problems): void {
  problems.check(typeof r.apiVersion === 'string' && /^([a-z0-9.-]+\/)?v[0-9a-z]+$/.test(r.apiVersion), `${at}.apiVersion`, r.apiVersion,
    'must be an API version, e.g. "v1" or "apps/v1"');
  problems.check(typeof r.resource === 'string' && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(r.resource), `${at}.resource`, r.resource,
    'must be a resource: its plural name in lower case, e.g. "pods" (not the kind)');
}

function childResources(list: unknown, prop: string, problems: Problems, required: boolean): Array<{ [key: string]: unknown }> {
  if (!Array.isArray(list) || (required && list.length === 0)) {
    problems.add(prop, list, required ? 'must list at least one kind of child, e.g. { apiVersion: "v1", resource: "pods" }' : 'must be a list of ChildResource');
    return [];
  }
  const seen = new Set<string>();
  return list.map((c, i) => {
    const at = `${prop}[${i}]`;
    if (c === null || typeof c !== 'object') {
      problems.add(at, c, 'must be { apiVersion, resource, updateMethod }');
      return {};
    }
    checkKnownKeys(problems, `${at}.`, c, KNOWN_PROPS.ChildResource, 'ChildResource');
    checkResource(c, at, problems);
    const key = `${c.apiVersion}|${c.resource}`;
    problems.check(!seen.has(key), at, c.resource, 'is listed twice');
    seen.add(key);
    if (c.updateMethod !== undefined) problems.check(Object.values(ChildUpdateMethod).includes(c.updateMethod), `${at}.updateMethod`, c.updateMethod, 'must be a ChildUpdateMethod');
    const update = c.updateMethod !== undefined ? { updateStrategy: { method: c.updateMethod } } : {};
    return { apiVersion: c.apiVersion, resource: c.resource, ...update };
  });
}

/** The name, resync period and hook of either controller, and the NetworkPolicy rule for Metacontroller. */
function commonSpec(
  scope: Construct, p: MetacontrollerOptions, problems: Problems,
): { name: string; resync?: number; hook: { [key: string]: unknown } } {
  const name = p.name ?? scope.node.id;
  checkDnsSubdomain(problems, 'name', name);
  const resync = seconds(problems, 'resyncPeriod', p.resyncPeriod, 1);
  const ns = p.metacontrollerNamespace ?? 'metacontroller';
  checkDnsLabel(problems, 'metacontrollerNamespace', ns);
  const hook = p.sync;
  if (hook === null || typeof hook !== 'object') {
    problems.add('sync', hook, 'must be { workload, path, timeout }');
    return { name, hook: {} };
  }
  checkKnownKeys(problems, 'sync.', hook, KNOWN_PROPS.MetacontrollerHook, 'MetacontrollerHook');
  const path = hook.path ?? '/sync';
  problems.check(typeof path === 'string' && /^\/[-A-Za-z0-9/._~%]*$/.test(path), 'sync.path', path, 'must be a URL path starting with "/"');
  const timeout = seconds(problems, 'sync.timeout', hook.timeout, 1, 600) ?? 10;
  if (wasNotBuilt(hook.workload)) {
    problems.add('sync.workload', 'not built', 'is a workload that was not built (its problems are listed)');
    return { name, hook: {} };
  }
  const before = problems.all.length;
  const workload = attachedWorkload(problems, hook.workload);
  const service = workload._exposingServices()[0];
  const namespace = Chart.of(workload).namespace;
  if (!problems.check(service !== undefined, 'sync.workload', workload.name, 'must have a Service that serves the hook (give it a port)')) return { name, hook: {} };
  problems.check(namespace !== undefined, 'sync.workload', workload.name, 'must be in a Chart with a namespace: Metacontroller names the hook\'s Service by namespace');
  const port = workload._servicePorts(service)[0]?.port ?? 80;
  if (problems.all.length === before) workload._admitToServicePort(NetworkPeer.namespace(ns), service, port, 'sync (Metacontroller)', problems);
  return {
    name,
    resync,
    hook: {
      webhook: {
        service: { name: service.name, namespace, port, protocol: 'http' },
        path,
        timeout: `${timeout}s`,
      },
    },
  };
}
