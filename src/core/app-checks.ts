import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { addSynthValidation, installSynthSessionHooks, renderForChecks } from './synth-session';
import {
  constructorProblems, cutShort, MAX_RENDERED_PROP, messagesOf, PatternValidationError, pendingProblems, Problems, recordPending, renderValue,
  ValidationProblem,
} from './validation';

const REGISTERED = Symbol.for('cdk8s-patterns.app-checks');

/** Kinds that live outside namespaces (the ones this library or its users are likely to emit). */
const CLUSTER_SCOPED = new Set([
  'Namespace', 'PriorityClass', 'ClusterRole', 'ClusterRoleBinding', 'PersistentVolume', 'StorageClass', 'CustomResourceDefinition',
  'IngressClass', 'RuntimeClass', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding', 'APIService', 'CSIDriver', 'GatewayClass',
]);

/**
 * Registers, once per app, the checks that span the whole app: today, that no two objects share
 * kind, namespace and name (the second would silently overwrite the first on `kubectl apply`).
 * Runs in the validation phase of `app.synth()`, before anything is written.
 * @internal
 */
export function registerAppChecks(scope: IConstruct): void {
  installSynthSessionHooks();
  const root = scope.node.root;
  if ((root as any)[REGISTERED]) return;
  Object.defineProperty(root, REGISTERED, { value: true });
  addSynthValidation(root, () => messagesOf([...pendingProblems(root), ...duplicateObjects(root), ...duplicateNodePorts(root)]));
}

/**
 * Defers the problems of a call to synth: records them as pending in the app (the synth error
 * lists them first) and returns whether there were any, i.e. whether the call must change nothing.
 * @internal
 */
export function deferProblems(scope: IConstruct, problems: Problems): boolean {
  if (problems.isEmpty) return false;
  recordPending(scope, problems.all);
  registerAppChecks(scope);
  return true;
}

/** What a construct that was not built still answers: its place in the tree, and what JavaScript itself asks. */
const STILL_READABLE = new Set<PropertyKey>(['node', 'constructor', 'toString', 'valueOf', 'toJSON', 'then']);

/**
 * Methods that only add to a construct and return nothing: on a construct that was not built they
 * do nothing (its problems are pending), so that a subclass constructor, or code that composes
 * constructs, goes on and the one error lists the problems of the rest of the app too.
 */
const NO_OP_WHEN_NOT_BUILT = new Set<PropertyKey>([
  'addContainer', 'addInitContainer', 'addNativeSidecar', 'addVolume', 'addMount', 'addPodAnnotations', 'allowFrom', 'allowTo',
  'connectsTo', 'addRule', 'addSubjects',
]);

/** On a guard's error: the path of the construct that was read, and the problem that says so. */
const READ_OF = Symbol('cdk8s-patterns.read-of-not-built');

/**
 * Ends the construction of `construct` whose props failed (`error`, any other error is rethrown):
 * records the problems as pending in the app (the ones the constructor had found so far too), so
 * that synth reports them together with those of every other construct, and takes the construct,
 * with whatever it made so far, out of the tree, so that nothing of it is checked or written. The
 * constructor returns what this returns: the construct behind a guard that throws the app's
 * validation error (every problem pending, then this use) when anything else of it is read, e.g.
 * its objects; its methods that only add (`addContainer`, ...) do nothing. A construct whose
 * constructor read a construct that was not built is not built either, and says so.
 * @internal
 */
export function deferConstruction<T extends IConstruct>(construct: T, error: unknown): T {
  if (!(error instanceof PatternValidationError)) throw error;
  const read = (error as any)[READ_OF] as { path: string; problem: ValidationProblem } | undefined;
  const path = construct.node.path;
  recordPending(construct, [
    ...error.problems.filter((p) => p !== read?.problem),
    ...constructorProblems(construct),
    ...(read ? [{
      path,
      prop: 'props',
      value: renderValue(read.path),
      rule: 'name a construct that was not built (its problems are listed), so this one is not built either',
    }] : []),
  ]);
  registerAppChecks(construct);
  construct.node.scope?.node.tryRemoveChild(construct.node.id);
  const guard = new Proxy(construct, {
    get(target, key, receiver) {
      if (typeof key === 'symbol' || STILL_READABLE.has(key)) return Reflect.get(target, key, receiver);
      if (NO_OP_WHEN_NOT_BUILT.has(key)) return () => undefined;
      const problem: ValidationProblem = {
        path,
        prop: cutShort(String(key), MAX_RENDERED_PROP),
        value: 'read',
        rule: 'cannot be used: the construct was not built, because of the problems above',
      };
      const e = new PatternValidationError([...pendingProblems(target), problem]);
      Object.defineProperty(e, READ_OF, { value: { path, problem } });
      throw e;
    },
  });
  NOT_BUILT.add(guard);
  return guard;
}

/** The guards `deferConstruction` returned. */
const NOT_BUILT = new WeakSet<object>();

/**
 * Whether `value` is a construct that was not built because its props failed (its problems are
 * pending in the app): a call that only relates it to others can skip it instead of failing.
 * @internal
 */
export function wasNotBuilt(value: unknown): boolean {
  return typeof value === 'object' && value !== null && NOT_BUILT.has(value);
}

/** Node ports are cluster-wide: two Services of one app cannot ask for the same one. */
function duplicateNodePorts(root: IConstruct): ValidationProblem[] {
  const seen = new Map<number, string>();
  const errors: ValidationProblem[] = [];
  for (const c of root.node.findAll()) {
    if (!ApiObject.isApiObject(c) || c.kind !== 'Service') continue;
    for (const port of renderForChecks(c).spec?.ports ?? []) {
      if (port.nodePort === undefined) continue;
      const first = seen.get(port.nodePort);
      if (first === undefined) {
        seen.set(port.nodePort, c.node.path);
        continue;
      }
      errors.push({
        path: c.node.path,
        prop: 'spec.ports.nodePort',
        value: String(port.nodePort),
        rule: `must be unique in the cluster: the Service at ${first} uses it too`,
      });
    }
  }
  return errors;
}

function duplicateObjects(root: IConstruct): ValidationProblem[] {
  const seen = new Map<string, string>();
  const errors: ValidationProblem[] = [];
  for (const c of root.node.findAll()) {
    if (!ApiObject.isApiObject(c)) continue;
    // An object without a namespace lands in the default namespace unless applied with -n: count it
    // as "default", so that it clashes with an explicit "default" namespace.
    const ns = CLUSTER_SCOPED.has(c.kind) ? '' : c.metadata.namespace ?? 'default';
    const key = `${c.apiGroup}|${c.kind}|${ns}|${c.name}`;
    const first = seen.get(key);
    if (first !== undefined) {
      errors.push({
        path: c.node.path,
        prop: 'metadata.name',
        value: renderValue(c.name),
        rule: `must be unique per kind and namespace: ${c.kind} ${renderValue(c.name)}${ns ? ` in namespace ${renderValue(ns)}` : ''} is also defined at ${first}`,
      });
    } else {
      seen.set(key, c.node.path);
    }
  }
  return errors;
}
