import { Duration, Size } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { checkConfigMapRef, checkDivisor, checkKey, IConfigMapReference, PodField, ResourceField } from './env';
import { checkDnsLabel, checkDnsSubdomain } from '../core/names';
import { durationMillis, showDuration, showSize, wholeMebibytes } from '../core/quantity';
import { Problems, showList } from '../core/validation';

/** Highest file mode (0777). */
const MAX_MODE = 0o777;

/** One key of a ConfigMap or Secret written as a file. */
export interface VolumeItem {
  /** The key. */
  readonly key: string;
  /** Relative path of the file in the volume, e.g. `app.properties`. */
  readonly path: string;
  /**
   * File mode, e.g. `0o400` (octal; the YAML shows it in decimal, 256).
   * @default - the volume's defaultMode
   */
  readonly mode?: number;
}

/** Options of a ConfigMap or Secret volume. */
export interface KeyVolumeOptions {
  /**
   * Only these keys, at these paths.
   * @default - every key, each a file named after it
   */
  readonly items?: VolumeItem[];
  /**
   * Mode of the files, e.g. `0o400` for an owner-only, read-only file.
   * @default 0o644 (Kubernetes' default)
   */
  readonly defaultMode?: number;
  /**
   * Start the pod even if the ConfigMap or Secret is missing (the volume is then empty).
   * @default false
   */
  readonly optional?: boolean;
}

/** Options of an emptyDir volume. */
export interface EmptyDirOptions {
  /**
   * Most data the volume may hold; the pod is evicted beyond it.
   * @default Size.mebibytes(64)
   */
  readonly sizeLimit?: Size;
  /**
   * Keep the volume in memory (tmpfs). Counts against the container's memory limit.
   * @default false
   */
  readonly memory?: boolean;
}

/** Options of a PersistentVolumeClaim volume. */
export interface ClaimVolumeOptions {
  /**
   * Mount the claim read-only in every container.
   * @default false
   */
  readonly readOnly?: boolean;
}

/** Options of downwardAPI and projected volumes. */
export interface FileSetOptions {
  /**
   * Mode of the files.
   * @default 0o644
   */
  readonly defaultMode?: number;
}

/** One file of a downwardAPI volume (or projection): a field of the pod. */
export class DownwardApiFile {
  /** Every label of the pod, one `key="value"` per line. Updated while the pod runs. */
  public static labels(path: string = 'labels'): DownwardApiFile {
    return new DownwardApiFile(path, { fieldRef: { fieldPath: 'metadata.labels' } });
  }

  /** Every annotation of the pod, one `key="value"` per line. Updated while the pod runs. */
  public static annotations(path: string = 'annotations'): DownwardApiFile {
    return new DownwardApiFile(path, { fieldRef: { fieldPath: 'metadata.annotations' } });
  }

  /** The pod's name, namespace or UID (the only pod fields a volume can hold). */
  public static podField(path: string, field: PodField): DownwardApiFile {
    return new DownwardApiFile(path, { fieldRef: { fieldPath: field } });
  }

  /** A resource request or limit of a container of the pod. */
  public static resource(path: string, field: ResourceField, containerName: string, divisor?: string): DownwardApiFile {
    return new DownwardApiFile(path, {
      resourceFieldRef: { resource: field, containerName, ...(divisor !== undefined ? { divisor: k8s.Quantity.fromString(divisor) } : {}) },
    }, divisor);
  }

  private constructor(
    /** Relative path of the file. */
    public readonly path: string,
    /** @internal */
    public readonly _source: Omit<k8s.DownwardApiVolumeFile, 'path'>,
    /** @internal */
    public readonly _divisor?: string,
  ) {}

  /** @internal */
  public _render(problems: Problems, at: string): k8s.DownwardApiVolumeFile {
    checkRelativePath(problems, `${at}.path`, this.path);
    const field = this._source.fieldRef?.fieldPath;
    if (field !== undefined) {
      problems.check(['metadata.name', 'metadata.namespace', 'metadata.uid', 'metadata.labels', 'metadata.annotations'].includes(field), `${at}`, field,
        'a downwardAPI file can hold only the pod name, namespace, UID, labels or annotations (the pod IP, node and service account are only available as env)');
    }
    const ref = this._source.resourceFieldRef;
    if (ref !== undefined) {
      checkDnsLabel(problems, `${at}.containerName`, ref.containerName!);
      checkDivisor(problems, `${at}.divisor`, ref.resource, this._divisor);
    }
    return { path: this.path, ...this._source };
  }
}

/** Options of a service-account token projection. */
export interface ServiceAccountTokenOptions {
  /** Who the token is for (the `aud` claim), e.g. `vault`. The receiver must check it. */
  readonly audience: string;
  /**
   * Lifetime of the token; the kubelet renews it at 80 %. At least 10 minutes.
   * @default Duration.hours(1)
   */
  readonly expiry?: Duration;
  /**
   * Relative path of the token file.
   * @default 'token'
   */
  readonly path?: string;
}

/** One source of a projected volume. */
export class ProjectedSource {
  /** Keys of a ConfigMap. */
  public static configMap(configMap: IConfigMapReference, options: KeyVolumeOptions = {}): ProjectedSource {
    return new ProjectedSource((p, at) => {
      checkNoProjectionMode(p, at, options);
      if (!checkConfigMapRef(p, `${at}.configMap`, configMap)) return {};
      return { configMap: { name: configMap.configMapName, ...renderItems(p, at, options, configMap.knownKeys) } };
    }, configMap);
  }

  /** Keys of an existing Secret. */
  public static secret(secretName: string, options: KeyVolumeOptions = {}): ProjectedSource {
    return new ProjectedSource((p, at) => {
      checkNoProjectionMode(p, at, options);
      checkDnsSubdomain(p, `${at}.secretName`, secretName);
      return { secret: { name: secretName, ...renderItems(p, at, options, undefined) } };
    });
  }

  /** Fields of the pod. */
  public static downwardApi(files: DownwardApiFile[]): ProjectedSource {
    return new ProjectedSource((p, at) => ({ downwardApi: { items: renderFiles(p, `${at}.files`, files) } }));
  }

  /**
   * A bound, short-lived service-account token for one audience: works with
   * `automountServiceAccountToken: false`, which stays the default.
   */
  public static serviceAccountToken(options: ServiceAccountTokenOptions): ProjectedSource {
    return new ProjectedSource((p, at) => {
      const o = options ?? ({} as ServiceAccountTokenOptions);
      p.check(typeof o.audience === 'string' && o.audience.length > 0, `${at}.audience`, o.audience, 'must be a non-empty string');
      let expiry = 3600;
      if (o.expiry !== undefined) {
        expiry = (durationMillis(o.expiry) ?? NaN) / 1000;
        const shown = showDuration(o.expiry);
        if (!Number.isInteger(expiry)) p.add(`${at}.expiry`, shown, 'must be a Duration of whole seconds, e.g. Duration.hours(1)');
        else if (expiry < 600) p.add(`${at}.expiry`, shown, 'must be at least 10 minutes (the API server rejects shorter tokens)');
        else if (expiry > 2 ** 32) p.add(`${at}.expiry`, shown, `must be at most ${2 ** 32} seconds (the API server's limit)`);
      }
      const path = o.path ?? 'token';
      checkRelativePath(p, `${at}.path`, path);
      return { serviceAccountToken: { audience: o.audience, expirationSeconds: expiry, path } };
    });
  }

  private constructor(
    private readonly render: (problems: Problems, at: string) => k8s.VolumeProjection,
    /** @internal The ConfigMap it reads, if any. */
    public readonly _configMap?: IConfigMapReference,
  ) {}

  /** @internal */
  public _render(p: Problems, at: string): k8s.VolumeProjection {
    return this.render(p, at);
  }
}

/**
 * A volume of a workload's pods, mountable into any of its containers (`VolumeMount`). One volume
 * shared by the main container and its helpers is how containers of a pod exchange files.
 * @see https://kubernetes.io/docs/concepts/storage/volumes/
 */
export class PodVolume {
  /** Scratch space that lives as long as the pod: the normal way for containers to share files. */
  public static emptyDir(name: string, options: EmptyDirOptions = {}): PodVolume {
    return new PodVolume(name, (p, at) => {
      const o = options ?? {};
      const size = o.sizeLimit ?? Size.mebibytes(64);
      const shown = showSize(size);
      const mib = size instanceof Size ? wholeMebibytes(size, (x: Size) => x.toMebibytes()) ?? NaN : NaN;
      p.check(Number.isInteger(mib), `${at}.sizeLimit`, shown, 'must be a Size of a whole, positive number of mebibytes (at most 8 Ei), e.g. Size.mebibytes(64)');
      return { emptyDir: { sizeLimit: k8s.Quantity.fromString(`${mib}Mi`), ...(o.memory === true ? { medium: 'Memory' } : {}) } };
    }, 'emptyDir');
  }

  /** The keys of a ConfigMap as files (Configuration Resource). */
  public static configMap(name: string, configMap: IConfigMapReference, options: KeyVolumeOptions = {}): PodVolume {
    return new PodVolume(name, (p, at) => {
      if (!checkConfigMapRef(p, `${at}.configMap`, configMap)) return {};
      return { configMap: { name: configMap.configMapName, ...renderItems(p, at, options, configMap.knownKeys) } };
    }, 'configMap', [configMap]);
  }

  /** The keys of an existing Secret as files: the way to hand secrets to a container. */
  public static secret(name: string, secretName: string, options: KeyVolumeOptions = {}): PodVolume {
    return new PodVolume(name, (p, at) => {
      checkDnsSubdomain(p, `${at}.secretName`, secretName);
      return { secret: { secretName, ...renderItems(p, at, options, undefined) } };
    }, 'secret');
  }

  /** An existing PersistentVolumeClaim. */
  public static persistentVolumeClaim(name: string, claimName: string, options: ClaimVolumeOptions = {}): PodVolume {
    return PodVolume._claim(name, claimName, options, undefined);
  }

  /** A claim volume that knows the claim's access modes (from `PersistentVolumeClaim.volume()`). @internal */
  public static _claim(name: string, claimName: string, options: ClaimVolumeOptions | undefined, accessModes: string[] | undefined): PodVolume {
    return new PodVolume(name, (p, at) => {
      checkDnsSubdomain(p, `${at}.claimName`, claimName);
      return { persistentVolumeClaim: { claimName, ...(options?.readOnly === true ? { readOnly: true } : {}) } };
    }, 'persistentVolumeClaim', [], accessModes);
  }

  /** Fields of the pod as files: labels and annotations stay current while the pod runs (Self Awareness). */
  public static downwardApi(name: string, files: DownwardApiFile[], options: FileSetOptions = {}): PodVolume {
    return new PodVolume(name, (p, at) => {
      checkMode(p, `${at}.defaultMode`, options?.defaultMode);
      return { downwardApi: { items: renderFiles(p, `${at}.files`, files), ...mode(options?.defaultMode) } };
    }, 'downwardAPI');
  }

  /**
   * What `automountServiceAccountToken: true` would mount, declared instead: a bound token for the
   * API server that the kubelet renews (about an hour), the cluster's CA bundle (the
   * `kube-root-ca.crt` ConfigMap every namespace has) and the namespace.
   * @internal
   */
  public static _kubeApiAccess(name: string): PodVolume {
    return new PodVolume(name, () => ({
      projected: {
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          { downwardApi: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
        ],
      },
    }), 'projected');
  }

  /** Several sources in one directory: ConfigMaps, Secrets, pod fields and bound service-account tokens. */
  public static projected(name: string, sources: ProjectedSource[], options: FileSetOptions = {}): PodVolume {
    return new PodVolume(name, (p, at) => {
      checkMode(p, `${at}.defaultMode`, options?.defaultMode);
      const list = Array.isArray(sources) ? sources : [];
      p.check(list.length > 0, `${at}.sources`, sources, 'must be a non-empty list of ProjectedSource');
      const rendered = list.map((s, i) => (s instanceof ProjectedSource ? s._render(p, `${at}.sources[${i}]`)
        : (p.add(`${at}.sources[${i}]`, s, 'must be created with ProjectedSource.configMap(), secret(), downwardApi() or serviceAccountToken()'), {})));
      checkProjectedPaths(p, at, rendered);
      return { projected: { sources: rendered, ...mode(options?.defaultMode) } };
    }, 'projected', (Array.isArray(sources) ? sources : []).flatMap((s) => (s instanceof ProjectedSource && s._configMap ? [s._configMap] : [])));
  }

  private constructor(
    /** Name of the volume, unique in the pod (a DNS-1123 label). */
    public readonly name: string,
    private readonly render: (problems: Problems, at: string) => Omit<k8s.Volume, 'name'>,
    /** @internal The volume type, for messages. */
    public readonly _type: string,
    /** @internal The ConfigMaps the volume reads. */
    public readonly _configMaps: IConfigMapReference[] = [],
    /** @internal The access modes of the claim it mounts, when known. */
    public readonly _accessModes?: string[],
  ) {}

  /** Validates and renders the volume (L1 props shape); `nameProp` is blamed for the name. @internal */
  public _render(problems: Problems, at: string, nameProp: string = `${at}.name`): k8s.Volume {
    checkDnsLabel(problems, nameProp, this.name);
    return { name: this.name, ...this.render(problems, at) };
  }
}

/** Where a container mounts a volume of its pod. */
export interface VolumeMount {
  /** Name of a volume of the workload (see `PodVolume`). */
  readonly volume: string;
  /** Absolute path in the container. */
  readonly path: string;
  /**
   * Mount read-only.
   * @default false
   */
  readonly readOnly?: boolean;
  /**
   * Mount only this sub-path of the volume. A file mounted with subPath is not updated when a
   * ConfigMap or Secret changes.
   * @default - the whole volume
   */
  readonly subPath?: string;
}

/** Checks a file mode: an integer from 0 to 0o777 (511). @internal */
export function checkMode(p: Problems, prop: string, value: number | undefined): void {
  if (value === undefined) return;
  p.check(Number.isInteger(value) && value >= 0 && value <= MAX_MODE, prop, value, 'must be a file mode from 0 to 0o777 (511), e.g. 0o400');
}

/** Checks a relative file path: not absolute, no `..` element. @internal */
export function checkRelativePath(p: Problems, prop: string, path: unknown): void {
  p.check(typeof path === 'string' && path.length > 0 && !path.startsWith('/') && !path.startsWith('..') && !path.split('/').includes('..'), prop, path,
    'must be a relative path without ".." (e.g. "config/app.yaml"), and not starting with ".."');
}

/** A projection of a ConfigMap or Secret has no defaultMode: only the projected volume has one. */
function checkNoProjectionMode(p: Problems, at: string, options: KeyVolumeOptions | undefined): void {
  p.check(options?.defaultMode === undefined, `${at}.defaultMode`, options?.defaultMode,
    'does not apply to one source of a projected volume: set it on PodVolume.projected(name, sources, { defaultMode }), or a mode per item');
}

/** Every file path of a projected volume, from every source, must be unique. */
function checkProjectedPaths(p: Problems, at: string, sources: k8s.VolumeProjection[]): void {
  const seen = new Set<string>();
  sources.forEach((src, i) => {
    const named: Array<[string, string | undefined]> = [
      ...(src.configMap?.items ?? []).map((it, j): [string, string] => [`${at}.sources[${i}].items[${j}].path`, it.path]),
      ...(src.secret?.items ?? []).map((it, j): [string, string] => [`${at}.sources[${i}].items[${j}].path`, it.path]),
      ...(src.downwardApi?.items ?? []).map((it, j): [string, string] => [`${at}.sources[${i}].files[${j}].path`, it.path]),
      ...(src.serviceAccountToken ? [[`${at}.sources[${i}].path`, src.serviceAccountToken.path] as [string, string]] : []),
    ];
    const mine = new Set<string>();
    for (const [prop, path] of named) {
      if (typeof path !== 'string') continue;
      p.check(!seen.has(path), prop, path, 'must be unique in the volume (an earlier source writes the same path)');
      mine.add(path);
    }
    for (const path of mine) seen.add(path);
  });
}

function mode(m: number | undefined): { defaultMode?: number } {
  return m !== undefined ? { defaultMode: m } : {};
}

function renderItems(p: Problems, at: string, o: KeyVolumeOptions, knownKeys: string[] | undefined): {
  items?: k8s.KeyToPath[]; defaultMode?: number; optional?: boolean;
} {
  const options = o ?? {};
  checkMode(p, `${at}.defaultMode`, options.defaultMode);
  const items = options.items === undefined ? undefined : (Array.isArray(options.items) ? options.items : []);
  if (options.items !== undefined && !Array.isArray(options.items)) p.add(`${at}.items`, options.items, 'must be a list of { key, path, mode }');
  const paths = new Set<string>();
  const rendered = items?.map((item, i) => {
    const it = `${at}.items[${i}]`;
    checkKey(p, `${it}.key`, item?.key);
    if (knownKeys !== undefined && typeof item?.key === 'string') {
      p.check(knownKeys.includes(item.key), `${it}.key`, item.key, `must be a key of the ConfigMap (it has: ${showList(knownKeys) || 'no keys'})`);
    }
    checkRelativePath(p, `${it}.path`, item?.path);
    p.check(!paths.has(item?.path), `${it}.path`, item?.path, 'must be unique in the volume');
    paths.add(item?.path);
    checkMode(p, `${it}.mode`, item?.mode);
    return { key: item?.key, path: item?.path, ...(item?.mode !== undefined ? { mode: item.mode } : {}) };
  });
  return {
    ...(rendered !== undefined ? { items: rendered } : {}),
    ...mode(options.defaultMode),
    ...(options.optional === true ? { optional: true } : {}),
  };
}

function renderFiles(p: Problems, at: string, files: DownwardApiFile[]): k8s.DownwardApiVolumeFile[] {
  const list = Array.isArray(files) ? files : [];
  p.check(list.length > 0, at, files, 'must be a non-empty list of DownwardApiFile');
  const paths = new Set<string>();
  return list.flatMap((f, i) => {
    if (!(f instanceof DownwardApiFile)) {
      p.add(`${at}[${i}]`, f, 'must be created with DownwardApiFile.labels(), annotations(), podField() or resource()');
      return [];
    }
    p.check(!paths.has(f.path), `${at}[${i}].path`, f.path, 'must be unique in the volume');
    paths.add(f.path);
    return [f._render(p, `${at}[${i}]`)];
  });
}
