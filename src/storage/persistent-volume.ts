import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { AccessMode, checkAccessModes, storageQuantity, VolumeMode } from './persistent-volume-claim';
import { deferConstruction, registerAppChecks } from '../core/app-checks';
import { KNOWN_PROPS } from '../core/known-props';
import { MANAGED_LABELS, standardLabels } from '../core/labels';
import { checkDnsSubdomain, checkLabels, checkLabelValue, defaultNameFromId, namePropOf } from '../core/names';
import { showSize, wholeMebibytes } from '../core/quantity';
import { makeClusterScoped } from '../core/scope';
import { checkKnownKeys, Problems } from '../core/validation';

/** What happens to a released volume (its claim deleted). */
export enum ReclaimPolicy {
  /** Keep the volume and its data for an administrator to reclaim. */
  RETAIN = 'Retain',
  /** Delete the volume and its data (dynamically provisioned volumes default to this). */
  DELETE = 'Delete',
}

/** Options of an NFS volume. */
export interface NfsSourceOptions {
  /**
   * Mount the export read-only.
   * @default false
   */
  readonly readOnly?: boolean;
}

/** Options of a CSI volume. */
export interface CsiSourceOptions {
  /**
   * Filesystem type, e.g. `ext4`.
   * @default - the driver's default
   */
  readonly fsType?: string;
  /**
   * Driver-specific attributes.
   * @default - none
   */
  readonly attributes?: { [key: string]: string };
  /**
   * Mount read-only.
   * @default false
   */
  readonly readOnly?: boolean;
}

/** Where the storage of a `PersistentVolume` is. */
export class PersistentVolumeSource {
  /**
   * A directory on a node: for single-node clusters (kind, minikube, k3s) only, since the data stays
   * on that one node. The volume is pinned to `nodeName` when given.
   */
  public static hostPath(path: string, nodeName?: string): PersistentVolumeSource {
    return new PersistentVolumeSource('hostPath', (p) => {
      p.check(typeof path === 'string' && path.startsWith('/') && !path.split('/').includes('..') && path.split('/').some((x) => x !== '' && x !== '.'),
        'source.path', path, 'must be an absolute path other than "/", without ".."');
      if (nodeName !== undefined) checkDnsSubdomain(p, 'source.nodeName', nodeName);
      return {
        spec: { hostPath: { path, type: 'DirectoryOrCreate' } },
        nodeName,
      };
    });
  }

  /** An NFS export. */
  public static nfs(server: string, path: string, options: NfsSourceOptions = {}): PersistentVolumeSource {
    return new PersistentVolumeSource('nfs', (p) => {
      p.check(typeof server === 'string' && server.length > 0, 'source.server', server, 'must be a host name or IP address');
      p.check(typeof path === 'string' && path.startsWith('/'), 'source.path', path, 'must be an absolute path');
      return { spec: { nfs: { server, path, ...(options?.readOnly === true ? { readOnly: true } : {}) } } };
    });
  }

  /** A volume of a CSI driver, e.g. an existing cloud disk. */
  public static csi(driver: string, volumeHandle: string, options: CsiSourceOptions = {}): PersistentVolumeSource {
    return new PersistentVolumeSource('csi', (p) => {
      checkDnsSubdomain(p, 'source.driver', driver);
      p.check(typeof driver !== 'string' || driver.length <= 63, 'source.driver', driver, 'must be at most 63 characters (the API server\'s limit for CSI driver names)');
      p.check(typeof volumeHandle === 'string' && volumeHandle.length > 0, 'source.volumeHandle', volumeHandle, 'must be a non-empty string');
      const o = options ?? {};
      if (o.attributes !== undefined && (o.attributes === null || typeof o.attributes !== 'object' || Array.isArray(o.attributes))) {
        p.add('source.attributes', o.attributes, 'must be a map of attribute names to strings');
      } else {
        for (const [k, v] of Object.entries(o.attributes ?? {})) p.check(typeof v === 'string', `source.attributes["${k}"]`, v, 'must be a string');
      }
      if (o.fsType !== undefined) p.check(typeof o.fsType === 'string' && o.fsType.length > 0, 'source.fsType', o.fsType, 'must be a file system type, e.g. "ext4"');
      return {
        spec: {
          csi: {
            driver,
            volumeHandle,
            ...(o.fsType !== undefined ? { fsType: o.fsType } : {}),
            ...(o.attributes !== undefined ? { volumeAttributes: { ...o.attributes } } : {}),
            ...(o.readOnly === true ? { readOnly: true } : {}),
          },
        },
      };
    });
  }

  private constructor(
    /** The kind of source: `hostPath`, `nfs` or `csi`. */
    public readonly kind: string,
    private readonly render: (p: Problems) => { spec: Partial<kplus.k8s.PersistentVolumeSpec>; nodeName?: string },
  ) {}

  /** @internal */
  public _render(p: Problems): { spec: Partial<kplus.k8s.PersistentVolumeSpec>; nodeName?: string } {
    return this.render(p);
  }
}

/** Props of a `PersistentVolume`. */
export interface PersistentVolumeProps {
  /**
   * Name of the volume (cluster-wide).
   * @default - the construct id in kebab-case
   */
  readonly name?: string;
  /** Where the storage is. */
  readonly source: PersistentVolumeSource;
  /** Capacity. */
  readonly capacity: Size;
  /**
   * How it may be mounted.
   * @default [AccessMode.READ_WRITE_ONCE]
   */
  readonly accessModes?: AccessMode[];
  /**
   * What happens when its claim is deleted.
   * @default ReclaimPolicy.RETAIN
   */
  readonly reclaimPolicy?: ReclaimPolicy;
  /**
   * StorageClass a claim must ask for to bind it; `''` for claims of no class.
   * @default ''
   */
  readonly storageClassName?: string;
  /**
   * Filesystem or raw block device.
   * @default VolumeMode.FILESYSTEM
   */
  readonly volumeMode?: VolumeMode;
  /**
   * Labels, which a claim's `selector` can match.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
}

/**
 * A PersistentVolume for static provisioning: an administrator's existing storage (an NFS export, a
 * cloud disk through CSI, or a node directory on a single-node cluster) made claimable. It is
 * cluster-scoped: it carries no namespace even inside a Chart that has one.
 * @see https://kubernetes.io/docs/concepts/storage/persistent-volumes/
 */
export class PersistentVolume extends Construct {
  /** Name of the volume. */
  public readonly volumeName!: string;
  /** The PersistentVolume object. */
  public readonly apiObject!: kplus.k8s.KubePersistentVolume;

  constructor(scope: Construct, id: string, props: PersistentVolumeProps) {
    super(scope, id);
    try {
      const p = props ?? ({} as PersistentVolumeProps);
      const problems = new Problems(this);
      checkKnownKeys(problems, '', props, KNOWN_PROPS.PersistentVolumeProps, 'PersistentVolumeProps');
      this.volumeName = p.name ?? defaultNameFromId(id);
      const nameProp = namePropOf(p.name);
      checkDnsSubdomain(problems, nameProp, this.volumeName);
      checkLabelValue(problems, nameProp, this.volumeName);
      checkLabels(problems, 'labels', p.labels);
      for (const k of Object.keys(p.labels ?? {})) {
        problems.check(!MANAGED_LABELS.includes(k), 'labels key', k, 'must not override a label this library manages');
      }
      const mib = p.capacity instanceof Size ? wholeMebibytes(p.capacity, (x: Size) => x.toMebibytes()) : undefined;
      if (!(p.capacity instanceof Size)) {
        problems.add('capacity', p.capacity, 'is required: a Size such as Size.gibibytes(10)');
      } else {
        problems.check(mib !== undefined, 'capacity', showSize(p.capacity),
          'must be a whole, positive number of mebibytes (at most 8 Ei), e.g. Size.gibibytes(10)');
      }
      const modes = p.accessModes ?? [AccessMode.READ_WRITE_ONCE];
      checkAccessModes(problems, 'accessModes', modes);
      const reclaim = p.reclaimPolicy ?? ReclaimPolicy.RETAIN;
      problems.check(Object.values(ReclaimPolicy).includes(reclaim), 'reclaimPolicy', reclaim, 'must be a ReclaimPolicy');
      const volumeMode = p.volumeMode ?? VolumeMode.FILESYSTEM;
      problems.check(Object.values(VolumeMode).includes(volumeMode), 'volumeMode', volumeMode, 'must be a VolumeMode');
      if (p.storageClassName !== undefined && p.storageClassName !== '') checkDnsSubdomain(problems, 'storageClassName', p.storageClassName);
      let source: { spec: Partial<kplus.k8s.PersistentVolumeSpec>; nodeName?: string } = { spec: {} };
      if (p.source instanceof PersistentVolumeSource) source = p.source._render(problems);
      else problems.add('source', p.source, 'is required: PersistentVolumeSource.nfs(), csi() or hostPath()');
      problems.throwIfAny();

      this.apiObject = new kplus.k8s.KubePersistentVolume(this, 'Resource', {
        metadata: { name: this.volumeName, labels: { ...(p.labels ?? {}), ...standardLabels({ name: this.volumeName, instance: this.volumeName }) } },
        spec: {
          capacity: { storage: kplus.k8s.Quantity.fromString(storageQuantity(mib!)) },
          accessModes: [...modes],
          persistentVolumeReclaimPolicy: reclaim,
          storageClassName: p.storageClassName ?? '',
          volumeMode,
          ...source.spec,
          ...(source.nodeName !== undefined ? {
            nodeAffinity: {
              required: {
                nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [source.nodeName] }] }],
              },
            },
          } : {}),
        },
      });
      makeClusterScoped(this.apiObject);
      registerAppChecks(this);
    } catch (e) {
      return deferConstruction(this, e);
    }
  }
}
