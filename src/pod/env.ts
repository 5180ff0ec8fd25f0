import { k8s } from 'cdk8s-plus-28';
import { checkDnsSubdomain } from '../core/names';
import { cutShort, MAX_RENDERED_PROP, Problems, renderValue, showList, showText } from '../core/validation';

/**
 * The variables the kubelet sets for Services (service links, on by default): `KUBERNETES_SERVICE_HOST`,
 * `<SVC>_SERVICE_PORT_<PORT>`, `<SVC>_PORT_8080_TCP_ADDR`, ... A `$(NAME)` may refer to them.
 */
const SERVICE_ENV = /^[A-Z0-9_]+_(SERVICE_HOST|SERVICE_PORT(_[A-Z0-9_]+)?|PORT(_[0-9]+_(TCP|UDP|SCTP)(_(PROTO|PORT|ADDR))?)?)$/;

/** Environment variable names Kubernetes accepts: letters, digits, `_`, `-`, `.`; not starting with a digit. */
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** Checks an environment variable name (or an envFrom prefix, which may be empty). @internal */
export function checkEnvName(problems: Problems, prop: string, name: unknown): boolean {
  return problems.check(typeof name === 'string' && ENV_NAME.test(name), prop, name,
    'must be a valid environment variable name (letters, digits, "_", "-", "."; not starting with a digit)');
}

/**
 * A ConfigMap that environment variables, `envFrom` and volumes can read. A `ConfigResource`
 * made by this library is one (and knows its keys, which are then checked); a ConfigMap made
 * elsewhere is referenced with `ConfigMapReference.fromName()`.
 */
export interface IConfigMapReference {
  /** Name of the ConfigMap object. */
  readonly configMapName: string;
  /**
   * The keys the ConfigMap has, when known (references to its keys are then checked at synth).
   * @default - unknown: references to keys are not checked
   */
  readonly knownKeys?: string[];
}

/** A ConfigMap made outside this library, referenced by name. */
export class ConfigMapReference implements IConfigMapReference {
  /**
   * References a ConfigMap by name. Its keys are unknown to the library, so key references are not
   * checked: an undefined key makes the pod fail to start (unless the reference is optional).
   */
  public static fromName(name: string): ConfigMapReference {
    return new ConfigMapReference(name);
  }

  /** Keys are unknown for a ConfigMap referenced by name. */
  public readonly knownKeys?: string[] = undefined;

  private constructor(
    /** Name of the ConfigMap object. */
    public readonly configMapName: string,
  ) {}
}

/** Checks a ConfigMap reference and, when its keys are known, that it has `key`. @internal */
export function checkConfigMapRef(problems: Problems, prop: string, ref: IConfigMapReference, key?: string): boolean {
  if (ref === null || typeof ref !== 'object' || typeof ref.configMapName !== 'string') {
    problems.add(prop, ref, 'must be a ConfigResource or ConfigMapReference.fromName("<name>")');
    return false;
  }
  checkDnsSubdomain(problems, `${prop}.configMapName`, ref.configMapName);
  if (ref.knownKeys !== undefined && !(Array.isArray(ref.knownKeys) && ref.knownKeys.every((k) => typeof k === 'string'))) {
    problems.add(`${prop}.knownKeys`, ref.knownKeys, 'must be a list of strings (or undefined when the keys are unknown)');
    return false;
  }
  if (key !== undefined && ref.knownKeys !== undefined) {
    problems.check(ref.knownKeys.includes(key), `${prop} key`, key,
      `must be a key of ConfigMap ${renderValue(ref.configMapName)} (it has: ${showList(ref.knownKeys) || 'no keys'})`);
  }
  return true;
}

/** A field of the pod, readable as an environment variable (the downward API). */
export enum PodField {
  /** The pod's name. */
  NAME = 'metadata.name',
  /** The pod's namespace. */
  NAMESPACE = 'metadata.namespace',
  /** The pod's UID. */
  UID = 'metadata.uid',
  /** The pod's IP address. */
  POD_IP = 'status.podIP',
  /** The IP addresses of the pod (comma-separated, IPv4 and IPv6 on dual-stack clusters). */
  POD_IPS = 'status.podIPs',
  /** The IP address of the node. */
  HOST_IP = 'status.hostIP',
  /** The name of the node. */
  NODE_NAME = 'spec.nodeName',
  /** The name of the pod's service account. */
  SERVICE_ACCOUNT_NAME = 'spec.serviceAccountName',
}

/** A resource request or limit of a container, readable as an environment variable or file. */
export enum ResourceField {
  /** The CPU limit (in whole cores, rounded up, unless a divisor is given). */
  CPU_LIMIT = 'limits.cpu',
  /** The CPU request. */
  CPU_REQUEST = 'requests.cpu',
  /** The memory limit (in bytes unless a divisor is given). */
  MEMORY_LIMIT = 'limits.memory',
  /** The memory request. */
  MEMORY_REQUEST = 'requests.memory',
  /** The ephemeral-storage limit. */
  EPHEMERAL_STORAGE_LIMIT = 'limits.ephemeral-storage',
  /** The ephemeral-storage request. */
  EPHEMERAL_STORAGE_REQUEST = 'requests.ephemeral-storage',
}

/** Options of a value read from a ConfigMap or Secret key. */
export interface KeyReferenceOptions {
  /**
   * Start the container even if the ConfigMap or Secret (or the key) is missing; the variable is
   * then unset.
   * @default false
   */
  readonly optional?: boolean;
}

/** Options of a resource field. */
export interface ResourceFieldOptions {
  /**
   * The container whose resources are read.
   * @default - the container the variable is set in
   */
  readonly containerName?: string;
  /**
   * Unit of the value, e.g. `1m` (millicores) or `1Mi` (mebibytes).
   * @default - 1 (whole cores, bytes)
   */
  readonly divisor?: string;
}

/** What one variable or file reads. @internal */
export type EnvSource =
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'configMap'; readonly ref: IConfigMapReference; readonly key: string; readonly optional?: boolean }
  | { readonly kind: 'secret'; readonly secretName: string; readonly key: string; readonly optional?: boolean }
  | { readonly kind: 'field'; readonly fieldPath: string }
  | { readonly kind: 'resource'; readonly resource: string; readonly containerName?: string; readonly divisor?: string };

/**
 * One environment variable of a container (EnvVar Configuration, Self Awareness). Variables are
 * set in the order given, so a value may refer to an earlier variable as `$(NAME)`; write `$$(NAME)`
 * for a literal `$(NAME)`.
 *
 * @example
 * envVariables: [
 *   EnvVariable.fromPodField('POD_IP', PodField.POD_IP),
 *   EnvVariable.literal('LISTEN', '$(POD_IP):8080'),
 *   EnvVariable.fromSecret('DB_PASSWORD', 'db-credentials', 'password'),
 * ]
 * @see https://kubernetes.io/docs/tasks/inject-data-application/define-interdependent-environment-variables/
 */
export class EnvVariable {
  /** A literal value. `$(NAME)` refers to a variable defined earlier in the same container. */
  public static literal(name: string, value: string): EnvVariable {
    return new EnvVariable(name, { kind: 'literal', value });
  }

  /** The value of a key of a ConfigMap. */
  public static fromConfigMap(name: string, configMap: IConfigMapReference, key: string, options: KeyReferenceOptions = {}): EnvVariable {
    return new EnvVariable(name, { kind: 'configMap', ref: configMap, key, optional: options?.optional });
  }

  /**
   * The value of a key of an existing Secret. Prefer mounting secrets as files
   * (`PodVolume.secret()`): environment variables leak into crash dumps and child processes, and
   * policy checkers flag them.
   */
  public static fromSecret(name: string, secretName: string, key: string, options: KeyReferenceOptions = {}): EnvVariable {
    return new EnvVariable(name, { kind: 'secret', secretName, key, optional: options?.optional });
  }

  /** A field of the pod: name, namespace, UID, IP, node, service account (Self Awareness). */
  public static fromPodField(name: string, field: PodField): EnvVariable {
    return new EnvVariable(name, { kind: 'field', fieldPath: field });
  }

  /** The value of one label of the pod. */
  public static fromPodLabel(name: string, labelKey: string): EnvVariable {
    return new EnvVariable(name, { kind: 'field', fieldPath: `metadata.labels['${typeof labelKey === 'string' ? labelKey : ''}']` });
  }

  /** The value of one annotation of the pod. */
  public static fromPodAnnotation(name: string, annotationKey: string): EnvVariable {
    return new EnvVariable(name, { kind: 'field', fieldPath: `metadata.annotations['${typeof annotationKey === 'string' ? annotationKey : ''}']` });
  }

  /** A resource request or limit of the container (or of another container of the pod). */
  public static fromResource(name: string, field: ResourceField, options: ResourceFieldOptions = {}): EnvVariable {
    return new EnvVariable(name, { kind: 'resource', resource: field, containerName: options?.containerName, divisor: options?.divisor });
  }

  private constructor(
    /** Name of the variable. */
    public readonly name: string,
    /** @internal */
    public readonly _source: EnvSource,
  ) {}
}

/** Options of `EnvFrom`. */
export interface EnvFromOptions {
  /**
   * Prefix added to every key, e.g. `APP_`.
   * @default - none
   */
  readonly prefix?: string;
  /**
   * Start the container even if the ConfigMap or Secret is missing.
   * @default false
   */
  readonly optional?: boolean;
}

/** Every key of a ConfigMap or Secret as environment variables (`envFrom`). */
export class EnvFrom {
  /** Every key of a ConfigMap. */
  public static configMap(configMap: IConfigMapReference, options: EnvFromOptions = {}): EnvFrom {
    return new EnvFrom({ kind: 'configMap', configMap, prefix: options?.prefix, optional: options?.optional });
  }

  /** Every key of an existing Secret. Prefer files (see `EnvVariable.fromSecret`). */
  public static secret(secretName: string, options: EnvFromOptions = {}): EnvFrom {
    return new EnvFrom({ kind: 'secret', secretName, prefix: options?.prefix, optional: options?.optional });
  }

  private constructor(
    /** @internal */
    public readonly _source: {
      readonly kind: 'configMap' | 'secret';
      readonly configMap?: IConfigMapReference;
      readonly secretName?: string;
      readonly prefix?: string;
      readonly optional?: boolean;
    },
  ) {}
}

/** A resolved, ordered environment of one container. @internal */
export interface ResolvedEnv {
  readonly env: k8s.EnvVar[];
  readonly envFrom: k8s.EnvFromSource[];
  /** Every variable name the container can see, or undefined if an envFrom source has unknown keys. */
  readonly defined: Set<string>;
  readonly openEnded: boolean;
  /** The ConfigMaps the environment reads. */
  readonly configMaps: IConfigMapReference[];
  /** The props that read a Secret into the environment. */
  readonly secretReads: string[];
}

/**
 * Validates and renders a container's environment: the literal map first (in its order), then the
 * ordered variables; `envFrom` sources before both (as Kubernetes does). Rejects duplicate names
 * (also against the known keys of envFrom sources) and `$(NAME)` references to a name that is not
 * defined earlier. `prop` is the prop prefix, e.g. `` (main container) or `addContainer("x").`.
 * @internal
 */
export function resolveEnv(
  literal: { [name: string]: string } | undefined, variables: EnvVariable[] | undefined, envFrom: EnvFrom[] | undefined,
  problems: Problems, prop: string,
): ResolvedEnv {
  const env: k8s.EnvVar[] = [];
  const from: k8s.EnvFromSource[] = [];
  const defined = new Map<string, string>();
  const configMaps: IConfigMapReference[] = [];
  const secretReads: string[] = [];
  let openEnded = false;

  if (envFrom !== undefined && !Array.isArray(envFrom)) problems.add(`${prop}envFrom`, envFrom, 'must be a list of EnvFrom');
  (Array.isArray(envFrom) ? envFrom : []).forEach((e, i) => {
    const at = `${prop}envFrom[${i}]`;
    if (!(e instanceof EnvFrom)) {
      problems.add(at, e, 'must be created with EnvFrom.configMap() or EnvFrom.secret()');
      return;
    }
    const s = e._source;
    if (s.prefix !== undefined && s.prefix !== '') checkEnvName(problems, `${at}.prefix`, s.prefix);
    const prefix = s.prefix ?? '';
    const optional = s.optional === true ? { optional: true } : {};
    if (s.kind === 'configMap') {
      if (!checkConfigMapRef(problems, `${at}.configMap`, s.configMap!)) return;
      const cm = s.configMap!;
      configMaps.push(cm);
      from.push({ configMapRef: { name: cm.configMapName, ...optional }, ...(s.prefix ? { prefix } : {}) });
      if (cm.knownKeys === undefined) {
        openEnded = true;
      } else {
        for (const key of cm.knownKeys) {
          const name = prefix + key;
          problems.check(ENV_NAME.test(name), `${at}`, name,
            `key "${key}" of ConfigMap "${cm.configMapName}" is not a valid environment variable name with this prefix (Kubernetes skips it)`);
          const first = defined.get(name);
          problems.check(first === undefined, at, name, `duplicates the variable from ${first}`);
          defined.set(name, at);
        }
      }
    } else {
      checkDnsSubdomain(problems, `${at}.secretName`, s.secretName!);
      secretReads.push(at);
      from.push({ secretRef: { name: s.secretName!, ...optional }, ...(s.prefix ? { prefix } : {}) });
      openEnded = true;
    }
  });

  const entries: Array<[string, string, EnvVariable | string]> = [];
  if (literal !== undefined && (typeof literal !== 'object' || literal === null || Array.isArray(literal))) {
    problems.add(`${prop}env`, literal, 'must be a map of names to strings');
  } else {
    for (const [k, v] of Object.entries(literal ?? {})) entries.push([`${prop}env["${k}"]`, k, v]);
  }
  if (variables !== undefined && !Array.isArray(variables)) problems.add(`${prop}envVariables`, variables, 'must be a list of EnvVariable');
  (Array.isArray(variables) ? variables : []).forEach((v, i) => entries.push([`${prop}envVariables[${i}]`, v instanceof EnvVariable ? v.name : '', v]));

  for (const [at, name, v] of entries) {
    if (typeof v !== 'string' && !(v instanceof EnvVariable)) {
      problems.add(at, v, at.includes('envVariables') ? 'must be created with EnvVariable.literal(), fromConfigMap(), fromSecret(), fromPodField(), ...'
        : 'must be a string (quote numbers and booleans)');
      continue;
    }
    if (!checkEnvName(problems, `${at}.name`, name)) continue;
    const first = defined.get(name);
    problems.check(first === undefined, `${at}.name`, name, `is defined twice (also by ${cutShort(first ?? '', MAX_RENDERED_PROP)})`);
    const source = typeof v === 'string' ? { kind: 'literal' as const, value: v } : v._source;
    if (source.kind === 'configMap' && source.ref) configMaps.push(source.ref);
    if (source.kind === 'secret') secretReads.push(at);
    if (source.kind === 'literal') {
      if (typeof source.value !== 'string') {
        problems.add(at, source.value, 'must be a string (quote numbers and booleans)');
      } else {
        for (const ref of variableReferences(source.value)) {
          problems.check(defined.has(ref) || openEnded || SERVICE_ENV.test(ref), at, source.value,
            `refers to $(${ref}), which is not defined earlier in this container, so Kubernetes leaves it as literal text `
            + '(define it before this variable, or write $$(' + ref + ') for the literal text)');
        }
      }
    }
    defined.set(name, at);
    env.push({ name, ...renderSource(source, problems, at) });
  }
  return { env, envFrom: from, defined: new Set(defined.keys()), openEnded, configMaps, secretReads };
}

/**
 * The names a container's `env` and `envVariables` define (for checks of names the library sets
 * itself), with the prop that defines each.
 * @internal
 */
export function definedEnvNames(literal: unknown, variables: unknown): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (literal !== null && typeof literal === 'object' && !Array.isArray(literal)) {
    for (const k of Object.keys(literal)) out.push([k, `env["${k}"]`]);
  }
  if (Array.isArray(variables)) {
    variables.forEach((v, i) => {
      if (v instanceof EnvVariable) out.push([v.name, `envVariables[${i}].name`]);
    });
  }
  return out;
}

/**
 * Checks `$(NAME)` references in a command or args: Kubernetes expands them from the container's
 * environment and leaves unknown ones as literal text.
 * @internal
 */
export function checkCommandReferences(problems: Problems, prop: string, list: string[] | undefined, env: ResolvedEnv): void {
  if (!Array.isArray(list) || env.openEnded) return;
  list.forEach((arg, i) => {
    if (typeof arg !== 'string') return;
    for (const ref of variableReferences(arg)) {
      problems.check(env.defined.has(ref) || SERVICE_ENV.test(ref), `${prop}[${i}]`, arg,
        `refers to $(${ref}), which is not an environment variable of this container, so Kubernetes leaves it as literal text (write $$(${ref}) for the literal text)`);
    }
  });
}

/** The names in `$(NAME)` references of a value; `$$` escapes a `$`. @internal */
export function variableReferences(value: string): string[] {
  const refs: string[] = [];
  for (let i = 0; i < value.length; i++) {
    if (value[i] !== '$') continue;
    if (value[i + 1] === '$') {
      i++;
      continue;
    }
    if (value[i + 1] === '(') {
      const end = value.indexOf(')', i + 2);
      if (end > i + 2) {
        refs.push(value.slice(i + 2, end));
        i = end;
      }
    }
  }
  return refs;
}

function renderSource(source: EnvSource, problems: Problems, at: string): { value?: string; valueFrom?: k8s.EnvVarSource } {
  const optional = (o?: boolean) => (o === true ? { optional: true } : {});
  switch (source.kind) {
    case 'literal':
      return { value: source.value };
    case 'configMap':
      checkConfigMapRef(problems, `${at}.configMap`, source.ref, source.key);
      checkKey(problems, `${at}.key`, source.key);
      return { valueFrom: { configMapKeyRef: { name: source.ref?.configMapName, key: source.key, ...optional(source.optional) } } };
    case 'secret':
      checkDnsSubdomain(problems, `${at}.secretName`, source.secretName);
      checkKey(problems, `${at}.key`, source.key);
      return { valueFrom: { secretKeyRef: { name: source.secretName, key: source.key, ...optional(source.optional) } } };
    case 'field':
      checkFieldPath(problems, at, source.fieldPath);
      return { valueFrom: { fieldRef: { fieldPath: source.fieldPath } } };
    case 'resource':
      problems.check((Object.values(ResourceField) as string[]).includes(source.resource), `${at}.field`, source.resource, 'must be a ResourceField');
      checkDivisor(problems, `${at}.divisor`, source.resource, source.divisor);
      return {
        valueFrom: {
          resourceFieldRef: {
            resource: source.resource,
            ...(source.containerName !== undefined ? { containerName: source.containerName } : {}),
            ...(source.divisor !== undefined ? { divisor: k8s.Quantity.fromString(source.divisor) } : {}),
          },
        },
      };
  }
}

/** A key of a ConfigMap or Secret: letters, digits, `-`, `_`, `.`; not `.` and not starting with `..`. @internal */
export function checkKey(problems: Problems, prop: string, key: unknown): void {
  problems.check(typeof key === 'string' && /^[-._a-zA-Z0-9]+$/.test(key) && key.length <= 253 && key !== '.' && !key.startsWith('..'), prop, key,
    'must be a ConfigMap or Secret key: letters, digits, "-", "_" and "." (at most 253 characters, not "." and not starting with "..")');
}

/** The divisors the API server accepts for a resource field: cpu 1m or 1; memory and storage 1 or a power of 1000 or 1024. */
const CPU_DIVISORS = ['1m', '1'];
const BYTE_DIVISORS = ['1', '1k', '1M', '1G', '1T', '1P', '1E', '1Ki', '1Mi', '1Gi', '1Ti', '1Pi', '1Ei'];

/** Checks the divisor of a resource field reference. @internal */
export function checkDivisor(problems: Problems, prop: string, resource: string, divisor: string | undefined): void {
  if (divisor === undefined) return;
  const allowed = typeof resource === 'string' && resource.endsWith('cpu') ? CPU_DIVISORS : BYTE_DIVISORS;
  problems.check(allowed.includes(divisor), prop, divisor, `must be one of ${allowed.join(', ')} for ${showText(resource)}`);
}

/** Checks a field path: a `PodField`, or one label or annotation with a valid key. */
function checkFieldPath(problems: Problems, at: string, fieldPath: string): void {
  const m = typeof fieldPath === 'string' ? /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(fieldPath) : null;
  if (!m) {
    problems.check((Object.values(PodField) as string[]).includes(fieldPath), `${at}.field`, fieldPath, 'must be a PodField');
    return;
  }
  problems.check(m[2].length > 0 && /^([a-z0-9.-]+\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(m[2]), `${at}.${m[1] === 'labels' ? 'labelKey' : 'annotationKey'}`, m[2],
    'must be a valid label or annotation key');
}
