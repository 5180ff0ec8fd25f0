/**
 * The label keys this library writes.
 *
 * Selectors use only `app.kubernetes.io/name`, `app.kubernetes.io/instance` and the track label,
 * and these never change between library versions: selectors are immutable in the cluster.
 */
export class PatternLabels {
  /** The name of the application, e.g. `api`. */
  public static readonly NAME = 'app.kubernetes.io/name';
  /** A name that identifies this instance of the application, e.g. `shop-api`. */
  public static readonly INSTANCE = 'app.kubernetes.io/instance';
  /** The higher-level application this one is part of, e.g. `shop`. */
  public static readonly PART_OF = 'app.kubernetes.io/part-of';
  /** The component within the architecture, e.g. `backend`. */
  public static readonly COMPONENT = 'app.kubernetes.io/component';
  /** The tool that manages the object: always `cdk8s-patterns`. */
  public static readonly MANAGED_BY = 'app.kubernetes.io/managed-by';
  /** The release track of a pod: `stable`, `canary`, `blue` or `green`. */
  public static readonly TRACK = 'patterns.cdk8s.io/track';
  /** The value of `app.kubernetes.io/managed-by`. */
  public static readonly MANAGER = 'cdk8s-patterns';

  private constructor() {}
}

/** The `app.kubernetes.io/*` labels this library sets from its own props; users may not override them. */
export const MANAGED_LABELS: string[] = [
  PatternLabels.NAME, PatternLabels.INSTANCE, PatternLabels.MANAGED_BY, PatternLabels.PART_OF, PatternLabels.COMPONENT,
];

/** The identity of one application instance, from which all labels derive. */
export interface AppIdentity {
  readonly name: string;
  readonly instance: string;
  readonly partOf?: string;
  readonly component?: string;
}

/** Labels for the metadata of every object (not for selectors). */
export function standardLabels(id: AppIdentity): { [key: string]: string } {
  const labels: { [key: string]: string } = {
    [PatternLabels.NAME]: id.name,
    [PatternLabels.INSTANCE]: id.instance,
    [PatternLabels.MANAGED_BY]: PatternLabels.MANAGER,
  };
  if (id.partOf) labels[PatternLabels.PART_OF] = id.partOf;
  if (id.component) labels[PatternLabels.COMPONENT] = id.component;
  return labels;
}

/** The labels a Service or PDB selects on, optionally narrowed to one track. */
export function selectorLabels(id: AppIdentity, track?: string): { [key: string]: string } {
  const labels: { [key: string]: string } = {
    [PatternLabels.NAME]: id.name,
    [PatternLabels.INSTANCE]: id.instance,
  };
  if (track) labels[PatternLabels.TRACK] = track;
  return labels;
}
