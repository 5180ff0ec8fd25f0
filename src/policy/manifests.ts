/**
 * Reading rendered Kubernetes objects (plain JSON, as `ApiObject.toJson()` renders them or as
 * parsed from YAML) for `PolicyCheck`: pod templates, containers, selectors, images, references.
 * Nothing here knows a construct: it works on any object of any app.
 * @internal
 */

/** A rendered Kubernetes object. */
export type Manifest = { [key: string]: any };

/** Kinds that live outside namespaces. */
export const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace', 'Node', 'PriorityClass', 'ClusterRole', 'ClusterRoleBinding', 'PersistentVolume', 'StorageClass',
  'CustomResourceDefinition', 'IngressClass', 'RuntimeClass', 'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'APIService',
  'CSIDriver', 'CSINode', 'GatewayClass', 'CertificateSigningRequest', 'FlowSchema', 'PriorityLevelConfiguration',
  'VolumeAttachment', 'ClusterIssuer',
]);

/** Whether `m` looks like a Kubernetes object (apiVersion, kind and metadata.name). */
export function isObject(m: unknown): m is Manifest {
  return typeof m === 'object' && m !== null && !Array.isArray(m)
    && typeof (m as Manifest).apiVersion === 'string' && typeof (m as Manifest).kind === 'string'
    && typeof (m as Manifest).metadata === 'object' && (m as Manifest).metadata !== null
    && typeof (m as Manifest).metadata.name === 'string';
}

/** The namespace of an object as written (`''` when it names none). */
export function namespaceOf(m: Manifest): string {
  return typeof m.metadata?.namespace === 'string' ? m.metadata.namespace : '';
}

/** `Kind/name` and, where set, ` in namespace ns`: how a finding names its object. */
export function describeObject(m: Manifest): string {
  const ns = namespaceOf(m);
  return `${m.kind}/${m.metadata?.name}${ns ? ` (namespace ${ns})` : ''}`;
}

/** Whether a value is a non-empty plain object. */
export function isRecord(v: unknown): v is { [key: string]: any } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `v` as an array (anything else: empty). */
export function list(v: unknown): any[] {
  return Array.isArray(v) ? v : [];
}

// ---------------------------------------------------------------------------------------------
// Pods

/** One container of a pod, with the path of its JSON in the object. */
export interface ContainerView {
  /** The container's JSON. */
  readonly json: any;
  /** Its path in the object, e.g. `spec.template.spec.containers[0]`. */
  readonly path: string;
  /** The container's name (`#<index>` when it has none). */
  readonly name: string;
  /** `container`, `init` or `sidecar` (an init container with `restartPolicy: Always`). */
  readonly role: 'container' | 'init' | 'sidecar';
}

/** The pod (template) of an object that runs pods. */
export interface PodView {
  /** The object that carries the pod. */
  readonly owner: Manifest;
  /** The pod spec. */
  readonly spec: any;
  /** The path of the pod spec, e.g. `spec.template.spec`. */
  readonly path: string;
  /** The pod's labels. */
  readonly labels: { [key: string]: string };
  /** The pod's annotations. */
  readonly annotations: { [key: string]: string };
  /** Every container: init containers (and native sidecars) first, then the app containers. */
  readonly containers: ContainerView[];
  /** Whether the pod runs to completion (a Job's, a CronJob's, or a bare pod that does not restart always). */
  readonly runsToCompletion: boolean;
}

/** Kinds whose `spec.template` is a pod template. */
const TEMPLATE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job']);

/** Kinds whose pods serve (run until stopped). */
export const SERVING_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController']);

/** The pod that `m` runs, if it runs one. */
export function podOf(m: Manifest): PodView | undefined {
  let template: any;
  let path: string;
  if (TEMPLATE_KINDS.has(m.kind)) {
    template = m.spec?.template;
    path = 'spec.template';
  } else if (m.kind === 'CronJob') {
    template = m.spec?.jobTemplate?.spec?.template;
    path = 'spec.jobTemplate.spec.template';
  } else if (m.kind === 'ScaledJob' && String(m.apiVersion).startsWith('keda.sh/')) {
    template = m.spec?.jobTargetRef?.template;
    path = 'spec.jobTargetRef.template';
  } else if (m.kind === 'PodTemplate') {
    template = m.template;
    path = 'template';
  } else if (m.kind === 'Pod') {
    template = { metadata: m.metadata, spec: m.spec };
    path = '';
  } else {
    return undefined;
  }
  if (!isRecord(template) || !isRecord(template.spec)) return undefined;
  const specPath = path ? `${path}.spec` : 'spec';
  const spec = template.spec;
  const containers: ContainerView[] = [
    ...list(spec.initContainers).map((c, i) => ({
      json: c ?? {},
      path: `${specPath}.initContainers[${i}]`,
      name: typeof c?.name === 'string' ? c.name : `#${i}`,
      role: (c?.restartPolicy === 'Always' ? 'sidecar' : 'init') as ContainerView['role'],
    })),
    ...list(spec.containers).map((c, i) => ({
      json: c ?? {},
      path: `${specPath}.containers[${i}]`,
      name: typeof c?.name === 'string' ? c.name : `#${i}`,
      role: 'container' as const,
    })),
  ];
  const runsToCompletion = m.kind === 'Job' || m.kind === 'CronJob' || m.kind === 'ScaledJob'
    || (m.kind === 'Pod' && spec.restartPolicy !== undefined && spec.restartPolicy !== 'Always');
  return {
    owner: m,
    spec,
    path: specPath,
    labels: isRecord(template.metadata?.labels) ? template.metadata.labels : {},
    annotations: isRecord(template.metadata?.annotations) ? template.metadata.annotations : {},
    containers,
    runsToCompletion,
  };
}

/** The containers that run for the pod's whole life: app containers and native sidecars. */
export function longRunning(pod: PodView): ContainerView[] {
  return pod.containers.filter((c) => c.role !== 'init');
}

// ---------------------------------------------------------------------------------------------
// Selectors

/** Whether a label selector (`matchLabels` / `matchExpressions`) selects `labels`. An empty selector selects everything. */
export function selectorMatches(selector: any, labels: { [key: string]: string }): boolean {
  if (!isRecord(selector)) return false;
  for (const [k, v] of Object.entries(isRecord(selector.matchLabels) ? selector.matchLabels : {})) {
    if (labels[k] !== v) return false;
  }
  for (const e of list(selector.matchExpressions)) {
    const has = Object.prototype.hasOwnProperty.call(labels, e?.key);
    const values = list(e?.values);
    switch (e?.operator) {
      case 'In': if (!has || !values.includes(labels[e.key])) return false; break;
      case 'NotIn': if (has && values.includes(labels[e.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

/** Whether a Service-style selector (a plain map of labels) selects `labels`. An empty map selects nothing. */
export function mapSelectorMatches(selector: any, labels: { [key: string]: string }): boolean {
  if (!isRecord(selector) || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

// ---------------------------------------------------------------------------------------------
// Images

/** An image reference split into repository, tag and digest. */
export interface ImageRef {
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** Splits `registry:port/path/name:tag@sha256:...` into its parts. */
export function parseImage(image: string): ImageRef {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const rest = at >= 0 ? image.slice(0, at) : image;
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  const tag = colon > slash ? rest.slice(colon + 1) : undefined;
  return { repository: colon > slash ? rest.slice(0, colon) : rest, tag: tag || undefined, digest: digest || undefined };
}

/** Whether an image is pinned to a digest (`@sha256:<64 hex>`, or another algorithm). */
export function isDigestPinned(image: string): boolean {
  const { digest } = parseImage(image);
  return digest !== undefined && /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[0-9a-fA-F]{32,}$/.test(digest);
}

// ---------------------------------------------------------------------------------------------
// The objects a check sees

/** Every object of a check, indexed for the rules that look across objects. */
export class ObjectIndex {
  /** Every object. */
  public readonly all: Manifest[];
  /** Every pod-running object with its pod. */
  public readonly pods: PodView[];
  private readonly byKind = new Map<string, Manifest[]>();

  constructor(objects: Manifest[]) {
    this.all = objects;
    for (const m of objects) {
      const list_ = this.byKind.get(m.kind) ?? [];
      list_.push(m);
      this.byKind.set(m.kind, list_);
    }
    this.pods = objects.map(podOf).filter((p): p is PodView => p !== undefined);
  }

  /** Every object of `kind`, in `namespace` when given. */
  public ofKind(kind: string, namespace?: string): Manifest[] {
    const all = this.byKind.get(kind) ?? [];
    return namespace === undefined ? all : all.filter((m) => namespaceOf(m) === namespace);
  }

  /** The object of `kind` named `name` in `namespace`, if any. */
  public find(kind: string, name: string, namespace: string): Manifest | undefined {
    return this.ofKind(kind, CLUSTER_SCOPED_KINDS.has(kind) ? undefined : namespace).find((m) => m.metadata.name === name);
  }

  /** The pods in `namespace` whose labels `matches` accepts. */
  public podsWhere(namespace: string, matches: (labels: { [key: string]: string }) => boolean): PodView[] {
    return this.pods.filter((p) => namespaceOf(p.owner) === namespace && matches(p.labels));
  }
}
