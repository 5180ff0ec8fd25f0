import { Problems } from '../core/validation';

/**
 * A rule of the policy checkers users run (kube-score, kube-linter, Polaris, Checkov, and this
 * project's checker) that a workload may deliberately not meet, with a `Waiver`.
 */
export enum PolicyRule {
  /** The pod mounts a directory of the node (hostPath volume). */
  HOST_PATH = 'host-path',
  /** The pod uses the node's network namespace (hostNetwork). */
  HOST_NETWORK = 'host-network',
  /** The containers run with group id 0 (e.g. to read root:root 0640 files), though never as user 0. */
  ROOT_GROUP = 'root-group',
  /** A container reads a Secret into an environment variable. */
  SECRET_IN_ENV = 'secret-in-env',
  /** A container's root filesystem is writable. */
  WRITABLE_ROOT_FILESYSTEM = 'writable-root-filesystem',
  /** An object refers to another (a Secret, a ConfigMap) that the app does not contain: it is made in the cluster. */
  EXTERNAL_REFERENCE = 'external-reference',
  /** A Service is reachable from outside the cluster (NodePort, LoadBalancer, ExternalName). */
  EXPOSED_SERVICE = 'exposed-service',
  /** An RBAC rule uses a wildcard (`*`) in its API groups, resources or verbs. */
  RBAC_WILDCARD = 'rbac-wildcard',
  /** A binding grants the `cluster-admin` ClusterRole. */
  RBAC_CLUSTER_ADMIN = 'rbac-cluster-admin',
  /** An RBAC rule allows reading Secrets (get, list or watch on `secrets`). */
  RBAC_SECRET_READ = 'rbac-secret-read',
  /** An RBAC rule allows `pods/exec`, `pods/attach` or creating pods. */
  RBAC_POD_EXEC = 'rbac-pod-exec',
  /** An RBAC rule allows `escalate`, `bind` or `impersonate`, or approving CertificateSigningRequests. */
  RBAC_ESCALATION = 'rbac-escalation',
  /** A binding grants a built-in, aggregated ClusterRole (`admin`, `edit`, `view`) whose rules the app does not list. */
  RBAC_BUILT_IN_ROLE = 'rbac-built-in-role',
  /**
   * A container's liveness probe checks what its readiness probe checks: one check for every role
   * (`HealthCheck.tcp()`, `exec()`, the default TCP check of a port), when the container has no
   * separate health endpoint.
   */
  IDENTICAL_PROBES = 'identical-probes',
  /** A horizontal autoscaler may scale its workload down to one replica (`minReplicas: 1`), so one node going down stops it. */
  AUTOSCALE_TO_ONE_REPLICA = 'autoscale-to-one-replica',
}

/** How each checker names a rule: its own exemption annotation is written from these. */
interface RuleNames {
  /** Rule ids of this project's checker (`patterns.cdk8s.io/checker-ignore`). */
  readonly checker: string[];
  /** kube-score check names (`kube-score/ignore`). */
  readonly kubeScore: string[];
  /** kube-linter check names (`ignore-check.kube-linter.io/<check>`). */
  readonly kubeLinter: string[];
  /** Polaris check names (`polaris.fairwinds.com/<check>-exempt`). */
  readonly polaris: string[];
  /** Checkov check ids (`checkov.io/skip<N>: <id>=<reason>`). */
  readonly checkov: string[];
  /** Rule ids of this library's `PolicyCheck` (`patterns.cdk8s.io/policy-ignore`). */
  readonly policyCheck: string[];
}

const NAMES: { [rule in PolicyRule]: RuleNames } = {
  [PolicyRule.HOST_PATH]: {
    checker: ['PSS105', 'PSS201'], kubeScore: [], kubeLinter: ['sensitive-host-mounts'], polaris: ['hostPathSet'], checkov: ['CKV_K8S_27'], policyCheck: ['no-host-path'],
  },
  [PolicyRule.HOST_NETWORK]: {
    checker: ['PSS102'], kubeScore: [], kubeLinter: ['host-network'], polaris: ['hostNetworkSet'], checkov: ['CKV_K8S_19'], policyCheck: ['no-host-namespaces'],
  },
  [PolicyRule.ROOT_GROUP]: {
    checker: ['KBP105', 'KBP109'], kubeScore: ['container-security-context-user-group-id'], kubeLinter: [], polaris: [], checkov: ['CKV_K8S_40'], policyCheck: ['high-uid-gid'],
  },
  [PolicyRule.SECRET_IN_ENV]: {
    checker: ['KBP112'], kubeScore: [], kubeLinter: ['env-var-secret'], polaris: ['sensitiveContainerEnvVar'], checkov: ['CKV_K8S_35'], policyCheck: ['no-secret-in-env'],
  },
  [PolicyRule.WRITABLE_ROOT_FILESYSTEM]: {
    checker: ['KBP102'],
    kubeScore: ['container-security-context-readonlyrootfilesystem'],
    kubeLinter: ['no-read-only-root-fs'],
    polaris: ['notReadOnlyRootFilesystem'],
    checkov: ['CKV_K8S_22'],
    policyCheck: ['read-only-root-fs'],
  },
  [PolicyRule.EXTERNAL_REFERENCE]: {
    checker: ['LNK001'], kubeScore: [], kubeLinter: [], polaris: [], checkov: [], policyCheck: ['no-dangling-reference'],
  },
  [PolicyRule.EXPOSED_SERVICE]: {
    checker: ['KBP114'], kubeScore: ['service-type'], kubeLinter: ['exposed-services'], polaris: [], checkov: [], policyCheck: ['no-exposed-service'],
  },
  [PolicyRule.RBAC_WILDCARD]: {
    checker: [], kubeScore: [], kubeLinter: ['wildcard-in-rules'], polaris: [], checkov: ['CKV_K8S_49'], policyCheck: ['rbac-no-wildcard'],
  },
  [PolicyRule.RBAC_CLUSTER_ADMIN]: {
    checker: [],
    kubeScore: [],
    kubeLinter: ['cluster-admin-role-binding'],
    polaris: ['clusterrolebindingClusterAdmin', 'rolebindingClusterAdminClusterRole'],
    checkov: [],
    policyCheck: ['rbac-no-dangerous-access'],
  },
  [PolicyRule.RBAC_SECRET_READ]: {
    checker: [], kubeScore: [], kubeLinter: ['access-to-secrets'], polaris: [], checkov: [], policyCheck: ['rbac-no-dangerous-access'],
  },
  [PolicyRule.RBAC_POD_EXEC]: {
    checker: [],
    kubeScore: [],
    kubeLinter: ['access-to-create-pods'],
    polaris: ['clusterrolePodExecAttach', 'rolePodExecAttach', 'clusterrolebindingPodExecAttach', 'rolebindingClusterRolePodExecAttach', 'rolebindingRolePodExecAttach'],
    checkov: [],
    policyCheck: ['rbac-no-dangerous-access'],
  },
  [PolicyRule.RBAC_ESCALATION]: {
    checker: [], kubeScore: [], kubeLinter: [], polaris: [], checkov: ['CKV_K8S_155', 'CKV_K8S_156', 'CKV_K8S_157', 'CKV_K8S_158'], policyCheck: ['rbac-no-escalation'],
  },
  [PolicyRule.IDENTICAL_PROBES]: {
    checker: [], kubeScore: ['pod-probes-identical'], kubeLinter: [], polaris: [], checkov: [], policyCheck: ['probes-sane'],
  },
  [PolicyRule.AUTOSCALE_TO_ONE_REPLICA]: {
    checker: [],
    kubeScore: ['horizontalpodautoscaler-replicas'],
    kubeLinter: ['hpa-minimum-three-replicas'],
    polaris: ['hpaMinAvailability'],
    checkov: [],
    policyCheck: ['hpa-consistent'],
  },
  [PolicyRule.RBAC_BUILT_IN_ROLE]: {
    checker: [], kubeScore: [], kubeLinter: ['access-to-secrets', 'access-to-create-pods'], polaris: [], checkov: [], policyCheck: ['rbac-no-dangerous-access'],
  },
};

/**
 * The annotation through which `PolicyCheck` reads a waiver: `"<rule id>[,<rule id>...]: <reason>"`.
 * @internal
 */
export const POLICY_IGNORE_ANNOTATION = 'patterns.cdk8s.io/policy-ignore';

/**
 * A typed waiver: a policy rule a workload deliberately does not meet, and why. The library writes
 * it as each checker's own exemption annotation on the object, so the team's scanner agrees
 * without configuration (Kyverno needs a PolicyException in the cluster instead).
 *
 * @example
 * waivers: [Waiver.of(PolicyRule.HOST_PATH, 'a log collector reads the node\'s container logs')]
 */
export class Waiver {
  /** Waives `rule` for `reason` (required: a waiver without a reason is a finding hidden). */
  public static of(rule: PolicyRule, reason: string): Waiver {
    return new Waiver(rule, reason);
  }

  private constructor(
    /** The rule waived. */
    public readonly rule: PolicyRule,
    /** Why it does not apply. */
    public readonly reason: string,
  ) {}
}

/**
 * The exemption annotations of `waivers`, checked into `problems` (`prop` is the prop's name).
 * @internal
 */
export function waiverAnnotations(waivers: Waiver[] | undefined, problems: Problems, prop: string): { [key: string]: string } {
  if (waivers === undefined) return {};
  if (!Array.isArray(waivers)) {
    problems.add(prop, waivers, 'must be a list of Waiver.of(rule, reason)');
    return {};
  }
  const valid: Waiver[] = [];
  waivers.forEach((w, i) => {
    if (!(w instanceof Waiver)) {
      problems.add(`${prop}[${i}]`, w, 'must be created with Waiver.of(rule, reason)');
      return;
    }
    const okRule = problems.check(Object.values(PolicyRule).includes(w.rule), `${prop}[${i}].rule`, w.rule, 'must be a PolicyRule');
    const okReason = problems.check(typeof w.reason === 'string' && w.reason.trim().length > 0 && !w.reason.includes('\n'), `${prop}[${i}].reason`, w.reason,
      'must be a non-empty, single-line reason');
    problems.check(!valid.some((v) => v.rule === w.rule), `${prop}[${i}].rule`, w.rule, 'is waived twice');
    if (okRule && okReason) valid.push(w);
  });
  if (valid.length === 0) return {};
  const out: { [key: string]: string } = {};
  const names = valid.map((w) => ({ w, n: NAMES[w.rule] }));
  const reasons = valid.map((w) => w.reason).join('; ');
  const checker = [...new Set(names.flatMap(({ n }) => n.checker))];
  if (checker.length > 0) out['patterns.cdk8s.io/checker-ignore'] = `${checker.join(',')}: ${reasons}`;
  out[POLICY_IGNORE_ANNOTATION] = `${[...new Set(names.flatMap(({ n }) => n.policyCheck))].join(',')}: ${reasons}`;
  const kubeScore = names.flatMap(({ n }) => n.kubeScore);
  if (kubeScore.length > 0) out['kube-score/ignore'] = kubeScore.join(',');
  for (const { w, n } of names) {
    for (const check of n.kubeLinter) out[`ignore-check.kube-linter.io/${check}`] = w.reason;
    for (const check of n.polaris) out[`polaris.fairwinds.com/${check}-exempt`] = 'true';
  }
  names.flatMap(({ w, n }) => n.checkov.map((id) => `${id}=${w.reason}`)).forEach((skip, i) => {
    out[`checkov.io/skip${i + 1}`] = skip;
  });
  return out;
}
