import { ApiObject, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { deferConstruction, registerAppChecks } from '../core/app-checks';
import { KNOWN_PROPS } from '../core/known-props';
import { MANAGED_LABELS, standardLabels } from '../core/labels';
import { checkDnsLabel, checkLabels, defaultNameFromId, namePropOf } from '../core/names';
import { formatKibibytes, parseQuantityExact } from '../core/quantity';
import { makeClusterScoped } from '../core/scope';
import { checkInt, checkKnownKeys, Problems } from '../core/validation';

/**
 * A Pod Security Standard, enforced on a namespace by the built-in Pod Security admission
 * controller.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
export enum PodSecurityLevel {
  /** Hardened pods only: non-root, no privilege escalation, all capabilities dropped, seccomp on. */
  RESTRICTED = 'restricted',
  /** Blocks known privilege escalations (host namespaces, privileged containers, hostPath, ...). */
  BASELINE = 'baseline',
  /** No restrictions at all: an explicit opt-out, for system or infrastructure namespaces only. */
  PRIVILEGED = 'privileged',
}

/**
 * Hard limits on what a namespace may consume in total. Each field set becomes one entry of the
 * ResourceQuota's `spec.hard`.
 *
 * Once the quota sets `requests.cpu`, `requests.memory`, `limits.cpu` or `limits.memory`, the
 * API server rejects every pod that does not declare that resource; the LimitRange of
 * `NamespaceGuardrails` fills in `containerDefaults`, which is what keeps pods without explicit
 * resources admissible.
 *
 * @see https://kubernetes.io/docs/concepts/policy/resource-quotas/
 */
export interface NamespaceQuota {
  /**
   * Total CPU requested by all pods (`requests.cpu`).
   * @default - not limited
   */
  readonly requestsCpu?: kplus.Cpu;
  /**
   * Total memory requested by all pods (`requests.memory`).
   * @default - not limited
   */
  readonly requestsMemory?: Size;
  /**
   * Total CPU limit of all pods (`limits.cpu`).
   * @default - not limited
   */
  readonly limitsCpu?: kplus.Cpu;
  /**
   * Total memory limit of all pods (`limits.memory`).
   * @default - not limited
   */
  readonly limitsMemory?: Size;
  /**
   * Total storage requested by all PersistentVolumeClaims (`requests.storage`).
   * @default - not limited
   */
  readonly requestsStorage?: Size;
  /**
   * Number of pods that are not terminal (`pods`).
   * @default - not limited
   */
  readonly pods?: number;
  /**
   * Number of Services (`services`).
   * @default - not limited
   */
  readonly services?: number;
  /**
   * Number of PersistentVolumeClaims (`persistentvolumeclaims`).
   * @default - not limited
   */
  readonly persistentVolumeClaims?: number;
  /**
   * Number of ConfigMaps (`configmaps`).
   * @default - not limited
   */
  readonly configMaps?: number;
  /**
   * Number of Secrets (`secrets`), including the ones Kubernetes creates itself.
   * @default - not limited
   */
  readonly secrets?: number;
}

/**
 * Per-container defaults and bounds, applied by a LimitRange of type `Container` when a pod is
 * admitted. A container that sets only a limit gets that limit as its request (not
 * `defaultRequest*`).
 *
 * @see https://kubernetes.io/docs/concepts/policy/limit-range/
 */
export interface ContainerLimitRange {
  /**
   * CPU request of a container that declares none.
   * @default Cpu.millis(100)
   */
  readonly defaultRequestCpu?: kplus.Cpu;
  /**
   * Memory request of a container that declares none.
   * @default Size.mebibytes(128)
   */
  readonly defaultRequestMemory?: Size;
  /**
   * CPU limit of a container that declares none.
   * @default Cpu.millis(500)
   */
  readonly defaultLimitCpu?: kplus.Cpu;
  /**
   * Memory limit of a container that declares none.
   * @default Size.mebibytes(256)
   */
  readonly defaultLimitMemory?: Size;
  /**
   * The most CPU a container may have as its limit.
   * @default - no maximum
   */
  readonly maxCpu?: kplus.Cpu;
  /**
   * The most memory a container may have as its limit.
   * @default - no maximum
   */
  readonly maxMemory?: Size;
  /**
   * The least CPU a container may request.
   * @default - no minimum
   */
  readonly minCpu?: kplus.Cpu;
  /**
   * The least memory a container may request.
   * @default - no minimum
   */
  readonly minMemory?: Size;
}

/** Props of `NamespaceGuardrails`. */
export interface NamespaceGuardrailsProps {
  /**
   * Name of the namespace: a DNS-1123 label that does not start with `kube-` (reserved for
   * Kubernetes system namespaces).
   * @default - the construct id in kebab-case (`Shop` becomes `shop`)
   */
  readonly name?: string;
  /**
   * The Pod Security Standard that the namespace enforces, warns about and audits, pinned to
   * the Kubernetes 1.28 version of the standard. `PodSecurityLevel.PRIVILEGED` turns Pod Security
   * off: an explicit opt-out.
   * @default PodSecurityLevel.RESTRICTED
   * @see https://kubernetes.io/docs/concepts/security/pod-security-admission/
   */
  readonly podSecurity?: PodSecurityLevel;
  /**
   * A stricter standard to warn about (kubectl shows a warning) while `podSecurity` is enforced,
   * e.g. enforce BASELINE and warn RESTRICTED on the way to restricted.
   * @default - the enforced level
   */
  readonly podSecurityWarn?: PodSecurityLevel;
  /**
   * A stricter standard to audit (recorded in the API server's audit log) while `podSecurity` is
   * enforced.
   * @default - the enforced level
   */
  readonly podSecurityAudit?: PodSecurityLevel;
  /**
   * Hard limits on the namespace's total consumption, as a ResourceQuota. Setting any
   * `requests*`/`limits*` field makes those resources mandatory on every pod; the LimitRange
   * defaults supply them.
   * @default - no ResourceQuota
   * @see https://kubernetes.io/docs/concepts/policy/resource-quotas/
   */
  readonly quota?: NamespaceQuota;
  /**
   * Requests and limits given to containers that declare none, and per-container bounds, as a
   * LimitRange. The LimitRange is always created: without it, pods that declare nothing land in
   * the BestEffort QoS class and are evicted first.
   * @default - requests cpu 100m / memory 128Mi, limits cpu 500m / memory 256Mi, no min or max
   * @see https://kubernetes.io/docs/concepts/policy/limit-range/
   */
  readonly containerDefaults?: ContainerLimitRange;
  /**
   * Extra labels on the Namespace, ResourceQuota and LimitRange. They may not override the
   * `app.kubernetes.io/*` labels this library manages or the `pod-security.kubernetes.io/*` labels.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
}

/** The version of the Pod Security Standards the namespace is pinned to (the 1.28 API). */
const POD_SECURITY_VERSION = 'v1.28';
const POD_SECURITY_PREFIX = 'pod-security.kubernetes.io/';

const DEFAULTS = {
  defaultRequestCpu: kplus.Cpu.millis(100),
  defaultRequestMemory: Size.mebibytes(128),
  defaultLimitCpu: kplus.Cpu.millis(500),
  defaultLimitMemory: Size.mebibytes(256),
};

type CpuKey = 'minCpu' | 'defaultRequestCpu' | 'defaultLimitCpu' | 'maxCpu';
type MemoryKey = 'minMemory' | 'defaultRequestMemory' | 'defaultLimitMemory' | 'maxMemory';
const CPU_CHAIN: CpuKey[] = ['minCpu', 'defaultRequestCpu', 'defaultLimitCpu', 'maxCpu'];
const MEMORY_CHAIN: MemoryKey[] = ['minMemory', 'defaultRequestMemory', 'defaultLimitMemory', 'maxMemory'];

const QUOTA_AMOUNTS: Array<[keyof NamespaceQuota, string, 'cpu' | 'size']> = [
  ['requestsCpu', 'requests.cpu', 'cpu'],
  ['requestsMemory', 'requests.memory', 'size'],
  ['limitsCpu', 'limits.cpu', 'cpu'],
  ['limitsMemory', 'limits.memory', 'size'],
  ['requestsStorage', 'requests.storage', 'size'],
];
const QUOTA_COUNTS: Array<[keyof NamespaceQuota, string]> = [
  ['pods', 'pods'],
  ['services', 'services'],
  ['persistentVolumeClaims', 'persistentvolumeclaims'],
  ['configMaps', 'configmaps'],
  ['secrets', 'secrets'],
];

/** A rendered amount: the quantity string and its value (millicores or bytes, always an integer). */
interface Amount {
  readonly quantity: string;
  readonly value: number;
}

/**
 * Namespace Guardrails: the Predictable Demands pattern for a whole namespace. Creates
 *
 * - a Namespace that enforces (and warns about and audits) a Pod Security Standard, `restricted`
 *   by default, pinned to v1.28;
 * - a LimitRange (always) that gives every container without resources a request and a limit,
 *   so no pod lands in the BestEffort QoS class, and optionally bounds each container;
 * - a ResourceQuota (when `quota` is given) that caps the namespace's total consumption.
 *
 * The Namespace is cluster-scoped and never carries a namespace, even inside a Chart that has
 * one; the ResourceQuota and LimitRange always go into the new namespace.
 *
 * @see https://kubernetes.io/docs/concepts/security/pod-security-admission/
 * @see https://kubernetes.io/docs/concepts/policy/resource-quotas/
 * @see https://kubernetes.io/docs/concepts/policy/limit-range/
 *
 * @example
 * new NamespaceGuardrails(chart, 'shop', {
 *   quota: { requestsCpu: Cpu.units(4), limitsMemory: Size.gibibytes(16), pods: 50 },
 * });
 */
export class NamespaceGuardrails extends Construct {
  /** Name of the namespace. */
  public readonly name!: string;
  /** The Namespace object (cluster-scoped). */
  public readonly namespace!: ApiObject;
  /** The ResourceQuota, when `quota` is given. */
  public readonly resourceQuota?: ApiObject;
  /** The LimitRange with the container defaults. */
  public readonly limitRange!: ApiObject;

  constructor(scope: Construct, id: string, props: NamespaceGuardrailsProps = {}) {
    super(scope, id);
    try {
      const p: NamespaceGuardrailsProps = props ?? {};
      const problems = new Problems(this);
      checkKnownKeys(problems, '', props, KNOWN_PROPS.NamespaceGuardrailsProps, 'NamespaceGuardrailsProps');

      // ---- name and labels
      this.name = p.name ?? defaultNameFromId(id);
      const nameProp = namePropOf(p.name);
      if (typeof this.name !== 'string') {
        problems.add(nameProp, this.name, 'must be a string');
      } else {
        checkDnsLabel(problems, nameProp, this.name);
        problems.check(!this.name.startsWith('kube-'), nameProp, this.name,
          'must not start with "kube-": the prefix is reserved for Kubernetes system namespaces');
      }
      problems.check(p.labels === undefined || (typeof p.labels === 'object' && !Array.isArray(p.labels)), 'labels', p.labels,
        'must be a map of label keys to values');
      checkLabels(problems, 'labels', p.labels);
      const managed = MANAGED_LABELS;
      for (const k of Object.keys(p.labels ?? {})) {
        problems.check(!managed.includes(k) && !k.startsWith(POD_SECURITY_PREFIX), 'labels key', k,
          'must not override a label this library manages (app.kubernetes.io/* or pod-security.kubernetes.io/*; use podSecurity)');
      }

      // ---- pod security
      const level = p.podSecurity ?? PodSecurityLevel.RESTRICTED;
      const knownLevel = problems.check(Object.values(PodSecurityLevel).includes(level), 'podSecurity', level,
        'must be PodSecurityLevel.RESTRICTED, BASELINE or PRIVILEGED');
      const strictness = [PodSecurityLevel.PRIVILEGED, PodSecurityLevel.BASELINE, PodSecurityLevel.RESTRICTED];
      const modes: { [mode: string]: PodSecurityLevel } = { enforce: level };
      for (const [mode, prop, given] of [['warn', 'podSecurityWarn', p.podSecurityWarn], ['audit', 'podSecurityAudit', p.podSecurityAudit]] as const) {
        if (given === undefined) {
          modes[mode] = level;
          continue;
        }
        // Compared with a known enforced level only (an unknown one is reported above).
        if (!problems.check(Object.values(PodSecurityLevel).includes(given), prop, given, 'must be PodSecurityLevel.RESTRICTED, BASELINE or PRIVILEGED') || !knownLevel) continue;
        problems.check(strictness.indexOf(given) >= strictness.indexOf(level), prop, given,
          `must be at least as strict as podSecurity (${level}): a laxer level than the enforced one never ${mode === 'warn' ? 'warns' : 'audits'}`);
        modes[mode] = given;
      }

      // ---- container defaults (LimitRange)
      const cd = p.containerDefaults ?? {};
      problems.check(typeof cd === 'object' && cd !== null, 'containerDefaults', cd, 'must be an object');
      const cdGiven = (cd ?? {}) as ContainerLimitRange;
      const limits: { [key: string]: Amount | undefined } = {};
      for (const key of [...CPU_CHAIN, ...MEMORY_CHAIN]) {
        const given = cdGiven[key];
        const value = given ?? (DEFAULTS as { [k: string]: kplus.Cpu | Size | undefined })[key];
        limits[key] = key.endsWith('Cpu')
          ? cpuAmount(problems, `containerDefaults.${key}`, value as kplus.Cpu | undefined)
          : sizeAmount(problems, `containerDefaults.${key}`, value as Size | undefined);
      }
      for (const chain of [CPU_CHAIN, MEMORY_CHAIN] as string[][]) {
        // Each bound against the next one present: min <= defaultRequest <= defaultLimit <= max.
        const present = chain.filter((k) => limits[k] !== undefined);
        for (let i = 0; i + 1 < present.length; i++) {
          const [a, b] = [present[i], present[i + 1]];
          const [va, vb] = [limits[a]!, limits[b]!];
          if (va.value <= vb.value) continue;
          const defaulted = [a, b].filter((k) => cdGiven[k as keyof ContainerLimitRange] === undefined)
            .map((k) => `; ${limits[k]!.quantity} is the default of ${k}, set it explicitly`).join('');
          problems.add(`containerDefaults.${a}`, va.quantity,
            `must not be greater than containerDefaults.${b} (${vb.quantity})${defaulted}`);
        }
      }

      // ---- quota (ResourceQuota)
      const hard: { [key: string]: string } = {};
      const quotaAmounts: { [key: string]: Amount | undefined } = {};
      if (p.quota !== undefined) {
        const q = p.quota;
        if (q === null || typeof q !== 'object') {
          problems.add('quota', q, 'must be an object of hard limits');
        } else {
          for (const [key, resource, kind] of QUOTA_AMOUNTS) {
            const v = q[key] as kplus.Cpu | Size | undefined;
            const a = kind === 'cpu'
              ? cpuAmount(problems, `quota.${key}`, v as kplus.Cpu | undefined)
              : sizeAmount(problems, `quota.${key}`, v as Size | undefined);
            quotaAmounts[key] = a;
            if (a !== undefined) hard[resource] = a.quantity;
          }
          for (const [key, resource] of QUOTA_COUNTS) {
            const v = q[key] as number | undefined;
            if (v === undefined) continue;
            checkInt(problems, `quota.${key}`, v, 0);
            hard[resource] = String(v);
          }
          const knownQuotaKeys = new Set<string>([...QUOTA_AMOUNTS.map(([k]) => k as string), ...QUOTA_COUNTS.map(([k]) => k as string)]);
          for (const key of Object.keys(q)) {
            problems.check(knownQuotaKeys.has(key), 'quota key', key, `must be one of ${[...knownQuotaKeys].join(', ')}`);
          }
          problems.check(Object.values(q).some((v) => v !== undefined), 'quota', q,
            'must set at least one limit (omit quota for none)');
          for (const r of ['Cpu', 'Memory']) {
            const [req, lim] = [quotaAmounts[`requests${r}`], quotaAmounts[`limits${r}`]];
            if (req !== undefined && lim !== undefined) {
              problems.check(req.value <= lim.value, `quota.requests${r}`, req.quantity,
                `must not be greater than quota.limits${r} (${lim.quantity})`);
            }
          }
          // A quota below one defaulted container means no pod without explicit resources ever fits.
          const fits: Array<[string, string]> = [
            ['requestsCpu', 'defaultRequestCpu'], ['requestsMemory', 'defaultRequestMemory'],
            ['limitsCpu', 'defaultLimitCpu'], ['limitsMemory', 'defaultLimitMemory'],
          ];
          for (const [qk, dk] of fits) {
            const [qa, da] = [quotaAmounts[qk], limits[dk]];
            if (qa === undefined || da === undefined || qa.value === 0) continue;
            problems.check(qa.value >= da.value, `quota.${qk}`, qa.quantity,
              `must be at least containerDefaults.${dk} (${da.quantity}), or not even one container with default resources fits`);
          }
        }
      }
      problems.throwIfAny();

      // ---- objects
      const labels = { ...(p.labels ?? {}), ...standardLabels({ name: this.name, instance: this.name }) };
      const podSecurityLabels: { [key: string]: string } = {};
      for (const mode of ['enforce', 'warn', 'audit']) {
        podSecurityLabels[`${POD_SECURITY_PREFIX}${mode}`] = modes[mode] ?? level;
        podSecurityLabels[`${POD_SECURITY_PREFIX}${mode}-version`] = POD_SECURITY_VERSION;
      }

      this.namespace = new kplus.k8s.KubeNamespace(this, 'Resource', {
        metadata: { name: this.name, labels: { ...labels, ...podSecurityLabels } },
      });
      makeClusterScoped(this.namespace);

      const quantities = (keys: string[]): { [key: string]: kplus.k8s.Quantity } | undefined => {
        const out: { [key: string]: kplus.k8s.Quantity } = {};
        for (const k of keys) {
          const a = limits[k];
          if (a !== undefined) out[k.endsWith('Cpu') ? 'cpu' : 'memory'] = kplus.k8s.Quantity.fromString(a.quantity);
        }
        return Object.keys(out).length > 0 ? out : undefined;
      };
      this.limitRange = new kplus.k8s.KubeLimitRange(this, 'LimitRange', {
        metadata: { name: `${this.name}-limits`, namespace: this.name, labels },
        spec: {
          limits: [{
            type: 'Container',
            defaultRequest: quantities(['defaultRequestCpu', 'defaultRequestMemory']),
            default: quantities(['defaultLimitCpu', 'defaultLimitMemory']),
            max: quantities(['maxCpu', 'maxMemory']),
            min: quantities(['minCpu', 'minMemory']),
          }],
        },
      });

      if (p.quota !== undefined) {
        this.resourceQuota = new kplus.k8s.KubeResourceQuota(this, 'Quota', {
          metadata: { name: `${this.name}-quota`, namespace: this.name, labels },
          spec: {
            hard: Object.fromEntries(Object.entries(hard).map(([k, v]) => [k, kplus.k8s.Quantity.fromString(v)])),
          },
        });
      }

      registerAppChecks(this);
    } catch (e) {
      return deferConstruction(this, e);
    }
  }
}

/** Renders a Cpu as a quantity; records a problem (and returns undefined) if it is not a valid amount. */
function cpuAmount(problems: Problems, prop: string, cpu: kplus.Cpu | undefined): Amount | undefined {
  if (cpu === undefined) return undefined;
  if (!(cpu instanceof kplus.Cpu)) {
    problems.add(prop, cpu, 'must be a Cpu, e.g. Cpu.millis(250)');
    return undefined;
  }
  const quantity = String(cpu.amount);
  const nanos = parseQuantityExact(quantity);
  if (nanos === undefined || nanos < 0n) {
    problems.add(prop, quantity, 'must be a non-negative amount of CPU');
    return undefined;
  }
  if (nanos % 1_000_000n !== 0n) {
    problems.add(prop, quantity, 'must be a whole number of millicores (Kubernetes rounds finer amounts up)');
    return undefined;
  }
  // Compared in whole millicores, so that equal amounts written differently (0.7 and 700m) are equal.
  return { quantity, value: Number(nanos / 1_000_000n) };
}

/** Renders a Size as a quantity in its largest whole binary unit; records a problem if it cannot. */
function sizeAmount(problems: Problems, prop: string, size: Size | undefined): Amount | undefined {
  if (size === undefined) return undefined;
  if (!(size instanceof Size)) {
    problems.add(prop, size, 'must be a Size, e.g. Size.mebibytes(256)');
    return undefined;
  }
  let kib: number | undefined;
  try {
    kib = size.toKibibytes();
  } catch {
    kib = undefined;
  }
  if (kib === undefined || !Number.isInteger(kib)) {
    problems.add(prop, size.asString(), 'must be a whole number of kibibytes');
    return undefined;
  }
  return { quantity: formatKibibytes(kib), value: kib * 1024 };
}
