/**
 * Each checker's own name for every `PolicyCheck` rule, and the exemption annotations that make
 * every checker skip a waived rule on an object: what a `PolicyWaiver` writes, so that the team's
 * scanners agree with `PolicyCheck` without configuration. (Kyverno has no exemption annotation: it
 * needs a PolicyException in the cluster.)
 * @internal
 */
import { PolicyCheckRule } from './rules';
import { POLICY_IGNORE_ANNOTATION } from '../pod/waiver';

/** How the checkers name one rule. */
export interface ToolNames {
  /** kube-score checks (`kube-score/ignore`). */
  readonly kubeScore?: string[];
  /** kube-linter checks (`ignore-check.kube-linter.io/<check>`). */
  readonly kubeLinter?: string[];
  /** Polaris checks (`polaris.fairwinds.com/<check>-exempt`). */
  readonly polaris?: string[];
  /** Checkov ids (`checkov.io/skip<N>: <id>=<reason>`). */
  readonly checkov?: string[];
  /** Rule ids of this project's independent checker (`patterns.cdk8s.io/checker-ignore`). */
  readonly checker?: string[];
}

/** The annotation of this project's independent checker. */
export const CHECKER_IGNORE_ANNOTATION = 'patterns.cdk8s.io/checker-ignore';

const R = PolicyCheckRule;

/** Every rule's names in each checker (the columns of POLICY-CHECKS; Kyverno left out). */
export const TOOL_NAMES: { [rule: string]: ToolNames } = {
  [R.RUN_AS_NON_ROOT]: {
    kubeScore: ['container-security-context-user-group-id'], kubeLinter: ['run-as-non-root'], polaris: ['runAsRootAllowed'], checkov: ['CKV_K8S_23'], checker: ['PSS203', 'PSS204'],
  },
  [R.HIGH_UID_GID]: { kubeScore: ['container-security-context-user-group-id'], checkov: ['CKV_K8S_40'], checker: ['KBP104', 'KBP105', 'KBP109'] },
  [R.NOT_PRIVILEGED]: {
    kubeScore: ['container-security-context-privileged'], kubeLinter: ['privileged-container'], polaris: ['runAsPrivileged'], checkov: ['CKV_K8S_16'], checker: ['PSS101', 'PSS103'],
  },
  [R.NO_PRIVILEGE_ESCALATION]: { kubeLinter: ['privilege-escalation-container'], polaris: ['privilegeEscalationAllowed'], checkov: ['CKV_K8S_20'], checker: ['PSS202'] },
  [R.READ_ONLY_ROOT_FS]: {
    kubeScore: ['container-security-context-readonlyrootfilesystem'], kubeLinter: ['no-read-only-root-fs'], polaris: ['notReadOnlyRootFilesystem'], checkov: ['CKV_K8S_22'], checker: ['KBP102'],
  },
  [R.DROP_ALL_CAPABILITIES]: {
    kubeLinter: ['drop-net-raw-capability'],
    polaris: ['dangerousCapabilities', 'insecureCapabilities'],
    checkov: ['CKV_K8S_25', 'CKV_K8S_28', 'CKV_K8S_37', 'CKV_K8S_39'],
    checker: ['PSS104', 'PSS206', 'KBP100', 'KBP103'],
  },
  [R.SECCOMP_PROFILE]: { kubeScore: ['container-seccomp-profile'], polaris: ['linuxHardening'], checkov: ['CKV_K8S_31'], checker: ['PSS110', 'PSS205'] },
  [R.NO_HOST_NAMESPACES]: {
    kubeLinter: ['host-network', 'host-pid', 'host-ipc'], polaris: ['hostNetworkSet', 'hostPIDSet', 'hostIPCSet'], checkov: ['CKV_K8S_17', 'CKV_K8S_18', 'CKV_K8S_19'], checker: ['PSS102'],
  },
  [R.NO_HOST_PORT]: { polaris: ['hostPortSet'], checkov: ['CKV_K8S_26'], checker: ['PSS106'] },
  [R.NO_HOST_PATH]: {
    kubeLinter: ['docker-sock', 'sensitive-host-mounts', 'writable-host-mount'], polaris: ['hostPathSet'], checkov: ['CKV_K8S_27'], checker: ['PSS105', 'PSS201', 'KBP101', 'KBP115'],
  },
  [R.NO_UNSAFE_OVERRIDES]: { kubeLinter: ['unsafe-sysctls', 'unsafe-proc-mount'], polaris: ['procMount'], checker: ['PSS107', 'PSS108', 'PSS109', 'PSS111'] },
  [R.RESTRICTED_VOLUME_TYPES]: { checker: ['PSS201'] },
  [R.NO_SA_TOKEN_AUTOMOUNT]: { polaris: ['automountServiceAccountToken'], checkov: ['CKV_K8S_38'], checker: ['KBP106'] },
  [R.DEDICATED_SERVICE_ACCOUNT]: { kubeLinter: ['default-service-account', 'non-existent-service-account'], checkov: ['CKV_K8S_41', 'CKV_K8S_42'], checker: ['LNK001'] },
  [R.NO_SECRET_IN_ENV]: {
    kubeLinter: ['env-var-secret', 'read-secret-from-env-var'], polaris: ['sensitiveContainerEnvVar'], checkov: ['CKV_K8S_35'], checker: ['KBP111', 'KBP112'],
  },
  [R.IMAGE_TAG_PINNED]: { kubeScore: ['container-image-tag'], kubeLinter: ['latest-tag'], polaris: ['tagNotSpecified'], checkov: ['CKV_K8S_14'], checker: ['KBP001', 'KBP116'] },
  [R.IMAGE_DIGEST]: { checkov: ['CKV_K8S_43'] },
  [R.IMAGE_PULL_ALWAYS]: { kubeScore: ['container-image-pull-policy'], polaris: ['pullPolicyNotAlways'], checkov: ['CKV_K8S_15'] },
  [R.RESOURCE_REQUESTS]: {
    kubeScore: ['container-resources'],
    kubeLinter: ['unset-cpu-requirements', 'unset-memory-requirements'],
    polaris: ['cpuRequestsMissing', 'memoryRequestsMissing'],
    checkov: ['CKV_K8S_10', 'CKV_K8S_12'],
    checker: ['KBP002', 'KBP004'],
  },
  [R.MEMORY_LIMIT]: { kubeScore: ['container-resources'], polaris: ['memoryLimitsMissing'], checkov: ['CKV_K8S_13'], checker: ['KBP005'] },
  [R.EPHEMERAL_STORAGE]: { kubeScore: ['container-ephemeral-storage-request-and-limit'] },
  [R.PROBES_PRESENT]: {
    kubeScore: ['pod-probes'], kubeLinter: ['no-liveness-probe', 'no-readiness-probe'], polaris: ['livenessProbeMissing', 'readinessProbeMissing'], checkov: ['CKV_K8S_8', 'CKV_K8S_9'],
  },
  [R.PROBES_SANE]: { kubeScore: ['pod-probes-identical'], kubeLinter: ['liveness-port', 'readiness-port', 'startup-port'] },
  [R.NO_DUPLICATE_ENV]: { kubeScore: ['environment-variable-key-duplication'], kubeLinter: ['duplicate-env-var'] },
  [R.MULTIPLE_REPLICAS]: { kubeScore: ['deployment-replicas'], kubeLinter: ['minimum-three-replicas'], polaris: ['deploymentMissingReplicas'] },
  [R.DISRUPTION_BUDGET]: {
    kubeScore: ['deployment-has-poddisruptionbudget', 'statefulset-has-poddisruptionbudget', 'poddisruptionbudget-has-policy'],
    kubeLinter: ['pdb-max-unavailable', 'pdb-min-available', 'pdb-unhealthy-pod-eviction-policy'],
    polaris: ['missingPodDisruptionBudget', 'pdbDisruptionsIsZero', 'pdbMinAvailableGreaterThanOrEqualToHPAMinReplicas'],
  },
  [R.SPREAD_ACROSS_HOSTS]: {
    kubeScore: ['deployment-has-host-podantiaffinity', 'statefulset-has-host-podantiaffinity', 'pod-topology-spread-constraints'],
    kubeLinter: ['no-anti-affinity'],
    polaris: ['topologySpreadConstraint'],
  },
  [R.PRIORITY_CLASS]: { kubeLinter: ['priority-class-name'], polaris: ['priorityClassNotSet'] },
  [R.ROLLING_UPDATE]: { kubeScore: ['deployment-strategy'], kubeLinter: ['no-rolling-update-strategy'] },
  [R.HPA_CONSISTENT]: {
    kubeScore: ['horizontalpodautoscaler-has-target', 'horizontalpodautoscaler-replicas', 'deployment-targeted-by-hpa-does-not-have-replicas-configured'],
    kubeLinter: ['dangling-horizontalpodautoscaler', 'hpa-minimum-three-replicas'],
    polaris: ['hpaMinAvailability', 'hpaMaxAvailability'],
  },
  [R.JOB_HYGIENE]: { kubeScore: ['cronjob-has-deadline', 'cronjob-restartpolicy'], kubeLinter: ['job-ttl-seconds-after-finished', 'restart-policy'] },
  [R.SELECTOR_MATCHES_TEMPLATE]: {
    kubeScore: ['deployment-pod-selector-labels-match-template-metadata-labels', 'statefulset-pod-selector-labels-match-template-metadata-labels', 'statefulset-has-servicename'],
    kubeLinter: ['mismatching-selector'],
  },
  [R.NETWORK_POLICY]: { kubeScore: ['pod-networkpolicy'], kubeLinter: ['non-isolated-pod'], polaris: ['missingNetworkPolicy'] },
  [R.NO_DANGLING_REFERENCE]: {
    kubeScore: ['service-targets-pod', 'networkpolicy-targets-pod', 'ingress-targets-service'],
    kubeLinter: ['dangling-service', 'dangling-networkpolicy', 'dangling-networkpolicy-peer-podselector', 'dangling-ingress', 'dangling-servicemonitor', 'invalid-target-ports'],
    checker: ['LNK001', 'LNK002'],
  },
  [R.NO_EXPOSED_SERVICE]: { kubeScore: ['service-type'], kubeLinter: ['exposed-services'], checker: ['KBP114'] },
  [R.INGRESS_TLS]: { polaris: ['tlsSettingsMissing'], checkov: ['CKV_K8S_152', 'CKV_K8S_153', 'CKV_K8S_154'] },
  [R.RBAC_NO_WILDCARD]: { kubeLinter: ['wildcard-in-rules'], checkov: ['CKV_K8S_49'] },
  [R.RBAC_NO_DANGEROUS_ACCESS]: {
    kubeLinter: ['cluster-admin-role-binding', 'access-to-secrets', 'access-to-create-pods'],
    polaris: ['clusterrolebindingClusterAdmin', 'rolebindingClusterAdminClusterRole', 'rolebindingClusterAdminRole', 'clusterrolePodExecAttach', 'rolePodExecAttach',
      'clusterrolebindingPodExecAttach', 'rolebindingClusterRolePodExecAttach', 'rolebindingRolePodExecAttach'],
    checker: ['KBP107', 'KBP108'],
  },
  [R.RBAC_NO_ESCALATION]: { checkov: ['CKV_K8S_155', 'CKV_K8S_156', 'CKV_K8S_157', 'CKV_K8S_158'] },
  [R.METADATA]: {
    kubeScore: ['label-values', 'stable-version'], kubeLinter: ['use-namespace', 'no-extensions-v1beta', 'required-label-owner'], polaris: ['metadataAndInstanceMismatched'], checkov: ['CKV_K8S_21'],
  },
};

/** `"<ids>: <reasons>"` split; `undefined` when absent. */
function parseReasoned(value: string | undefined): { ids: string[]; reason: string } | undefined {
  if (value === undefined) return undefined;
  const colon = value.indexOf(':');
  const ids = (colon < 0 ? value : value.slice(0, colon)).split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  return { ids, reason: colon < 0 ? '' : value.slice(colon + 1).trim() };
}

/** `"<ids>: <reasons>"` with `ids` and `reasons` added to `existing` (nothing repeated). */
function mergeReasoned(existing: string | undefined, ids: string[], reasons: string[]): string {
  const old = parseReasoned(existing) ?? { ids: [], reason: '' };
  const allIds = [...new Set([...old.ids, ...ids])];
  const allReasons = [old.reason, ...reasons.filter((r) => !old.reason.includes(r))].filter((r) => r.length > 0);
  return `${allIds.join(',')}: ${[...new Set(allReasons)].join('; ')}`;
}

/**
 * The annotations that exempt an object from `waivers` in every checker, merged with the object's
 * `existing` annotations: the values to set (existing keys keep what they had, with the new ids
 * added).
 */
export function exemptionAnnotations(
  waivers: Array<{ rules: PolicyCheckRule[]; reason: string }>, existing: { [key: string]: string },
): { [key: string]: string } {
  const out: { [key: string]: string } = {};
  if (waivers.length === 0) return out;
  const names = (w: { rules: PolicyCheckRule[] }, tool: keyof ToolNames) => [...new Set(w.rules.flatMap((r) => TOOL_NAMES[r]?.[tool] ?? []))];
  const reasons = waivers.map((w) => w.reason);
  out[POLICY_IGNORE_ANNOTATION] = mergeReasoned(existing[POLICY_IGNORE_ANNOTATION], waivers.flatMap((w) => w.rules), reasons);
  const checker = waivers.filter((w) => names(w, 'checker').length > 0);
  if (checker.length > 0) {
    out[CHECKER_IGNORE_ANNOTATION] = mergeReasoned(existing[CHECKER_IGNORE_ANNOTATION], checker.flatMap((w) => names(w, 'checker')), checker.map((w) => w.reason));
  }
  const kubeScore = waivers.flatMap((w) => names(w, 'kubeScore'));
  if (kubeScore.length > 0) {
    const old = (existing['kube-score/ignore'] ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
    out['kube-score/ignore'] = [...new Set([...old, ...kubeScore])].join(',');
  }
  for (const w of waivers) {
    for (const check of names(w, 'kubeLinter')) {
      const key = `ignore-check.kube-linter.io/${check}`;
      out[key] = out[key] ?? existing[key] ?? w.reason;
    }
    for (const check of names(w, 'polaris')) out[`polaris.fairwinds.com/${check}-exempt`] = 'true';
  }
  const skipped = new Set<string>();
  let next = 1;
  for (const [key, value] of Object.entries(existing)) {
    const m = /^checkov\.io\/skip(\d+)$/.exec(key);
    if (!m) continue;
    next = Math.max(next, Number(m[1]) + 1);
    skipped.add(String(value).split('=')[0]);
  }
  for (const w of waivers) {
    for (const id of names(w, 'checkov')) {
      if (skipped.has(id)) continue;
      skipped.add(id);
      out[`checkov.io/skip${next++}`] = `${id}=${w.reason}`;
    }
  }
  return out;
}
