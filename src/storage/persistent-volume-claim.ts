import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { deferConstruction, registerAppChecks } from '../core/app-checks';
import { KNOWN_PROPS } from '../core/known-props';
import { MANAGED_LABELS, standardLabels } from '../core/labels';
import { checkDnsSubdomain, checkLabels, checkLabelValue, defaultNameFromId, namePropOf } from '../core/names';
import { showSize, wholeMebibytes } from '../core/quantity';
import { checkKnownKeys, Problems } from '../core/validation';
import { ClaimVolumeOptions, PodVolume } from '../pod/volume';

/** How a volume may be mounted. */
export enum AccessMode {
  /** Read-write by the pods of one node. */
  READ_WRITE_ONCE = 'ReadWriteOnce',
  /** Read-only by many nodes. */
  READ_ONLY_MANY = 'ReadOnlyMany',
  /** Read-write by many nodes (NFS, CephFS, cloud file stores; not block disks). */
  READ_WRITE_MANY = 'ReadWriteMany',
  /** Read-write by one pod only (CSI volumes, Kubernetes 1.27+). */
  READ_WRITE_ONCE_POD = 'ReadWriteOncePod',
}

/** Whether a volume is a filesystem or a raw block device. */
export enum VolumeMode {
  /** A filesystem, mounted at a path. */
  FILESYSTEM = 'Filesystem',
  /** A raw block device (not mountable with `mounts`: it needs volumeDevices, which this library does not render yet). */
  BLOCK = 'Block',
}

/** What a claim asks for: shared by `PersistentVolumeClaim` and the claim templates of a `StatefulService`. */
export interface ClaimOptions {
  /** Storage requested, e.g. `Size.gibibytes(10)`. */
  readonly size: Size;
  /**
   * How the volume is mounted.
   * @default [AccessMode.READ_WRITE_ONCE]
   */
  readonly accessModes?: AccessMode[];
  /**
   * StorageClass to provision from; `''` asks for a pre-provisioned volume of no class.
   * @default - `''` with a `selector` (or `volumeName`), which bind pre-provisioned volumes; otherwise the cluster's default StorageClass
   */
  readonly storageClassName?: string;
  /**
   * Filesystem or raw block device.
   * @default VolumeMode.FILESYSTEM
   */
  readonly volumeMode?: VolumeMode;
  /**
   * Bind only to a PersistentVolume with these labels (static provisioning, see `PersistentVolume`).
   * @default - any matching volume
   */
  readonly selector?: { [key: string]: string };
}

/** Where a new claim's data comes from. */
export interface ClaimDataSource {
  /** `VolumeSnapshot` (group `snapshot.storage.k8s.io`) or `PersistentVolumeClaim` (a clone). */
  readonly kind: string;
  /** Name of the snapshot or claim. */
  readonly name: string;
  /**
   * API group of the kind.
   * @default - 'snapshot.storage.k8s.io' for VolumeSnapshot, none for PersistentVolumeClaim
   */
  readonly apiGroup?: string;
}

/** Props of a `PersistentVolumeClaim`. */
export interface PersistentVolumeClaimProps extends ClaimOptions {
  /**
   * Name of the claim.
   * @default - the construct id in kebab-case
   */
  readonly name?: string;
  /**
   * Extra labels.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * Bind to this PersistentVolume by name (static provisioning).
   * @default - any volume the selector and class allow
   */
  readonly volumeName?: string;
  /**
   * Fill the new volume from a snapshot or another claim.
   * @default - an empty volume
   */
  readonly dataSource?: ClaimDataSource;
}

/** Checks access modes: a non-empty list of AccessMode, ReadWriteOncePod alone. @internal */
export function checkAccessModes(problems: Problems, prop: string, modes: AccessMode[]): void {
  if (!problems.check(Array.isArray(modes) && modes.length > 0 && modes.every((m) => Object.values(AccessMode).includes(m)), prop, modes,
    'must be a non-empty list of AccessMode')) return;
  problems.check(!modes.includes(AccessMode.READ_WRITE_ONCE_POD) || modes.length === 1, prop, modes,
    'must not combine ReadWriteOncePod with other access modes (the API server rejects it)');
}

/** A storage size in the largest binary unit that divides it: `10Gi` rather than `10240Mi`. @internal */
export function storageQuantity(mib: number): string {
  if (mib > 0 && mib % (1024 * 1024) === 0) return `${mib / (1024 * 1024)}Ti`;
  if (mib > 0 && mib % 1024 === 0) return `${mib / 1024}Gi`;
  return `${mib}Mi`;
}

/** A validated claim spec (L1 props shape). @internal */
export function renderClaimSpec(o: ClaimOptions, problems: Problems, prop: string): kplus.k8s.PersistentVolumeClaimSpec {
  const opts = o ?? ({} as ClaimOptions);
  let mib: number | undefined;
  if (!(opts.size instanceof Size)) {
    problems.add(`${prop}size`, opts.size, 'is required: a Size such as Size.gibibytes(10)');
  } else {
    mib = wholeMebibytes(opts.size, (x: Size) => x.toMebibytes());
    problems.check(mib !== undefined, `${prop}size`, showSize(opts.size),
      'must be a whole, positive number of mebibytes (at most 8 Ei), e.g. Size.mebibytes(10) or Size.gibibytes(5)');
  }
  const modes = opts.accessModes ?? [AccessMode.READ_WRITE_ONCE];
  checkAccessModes(problems, `${prop}accessModes`, modes);
  const volumeMode = opts.volumeMode ?? VolumeMode.FILESYSTEM;
  problems.check(Object.values(VolumeMode).includes(volumeMode), `${prop}volumeMode`, volumeMode, 'must be a VolumeMode');
  const storageClassName = opts.storageClassName ?? (opts.selector !== undefined ? '' : undefined);
  if (storageClassName !== undefined && storageClassName !== '') checkDnsSubdomain(problems, `${prop}storageClassName`, storageClassName);
  checkLabels(problems, `${prop}selector`, opts.selector);
  return {
    accessModes: Array.isArray(modes) ? [...modes] : [],
    resources: { requests: { storage: kplus.k8s.Quantity.fromString(storageQuantity(mib ?? 0)) } },
    ...(storageClassName !== undefined ? { storageClassName } : {}),
    volumeMode,
    ...(opts.selector !== undefined ? { selector: { matchLabels: { ...opts.selector } } } : {}),
  };
}

/**
 * A PersistentVolumeClaim: storage that outlives pods, mounted by any workload
 * (`claim.volume('data')` in its `volumes`). Several Jobs and CronJobs can share one claim, which
 * then needs an access mode that allows it (ReadWriteMany across nodes, or ReadWriteOnce with the
 * pods on one node).
 * @see https://kubernetes.io/docs/concepts/storage/persistent-volumes/#persistentvolumeclaims
 */
export class PersistentVolumeClaim extends Construct {
  /** Name of the claim. */
  public readonly claimName!: string;
  /** The PersistentVolumeClaim object. */
  public readonly apiObject!: kplus.k8s.KubePersistentVolumeClaim;
  /** Its access modes. */
  public readonly accessModes!: AccessMode[];

  constructor(scope: Construct, id: string, props: PersistentVolumeClaimProps) {
    super(scope, id);
    try {
      const p = props ?? ({} as PersistentVolumeClaimProps);
      const problems = new Problems(this);
      checkKnownKeys(problems, '', props, KNOWN_PROPS.PersistentVolumeClaimProps, 'PersistentVolumeClaimProps');
      this.claimName = p.name ?? defaultNameFromId(id);
      const nameProp = namePropOf(p.name);
      checkDnsSubdomain(problems, nameProp, this.claimName);
      checkLabelValue(problems, nameProp, this.claimName);
      checkLabels(problems, 'labels', p.labels);
      for (const k of Object.keys(p.labels ?? {})) {
        problems.check(!MANAGED_LABELS.includes(k), 'labels key', k, 'must not override a label this library manages');
      }
      // A claim that picks a pre-provisioned volume must not get the default StorageClass, or it never binds.
      const staticBinding = p.selector !== undefined || p.volumeName !== undefined;
      const spec = renderClaimSpec({ ...p, storageClassName: p.storageClassName ?? (staticBinding ? '' : undefined) }, problems, '');
      if (p.volumeName !== undefined) checkDnsSubdomain(problems, 'volumeName', p.volumeName);
      const source = p.dataSource;
      if (source !== undefined) {
        problems.check(source !== null && ['VolumeSnapshot', 'PersistentVolumeClaim'].includes(source.kind), 'dataSource.kind', source?.kind,
          'must be VolumeSnapshot or PersistentVolumeClaim');
        checkDnsSubdomain(problems, 'dataSource.name', source?.name);
      }
      problems.throwIfAny();
      this.accessModes = spec.accessModes as AccessMode[];
      this.apiObject = new kplus.k8s.KubePersistentVolumeClaim(this, 'Resource', {
        metadata: { name: this.claimName, labels: { ...(p.labels ?? {}), ...standardLabels({ name: this.claimName, instance: this.claimName }) } },
        spec: {
          ...spec,
          ...(p.volumeName !== undefined ? { volumeName: p.volumeName } : {}),
          ...(source !== undefined ? {
            dataSource: {
              kind: source.kind,
              name: source.name,
              ...(source.kind === 'VolumeSnapshot' ? { apiGroup: source.apiGroup ?? 'snapshot.storage.k8s.io' } : {}),
              ...(source.kind !== 'VolumeSnapshot' && source.apiGroup ? { apiGroup: source.apiGroup } : {}),
            },
          } : {}),
        },
      });
      registerAppChecks(this);
    } catch (e) {
      return deferConstruction(this, e);
    }
  }

  /** A pod volume named `name` that mounts this claim. */
  public volume(name: string, options: ClaimVolumeOptions = {}): PodVolume {
    return PodVolume._claim(name, this.claimName, options, this.accessModes);
  }
}
