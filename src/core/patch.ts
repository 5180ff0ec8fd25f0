import { ApiObject, JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';

/**
 * The one place where this library writes fields that cdk8s-plus-28 cannot express
 * (gRPC probes, pod-level seccomp, topologySpreadConstraints, ...). Every such field goes through
 * here, addressed relative to the pod spec, so that workload kinds differ only in `podSpecPath`.
 *
 * Two rules for patch values, both enforced by typing them as the generated L1 types
 * (`k8s.Probe`, `k8s.TopologySpreadConstraint`, ...):
 * - cdk8s applies patches after resolving lazy values, so values must be plain data, not `Lazy`.
 * - the L1 object (`KubeDeployment`, ...) runs its generated Kubernetes 1.28 serializer after the
 *   patches, so values must have the L1 *props* shape: `IntOrString`/`Quantity` objects, and
 *   TypeScript field names where they differ from JSON (`setHostnameAsFqdn`). A field unknown to
 *   Kubernetes 1.28 is dropped by that serializer.
 * @internal
 */
export class PodSpecPatcher {
  /** Where the pod spec lives in a workload manifest of the given kind. */
  public static podSpecPath(kind: string): string {
    return kind === 'CronJob' ? '/spec/jobTemplate/spec/template/spec' : '/spec/template/spec';
  }

  private readonly base: string;

  constructor(private readonly apiObject: ApiObject) {
    this.base = PodSpecPatcher.podSpecPath(apiObject.kind);
  }

  /**
   * Sets (adds or replaces) a field of the pod spec. `path` is a JSON pointer relative to the pod
   * spec, e.g. `securityContext/seccompProfile`; its parent must exist.
   */
  public setPodField(path: string, value: unknown): void {
    this.apiObject.addJsonPatch(JsonPatch.add(`${this.base}/${path}`, value));
  }

  /**
   * Sets a field (one segment) of the container at `index` of `list` (`containers` or
   * `initContainers`; containers keep the order they were added in).
   */
  public setContainerField(index: number, field: string, value: unknown, list: 'containers' | 'initContainers' = 'containers'): void {
    this.apiObject.addJsonPatch(JsonPatch.add(`${this.base}/${list}/${index}/${escape(field)}`, value));
  }

  /**
   * Appends an item to a list field of the container at `index` of `list`, e.g. a volume mount of a
   * claim template that cdk8s-plus-28 cannot express. The list must exist.
   */
  public appendToContainerField(index: number, field: string, value: unknown, list: 'containers' | 'initContainers' = 'containers'): void {
    this.apiObject.addJsonPatch(JsonPatch.add(`${this.base}/${list}/${index}/${escape(field)}/-`, value));
  }

  /** Sets a field of the workload spec itself (outside the pod), e.g. `revisionHistoryLimit`. */
  public setSpecField(field: string, value: unknown): void {
    this.apiObject.addJsonPatch(JsonPatch.add(`/spec/${escape(field)}`, value));
  }

  /**
   * Sets a field of the Job spec: `/spec/<field>` of a Job, `/spec/jobTemplate/spec/<field>` of a
   * CronJob (e.g. `completionMode`, `podFailurePolicy`).
   */
  public setJobSpecField(field: string, value: unknown): void {
    const base = this.apiObject.kind === 'CronJob' ? '/spec/jobTemplate/spec' : '/spec';
    this.apiObject.addJsonPatch(JsonPatch.add(`${base}/${escape(field)}`, value));
  }

  /** Sets a field anywhere in the manifest, by absolute JSON pointer (e.g. `/spec/jobTemplate/metadata`). */
  public set(pointer: string, value: unknown): void {
    this.apiObject.addJsonPatch(JsonPatch.add(pointer, value));
  }

  /** Removes a field that cdk8s-plus-28 always writes, by absolute JSON pointer (e.g. `/spec/startingDeadlineSeconds`). */
  public remove(pointer: string): void {
    this.apiObject.addJsonPatch(JsonPatch.remove(pointer));
  }
}

/** An L1 IntOrString from a number or a string ("25%"). */
export function intOrString(v: number | string): k8s.IntOrString {
  return typeof v === 'number' ? k8s.IntOrString.fromNumber(v) : k8s.IntOrString.fromString(v);
}

/** Escapes a JSON pointer segment (RFC 6901). */
function escape(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
