import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { checkSecretType, ISecretSource, registerSecretSource, secretSourceVolume, SecretType } from './secret-source';
import { deferConstruction, registerAppChecks } from '../core/app-checks';
import { KNOWN_PROPS } from '../core/known-props';
import { MANAGED_LABELS, standardLabels } from '../core/labels';
import { checkDnsSubdomain, checkLabels, checkLabelValue, defaultNameFromId, namePropOf } from '../core/names';
import { durationMillis, showDuration } from '../core/quantity';
import { checkKnownKeys, isMap, Problems } from '../core/validation';
import { checkKey } from '../pod/env';
import { KeyVolumeOptions, PodVolume } from '../pod/volume';

/**
 * The API version written: `external-secrets.io/v1`, served and stored since External Secrets
 * Operator v0.16; v0.17 stopped serving `v1beta1`, which is deprecated.
 */
const API_VERSION = 'external-secrets.io/v1';

/** Shortest refresh interval accepted (other than zero). */
const MIN_REFRESH_SECONDS = 60;

/** The kind of store an `ExternalSecret` reads from. */
export enum SecretStoreKind {
  /** A `SecretStore` in the namespace of the ExternalSecret. */
  SECRET_STORE = 'SecretStore',
  /** A cluster-wide `ClusterSecretStore`. */
  CLUSTER_SECRET_STORE = 'ClusterSecretStore',
}

/** The store (a SecretStore or ClusterSecretStore, made by the platform team) an `ExternalSecret` reads from. */
export interface SecretStoreReference {
  /** Name of the store. */
  readonly name: string;
  /**
   * Kind of the store.
   * @default SecretStoreKind.SECRET_STORE
   */
  readonly kind?: SecretStoreKind;
}

/**
 * Whether the External Secrets Operator makes and owns the Secret.
 * @see https://external-secrets.io/latest/guides/ownership-deletion-policy/
 */
export enum ExternalSecretCreationPolicy {
  /** Makes the Secret and owns it: it is deleted with the ExternalSecret. */
  OWNER = 'Owner',
  /** Makes the Secret without owning it: it outlives the ExternalSecret. */
  ORPHAN = 'Orphan',
  /** Merges the fetched keys into a Secret that someone else made. */
  MERGE = 'Merge',
  /** Makes no Secret (only reports the fetch). */
  NONE = 'None',
}

/** What the External Secrets Operator does with the Secret when the keys disappear from the provider. */
export enum ExternalSecretDeletionPolicy {
  /** Keeps the Secret as it was. */
  RETAIN = 'Retain',
  /** Deletes the Secret. */
  DELETE = 'Delete',
  /** Removes only the keys it wrote. */
  MERGE = 'Merge',
}

/** When the External Secrets Operator fetches the values again. */
export enum ExternalSecretRefreshPolicy {
  /** Every `refreshInterval`. */
  PERIODIC = 'Periodic',
  /** Once, when the Secret is first made. */
  CREATED_ONCE = 'CreatedOnce',
  /** Whenever the ExternalSecret changes. */
  ON_CHANGE = 'OnChange',
}

/** How the External Secrets Operator decodes a fetched value. */
export enum RemoteDecodingStrategy {
  /** Takes the value as it is. */
  NONE = 'None',
  /** Decodes standard base64. */
  BASE64 = 'Base64',
  /** Decodes URL-safe base64. */
  BASE64_URL = 'Base64URL',
  /** Decodes base64 when the value is base64, otherwise takes it as it is. */
  AUTO = 'Auto',
}

/** A value (or a set of values) in the external secret store. */
export interface ExternalSecretRemoteRef {
  /** The key (path, name) of the secret in the provider, e.g. `prod/orders/db`. */
  readonly key: string;
  /**
   * One property of a structured (JSON) secret, e.g. `password`.
   * @default - the whole value
   */
  readonly property?: string;
  /**
   * A version of the secret, where the provider versions them.
   * @default - the current version
   */
  readonly version?: string;
  /**
   * How to decode the value.
   * @default RemoteDecodingStrategy.NONE
   */
  readonly decodingStrategy?: RemoteDecodingStrategy;
}

/** One key of the Secret, fetched from the external store. */
export interface ExternalSecretData {
  /** The key in the Kubernetes Secret, e.g. `password` (a file name when mounted). */
  readonly secretKey: string;
  /** Where the value comes from. */
  readonly remoteRef: ExternalSecretRemoteRef;
}

/** Options of `ExternalSecretDataFrom.find()`. At least one of `nameRegexp` and `tags`. */
export interface ExternalSecretFindOptions {
  /**
   * A regular expression (Go syntax) that the names of the secrets match.
   * @default - any name
   */
  readonly nameRegexp?: string;
  /**
   * Tags the secrets carry.
   * @default - any tags
   */
  readonly tags?: { [key: string]: string };
  /**
   * A root path to search under.
   * @default - the whole store
   */
  readonly path?: string;
  /**
   * How to decode the values.
   * @default RemoteDecodingStrategy.NONE
   */
  readonly decodingStrategy?: RemoteDecodingStrategy;
}

/**
 * Keys fetched in bulk: every property of one structured secret (`extract`) or every secret that
 * matches a name or tags (`find`). The keys are then known only to the provider.
 */
export class ExternalSecretDataFrom {
  /** Every property of one structured (JSON) secret, each a key of the Secret. */
  public static extract(remoteRef: ExternalSecretRemoteRef): ExternalSecretDataFrom {
    return new ExternalSecretDataFrom((p, at) => ({ extract: renderRemoteRef(p, `${at}.extract`, remoteRef) }));
  }

  /** Every secret whose name matches `nameRegexp` and/or that carries `tags`, each a key of the Secret. */
  public static find(options: ExternalSecretFindOptions): ExternalSecretDataFrom {
    return new ExternalSecretDataFrom((p, at) => {
      const o = options ?? ({} as ExternalSecretFindOptions);
      if (!p.check(typeof o === 'object' && !Array.isArray(o), `${at}.find`, o, 'must be { nameRegexp, tags, path, decodingStrategy }')) return {};
      checkKnownKeys(p, `${at}.find.`, o, KNOWN_PROPS.ExternalSecretFindOptions, 'ExternalSecretFindOptions');
      const tags = o.tags;
      if (tags !== undefined) {
        if (tags === null || typeof tags !== 'object' || Array.isArray(tags)) p.add(`${at}.find.tags`, tags, 'must be a map of tag names to values');
        else for (const [k, v] of Object.entries(tags)) p.check(typeof v === 'string', `${at}.find.tags["${k}"]`, v, 'must be a string');
      }
      const hasTags = tags !== undefined && tags !== null && typeof tags === 'object' && Object.keys(tags).length > 0;
      if (o.nameRegexp !== undefined) checkNonEmpty(p, `${at}.find.nameRegexp`, o.nameRegexp);
      p.check(o.nameRegexp !== undefined || hasTags, `${at}.find`, o, 'needs nameRegexp or tags: an empty find would copy every secret of the store');
      if (o.path !== undefined) checkNonEmpty(p, `${at}.find.path`, o.path);
      checkDecoding(p, `${at}.find.decodingStrategy`, o.decodingStrategy);
      return {
        find: {
          ...(o.path !== undefined ? { path: o.path } : {}),
          ...(o.nameRegexp !== undefined ? { name: { regexp: o.nameRegexp } } : {}),
          ...(hasTags ? { tags: { ...tags } } : {}),
          ...(o.decodingStrategy !== undefined ? { decodingStrategy: o.decodingStrategy } : {}),
        },
      };
    });
  }

  private constructor(private readonly render: (problems: Problems, at: string) => any) {}

  /** @internal */
  public _render(problems: Problems, at: string): any {
    return this.render(problems, at);
  }
}

/** The Secret that the External Secrets Operator makes. */
export interface ExternalSecretTarget {
  /**
   * Name of the Secret. Keep it equal to the ExternalSecret's name unless there is a reason not to:
   * link checkers (monokle's resource-links) then see the Secret a pod mounts.
   * @default - the ExternalSecret's name
   */
  readonly name?: string;
  /**
   * Whether the operator makes and owns the Secret.
   * @default ExternalSecretCreationPolicy.OWNER
   */
  readonly creationPolicy?: ExternalSecretCreationPolicy;
  /**
   * What happens to the Secret when the keys disappear from the provider.
   * @default ExternalSecretDeletionPolicy.RETAIN
   */
  readonly deletionPolicy?: ExternalSecretDeletionPolicy;
  /**
   * Type of the Secret; its required keys are checked when every key is listed in `data`.
   * @default SecretType.OPAQUE
   */
  readonly type?: SecretType;
}

/** Props of an `ExternalSecret`. */
export interface ExternalSecretProps {
  /**
   * Name of the ExternalSecret (also its `app.kubernetes.io/instance` label, so at most 63 characters).
   * @default - the construct id in kebab-case
   */
  readonly name?: string;
  /**
   * Value of `app.kubernetes.io/name`, usually the application that reads the Secret.
   * @default - the name
   */
  readonly appName?: string;
  /**
   * Extra labels, on the ExternalSecret and on the Secret it makes.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /** The SecretStore or ClusterSecretStore to read from. */
  readonly secretStoreRef: SecretStoreReference;
  /**
   * How often the values are fetched again (rendered as a Go duration, e.g. `1h`). Zero fetches
   * them once; otherwise at least a minute, so that a typo does not hammer the provider.
   * Only for `ExternalSecretRefreshPolicy.PERIODIC`.
   * @default Duration.hours(1)
   */
  readonly refreshInterval?: Duration;
  /**
   * When the values are fetched again.
   * @default ExternalSecretRefreshPolicy.PERIODIC
   */
  readonly refreshPolicy?: ExternalSecretRefreshPolicy;
  /**
   * The Secret to make.
   * @default - an Opaque Secret named like the ExternalSecret, owned by the operator
   */
  readonly target?: ExternalSecretTarget;
  /**
   * Keys fetched one by one. At least one of `data` and `dataFrom`.
   * @default - none
   */
  readonly data?: ExternalSecretData[];
  /**
   * Keys fetched in bulk, merged in order after `data`.
   * @default - none
   */
  readonly dataFrom?: ExternalSecretDataFrom[];
}

/**
 * Secure Configuration with the External Secrets Operator: an `ExternalSecret`
 * (external-secrets.io/v1) from which the operator makes a Secret with values fetched from an
 * external store (Vault, AWS Secrets Manager, GCP Secret Manager, ...). The YAML names where the
 * values live, never the values themselves.
 *
 * Needs the External Secrets Operator (v0.16 or later) and a SecretStore or ClusterSecretStore in
 * the cluster. Hand the Secret to a workload as files: `volume()` or
 * `PodVolume.secret(name, externalSecret.secretName)`.
 *
 * @example
 * const db = new ExternalSecret(chart, 'orders-db', {
 *   secretStoreRef: { name: 'vault', kind: SecretStoreKind.CLUSTER_SECRET_STORE },
 *   data: [{ secretKey: 'password', remoteRef: { key: 'prod/orders/db', property: 'password' } }],
 * });
 * new StatelessService(chart, 'orders', {
 *   image: 'ghcr.io/acme/orders:2.3.1',
 *   port: 8080,
 *   volumes: [db.volume('db', { defaultMode: 0o400 })],
 *   mounts: [{ volume: 'db', path: '/var/run/secrets/db', readOnly: true }],
 * });
 * @see https://external-secrets.io/latest/api/externalsecret/
 */
export class ExternalSecret extends Construct implements ISecretSource {
  /** Name of the ExternalSecret. */
  public readonly name!: string;
  /** Name of the Secret the operator makes: pass it to `PodVolume.secret()`. */
  public readonly secretName!: string;
  /** The keys of the Secret, when every key is listed in `data` (no `dataFrom`). */
  public readonly knownKeys?: string[];
  /** The ExternalSecret object. */
  public readonly apiObject!: ApiObject;

  constructor(scope: Construct, id: string, props: ExternalSecretProps) {
    super(scope, id);
    try {
      const p = props ?? ({} as ExternalSecretProps);
      const problems = new Problems(this);
      checkKnownKeys(problems, '', props, KNOWN_PROPS.ExternalSecretProps, 'ExternalSecretProps');
      this.name = p.name ?? defaultNameFromId(id);
      checkDnsSubdomain(problems, namePropOf(p.name), this.name);
      checkLabelValue(problems, namePropOf(p.name), this.name);
      if (p.appName !== undefined) checkLabelValue(problems, 'appName', p.appName);
      checkLabels(problems, 'labels', p.labels);
      for (const k of Object.keys(isMap(p.labels) ? p.labels as object : {})) {
        problems.check(!MANAGED_LABELS.includes(k), 'labels key', k, 'must not override a label this library manages');
      }

      // The store.
      const store = p.secretStoreRef;
      let storeRef: { name: string; kind: SecretStoreKind } | undefined;
      if (problems.check(isMap(store), 'secretStoreRef', store, 'is required: { name, kind } of a SecretStore or ClusterSecretStore')) {
        checkKnownKeys(problems, 'secretStoreRef.', store, KNOWN_PROPS.SecretStoreReference, 'SecretStoreReference');
        const kind = store.kind ?? SecretStoreKind.SECRET_STORE;
        checkDnsSubdomain(problems, 'secretStoreRef.name', store.name);
        problems.check(Object.values(SecretStoreKind).includes(kind), 'secretStoreRef.kind', kind, 'must be a SecretStoreKind');
        storeRef = { name: store.name, kind };
      }

      // Refresh.
      const policy = p.refreshPolicy ?? ExternalSecretRefreshPolicy.PERIODIC;
      problems.check(Object.values(ExternalSecretRefreshPolicy).includes(policy), 'refreshPolicy', policy, 'must be an ExternalSecretRefreshPolicy');
      let refreshInterval: string | undefined;
      if (policy === ExternalSecretRefreshPolicy.PERIODIC) {
        refreshInterval = goDuration(problems, 'refreshInterval', p.refreshInterval ?? Duration.hours(1));
      } else {
        problems.check(p.refreshInterval === undefined, 'refreshInterval', showDuration(p.refreshInterval),
          `applies only to ExternalSecretRefreshPolicy.PERIODIC (refreshPolicy is ${policy})`);
      }

      // The keys.
      if (p.data !== undefined && !Array.isArray(p.data)) problems.add('data', p.data, 'must be a list of { secretKey, remoteRef }');
      if (p.dataFrom !== undefined && !Array.isArray(p.dataFrom)) problems.add('dataFrom', p.dataFrom, 'must be a list of ExternalSecretDataFrom');
      const data = Array.isArray(p.data) ? p.data : [];
      const dataFrom = Array.isArray(p.dataFrom) ? p.dataFrom : [];
      problems.check(data.length + dataFrom.length > 0, 'data', p.data,
        'must have at least one entry (data or dataFrom): an ExternalSecret that fetches nothing makes an empty Secret');
      const keys: string[] = [];
      const renderedData = data.map((d, i) => {
        const at = `data[${i}]`;
        if (!problems.check(isMap(d), at, d, 'must be { secretKey, remoteRef }')) return {};
        checkKnownKeys(problems, `${at}.`, d, KNOWN_PROPS.ExternalSecretData, 'ExternalSecretData');
        checkKey(problems, `${at}.secretKey`, d.secretKey);
        if (typeof d.secretKey === 'string') {
          problems.check(!keys.includes(d.secretKey), `${at}.secretKey`, d.secretKey, 'is defined twice (the later value would silently win)');
          keys.push(d.secretKey);
        }
        return { secretKey: d.secretKey, remoteRef: renderRemoteRef(problems, `${at}.remoteRef`, d.remoteRef) };
      });
      const renderedDataFrom = dataFrom.map((d, i) => (d instanceof ExternalSecretDataFrom ? d._render(problems, `dataFrom[${i}]`)
        : (problems.add(`dataFrom[${i}]`, d, 'must be created with ExternalSecretDataFrom.extract() or find()'), {})));
      this.knownKeys = dataFrom.length === 0 ? keys : undefined;

      // The target.
      const t = p.target ?? {};
      if (problems.check(isMap(t), 'target', t, 'must be { name, creationPolicy, deletionPolicy, type }')) {
        checkKnownKeys(problems, 'target.', t, KNOWN_PROPS.ExternalSecretTarget, 'ExternalSecretTarget');
        if (t.name !== undefined) checkDnsSubdomain(problems, 'target.name', t.name);
      }
      const target = isMap(t) ? t : {};
      this.secretName = target.name ?? this.name;
      const creation = target.creationPolicy ?? ExternalSecretCreationPolicy.OWNER;
      const deletion = target.deletionPolicy ?? ExternalSecretDeletionPolicy.RETAIN;
      const type = target.type ?? SecretType.OPAQUE;
      problems.check(Object.values(ExternalSecretCreationPolicy).includes(creation), 'target.creationPolicy', creation, 'must be an ExternalSecretCreationPolicy');
      problems.check(Object.values(ExternalSecretDeletionPolicy).includes(deletion), 'target.deletionPolicy', deletion, 'must be an ExternalSecretDeletionPolicy');
      const notOwned = creation === ExternalSecretCreationPolicy.MERGE || creation === ExternalSecretCreationPolicy.NONE;
      problems.check(!(deletion === ExternalSecretDeletionPolicy.DELETE && notOwned), 'target.deletionPolicy', deletion,
        `must not be Delete with creationPolicy ${creation}: the operator would delete a Secret it does not own (the operator's webhook rejects it)`);
      problems.check(!(deletion === ExternalSecretDeletionPolicy.MERGE && creation === ExternalSecretCreationPolicy.NONE), 'target.deletionPolicy', deletion,
        'must not be Merge with creationPolicy None: there is no Secret to merge into (the operator\'s webhook rejects it)');
      checkSecretType(problems, 'target.type', type, this.knownKeys);
      problems.throwIfAny();

      const labels = { ...(p.labels ?? {}), ...standardLabels({ name: p.appName ?? this.name, instance: this.name }) };
      this.apiObject = new ApiObject(this, 'Resource', {
        apiVersion: API_VERSION,
        kind: 'ExternalSecret',
        metadata: { name: this.name, labels },
        spec: {
          secretStoreRef: storeRef,
          ...(p.refreshPolicy !== undefined ? { refreshPolicy: policy } : {}),
          ...(refreshInterval !== undefined ? { refreshInterval } : {}),
          target: {
            name: this.secretName,
            creationPolicy: creation,
            deletionPolicy: deletion,
            // Template metadata and type only: with no template data, the fetched data is the Secret's.
            template: { type, metadata: { labels } },
          },
          ...(renderedData.length > 0 ? { data: renderedData } : {}),
          ...(renderedDataFrom.length > 0 ? { dataFrom: renderedDataFrom } : {}),
        },
      });
      registerAppChecks(this);
      registerSecretSource(this, this.secretName);
    } catch (e) {
      return deferConstruction(this, e);
    }
  }

  /**
   * A volume named `name` with the keys of the Secret as files (all, or `items`, with modes such as
   * 0o400): the way to hand the Secret to a container. Items are checked against the keys in `data`.
   */
  public volume(name: string, options: KeyVolumeOptions = {}): PodVolume {
    return secretSourceVolume(this, this, name, options);
  }
}

function checkNonEmpty(problems: Problems, prop: string, v: unknown): void {
  problems.check(typeof v === 'string' && v.trim().length > 0, prop, v, 'must be a non-empty string');
}

function checkDecoding(problems: Problems, prop: string, v: unknown): void {
  if (v !== undefined) problems.check(Object.values(RemoteDecodingStrategy).includes(v as RemoteDecodingStrategy), prop, v, 'must be a RemoteDecodingStrategy');
}

function renderRemoteRef(problems: Problems, at: string, r: ExternalSecretRemoteRef): any {
  if (!problems.check(isMap(r), at, r, 'must be { key, property, version, decodingStrategy }')) return {};
  checkKnownKeys(problems, `${at}.`, r, KNOWN_PROPS.ExternalSecretRemoteRef, 'ExternalSecretRemoteRef');
  checkNonEmpty(problems, `${at}.key`, r.key);
  if (r.property !== undefined) checkNonEmpty(problems, `${at}.property`, r.property);
  if (r.version !== undefined) checkNonEmpty(problems, `${at}.version`, r.version);
  checkDecoding(problems, `${at}.decodingStrategy`, r.decodingStrategy);
  return {
    key: r.key,
    ...(r.property !== undefined ? { property: r.property } : {}),
    ...(r.version !== undefined ? { version: r.version } : {}),
    ...(r.decodingStrategy !== undefined ? { decodingStrategy: r.decodingStrategy } : {}),
  };
}

/** `d` as a Go duration (`1h`, `1h30m`, `45s`, `0s`), or undefined after recording a problem. */
function goDuration(problems: Problems, prop: string, d: unknown): string | undefined {
  const ms = durationMillis(d) ?? NaN;
  const s = ms / 1000;
  if (!problems.check(Number.isInteger(s) && s >= 0 && s <= Number.MAX_SAFE_INTEGER, prop, showDuration(d),
    'must be a Duration of whole seconds, e.g. Duration.hours(1)')) return undefined;
  if (!problems.check(s === 0 || s >= MIN_REFRESH_SECONDS, prop, `${s}s`,
    'must be zero (fetch once) or at least 1 minute: shorter intervals hammer the secret store and its rate limits')) return undefined;
  if (s === 0) return '0s';
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${sec ? `${sec}s` : ''}`;
}
