import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { checkSecretType, ISecretSource, registerSecretSource, secretSourceVolume, SecretType } from './secret-source';
import { deferConstruction, registerAppChecks } from '../core/app-checks';
import { KNOWN_PROPS } from '../core/known-props';
import { MANAGED_LABELS, standardLabels } from '../core/labels';
import { checkDnsSubdomain, checkLabels, checkLabelValue, defaultNameFromId, namePropOf } from '../core/names';
import { checkKnownKeys, isMap, Problems } from '../core/validation';
import { checkKey } from '../pod/env';
import { KeyVolumeOptions, PodVolume } from '../pod/volume';

const NAMESPACE_WIDE_ANNOTATION = 'sealedsecrets.bitnami.com/namespace-wide';
const CLUSTER_WIDE_ANNOTATION = 'sealedsecrets.bitnami.com/cluster-wide';

/** Smallest RSA ciphertext of a sealed value: a 2048-bit key. */
const MIN_RSA_BYTES = 256;
/** Largest RSA ciphertext of a sealed value: a 16384-bit key. */
const MAX_RSA_BYTES = 2048;
/** The AES-GCM authentication tag that ends every sealed value. */
const GCM_TAG_BYTES = 16;
/** Most data a Secret may hold (etcd's object size limit). */
const MAX_SECRET_BYTES = 1024 * 1024;

/**
 * Where the sealed values may be unsealed: what `kubeseal --scope` sealed them for. The scope is
 * part of the encryption, so it must match the one used with `kubeseal`.
 * @see https://github.com/bitnami-labs/sealed-secrets#scopes
 */
export enum SealingScope {
  /** Only as a Secret of this name in this namespace (kubeseal's default, and the safest). */
  STRICT = 'strict',
  /** As a Secret of any name in this namespace. */
  NAMESPACE_WIDE = 'namespace-wide',
  /**
   * As any Secret in any namespace: anyone who can create a SealedSecret in the cluster can
   * unseal the values.
   */
  CLUSTER_WIDE = 'cluster-wide',
}

/** Props of a `SealedSecret`. */
export interface SealedSecretProps {
  /**
   * Name of the SealedSecret and of the Secret the controller makes (also its
   * `app.kubernetes.io/instance` label, so at most 63 characters). With `SealingScope.STRICT` it
   * must be the name given to `kubeseal`.
   * @default - the construct id in kebab-case
   */
  readonly name?: string;
  /**
   * Value of `app.kubernetes.io/name`, usually the application that reads the Secret.
   * @default - the name
   */
  readonly appName?: string;
  /**
   * Extra labels, on the SealedSecret and on the Secret it makes.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * Key of the Secret to the sealed value: the output of `kubeseal` (for one value,
   * `kubeseal --raw --name <name> --namespace <namespace> --from-file=<file>`), base64 of the
   * ciphertext. Plain values are rejected: secret values never appear in the YAML.
   */
  readonly encryptedData: { [key: string]: string };
  /**
   * Type of the Secret; its required keys are checked.
   * @default SecretType.OPAQUE
   */
  readonly type?: SecretType;
  /**
   * What the values were sealed for: the same as `kubeseal --scope`. With `STRICT` and
   * `NAMESPACE_WIDE`, give the chart the namespace the values were sealed for.
   * @default SealingScope.STRICT
   */
  readonly scope?: SealingScope;
}

/**
 * Secure Configuration with Bitnami Sealed Secrets: a `SealedSecret` (bitnami.com/v1alpha1) that
 * holds values encrypted by `kubeseal` with the controller's public key, from which the controller
 * in the cluster makes a Secret of the same name. The YAML is safe to commit: only the controller
 * can decrypt it.
 *
 * Needs the Sealed Secrets controller in the cluster. Hand the Secret to a workload as files:
 * `volume()` or `PodVolume.secret(name, sealedSecret.secretName)`.
 *
 * @example
 * const apiKey = new SealedSecret(chart, 'payment-api-key', {
 *   encryptedData: { 'api-key': 'AgBy3i4OJSWK+PiTySYZZA9rO43cGDEq...' }, // kubeseal --raw output
 * });
 * // volumes: [apiKey.volume('payment-api', { defaultMode: 0o400 })]
 * @see https://github.com/bitnami-labs/sealed-secrets
 */
export class SealedSecret extends Construct implements ISecretSource {
  /** Name of the Secret the controller makes (the SealedSecret's own name): pass it to `PodVolume.secret()`. */
  public readonly secretName!: string;
  /** The keys of the Secret (always known: they are the keys of `encryptedData`). */
  public readonly knownKeys?: string[];
  /** The scope the values were sealed for. */
  public readonly scope!: SealingScope;
  /** The SealedSecret object. */
  public readonly apiObject!: ApiObject;

  constructor(scope: Construct, id: string, props: SealedSecretProps) {
    super(scope, id);
    try {
      const p = props ?? ({} as SealedSecretProps);
      const problems = new Problems(this);
      // A mistaken prop may hold plain values (`data`, `stringData` as in a Secret): show their shape only.
      const known = KNOWN_PROPS.SealedSecretProps;
      const shown = isMap(p) ? Object.fromEntries(Object.entries(p).map(([k, v]) => [k, known?.includes(k) ? v : hidden(v)])) : p;
      checkKnownKeys(problems, '', shown, known, 'SealedSecretProps');
      const name = p.name ?? defaultNameFromId(id);
      checkDnsSubdomain(problems, namePropOf(p.name), name);
      checkLabelValue(problems, namePropOf(p.name), name);
      if (p.appName !== undefined) checkLabelValue(problems, 'appName', p.appName);
      checkLabels(problems, 'labels', p.labels);
      for (const k of Object.keys(isMap(p.labels) ? p.labels as object : {})) {
        problems.check(!MANAGED_LABELS.includes(k), 'labels key', k, 'must not override a label this library manages');
      }
      this.scope = p.scope ?? SealingScope.STRICT;
      problems.check(Object.values(SealingScope).includes(this.scope), 'scope', this.scope, 'must be a SealingScope');

      const encrypted = p.encryptedData;
      const data: { [key: string]: string } = {};
      if (problems.check(isMap(encrypted), 'encryptedData', hidden(encrypted),
        'is required: a map of Secret keys to kubeseal output (secret values never appear in the YAML)')) {
        for (const [k, v] of Object.entries(encrypted)) {
          checkKey(problems, 'encryptedData key', k);
          if (checkSealed(problems, `encryptedData["${k}"]`, v)) data[k] = v as string;
        }
        const bytes = Object.values(data).reduce((n, v) => n + plaintextBytes(v), 0);
        problems.check(bytes <= MAX_SECRET_BYTES, 'encryptedData', `${bytes} bytes unsealed`,
          'must unseal to at most 1 MiB in total (the limit of a Secret): mount larger files from a volume');
        problems.check(Object.keys(encrypted).length > 0, 'encryptedData', {}, 'must have at least one key');
      }
      this.knownKeys = Object.keys(isMap(encrypted) ? encrypted : {}).sort();
      const type = p.type ?? SecretType.OPAQUE;
      checkSecretType(problems, 'type', type, this.knownKeys);
      problems.throwIfAny();

      this.secretName = name;
      const labels = { ...(p.labels ?? {}), ...standardLabels({ name: p.appName ?? name, instance: name }) };
      const annotations: { [key: string]: string } | undefined = this.scope === SealingScope.NAMESPACE_WIDE ? { [NAMESPACE_WIDE_ANNOTATION]: 'true' }
        : this.scope === SealingScope.CLUSTER_WIDE ? { [CLUSTER_WIDE_ANNOTATION]: 'true' } : undefined;
      const namespace = Chart.of(this).namespace;
      this.apiObject = new ApiObject(this, 'Resource', {
        apiVersion: 'bitnami.com/v1alpha1',
        kind: 'SealedSecret',
        // The controller reads the scope from the SealedSecret's annotations; kubeseal writes them on
        // the template too, so the Secret shows how it was sealed.
        metadata: { name, labels, ...(annotations ? { annotations } : {}) },
        spec: {
          encryptedData: Object.fromEntries(Object.keys(data).sort().map((k) => [k, data[k]])),
          template: {
            type,
            metadata: {
              name,
              ...(namespace !== undefined ? { namespace } : {}),
              labels,
              ...(annotations ? { annotations } : {}),
            },
          },
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
   * 0o400): the way to hand the Secret to a container. Items are checked against the sealed keys.
   */
  public volume(name: string, options: KeyVolumeOptions = {}): PodVolume {
    return secretSourceVolume(this, this, name, options);
  }
}

/** What an error message shows of a value that may be a secret: its shape, never its content. */
function hidden(v: unknown): unknown {
  if (typeof v === 'string') return `(${v.length} characters, not shown)`;
  if (isMap(v)) return `(a map of ${Object.keys(v as object).length} keys, values not shown)`;
  if (v === undefined || v === null) return v;
  return `(${Array.isArray(v) ? 'a list' : `a ${typeof v}`}, not shown)`;
}

/**
 * Whether `v` has the shape of `kubeseal` output: standard base64 of a 2-byte big-endian length
 * L (256..2048), an RSA-OAEP ciphertext of L bytes (the session key) and an AES-GCM ciphertext
 * with its 16-byte tag. A plain value, or the base64 of one, fails it: its first two bytes are
 * text, far larger than any RSA ciphertext length.
 */
function checkSealed(problems: Problems, prop: string, v: unknown): boolean {
  const rule = 'must be kubeseal output (base64 of the sealed ciphertext, e.g. "AgB..."): Secret values never appear in the YAML; '
    + 'seal each value with `kubeseal --raw --name <name> --namespace <namespace> --from-file=<file>`';
  if (typeof v !== 'string' || v.length === 0) return problems.check(false, prop, hidden(v), rule);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(v) || v.length % 4 !== 0) return problems.check(false, prop, hidden(v), rule);
  const bytes = Buffer.from(v, 'base64');
  const rsa = bytes.length >= 2 ? bytes.readUInt16BE(0) : 0;
  return problems.check(rsa >= MIN_RSA_BYTES && rsa <= MAX_RSA_BYTES && bytes.length >= 2 + rsa + GCM_TAG_BYTES, prop, hidden(v), rule);
}

/** Size of the value that a checked sealed value unseals to. */
function plaintextBytes(v: string): number {
  const bytes = Buffer.from(v, 'base64');
  return bytes.length - 2 - bytes.readUInt16BE(0) - GCM_TAG_BYTES;
}
