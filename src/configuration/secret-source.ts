import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { installSynthSessionHooks, addSynthValidation } from '../core/synth-session';
import { formatProblem, Problems, showList } from '../core/validation';
import { KeyVolumeOptions, PodVolume } from '../pod/volume';

/**
 * The type of a Secret made by a controller from an `ExternalSecret` or a `SealedSecret`. Each
 * type other than `Opaque` requires certain keys, which are checked when the keys are known.
 *
 * Service-account token, bootstrap-token and legacy `dockercfg` Secrets are deliberately absent:
 * an application has no business making them.
 * @see https://kubernetes.io/docs/concepts/configuration/secret/#secret-types
 */
export enum SecretType {
  /** Arbitrary keys. */
  OPAQUE = 'Opaque',
  /** Credentials for basic authentication: `username` and/or `password`. */
  BASIC_AUTH = 'kubernetes.io/basic-auth',
  /** An SSH private key: `ssh-privatekey`. */
  SSH_AUTH = 'kubernetes.io/ssh-auth',
  /** A certificate and its key: `tls.crt` and `tls.key`. */
  TLS = 'kubernetes.io/tls',
  /** Image-registry credentials: `.dockerconfigjson` (for `imagePullSecrets`). */
  DOCKER_CONFIG_JSON = 'kubernetes.io/dockerconfigjson',
}

/**
 * Something that makes a Secret in the cluster (an `ExternalSecret`, a `SealedSecret`), never
 * writing its values into the YAML. Pass `secretName` wherever a Secret name goes
 * (`PodVolume.secret(name, source.secretName)`), or use the source's `volume()`.
 */
export interface ISecretSource {
  /** Name of the Secret that the controller makes. */
  readonly secretName: string;
  /**
   * The keys the Secret will have, when known from the props.
   * @default - unknown (keys come from the provider)
   */
  readonly knownKeys?: string[];
}

/** The keys each Secret type requires: all of `all`, and at least one of `any`. */
const REQUIRED_KEYS: { [type: string]: { all?: string[]; any?: string[] } } = {
  [SecretType.BASIC_AUTH]: { any: ['username', 'password'] },
  [SecretType.SSH_AUTH]: { all: ['ssh-privatekey'] },
  [SecretType.TLS]: { all: ['tls.crt', 'tls.key'] },
  [SecretType.DOCKER_CONFIG_JSON]: { all: ['.dockerconfigjson'] },
};

/**
 * Checks `type` against the enum and, when the keys are known, that they include the keys the type
 * requires (the API server rejects the Secret otherwise, long after the controller made it).
 * @internal
 */
export function checkSecretType(problems: Problems, prop: string, type: unknown, keys: string[] | undefined): void {
  if (!problems.check(Object.values(SecretType).includes(type as SecretType), prop, type, 'must be a SecretType')) return;
  const need = REQUIRED_KEYS[type as string];
  if (need === undefined || keys === undefined) return;
  const missing = (need.all ?? []).filter((k) => !keys.includes(k));
  if (missing.length > 0) problems.add(prop, type, `requires the keys ${missing.map((k) => `"${k}"`).join(', ')} (the Secret has: ${showList(keys) || 'no keys'})`);
  if (need.any !== undefined && !need.any.some((k) => keys.includes(k))) {
    problems.add(prop, type, `requires at least one of the keys ${need.any.map((k) => `"${k}"`).join(', ')} (the Secret has: ${showList(keys) || 'no keys'})`);
  }
}

/**
 * A secret volume of `source`'s Secret, whose items are checked against the keys the Secret will
 * have (when known). Throws one error for every problem.
 * @internal
 */
export function secretSourceVolume(scope: IConstruct, source: ISecretSource, name: string, options: KeyVolumeOptions | undefined): PodVolume {
  const problems = new Problems(scope);
  const at = `volume(${JSON.stringify(typeof name === 'string' ? name : String(name))})`;
  const items = options?.items;
  if (Array.isArray(items) && source.knownKeys !== undefined) {
    items.forEach((item, i) => {
      if (typeof item?.key !== 'string') return; // the volume's own check names it
      problems.check(source.knownKeys!.includes(item.key), `${at}.items[${i}].key`, item.key,
        `must be a key of the Secret (it has: ${showList(source.knownKeys!)})`);
    });
  }
  problems.throwIfAny();
  return PodVolume.secret(name, source.secretName, options ?? {});
}

const SOURCE = Symbol.for('cdk8s-patterns.secret-source');
const REGISTERED = Symbol.for('cdk8s-patterns.secret-source-checks');

/**
 * Marks `construct` as making the Secret `secretName`, and registers (once per app) the check that
 * no two of them make the same Secret in one namespace: two controllers would overwrite each
 * other's values, or one of them would refuse to adopt a Secret it does not own.
 * @internal
 */
export function registerSecretSource(construct: IConstruct, secretName: string): void {
  Object.defineProperty(construct, SOURCE, { value: { secretName, namespace: Chart.of(construct).namespace ?? 'default' } });
  installSynthSessionHooks();
  const root = construct.node.root;
  if ((root as any)[REGISTERED]) return;
  Object.defineProperty(root, REGISTERED, { value: true });
  addSynthValidation(root, () => {
    const seen = new Map<string, string>();
    const errors: string[] = [];
    for (const c of root.node.findAll()) {
      const mark = (c as any)[SOURCE] as { secretName: string; namespace: string } | undefined;
      if (mark === undefined) continue;
      const key = `${mark.namespace}/${mark.secretName}`;
      const first = seen.get(key);
      if (first === undefined) {
        seen.set(key, c.node.path);
        continue;
      }
      errors.push(formatProblem({
        path: c.node.path,
        prop: 'secretName',
        value: JSON.stringify(mark.secretName),
        rule: `must be unique per namespace: the Secret "${mark.secretName}" in namespace "${mark.namespace}" is also made by ${first}`,
      }));
    }
    return errors;
  });
}
