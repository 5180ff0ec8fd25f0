import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { addSynthValidation, installSynthSessionHooks, renderForChecks } from './synth-session';
import { messagesOf, renderValue, ValidationProblem } from './validation';

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
  addSynthValidation(root, () => messagesOf([...duplicateObjects(root), ...duplicateNodePorts(root)]));
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
