import {
  ContainerView, CLUSTER_SCOPED_KINDS, isDigestPinned, isRecord, list, longRunning, Manifest, mapSelectorMatches,
  namespaceOf, ObjectIndex, parseImage, PodView, podOf, selectorMatches, SERVING_KINDS,
} from './manifests';

/** How serious a `PolicyCheck` finding is; `PolicyCheck.addTo()` fails synthesis at a chosen severity. */
export enum PolicySeverity {
  /** Worth knowing; never fails synthesis unless asked to (`failAt: PolicySeverity.INFO`). */
  INFO = 'info',
  /** Hygiene the library does not always meet by design (digests, priority classes, singletons). */
  WARNING = 'warning',
  /** A security or correctness problem: fails synthesis by default. */
  ERROR = 'error',
}

/**
 * The rules of `PolicyCheck`: one per row of the de-duplicated default rules of kube-score,
 * kube-linter, Polaris, Kyverno and Checkov, plus `VALID_WAIVER` for waivers themselves. The
 * values are the ids written in the `patterns.cdk8s.io/policy-ignore` annotation.
 */
export enum PolicyCheckRule {
  /** 1. Containers run as non-root (`runAsNonRoot: true`, never user 0). */
  RUN_AS_NON_ROOT = 'run-as-non-root',
  /** 2. Containers run with a user and a group id above 10000 (never group 0). */
  HIGH_UID_GID = 'high-uid-gid',
  /** 3. No privileged container (nor a Windows host process). */
  NOT_PRIVILEGED = 'not-privileged',
  /** 4. `allowPrivilegeEscalation: false` on every container. */
  NO_PRIVILEGE_ESCALATION = 'no-privilege-escalation',
  /** 5. `readOnlyRootFilesystem: true` on every container. */
  READ_ONLY_ROOT_FS = 'read-only-root-fs',
  /** 6. Every container drops ALL capabilities and adds none (but NET_BIND_SERVICE). */
  DROP_ALL_CAPABILITIES = 'drop-all-capabilities',
  /** 7. A seccomp profile (RuntimeDefault or Localhost) for every container. */
  SECCOMP_PROFILE = 'seccomp-profile',
  /** 8. No hostNetwork, hostPID or hostIPC. */
  NO_HOST_NAMESPACES = 'no-host-namespaces',
  /** 9. No hostPort. */
  NO_HOST_PORT = 'no-host-port',
  /** 10. No hostPath volume (runtime sockets included), no Bidirectional mount propagation. */
  NO_HOST_PATH = 'no-host-path',
  /** 11. No unsafe sysctls, procMount, SELinux or AppArmor overrides. */
  NO_UNSAFE_OVERRIDES = 'no-unsafe-overrides',
  /** 12. Only the volume types of the restricted Pod Security Standard. */
  RESTRICTED_VOLUME_TYPES = 'restricted-volume-types',
  /** 13. `automountServiceAccountToken: false` (on the pod or its ServiceAccount). */
  NO_SA_TOKEN_AUTOMOUNT = 'no-sa-token-automount',
  /** 14. A dedicated ServiceAccount (not `default`) that the app contains. */
  DEDICATED_SERVICE_ACCOUNT = 'dedicated-service-account',
  /** 15. Secrets mounted as files, not read into environment variables. */
  NO_SECRET_IN_ENV = 'no-secret-in-env',
  /** 16. Images pinned to a tag other than `latest` (or to a digest). */
  IMAGE_TAG_PINNED = 'image-tag-pinned',
  /** 17. Images pinned to a digest. */
  IMAGE_DIGEST = 'image-digest',
  /** 18. `imagePullPolicy: Always`, or `IfNotPresent` for a digest-pinned image. */
  IMAGE_PULL_ALWAYS = 'image-pull-always',
  /** 19. CPU and memory requests on every container. */
  RESOURCE_REQUESTS = 'resource-requests',
  /** 20. A memory limit on every container (a CPU limit is not required). */
  MEMORY_LIMIT = 'memory-limit',
  /** 21. Ephemeral-storage requests and limits on every container, a sizeLimit on every emptyDir. */
  EPHEMERAL_STORAGE = 'ephemeral-storage',
  /** 22. Liveness and readiness probes on every serving container. */
  PROBES_PRESENT = 'probes-present',
  /** 23. Liveness differs from readiness; every probe's port is a port of its container. */
  PROBES_SANE = 'probes-sane',
  /** 24. No environment variable defined twice in a container. */
  NO_DUPLICATE_ENV = 'no-duplicate-env',
  /** 25. Deployments and StatefulSets run at least 2 replicas. */
  MULTIPLE_REPLICAS = 'multiple-replicas',
  /** 26. A PodDisruptionBudget for every replicated workload, with a policy that does not block drains. */
  DISRUPTION_BUDGET = 'disruption-budget',
  /** 27. Replicated workloads spread across nodes (topology spread or pod anti-affinity). */
  SPREAD_ACROSS_HOSTS = 'spread-across-hosts',
  /** 28. A priorityClassName on every pod. */
  PRIORITY_CLASS = 'priority-class',
  /** 29. Deployments behind a Service update with RollingUpdate. */
  ROLLING_UPDATE = 'rolling-update',
  /** 30. HorizontalPodAutoscalers target an object of the app, keep at least 2 replicas, own the replica count. */
  HPA_CONSISTENT = 'hpa-consistent',
  /** 31. Jobs are cleaned up (ttlSecondsAfterFinished); CronJobs have a startingDeadlineSeconds. */
  JOB_HYGIENE = 'job-hygiene',
  /** 32. Selectors match the pod template's labels; a StatefulSet's serviceName is a headless Service. */
  SELECTOR_MATCHES_TEMPLATE = 'selector-matches-template',
  /** 33. Every pod is selected by NetworkPolicies for ingress and egress, and may resolve DNS. */
  NETWORK_POLICY = 'network-policy',
  /** 34. No reference to an object that is not there (Service, NetworkPolicy, PDB to pods; Ingress to Service; pods to ConfigMaps, Secrets, claims). */
  NO_DANGLING_REFERENCE = 'no-dangling-reference',
  /** 35. No NodePort, LoadBalancer or ExternalName Service, no externalIPs. */
  NO_EXPOSED_SERVICE = 'no-exposed-service',
  /** 36. Ingresses serve every host over TLS, name no empty or wildcard host, use no nginx snippets. */
  INGRESS_TLS = 'ingress-tls',
  /** 37. No `*` in the apiGroups, resources or verbs of an RBAC rule. */
  RBAC_NO_WILDCARD = 'rbac-no-wildcard',
  /** 38. No cluster-admin (or built-in role) binding, no pods/exec or attach, no reading Secrets, no creating pods. */
  RBAC_NO_DANGEROUS_ACCESS = 'rbac-no-dangerous-access',
  /** 39. No escalate, bind or impersonate; no webhook configuration or CSR approval rights. */
  RBAC_NO_ESCALATION = 'rbac-no-escalation',
  /** 40. Namespaced objects name a namespace other than `default`; current API versions; recommended labels. */
  METADATA = 'metadata',
  /**
   * Not a row of the table: a waiver (annotation or option) must name known rules and give a
   * reason. It cannot be disabled or waived.
   */
  VALID_WAIVER = 'valid-waiver',
}

/** What `PolicyCheck.rules()` tells about one rule. */
export interface PolicyRuleInfo {
  /** The rule. */
  readonly rule: PolicyCheckRule;
  /** Its row in the table of POLICY-CHECKS (0 for `valid-waiver`). */
  readonly row: number;
  /** What it checks, in a few words. */
  readonly title: string;
  /** Its severity unless overridden. */
  readonly defaultSeverity: PolicySeverity;
  /** What to change to meet it. */
  readonly change: string;
  /** The checks of kube-score, kube-linter, Polaris, Kyverno and Checkov it stands for. */
  readonly checks: string;
}

/** Records one finding of the object being checked: where, what is wrong, what to change. */
export type Report = (path: string | undefined, message: string, fix: string) => void;

/** A rule with its check. @internal */
export interface RuleDefinition extends PolicyRuleInfo {
  /** Checks one object (`index` holds every object of the app, for references). */
  readonly check: (m: Manifest, index: ObjectIndex, report: Report) => void;
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** Runs `fn` for every container of `m`'s pod, with the pod. */
function eachContainer(m: Manifest, fn: (c: ContainerView, pod: PodView) => void): void {
  const pod = podOf(m);
  if (pod) pod.containers.forEach((c) => fn(c, pod));
}

function sc(c: ContainerView): any {
  return isRecord(c.json.securityContext) ? c.json.securityContext : {};
}

function podSc(pod: PodView): any {
  return isRecord(pod.spec.securityContext) ? pod.spec.securityContext : {};
}

function q(name: string): string {
  return `container "${name}"`;
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** The replica count a Deployment or StatefulSet asks for (1 when left out, as Kubernetes defaults it). */
function replicasOf(m: Manifest): number {
  return isInt(m.spec?.replicas) ? m.spec.replicas : 1;
}

/** The HorizontalPodAutoscalers that scale `m`. */
function autoscalersOf(m: Manifest, index: ObjectIndex): Manifest[] {
  return index.ofKind('HorizontalPodAutoscaler', namespaceOf(m))
    .filter((h) => h.spec?.scaleTargetRef?.kind === m.kind && h.spec?.scaleTargetRef?.name === m.metadata.name);
}

/** The probe handler (what it calls), without its timing. */
function handlerOf(probe: any): string | undefined {
  if (!isRecord(probe)) return undefined;
  for (const key of ['httpGet', 'tcpSocket', 'exec', 'grpc']) {
    if (probe[key] !== undefined) return JSON.stringify({ [key]: probe[key] });
  }
  return undefined;
}

/** Sysctls the baseline Pod Security Standard allows (Kubernetes 1.28). */
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports',
]);

/** SELinux types the baseline Pod Security Standard allows. */
const SAFE_SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);

/** Volume types the restricted Pod Security Standard allows (hostPath is rule 10's). */
const RESTRICTED_VOLUMES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);

const APPARMOR_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

/** Names of environment variables that hold secrets. */
const SECRET_LIKE_NAME = /SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL/i;

/** ConfigMaps that Kubernetes publishes into every namespace (the API server's CA, for projected tokens). */
const CLUSTER_PROVIDED_CONFIGMAPS = new Set(['kube-root-ca.crt']);

/** Built-in ClusterRoles whose rules the app does not list. */
const BUILT_IN_ROLES = new Set(['cluster-admin', 'admin', 'edit', 'view']);

/** Resources whose creation creates pods. */
const POD_CREATING = new Set(['pods', 'deployments', 'statefulsets', 'daemonsets', 'replicasets', 'replicationcontrollers', 'jobs', 'cronjobs']);

/** API versions that Kubernetes 1.28 no longer serves, or deprecates. */
const DEPRECATED_API_VERSIONS = new Set([
  'extensions/v1beta1', 'apps/v1beta1', 'apps/v1beta2', 'policy/v1beta1', 'batch/v1beta1', 'autoscaling/v2beta1',
  'autoscaling/v2beta2', 'networking.k8s.io/v1beta1', 'rbac.authorization.k8s.io/v1alpha1', 'rbac.authorization.k8s.io/v1beta1',
  'storage.k8s.io/v1beta1', 'admissionregistration.k8s.io/v1beta1', 'apiextensions.k8s.io/v1beta1', 'scheduling.k8s.io/v1alpha1',
  'scheduling.k8s.io/v1beta1', 'discovery.k8s.io/v1beta1', 'flowcontrol.apiserver.k8s.io/v1beta1', 'flowcontrol.apiserver.k8s.io/v1beta2',
  'node.k8s.io/v1alpha1', 'node.k8s.io/v1beta1', 'certificates.k8s.io/v1beta1', 'coordination.k8s.io/v1beta1', 'events.k8s.io/v1beta1',
  'apiregistration.k8s.io/v1beta1', 'authentication.k8s.io/v1beta1', 'authorization.k8s.io/v1beta1',
]);

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Every rule of a Role or ClusterRole, with its path. */
function rbacRules(m: Manifest): Array<{ rule: any; path: string; groups: string[]; resources: string[]; verbs: string[] }> {
  if (m.kind !== 'Role' && m.kind !== 'ClusterRole') return [];
  return list(m.rules).map((rule, i) => ({
    rule,
    path: `rules[${i}]`,
    groups: list(rule?.apiGroups).map(String),
    resources: list(rule?.resources).map((r) => String(r).toLowerCase()),
    verbs: list(rule?.verbs).map((v) => String(v).toLowerCase()),
  }));
}

/** The Services in the namespace of `ns` named `name`. */
function serviceNamed(index: ObjectIndex, name: unknown, ns: string): Manifest | undefined {
  return typeof name === 'string' ? index.find('Service', name, ns) : undefined;
}

/** The objects a pod refers to by name: ConfigMaps, Secrets, claims. */
function podReferences(pod: PodView): Array<{ kind: string; name: string; path: string }> {
  const refs: Array<{ kind: string; name: string; path: string; optional?: boolean }> = [];
  list(pod.spec.volumes).forEach((v, i) => {
    const p = `${pod.path}.volumes[${i}]`;
    if (isRecord(v?.configMap)) refs.push({ kind: 'ConfigMap', name: v.configMap.name, path: `${p}.configMap.name`, optional: v.configMap.optional });
    if (isRecord(v?.secret)) refs.push({ kind: 'Secret', name: v.secret.secretName, path: `${p}.secret.secretName`, optional: v.secret.optional });
    if (isRecord(v?.persistentVolumeClaim)) refs.push({ kind: 'PersistentVolumeClaim', name: v.persistentVolumeClaim.claimName, path: `${p}.persistentVolumeClaim.claimName` });
    list(v?.projected?.sources).forEach((s, j) => {
      if (isRecord(s?.configMap)) refs.push({ kind: 'ConfigMap', name: s.configMap.name, path: `${p}.projected.sources[${j}].configMap.name`, optional: s.configMap.optional });
      if (isRecord(s?.secret)) refs.push({ kind: 'Secret', name: s.secret.name, path: `${p}.projected.sources[${j}].secret.name`, optional: s.secret.optional });
    });
  });
  for (const c of pod.containers) {
    list(c.json.envFrom).forEach((e, i) => {
      if (isRecord(e?.configMapRef)) refs.push({ kind: 'ConfigMap', name: e.configMapRef.name, path: `${c.path}.envFrom[${i}].configMapRef.name`, optional: e.configMapRef.optional });
      if (isRecord(e?.secretRef)) refs.push({ kind: 'Secret', name: e.secretRef.name, path: `${c.path}.envFrom[${i}].secretRef.name`, optional: e.secretRef.optional });
    });
    list(c.json.env).forEach((e, i) => {
      const from = e?.valueFrom;
      if (isRecord(from?.configMapKeyRef)) refs.push({ kind: 'ConfigMap', name: from.configMapKeyRef.name, path: `${c.path}.env[${i}].valueFrom.configMapKeyRef.name`, optional: from.configMapKeyRef.optional });
      if (isRecord(from?.secretKeyRef)) refs.push({ kind: 'Secret', name: from.secretKeyRef.name, path: `${c.path}.env[${i}].valueFrom.secretKeyRef.name`, optional: from.secretKeyRef.optional });
    });
  }
  list(pod.spec.imagePullSecrets).forEach((s, i) => refs.push({ kind: 'Secret', name: s?.name, path: `${pod.path}.imagePullSecrets[${i}].name` }));
  return refs.filter((r) => typeof r.name === 'string' && r.name.length > 0 && r.optional !== true
    && !(r.kind === 'ConfigMap' && CLUSTER_PROVIDED_CONFIGMAPS.has(r.name)));
}

/** Whether the object of `kind` named `name` exists in `ns` (a Secret may also come from a SealedSecret or an ExternalSecret). */
function exists(index: ObjectIndex, kind: string, name: string, ns: string): boolean {
  if (index.find(kind, name, ns)) return true;
  if (kind !== 'Secret') return false;
  return index.find('SealedSecret', name, ns) !== undefined
    || index.ofKind('ExternalSecret', ns).some((es) => (es.spec?.target?.name ?? es.metadata.name) === name);
}

/** The policy types of a NetworkPolicy, as Kubernetes defaults them. */
function policyTypes(np: Manifest): string[] {
  const types = list(np.spec?.policyTypes).map(String);
  if (types.length > 0) return types;
  return np.spec?.egress !== undefined ? ['Ingress', 'Egress'] : ['Ingress'];
}

/** Whether an egress rule lets the pod resolve names (all ports, or port 53). */
function allowsDns(rule: any): boolean {
  const ports = list(rule?.ports);
  return ports.length === 0 || ports.some((p) => p?.port === undefined || p.port === 53 || p.port === '53' || p.port === 'dns' || p.port === 'dns-tcp');
}

// ---------------------------------------------------------------------------------------------
// The rules

/** Every rule, in the order of the table. @internal */
export const RULES: RuleDefinition[] = [
  {
    rule: PolicyCheckRule.RUN_AS_NON_ROOT,
    row: 1,
    title: 'containers run as non-root',
    defaultSeverity: PolicySeverity.ERROR,
    change: 'set securityContext.runAsNonRoot: true and a non-zero runAsUser',
    checks: 'KS container-security-context-user-group-id; KL run-as-non-root; PO runAsRootAllowed; KY require-run-as-nonroot; CK CKV_K8S_23',
    check: (m, _i, report) => {
      const pod = podOf(m);
      if (!pod) return;
      const psc = podSc(pod);
      if (psc.runAsUser === 0) report(`${pod.path}.securityContext.runAsUser`, 'the pod runs as user 0 (root)', 'set the pod\'s securityContext.runAsUser to a non-zero id, e.g. 10001');
      for (const c of pod.containers) {
        const s = sc(c);
        if ((s.runAsNonRoot ?? psc.runAsNonRoot) !== true) {
          report(`${c.path}.securityContext.runAsNonRoot`, `${q(c.name)} may run as root (runAsNonRoot is not true)`, 'set securityContext.runAsNonRoot: true on the pod or the container');
        }
        if (s.runAsUser === 0) report(`${c.path}.securityContext.runAsUser`, `${q(c.name)} runs as user 0 (root)`, 'set securityContext.runAsUser to a non-zero id, e.g. 10001');
      }
    },
  },
  {
    rule: PolicyCheckRule.HIGH_UID_GID,
    row: 2,
    title: 'user and group ids above 10000',
    defaultSeverity: PolicySeverity.ERROR,
    change: 'set securityContext.runAsUser and runAsGroup above 10000 (e.g. 10001)',
    checks: 'KS container-security-context-user-group-id; CK CKV_K8S_40',
    check: (m, _i, report) => eachContainer(m, (c, pod) => {
      const s = sc(c);
      const psc = podSc(pod);
      const uid = s.runAsUser ?? psc.runAsUser;
      const gid = s.runAsGroup ?? psc.runAsGroup;
      if (!(isInt(uid) && uid > 10000)) {
        report(`${c.path}.securityContext.runAsUser`, `${q(c.name)} runs as ${uid === undefined ? 'the image\'s user' : `user ${uid}`}, not above 10000`, 'set securityContext.runAsUser above 10000, e.g. 10001');
      }
      if (!(isInt(gid) && gid > 10000)) {
        report(`${c.path}.securityContext.runAsGroup`, `${q(c.name)} runs as ${gid === undefined ? 'the image\'s group' : `group ${gid}`}, not above 10000`, 'set securityContext.runAsGroup above 10000, e.g. 10001');
      }
    }),
  },
  {
    rule: PolicyCheckRule.NOT_PRIVILEGED,
    row: 3,
    title: 'no privileged container',
    defaultSeverity: PolicySeverity.ERROR,
    change: 'set securityContext.privileged: false (and no Windows hostProcess)',
    checks: 'KS container-security-context-privileged; KL privileged-container; PO runAsPrivileged; KY disallow-privileged-containers; CK CKV_K8S_16',
    check: (m, _i, report) => {
      const pod = podOf(m);
      if (!pod) return;
      if (podSc(pod).windowsOptions?.hostProcess === true) {
        report(`${pod.path}.securityContext.windowsOptions.hostProcess`, 'the pod runs as a Windows host process', 'remove windowsOptions.hostProcess');
      }
      for (const c of pod.containers) {
        if (sc(c).privileged === true) report(`${c.path}.securityContext.privileged`, `${q(c.name)} is privileged`, 'set securityContext.privileged: false and add only the capabilities it needs');
        if (sc(c).windowsOptions?.hostProcess === true) {
          report(`${c.path}.securityContext.windowsOptions.hostProcess`, `${q(c.name)} runs as a Windows host process`, 'remove windowsOptions.hostProcess');
        }
      }
    },
  },
  {
    rule: PolicyCheckRule.NO_PRIVILEGE_ESCALATION,
    row: 4,
    title: 'allowPrivilegeEscalation: false',
    defaultSeverity: PolicySeverity.ERROR,
    change: 'set securityContext.allowPrivilegeEscalation: false',
    checks: 'KL privilege-escalation-container; PO privilegeEscalationAllowed; KY disallow-privilege-escalation; CK CKV_K8S_20',
    check: (m, _i, report) => eachContainer(m, (c) => {
      if (sc(c).allowPrivilegeEscalation !== false) {
        report(`${c.path}.securityContext.allowPrivilegeEscalation`, `${q(c.name)} may escalate privileges (allowPrivilegeEscalation is not false)`,
          'set securityContext.allowPrivilegeEscalation: false');
      }
    }),
  },
  {
    rule: PolicyCheckRule.READ_ONLY_ROOT_FS,
    row: 5,
    title: 'read-only root filesystem',
    defaultSeverity: PolicySeverity.ERROR,
    change: 'set securityContext.readOnlyRootFilesystem: true; mount an emptyDir where the app writes',
    checks: 'KS container-security-context-readonlyrootfilesystem; KL no-read-only-root-fs; PO notReadOnlyRootFilesystem; KY require-ro-rootfs; CK CKV_K8S_22',
    check: (m, _i, report) => eachContainer(m, (c) => {
      if (sc(c).readOnlyRootFilesystem !== true) {
        report(`${c.path}.securityContext.readOnlyRootFilesystem`, `${q(c.name)} can write to its root filesystem`,
          'set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the app writes');
      }
    }),
  },
  {
    rule: PolicyCheckRule.DROP_ALL_CAPABILITIES,
    row: 6,
    title: 'drop ALL capabilities, add none',
    defaultSeverity: PolicySeverity.ERROR,
    change: 'set securityContext.capabilities.drop: [ALL] and add nothing but NET_BIND_SERVICE',
    checks: 'KL drop-net-raw-capability; PO dangerousCapabilities, insecureCapabilities; KY require-drop-all, require-drop-cap-net-raw, disallow-capabilities(-strict); CK CKV_K8S_25/28/37/39',
    check: (m, _i, report) => eachContainer(m, (c) => {
      const caps = sc(c).capabilities ?? {};
      if (!list(caps.drop).includes('ALL')) {
        report(`${c.path}.securityContext.capabilities.drop`, `${q(c.name)} keeps the runtime's default capabilities (NET_RAW among them)`,
          'set securityContext.capabilities.drop: [ALL]');
      }
      for (const cap of list(caps.add)) {
        if (String(cap).toUpperCase().replace(/^CAP_/, '') === 'NET_BIND_SERVICE') continue;
        report(`${c.path}.securityContext.capabilities.add`, `${q(c.name)} adds the capability ${cap}`, `remove ${cap} from securityContext.capabilities.add`);
      }
    }),
  },
  {
    rule: PolicyCheckRule.SECCOMP_PROFILE,
    row: 7,
    title: 'seccomp RuntimeDefault',
    defaultSeverity: PolicySeverity.ERROR,
    change: 'set securityContext.seccompProfile.type: RuntimeDefault (or Localhost) on the pod',
    checks: 'KS container-seccomp-profile (opt); PO linuxHardening; KY restrict-seccomp(-strict); CK CKV_K8S_31',
    check: (m, _i, report) => eachContainer(m, (c, pod) => {
      const type = sc(c).seccompProfile?.type ?? podSc(pod).seccompProfile?.type;
      if (type !== 'RuntimeDefault' && type !== 'Localhost') {
        report(`${c.path}.securityContext.seccompProfile.type`, `${q(c.name)} runs ${type === undefined ? 'without a seccomp profile' : `with seccomp profile ${type}`}`,
          'set securityContext.seccompProfile.type: RuntimeDefault on the pod (or Localhost with a profile)');
      }
    }),
  },
  {
    rule: PolicyCheckRule.NO_HOST_NAMESPACES,
    row: 8,
    title: 'no hostNetwork, hostPID, hostIPC',
    defaultSeverity: PolicySeverity.ERROR,
    change: 'remove hostNetwork, hostPID and hostIPC (or waive with a reason)',
    checks: 'KL host-network, host-pid, host-ipc; PO hostNetworkSet, hostPIDSet, hostIPCSet; KY disallow-host-namespaces; CK CKV_K8S_17/18/19',
    check: (m, _i, report) => {
      const pod = podOf(m);
      if (!pod) return;
      for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) {
        if (pod.spec[field] === true) report(`${pod.path}.${field}`, `the pod shares the node's ${field.slice(4)} namespace (${field}: true)`, `remove ${field}: true`);
      }
    },
  },
  {
    rule: PolicyCheckRule.NO_HOST_PORT,
    row: 9,
    title: 'no hostPort',
    defaultSeverity: PolicySeverity.ERROR,
    change: 'remove hostPort; reach the pod through a Service',
    checks: 'PO hostPortSet; KY disallow-host-ports(-range); CK CKV_K8S_26',
    check: (m, _i, report) => eachContainer(m, (c) => {
      list(c.json.ports).forEach((p, i) => {
        if (p?.hostPort !== undefined && p.hostPort !== 0) {
          report(`${c.path}.ports[${i}].hostPort`, `${q(c.name)} binds port ${p.hostPort} of the node (hostPort)`, 'remove hostPort and reach the pod through a Service');
        }
      });
    }),
  },
  {
    rule: PolicyCheckRule.NO_HOST_PATH,
    row: 10,
    title: 'no hostPath, runtime socket or sensitive mount',
    defaultSeverity: PolicySeverity.ERROR,
    change: 'use an emptyDir, a ConfigMap or a claim instead of a hostPath volume (or waive with a reason)',
    checks: 'KL docker-sock, sensitive-host-mounts, writable-host-mount (opt); PO hostPathSet; KY disallow-host-path, disallow-cri-sock-mount; CK CKV_K8S_27',
    check: (m, _i, report) => {
      const pod = podOf(m);
      if (!pod) return;
      list(pod.spec.volumes).forEach((v, i) => {
        if (!isRecord(v?.hostPath)) return;
        const path = String(v.hostPath.path ?? '');
        const socket = /(docker|containerd|crio|cri-dockerd)\.sock$/.test(path) ? ' (a container runtime socket: root on the node)' : '';
        report(`${pod.path}.volumes[${i}].hostPath`, `volume "${v.name}" mounts ${path || 'a path'} of the node${socket}`,
          'use an emptyDir, a ConfigMap, a Secret or a claim instead of hostPath');
      });
      for (const c of pod.containers) {
        list(c.json.volumeMounts).forEach((vm, i) => {
          if (vm?.mountPropagation === 'Bidirectional') {
            report(`${c.path}.volumeMounts[${i}].mountPropagation`, `${q(c.name)} propagates mounts back to the node (Bidirectional)`,
              'remove mountPropagation: Bidirectional');
          }
        });
      }
    },
  },
  {
    rule: PolicyCheckRule.NO_UNSAFE_OVERRIDES,
    row: 11,
    title: 'no unsafe sysctls, procMount, SELinux or AppArmor overrides',
    defaultSeverity: PolicySeverity.ERROR,
    change: 'use only safe sysctls, the Default procMount, no SELinux user/role or custom type, an AppArmor profile other than unconfined',
    checks: 'KL unsafe-sysctls, unsafe-proc-mount (opt); PO procMount; KY restrict-sysctls, disallow-proc-mount, disallow-selinux, restrict-apparmor-profiles',
    check: (m, _i, report) => {
      const pod = podOf(m);
      if (!pod) return;
      const psc = podSc(pod);
      list(psc.sysctls).forEach((s, i) => {
        if (!SAFE_SYSCTLS.has(s?.name)) report(`${pod.path}.securityContext.sysctls[${i}]`, `the pod sets the unsafe sysctl ${s?.name}`, `remove the sysctl ${s?.name}`);
      });
      const selinux = (opts: any, path: string, who: string) => {
        if (!isRecord(opts)) return;
        if (opts.user !== undefined || opts.role !== undefined) report(path, `${who} sets an SELinux user or role`, 'remove seLinuxOptions.user and seLinuxOptions.role');
        if (opts.type !== undefined && !SAFE_SELINUX_TYPES.has(opts.type)) report(path, `${who} sets the SELinux type ${opts.type}`, 'use container_t, container_init_t or container_kvm_t, or no type');
      };
      const apparmor = (profile: any, path: string, who: string) => {
        if (isRecord(profile) && profile.type === 'Unconfined') report(path, `${who} runs without AppArmor (Unconfined)`, 'use the RuntimeDefault or a Localhost AppArmor profile');
      };
      selinux(psc.seLinuxOptions, `${pod.path}.securityContext.seLinuxOptions`, 'the pod');
      apparmor(psc.appArmorProfile, `${pod.path}.securityContext.appArmorProfile`, 'the pod');
      for (const c of pod.containers) {
        const s = sc(c);
        if (s.procMount !== undefined && s.procMount !== 'Default') {
          report(`${c.path}.securityContext.procMount`, `${q(c.name)} mounts /proc unmasked (procMount ${s.procMount})`, 'remove procMount or set it to Default');
        }
        selinux(s.seLinuxOptions, `${c.path}.securityContext.seLinuxOptions`, q(c.name));
        apparmor(s.appArmorProfile, `${c.path}.securityContext.appArmorProfile`, q(c.name));
      }
      for (const [key, value] of Object.entries(pod.annotations)) {
        if (!key.startsWith(APPARMOR_PREFIX)) continue;
        if (value === 'runtime/default' || String(value).startsWith('localhost/')) continue;
        const path = pod.path.replace(/spec$/, 'metadata.annotations');
        report(path, `container "${key.slice(APPARMOR_PREFIX.length)}" runs with the AppArmor profile ${value}`, 'annotate runtime/default or localhost/<profile>');
      }
    },
  },
  {
    rule: PolicyCheckRule.RESTRICTED_VOLUME_TYPES,
    row: 12,
    title: 'restricted volume types only',
    defaultSeverity: PolicySeverity.ERROR,
    change: 'use configMap, secret, emptyDir, projected, downwardAPI, persistentVolumeClaim, ephemeral or csi volumes',
    checks: 'KY restrict-volume-types',
    check: (m, _i, report) => {
      const pod = podOf(m);
      if (!pod) return;
      list(pod.spec.volumes).forEach((v, i) => {
        const types = Object.keys(isRecord(v) ? v : {}).filter((k) => k !== 'name' && k !== 'hostPath');
        for (const t of types.filter((k) => !RESTRICTED_VOLUMES.has(k))) {
          report(`${pod.path}.volumes[${i}].${t}`, `volume "${v.name}" is of type ${t}, which the restricted Pod Security Standard forbids`,
            'use a persistentVolumeClaim (or a csi, configMap, secret, emptyDir, projected volume) instead');
        }
      });
    },
  },
  {
    rule: PolicyCheckRule.NO_SA_TOKEN_AUTOMOUNT,
    row: 13,
    title: 'no automounted ServiceAccount token',
    defaultSeverity: PolicySeverity.ERROR,
    change: 'set automountServiceAccountToken: false on the pod (project a token explicitly where the app calls the API)',
    checks: 'PO automountServiceAccountToken; KY restrict-automount-sa-token; CK CKV_K8S_38',
    check: (m, index, report) => {
      const pod = podOf(m);
      if (!pod) return;
      const mount = pod.spec.automountServiceAccountToken;
      if (mount === false) return;
      const path = `${pod.path}.automountServiceAccountToken`;
      if (mount === true) {
        report(path, 'the pod mounts its ServiceAccount token (automountServiceAccountToken: true)',
          'set automountServiceAccountToken: false, and project a token volume only where the app calls the API (or waive with a reason)');
        return;
      }
      const saName = pod.spec.serviceAccountName ?? pod.spec.serviceAccount ?? 'default';
      const sa = index.find('ServiceAccount', saName, namespaceOf(m));
      if (sa?.automountServiceAccountToken === false) return;
      report(path, `the pod mounts the token of ServiceAccount "${saName}" (automountServiceAccountToken is not false)`,
        'set automountServiceAccountToken: false on the pod');
    },
  },
  {
    rule: PolicyCheckRule.DEDICATED_SERVICE_ACCOUNT,
    row: 14,
    title: 'a dedicated ServiceAccount that exists',
    defaultSeverity: PolicySeverity.ERROR,
    change: 'add a ServiceAccount for the workload and set serviceAccountName to it',
    checks: 'KL default-service-account (opt), non-existent-service-account; CK CKV_K8S_41/42',
    check: (m, index, report) => {
      const pod = podOf(m);
      if (!pod) return;
      const name = pod.spec.serviceAccountName ?? pod.spec.serviceAccount;
      const path = `${pod.path}.serviceAccountName`;
      if (name === undefined || name === 'default') {
        report(path, 'the pod runs as the namespace\'s default ServiceAccount', 'add a ServiceAccount for the workload and set serviceAccountName to it');
      } else if (!index.find('ServiceAccount', name, namespaceOf(m))) {
        report(path, `the pod runs as ServiceAccount "${name}", which the app does not contain`, `add ServiceAccount "${name}" to the app (or waive the rule if the cluster provides it)`);
      }
    },
  },
  {
    rule: PolicyCheckRule.NO_SECRET_IN_ENV,
    row: 15,
    title: 'secrets as files, not environment variables',
    defaultSeverity: PolicySeverity.ERROR,
    change: 'mount the Secret as a volume and read the file; never write a secret value into the manifest',
    checks: 'KL env-var-secret, read-secret-from-env-var (opt); PO sensitiveContainerEnvVar; KY disallow-secrets-from-env-vars; CK CKV_K8S_35',
    check: (m, _i, report) => eachContainer(m, (c) => {
      list(c.json.env).forEach((e, i) => {
        if (isRecord(e?.valueFrom?.secretKeyRef)) {
          report(`${c.path}.env[${i}].valueFrom.secretKeyRef`, `${q(c.name)} reads Secret "${e.valueFrom.secretKeyRef.name}" into $${e.name}`,
            'mount the Secret as a volume and read the file instead');
        } else if (typeof e?.value === 'string' && e.value !== '' && SECRET_LIKE_NAME.test(String(e.name)) && !e.value.startsWith('/')) {
          report(`${c.path}.env[${i}].value`, `${q(c.name)} has the secret-like $${e.name} written into the manifest`,
            'keep the value in a Secret mounted as a file (an env var may hold the file\'s path)');
        }
      });
      list(c.json.envFrom).forEach((e, i) => {
        if (isRecord(e?.secretRef)) {
          report(`${c.path}.envFrom[${i}].secretRef`, `${q(c.name)} reads every key of Secret "${e.secretRef.name}" into its environment`,
            'mount the Secret as a volume and read the files instead');
        }
      });
    }),
  },
  {
    rule: PolicyCheckRule.IMAGE_TAG_PINNED,
    row: 16,
    title: 'image tag pinned, not latest',
    defaultSeverity: PolicySeverity.ERROR,
    change: 'name a version tag (e.g. :1.4.2) or a digest',
    checks: 'KS container-image-tag; KL latest-tag; PO tagNotSpecified; KY disallow-latest-tag; CK CKV_K8S_14',
    check: (m, _i, report) => eachContainer(m, (c) => {
      if (typeof c.json.image !== 'string') return;
      const image = parseImage(c.json.image);
      if (isDigestPinned(c.json.image)) return;
      if (image.tag === undefined || image.tag === 'latest') {
        report(`${c.path}.image`, `${q(c.name)} runs ${c.json.image}, ${image.tag ? 'the moving tag latest' : 'without a tag (latest)'}`,
          'name a version tag (e.g. :1.4.2) or a digest');
      }
    }),
  },
  {
    rule: PolicyCheckRule.IMAGE_DIGEST,
    row: 17,
    title: 'image pinned by digest',
    defaultSeverity: PolicySeverity.WARNING,
    change: 'pin the image by digest (image@sha256:...), then imagePullPolicy IfNotPresent is safe',
    checks: 'KY require-image-checksum; CK CKV_K8S_43',
    check: (m, _i, report) => eachContainer(m, (c) => {
      if (typeof c.json.image === 'string' && !isDigestPinned(c.json.image)) {
        report(`${c.path}.image`, `${q(c.name)} runs ${c.json.image}, not pinned by digest`, 'pin the image by digest: <image>@sha256:<digest>');
      }
    }),
  },
  {
    rule: PolicyCheckRule.IMAGE_PULL_ALWAYS,
    row: 18,
    title: 'imagePullPolicy Always (IfNotPresent only for digests)',
    defaultSeverity: PolicySeverity.ERROR,
    change: 'set imagePullPolicy: Always, or pin the image by digest',
    checks: 'KS container-image-pull-policy; PO pullPolicyNotAlways; KY always-pull-images; CK CKV_K8S_15',
    check: (m, _i, report) => eachContainer(m, (c) => {
      if (typeof c.json.image !== 'string') return;
      const image = parseImage(c.json.image);
      const digest = isDigestPinned(c.json.image);
      const policy = c.json.imagePullPolicy ?? (!digest && (image.tag === undefined || image.tag === 'latest') ? 'Always' : 'IfNotPresent');
      if (policy === 'Always' || (policy === 'IfNotPresent' && digest)) return;
      report(`${c.path}.imagePullPolicy`, `${q(c.name)} pulls ${c.json.image} with imagePullPolicy ${policy}${c.json.imagePullPolicy === undefined ? ' (the default)' : ''}: a node may run a stale or unauthorised copy`,
        'set imagePullPolicy: Always, or pin the image by digest (then IfNotPresent is safe)');
    }),
  },
  {
    rule: PolicyCheckRule.RESOURCE_REQUESTS,
    row: 19,
    title: 'CPU and memory requests',
    defaultSeverity: PolicySeverity.ERROR,
    change: 'set resources.requests.cpu and resources.requests.memory',
    checks: 'KS container-resources; KL unset-cpu-requirements, unset-memory-requirements; PO cpuRequestsMissing, memoryRequestsMissing; KY require-pod-requests-limits; CK CKV_K8S_10/12',
    check: (m, _i, report) => eachContainer(m, (c) => {
      for (const r of ['cpu', 'memory']) {
        if (!c.json.resources?.requests?.[r]) report(`${c.path}.resources.requests.${r}`, `${q(c.name)} requests no ${r}`, `set resources.requests.${r}`);
      }
    }),
  },
  {
    rule: PolicyCheckRule.MEMORY_LIMIT,
    row: 20,
    title: 'memory limit (CPU limit not required)',
    defaultSeverity: PolicySeverity.ERROR,
    change: 'set resources.limits.memory (a CPU limit is optional: it throttles, and some policies forbid it)',
    checks: 'KS container-resources; PO memoryLimitsMissing; KY require-pod-requests-limits; CK CKV_K8S_13',
    check: (m, _i, report) => eachContainer(m, (c) => {
      if (!c.json.resources?.limits?.memory) report(`${c.path}.resources.limits.memory`, `${q(c.name)} has no memory limit`, 'set resources.limits.memory');
    }),
  },
  {
    rule: PolicyCheckRule.EPHEMERAL_STORAGE,
    row: 21,
    title: 'ephemeral-storage requests and limits, emptyDir sizeLimit',
    defaultSeverity: PolicySeverity.ERROR,
    change: 'set resources.requests and resources.limits ephemeral-storage, and a sizeLimit on every emptyDir',
    checks: 'KS container-ephemeral-storage-request-and-limit; KY add-emptydir-sizelimit, require-emptydir-requests-limits',
    check: (m, _i, report) => {
      const pod = podOf(m);
      if (!pod) return;
      for (const c of pod.containers) {
        for (const r of ['requests', 'limits']) {
          if (!c.json.resources?.[r]?.['ephemeral-storage']) {
            report(`${c.path}.resources.${r}.ephemeral-storage`, `${q(c.name)} has no ephemeral-storage ${r === 'requests' ? 'request' : 'limit'}`, `set resources.${r}.ephemeral-storage`);
          }
        }
      }
      list(pod.spec.volumes).forEach((v, i) => {
        if (isRecord(v?.emptyDir) && !v.emptyDir.sizeLimit) report(`${pod.path}.volumes[${i}].emptyDir.sizeLimit`, `emptyDir "${v.name}" has no sizeLimit`, 'set emptyDir.sizeLimit');
      });
    },
  },
  {
    rule: PolicyCheckRule.PROBES_PRESENT,
    row: 22,
    title: 'liveness and readiness probes',
    defaultSeverity: PolicySeverity.ERROR,
    change: 'add a readinessProbe and a livenessProbe to every container of a serving pod',
    checks: 'KS pod-probes; KL no-liveness-probe, no-readiness-probe (opt); PO livenessProbeMissing, readinessProbeMissing; KY require-probes; CK CKV_K8S_8/9',
    check: (m, _i, report) => {
      const pod = podOf(m);
      if (!pod || pod.runsToCompletion) return;
      for (const c of pod.containers.filter((x) => x.role === 'container')) {
        for (const probe of ['readinessProbe', 'livenessProbe']) {
          if (!isRecord(c.json[probe])) report(`${c.path}.${probe}`, `${q(c.name)} has no ${probe}`, `add a ${probe}`);
        }
      }
    },
  },
  {
    rule: PolicyCheckRule.PROBES_SANE,
    row: 23,
    title: 'liveness differs from readiness; probe ports exist',
    defaultSeverity: PolicySeverity.ERROR,
    change: 'give liveness its own, cheaper check than readiness; probe a port the container declares',
    checks: 'KS pod-probes-identical; KL liveness-port, readiness-port, startup-port; KY ensure-probes-different',
    check: (m, _i, report) => {
      const pod = podOf(m);
      if (!pod) return;
      for (const c of longRunning(pod)) {
        const live = handlerOf(c.json.livenessProbe);
        if (live !== undefined && live === handlerOf(c.json.readinessProbe)) {
          report(`${c.path}.livenessProbe`, `${q(c.name)} checks the same thing for liveness as for readiness: a busy pod is restarted instead of taken out of rotation`,
            'let liveness check only that the process is alive (another path, port or command) and readiness that it can serve');
        }
        const ports = list(c.json.ports);
        for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
          const p = c.json[probe];
          if (!isRecord(p)) continue;
          const key = ['httpGet', 'tcpSocket', 'grpc'].find((k) => isRecord(p[k]));
          if (!key) continue;
          const port = p[key].port;
          const ok = typeof port === 'string'
            ? ports.some((x) => x?.name === port)
            : ports.length === 0 || ports.some((x) => x?.containerPort === port);
          if (!ok) {
            report(`${c.path}.${probe}.${key}.port`, `${q(c.name)}'s ${probe} probes port ${port}, which the container does not declare`,
              'probe a port listed in the container\'s ports (by name or number)');
          }
        }
      }
    },
  },
  {
    rule: PolicyCheckRule.NO_DUPLICATE_ENV,
    row: 24,
    title: 'no duplicate environment variables',
    defaultSeverity: PolicySeverity.ERROR,
    change: 'define each environment variable once per container',
    checks: 'KS environment-variable-key-duplication; KL duplicate-env-var',
    check: (m, _i, report) => eachContainer(m, (c) => {
      const seen = new Set<string>();
      list(c.json.env).forEach((e, i) => {
        if (seen.has(e?.name)) report(`${c.path}.env[${i}]`, `${q(c.name)} defines $${e.name} twice (the last one wins)`, `define $${e.name} once`);
        seen.add(e?.name);
      });
    }),
  },
  {
    rule: PolicyCheckRule.MULTIPLE_REPLICAS,
    row: 25,
    title: 'at least 2 replicas',
    defaultSeverity: PolicySeverity.WARNING,
    change: 'run at least 2 replicas (or let an autoscaler with minReplicas >= 2 scale it); singletons are deliberate',
    checks: 'KS deployment-replicas; KL minimum-three-replicas (opt); PO deploymentMissingReplicas; KY require-deployments-have-multiple-replicas',
    check: (m, index, report) => {
      if (m.kind !== 'Deployment' && m.kind !== 'StatefulSet') return;
      if (autoscalersOf(m, index).length > 0) return;
      const replicas = replicasOf(m);
      if (replicas < 2) report('spec.replicas', `runs ${replicas} replica${replicas === 1 ? '' : 's'}: one node going down stops it`, 'run at least 2 replicas');
    },
  },
  {
    rule: PolicyCheckRule.DISRUPTION_BUDGET,
    row: 26,
    title: 'a PodDisruptionBudget that allows drains',
    defaultSeverity: PolicySeverity.WARNING,
    change: 'add a PodDisruptionBudget (maxUnavailable: 1, unhealthyPodEvictionPolicy: AlwaysAllow) selecting the pods',
    checks: 'KS *-has-poddisruptionbudget, poddisruptionbudget-has-policy; KL pdb-max-unavailable, pdb-min-available, pdb-unhealthy-pod-eviction-policy; PO missingPodDisruptionBudget, pdbDisruptionsIsZero, pdbMinAvailableGreaterThanOrEqualToHPAMinReplicas; KY require-pdb, pdb-maxunavailable, require-reasonable-pdbs, deployment-replicas-higher-than-pdb',
    check: (m, index, report) => {
      const ns = namespaceOf(m);
      if (m.kind === 'Deployment' || m.kind === 'StatefulSet') {
        const pod = podOf(m);
        if (!pod || (replicasOf(m) < 2 && autoscalersOf(m, index).length === 0)) return;
        if (!index.ofKind('PodDisruptionBudget', ns).some((pdb) => selectorMatches(pdb.spec?.selector, pod.labels))) {
          report(undefined, 'no PodDisruptionBudget selects its pods: a node drain may take them all down at once',
            'add a PodDisruptionBudget (e.g. maxUnavailable: 1) whose selector matches the pod labels');
        }
        return;
      }
      if (m.kind !== 'PodDisruptionBudget') return;
      const spec = m.spec ?? {};
      if (spec.minAvailable === undefined && spec.maxUnavailable === undefined) {
        report('spec', 'sets neither minAvailable nor maxUnavailable', 'set maxUnavailable (e.g. 1) or minAvailable');
      }
      if (spec.maxUnavailable === 0 || spec.maxUnavailable === '0%' || spec.minAvailable === '100%') {
        report(spec.maxUnavailable !== undefined ? 'spec.maxUnavailable' : 'spec.minAvailable', 'allows no disruption: node drains block forever',
          'allow at least one pod to be unavailable (maxUnavailable: 1)');
      }
      if (isInt(spec.minAvailable)) {
        for (const w of index.pods.filter((p) => namespaceOf(p.owner) === ns && selectorMatches(spec.selector, p.labels))) {
          if (w.owner.kind !== 'Deployment' && w.owner.kind !== 'StatefulSet') continue;
          const hpaMin = autoscalersOf(w.owner, index).map((h) => h.spec?.minReplicas ?? 1);
          const floor = hpaMin.length > 0 ? Math.min(...hpaMin) : replicasOf(w.owner);
          if (spec.minAvailable >= floor) {
            report('spec.minAvailable', `minAvailable ${spec.minAvailable} is not below the ${floor} replica(s) of ${w.owner.kind}/${w.owner.metadata.name}: drains block`,
              'lower minAvailable below the replica count, or use maxUnavailable: 1');
          }
        }
      }
      if (spec.unhealthyPodEvictionPolicy === undefined) {
        report('spec.unhealthyPodEvictionPolicy', 'leaves unhealthyPodEvictionPolicy unset: crash-looping pods may block drains',
          'set unhealthyPodEvictionPolicy: AlwaysAllow');
      }
    },
  },
  {
    rule: PolicyCheckRule.SPREAD_ACROSS_HOSTS,
    row: 27,
    title: 'spread across nodes',
    defaultSeverity: PolicySeverity.WARNING,
    change: 'add a topologySpreadConstraint (or a podAntiAffinity) over kubernetes.io/hostname',
    checks: 'KS *-has-host-podantiaffinity, pod-topology-spread-constraints; KL no-anti-affinity; PO topologySpreadConstraint; KY spread-pods-across-topology, topologyspreadconstraints-policy',
    check: (m, index, report) => {
      if (m.kind !== 'Deployment' && m.kind !== 'StatefulSet') return;
      const pod = podOf(m);
      if (!pod || (replicasOf(m) < 2 && autoscalersOf(m, index).length === 0)) return;
      const anti = pod.spec.affinity?.podAntiAffinity;
      const hasAnti = isRecord(anti) && (list(anti.requiredDuringSchedulingIgnoredDuringExecution).length > 0
        || list(anti.preferredDuringSchedulingIgnoredDuringExecution).length > 0);
      if (!hasAnti && list(pod.spec.topologySpreadConstraints).length === 0) {
        report(`${pod.path}.topologySpreadConstraints`, 'its replicas may all land on one node', 'add a topologySpreadConstraint over kubernetes.io/hostname (or a podAntiAffinity)');
      }
    },
  },
  {
    rule: PolicyCheckRule.PRIORITY_CLASS,
    row: 28,
    title: 'priorityClassName set',
    defaultSeverity: PolicySeverity.WARNING,
    change: 'set priorityClassName to a PriorityClass of the cluster',
    checks: 'KL priority-class-name (opt); PO priorityClassNotSet; KY require-pod-priorityclassname',
    check: (m, _i, report) => {
      const pod = podOf(m);
      if (pod && !pod.spec.priorityClassName) report(`${pod.path}.priorityClassName`, 'the pod has no priorityClassName', 'set priorityClassName');
    },
  },
  {
    rule: PolicyCheckRule.ROLLING_UPDATE,
    row: 29,
    title: 'RollingUpdate for served Deployments',
    defaultSeverity: PolicySeverity.WARNING,
    change: 'use strategy RollingUpdate for a Deployment behind a Service',
    checks: 'KS deployment-strategy; KL no-rolling-update-strategy (opt)',
    check: (m, index, report) => {
      if (m.kind !== 'Deployment' || m.spec?.strategy?.type !== 'Recreate') return;
      const pod = podOf(m);
      const served = pod && index.ofKind('Service', namespaceOf(m)).some((s) => mapSelectorMatches(s.spec?.selector, pod.labels));
      if (served) report('spec.strategy.type', 'a Service sends traffic to it, but every update stops all pods first (Recreate)', 'use strategy RollingUpdate');
    },
  },
  {
    rule: PolicyCheckRule.HPA_CONSISTENT,
    row: 30,
    title: 'HorizontalPodAutoscalers consistent',
    defaultSeverity: PolicySeverity.ERROR,
    change: 'target an object of the app, set minReplicas >= 2, leave spec.replicas out of the target',
    checks: 'KS horizontalpodautoscaler-has-target, horizontalpodautoscaler-replicas, deployment-targeted-by-hpa-does-not-have-replicas-configured; KL dangling-horizontalpodautoscaler (opt), hpa-minimum-three-replicas (opt); PO hpaMinAvailability, hpaMaxAvailability; KY prevent-duplicate-hpa; CK HorizontalPodAutoScalarTarget',
    check: (m, index, report) => {
      if (m.kind === 'HorizontalPodAutoscaler') {
        const ref = m.spec?.scaleTargetRef ?? {};
        const target = typeof ref.name === 'string' ? index.find(ref.kind, ref.name, namespaceOf(m)) : undefined;
        if (!target) report('spec.scaleTargetRef', `scales ${ref.kind}/${ref.name}, which the app does not contain`, 'point scaleTargetRef at a workload of the app');
        const min = m.spec?.minReplicas ?? 1;
        if (min < 2) report('spec.minReplicas', `may scale down to ${min} replica`, 'set minReplicas to at least 2');
        if (isInt(m.spec?.maxReplicas) && m.spec.maxReplicas <= min) report('spec.maxReplicas', `maxReplicas ${m.spec.maxReplicas} leaves nothing to scale`, 'set maxReplicas above minReplicas');
        const same = index.ofKind('HorizontalPodAutoscaler', namespaceOf(m))
          .filter((h) => h.spec?.scaleTargetRef?.kind === ref.kind && h.spec?.scaleTargetRef?.name === ref.name);
        if (same.length > 1 && same[0] !== m) report('spec.scaleTargetRef', `${ref.kind}/${ref.name} is also scaled by HorizontalPodAutoscaler/${same[0].metadata.name}`, 'keep one autoscaler per workload');
        return;
      }
      if ((m.kind === 'Deployment' || m.kind === 'StatefulSet') && m.spec?.replicas !== undefined) {
        const hpa = autoscalersOf(m, index)[0];
        if (hpa) {
          report('spec.replicas', `sets replicas although HorizontalPodAutoscaler/${hpa.metadata.name} scales it: every apply resets the scale`, 'leave spec.replicas out');
        }
      }
    },
  },
  {
    rule: PolicyCheckRule.JOB_HYGIENE,
    row: 31,
    title: 'Job and CronJob hygiene',
    defaultSeverity: PolicySeverity.WARNING,
    change: 'set ttlSecondsAfterFinished on Jobs, startingDeadlineSeconds on CronJobs, restartPolicy OnFailure or Never',
    checks: 'KS cronjob-has-deadline, cronjob-restartpolicy; KL job-ttl-seconds-after-finished, restart-policy (opt)',
    check: (m, _i, report) => {
      if (m.kind === 'Job' && m.spec?.ttlSecondsAfterFinished === undefined) {
        report('spec.ttlSecondsAfterFinished', 'is kept forever after it finishes', 'set ttlSecondsAfterFinished');
      }
      if (m.kind === 'CronJob' && m.spec?.startingDeadlineSeconds === undefined) {
        report('spec.startingDeadlineSeconds', 'has no startingDeadlineSeconds: after 100 missed runs it stops scheduling', 'set startingDeadlineSeconds');
      }
      const pod = podOf(m);
      if ((m.kind === 'Job' || m.kind === 'CronJob') && pod && pod.spec.restartPolicy !== 'OnFailure' && pod.spec.restartPolicy !== 'Never') {
        report(`${pod.path}.restartPolicy`, `its pods restart ${pod.spec.restartPolicy ?? 'Always (the default)'}`, 'set restartPolicy: OnFailure or Never');
      }
    },
  },
  {
    rule: PolicyCheckRule.SELECTOR_MATCHES_TEMPLATE,
    row: 32,
    title: 'selectors match template labels; StatefulSet has a headless Service',
    defaultSeverity: PolicySeverity.ERROR,
    change: 'make spec.selector match the pod template labels; give a StatefulSet the name of a headless Service',
    checks: 'KS *-pod-selector-labels-match-template-metadata-labels, statefulset-has-servicename; KL mismatching-selector',
    check: (m, index, report) => {
      if (!SERVING_KINDS.has(m.kind) || m.kind === 'ReplicationController') return;
      const pod = podOf(m);
      if (!pod) return;
      const selector = m.spec?.selector;
      const empty = !isRecord(selector) || (Object.keys(selector.matchLabels ?? {}).length === 0 && list(selector.matchExpressions).length === 0);
      if (empty) {
        report('spec.selector', 'has no selector', 'select the pods by their stable labels (e.g. app.kubernetes.io/name and instance)');
      } else if (!selectorMatches(selector, pod.labels)) {
        report('spec.selector', 'its selector does not match its pod template\'s labels', 'make spec.selector match spec.template.metadata.labels');
      }
      if (m.kind !== 'StatefulSet') return;
      const name = m.spec?.serviceName;
      const svc = serviceNamed(index, name, namespaceOf(m));
      if (!name) {
        report('spec.serviceName', 'has no serviceName: its pods get no stable DNS names', 'set serviceName to a headless Service (clusterIP: None) selecting the pods');
      } else if (!svc || svc.spec?.clusterIP !== 'None') {
        report('spec.serviceName', `its serviceName "${name}" is ${svc ? 'not a headless Service' : 'not a Service of the app'}`, `add a headless Service "${name}" (clusterIP: None) selecting the pods`);
      }
    },
  },
  {
    rule: PolicyCheckRule.NETWORK_POLICY,
    row: 33,
    title: 'every pod selected by a NetworkPolicy (default-deny + DNS)',
    defaultSeverity: PolicySeverity.ERROR,
    change: 'add NetworkPolicies that select the pods for Ingress and Egress (deny by default, allow what they need, DNS included)',
    checks: 'KS pod-networkpolicy; KL non-isolated-pod (opt); PO missingNetworkPolicy; KY require-netpol, add-network-policy, add-networkpolicy-dns',
    check: (m, index, report) => {
      const pod = podOf(m);
      if (!pod || m.kind === 'PodTemplate' || pod.spec.hostNetwork === true) return; // NetworkPolicies do not apply to host-network pods
      const policies = index.ofKind('NetworkPolicy', namespaceOf(m)).filter((np) => selectorMatches(np.spec?.podSelector ?? {}, pod.labels));
      const ingress = policies.filter((np) => policyTypes(np).includes('Ingress'));
      const egress = policies.filter((np) => policyTypes(np).includes('Egress'));
      if (policies.length === 0) {
        report(undefined, 'no NetworkPolicy selects its pods: any pod of the cluster reaches them, and they reach anything',
          'add a NetworkPolicy selecting the pods for Ingress and Egress that allows only what they need (DNS included)');
        return;
      }
      if (ingress.length === 0) report(undefined, 'no NetworkPolicy restricts traffic to its pods (Ingress)', 'add Ingress to the policyTypes of a NetworkPolicy selecting the pods');
      if (egress.length === 0) {
        report(undefined, 'no NetworkPolicy restricts traffic from its pods (Egress)', 'add Egress to the policyTypes of a NetworkPolicy selecting the pods');
      } else if (!egress.some((np) => list(np.spec?.egress).some(allowsDns))) {
        report(undefined, 'its egress policies allow no DNS (port 53): name lookups fail', 'allow egress to port 53 (UDP and TCP) of the cluster DNS');
      }
    },
  },
  {
    rule: PolicyCheckRule.NO_DANGLING_REFERENCE,
    row: 34,
    title: 'no dangling references',
    defaultSeverity: PolicySeverity.ERROR,
    change: 'add the object referred to, or fix the name or selector (waive when the cluster provides the object)',
    checks: 'KS service-targets-pod, networkpolicy-targets-pod, ingress-targets-service; KL dangling-service, dangling-networkpolicy(-peer-podselector), dangling-ingress, dangling-servicemonitor (opt), invalid-target-ports',
    check: (m, index, report) => {
      const ns = namespaceOf(m);
      const pod = podOf(m);
      if (pod) {
        for (const ref of podReferences(pod)) {
          if (!exists(index, ref.kind, ref.name, ns)) report(ref.path, `refers to ${ref.kind} "${ref.name}", which the app does not contain`, `add ${ref.kind} "${ref.name}" (or waive if the cluster provides it)`);
        }
      }
      const podsOf = (matches: (l: { [k: string]: string }) => boolean) => index.podsWhere(ns, matches);
      switch (m.kind) {
        case 'Service': {
          if (m.spec?.type === 'ExternalName' || !isRecord(m.spec?.selector) || Object.keys(m.spec.selector).length === 0) return;
          const pods = podsOf((l) => mapSelectorMatches(m.spec.selector, l));
          if (pods.length === 0) {
            report('spec.selector', 'its selector matches no pod of the app', 'make spec.selector match the labels of the pods it serves');
            return;
          }
          list(m.spec.ports).forEach((p, i) => {
            if (typeof p?.targetPort !== 'string') return;
            const named = pods.some((x) => longRunning(x).some((c) => list(c.json.ports).some((cp) => cp?.name === p.targetPort)));
            if (!named) report(`spec.ports[${i}].targetPort`, `targets port "${p.targetPort}", which no selected container names`, 'name a port of the selected containers, or give its number');
          });
          return;
        }
        case 'NetworkPolicy': {
          const sel = m.spec?.podSelector;
          const nonEmpty = (s: any) => isRecord(s) && (Object.keys(s.matchLabels ?? {}).length > 0 || list(s.matchExpressions).length > 0);
          if (nonEmpty(sel) && podsOf((l) => selectorMatches(sel, l)).length === 0) {
            report('spec.podSelector', 'its podSelector matches no pod of the app', 'make spec.podSelector match the labels of the pods it protects');
          }
          for (const dir of ['ingress', 'egress']) {
            list(m.spec?.[dir]).forEach((r, i) => {
              list(r?.[dir === 'ingress' ? 'from' : 'to']).forEach((peer, j) => {
                if (peer?.namespaceSelector !== undefined || !nonEmpty(peer?.podSelector)) return;
                if (podsOf((l) => selectorMatches(peer.podSelector, l)).length === 0) {
                  report(`spec.${dir}[${i}].${dir === 'ingress' ? 'from' : 'to'}[${j}].podSelector`, 'a peer podSelector matches no pod of the app', 'make the peer podSelector match the labels of the pods meant');
                }
              });
            });
          }
          return;
        }
        case 'PodDisruptionBudget':
          if (podsOf((l) => selectorMatches(m.spec?.selector, l)).length === 0) report('spec.selector', 'its selector matches no pod of the app', 'make spec.selector match the pod labels of the workload it protects');
          return;
        case 'Ingress': {
          const backends: Array<{ b: any; path: string }> = [];
          if (isRecord(m.spec?.defaultBackend?.service)) backends.push({ b: m.spec.defaultBackend.service, path: 'spec.defaultBackend.service' });
          list(m.spec?.rules).forEach((r, i) => list(r?.http?.paths).forEach((p, j) => {
            if (isRecord(p?.backend?.service)) backends.push({ b: p.backend.service, path: `spec.rules[${i}].http.paths[${j}].backend.service` });
          }));
          for (const { b, path } of backends) {
            const svc = serviceNamed(index, b.name, ns);
            if (!svc) {
              report(`${path}.name`, `routes to Service "${b.name}", which the app does not contain`, `add Service "${b.name}" or route to one of the app`);
              continue;
            }
            const ports = list(svc.spec?.ports);
            const ok = b.port?.name !== undefined
              ? ports.some((p) => p?.name === b.port.name)
              : b.port?.number === undefined || ports.some((p) => p?.port === b.port.number);
            if (!ok) report(`${path}.port`, `routes to port ${b.port?.name ?? b.port?.number} of Service "${b.name}", which it does not expose`, 'route to a port the Service exposes');
          }
          return;
        }
        case 'HTTPRoute':
          list(m.spec?.rules).forEach((r, i) => list(r?.backendRefs).forEach((b, j) => {
            if ((b?.group ?? '') !== '' || (b?.kind ?? 'Service') !== 'Service') return;
            const svc = serviceNamed(index, b.name, b.namespace ?? ns);
            const path = `spec.rules[${i}].backendRefs[${j}]`;
            if (!svc) report(`${path}.name`, `routes to Service "${b.name}", which the app does not contain`, `add Service "${b.name}" or route to one of the app`);
            else if (b.port !== undefined && !list(svc.spec?.ports).some((p) => p?.port === b.port)) report(`${path}.port`, `routes to port ${b.port} of Service "${b.name}", which it does not expose`, 'route to a port the Service exposes');
          }));
          return;
        case 'ServiceMonitor': {
          const nsSel = m.spec?.namespaceSelector ?? {};
          const services = index.ofKind('Service').filter((s) => (nsSel.any === true
            || (list(nsSel.matchNames).length > 0 ? list(nsSel.matchNames).includes(namespaceOf(s)) : namespaceOf(s) === ns))
            && selectorMatches(m.spec?.selector ?? {}, s.metadata?.labels ?? {}));
          if (services.length === 0) {
            report('spec.selector', 'its selector matches no Service of the app', 'make spec.selector match the labels of the Service to scrape');
            return;
          }
          list(m.spec?.endpoints).forEach((e, i) => {
            if (typeof e?.port === 'string' && !services.some((s) => list(s.spec?.ports).some((p) => p?.name === e.port))) {
              report(`spec.endpoints[${i}].port`, `scrapes port "${e.port}", which no selected Service names`, 'name a port of the selected Services');
            }
          });
          return;
        }
        case 'RoleBinding':
        case 'ClusterRoleBinding': {
          const ref = m.roleRef ?? {};
          const builtIn = ref.kind === 'ClusterRole' && (BUILT_IN_ROLES.has(ref.name) || String(ref.name).startsWith('system:'));
          if (!builtIn && !index.find(ref.kind, ref.name, ns)) report('roleRef', `grants ${ref.kind} "${ref.name}", which the app does not contain`, `add ${ref.kind} "${ref.name}" (or waive if the cluster provides it)`);
          if (m.kind !== 'RoleBinding') return;
          list(m.subjects).forEach((s, i) => {
            if (s?.kind !== 'ServiceAccount' || (s.namespace ?? ns) !== ns) return;
            if (!index.find('ServiceAccount', s.name, ns)) report(`subjects[${i}]`, `binds ServiceAccount "${s.name}", which the app does not contain`, `add ServiceAccount "${s.name}"`);
          });
          return;
        }
        case 'PersistentVolumeClaim':
          if (typeof m.spec?.volumeName === 'string' && !index.find('PersistentVolume', m.spec.volumeName, '')) {
            report('spec.volumeName', `binds PersistentVolume "${m.spec.volumeName}", which the app does not contain`, `add PersistentVolume "${m.spec.volumeName}" (or waive if the cluster provides it)`);
          }
          return;
        default:
          return;
      }
    },
  },
  {
    rule: PolicyCheckRule.NO_EXPOSED_SERVICE,
    row: 35,
    title: 'no NodePort, LoadBalancer, ExternalName or externalIPs',
    defaultSeverity: PolicySeverity.ERROR,
    change: 'use a ClusterIP Service behind an Ingress or Gateway (or waive with a reason)',
    checks: 'KS service-type; KL exposed-services (opt); KY restrict-node-port, restrict-service-external-ips',
    check: (m, _i, report) => {
      if (m.kind !== 'Service') return;
      const type = m.spec?.type ?? 'ClusterIP';
      if (type !== 'ClusterIP') {
        report('spec.type', `is of type ${type}: ${type === 'ExternalName' ? 'a DNS alias out of the cluster' : 'reachable from outside the cluster'}`,
          'use a ClusterIP Service behind an Ingress or a Gateway (or waive with a reason)');
      }
      if (list(m.spec?.externalIPs).length > 0) report('spec.externalIPs', 'accepts traffic on external IPs', 'remove spec.externalIPs');
    },
  },
  {
    rule: PolicyCheckRule.INGRESS_TLS,
    row: 36,
    title: 'Ingress TLS, no empty or wildcard host, no nginx snippets',
    defaultSeverity: PolicySeverity.ERROR,
    change: 'list every host under spec.tls with a certificate Secret; name explicit hosts; remove snippet annotations',
    checks: 'PO tlsSettingsMissing; KY require-ingress-https, disallow-empty-ingress-host, restrict-ingress-wildcard; CK CKV_K8S_152/153/154',
    check: (m, _i, report) => {
      if (m.kind !== 'Ingress') return;
      const tls = list(m.spec?.tls);
      const tlsHosts = new Set(tls.flatMap((t) => list(t?.hosts)));
      const rules = list(m.spec?.rules);
      if (tls.length === 0) report('spec.tls', 'serves plain HTTP (no spec.tls)', 'add spec.tls with the hosts and a certificate Secret');
      rules.forEach((r, i) => {
        if (!r?.host) {
          report(`spec.rules[${i}].host`, 'has a rule without a host: it answers for any name', 'name the host of the rule');
          return;
        }
        if (String(r.host).startsWith('*')) report(`spec.rules[${i}].host`, `serves the wildcard host ${r.host}`, 'name each host explicitly');
        if (tls.length > 0 && !tlsHosts.has(r.host)) report('spec.tls', `serves ${r.host} without TLS`, `add ${r.host} to the hosts of spec.tls`);
      });
      for (const key of Object.keys(m.metadata?.annotations ?? {})) {
        if (/^nginx\.ingress\.kubernetes\.io\/.*snippet$/.test(key)) report('metadata.annotations', `sets the nginx annotation ${key}, which injects configuration into the controller`, `remove ${key}`);
      }
    },
  },
  {
    rule: PolicyCheckRule.RBAC_NO_WILDCARD,
    row: 37,
    title: 'no wildcards in RBAC rules',
    defaultSeverity: PolicySeverity.ERROR,
    change: 'list the apiGroups, resources and verbs the app needs instead of *',
    checks: 'KL wildcard-in-rules (opt); KY restrict-wildcard-verbs, restrict-wildcard-resources; CK CKV_K8S_49',
    check: (m, _i, report) => {
      for (const r of rbacRules(m)) {
        const fields = [['apiGroups', r.groups], ['resources', r.resources], ['verbs', r.verbs]] as const;
        for (const [field, values] of fields) {
          if (values.includes('*')) report(`${r.path}.${field}`, `a rule grants * ${field}`, `list the ${field} the app needs instead of *`);
        }
      }
    },
  },
  {
    rule: PolicyCheckRule.RBAC_NO_DANGEROUS_ACCESS,
    row: 38,
    title: 'no cluster-admin, exec/attach, Secret reading, pod creation',
    defaultSeverity: PolicySeverity.ERROR,
    change: 'grant a Role with only the rules the app needs; no pods/exec, pods/attach, reading Secrets or creating pods',
    checks: 'KL cluster-admin-role-binding, access-to-secrets, access-to-create-pods (opt); PO clusterrolebindingClusterAdmin, rolebindingClusterAdmin*, *PodExecAttach; KY restrict-secret-role-verbs',
    check: (m, _i, report) => {
      if (m.kind === 'RoleBinding' || m.kind === 'ClusterRoleBinding') {
        const name = m.roleRef?.name;
        if (m.roleRef?.kind === 'ClusterRole' && BUILT_IN_ROLES.has(name)) {
          report('roleRef', name === 'cluster-admin' ? 'grants cluster-admin: every right on the cluster' : `grants the built-in, aggregated ClusterRole ${name}, whose rules the app does not list`,
            'bind a Role of the app that lists only the rules needed');
        }
        return;
      }
      for (const r of rbacRules(m)) {
        const verbs = (...v: string[]) => r.verbs.some((x) => v.includes(x) || x === '*');
        const exec = r.resources.filter((x) => x === 'pods/exec' || x === 'pods/attach' || x === 'pods/*');
        if (exec.length > 0) report(`${r.path}.resources`, `a rule grants ${exec.join(', ')}: a shell in other pods`, `remove ${exec.join(', ')}`);
        if (r.resources.includes('secrets') && verbs('get', 'list', 'watch')) {
          report(`${r.path}.verbs`, 'a rule allows reading Secrets', 'mount the Secrets the app needs instead of reading them through the API');
        }
        const creates = r.resources.filter((x) => POD_CREATING.has(x));
        if (creates.length > 0 && verbs('create')) report(`${r.path}.verbs`, `a rule allows creating ${creates.join(', ')}: running any pod`, 'remove create on pods and workloads');
      }
    },
  },
  {
    rule: PolicyCheckRule.RBAC_NO_ESCALATION,
    row: 39,
    title: 'no escalate, bind, impersonate, webhook or CSR approval rights',
    defaultSeverity: PolicySeverity.ERROR,
    change: 'remove escalate, bind and impersonate, and rights on webhook configurations and CSR approval',
    checks: 'CK CKV_K8S_155/156/157/158',
    check: (m, _i, report) => {
      for (const r of rbacRules(m)) {
        const dangerous = r.verbs.filter((v) => v === 'escalate' || v === 'bind' || v === 'impersonate');
        if (dangerous.length > 0) report(`${r.path}.verbs`, `a rule grants ${dangerous.join(', ')}: a way to more rights`, `remove ${dangerous.join(', ')}`);
        const writes = r.verbs.some((v) => ['create', 'update', 'patch', 'delete', 'deletecollection', '*'].includes(v));
        const webhooks = r.resources.filter((x) => x === 'mutatingwebhookconfigurations' || x === 'validatingwebhookconfigurations');
        if (webhooks.length > 0 && writes) report(`${r.path}.resources`, `a rule may change ${webhooks.join(', ')}: intercept any request`, `remove write verbs on ${webhooks.join(', ')}`);
        if (r.resources.includes('certificatesigningrequests/approval') && r.verbs.some((v) => v === 'update' || v === 'patch' || v === '*')) {
          report(`${r.path}.resources`, 'a rule may approve CertificateSigningRequests: mint credentials', 'remove certificatesigningrequests/approval');
        }
        if (r.resources.includes('signers') && r.verbs.some((v) => v === 'approve' || v === '*')) report(`${r.path}.verbs`, 'a rule may approve for signers', 'remove approve on signers');
      }
    },
  },
  {
    rule: PolicyCheckRule.METADATA,
    row: 40,
    title: 'namespace, current API version, recommended labels',
    defaultSeverity: PolicySeverity.WARNING,
    change: 'set metadata.namespace (not default), use current API versions, label app.kubernetes.io/name with valid label values',
    checks: 'KS label-values, stable-version; KL use-namespace (opt), no-extensions-v1beta, required-label-owner (opt); PO metadataAndInstanceMismatched; KY disallow-default-namespace, check-deprecated-apis, require-labels; CK CKV_K8S_21',
    check: (m, _i, report) => {
      if (!CLUSTER_SCOPED_KINDS.has(m.kind)) {
        const ns = namespaceOf(m);
        if (ns === '' || ns === 'default') report('metadata.namespace', ns ? 'lives in the default namespace' : 'names no namespace: it lands wherever it is applied', 'set metadata.namespace to the app\'s own namespace');
      }
      if (DEPRECATED_API_VERSIONS.has(m.apiVersion)) report('apiVersion', `uses ${m.apiVersion}, which Kubernetes 1.28 deprecates or no longer serves`, 'use the current API version of the kind');
      const labels = isRecord(m.metadata?.labels) ? m.metadata.labels : {};
      if (!labels['app.kubernetes.io/name']) report('metadata.labels', 'has no app.kubernetes.io/name label', 'label it app.kubernetes.io/name (and instance, part-of)');
      const pod = podOf(m);
      const all: Array<[string, any]> = [...Object.entries(labels).map(([k, v]) => [`metadata.labels.${k}`, v] as [string, any]),
        ...(pod && m.kind !== 'Pod' ? Object.entries(pod.labels).map(([k, v]) => [`${pod.path.replace(/spec$/, 'metadata.labels')}.${k}`, v] as [string, any]) : [])];
      for (const [path, v] of all) {
        if (typeof v !== 'string' || v.length > 63 || !LABEL_VALUE.test(v)) report(path, `has the invalid label value ${JSON.stringify(v)}`, 'use at most 63 letters, digits, -, _ or ., starting and ending with a letter or digit');
      }
    },
  },
];

/** The rule of `valid-waiver` (checked by PolicyCheck itself, not per object). @internal */
export const VALID_WAIVER_INFO: PolicyRuleInfo = {
  rule: PolicyCheckRule.VALID_WAIVER,
  row: 0,
  title: 'waivers name known rules and give a reason',
  defaultSeverity: PolicySeverity.ERROR,
  change: 'write "<rule id>[,<rule id>...]: <reason>" with known rule ids and a non-empty reason (a waiver without a reason waives nothing)',
  checks: 'this library (the independent checker has CHK001/CHK002)',
};

/** How much a severity weighs, for comparisons. @internal */
export function severityRank(s: PolicySeverity): number {
  return s === PolicySeverity.ERROR ? 3 : s === PolicySeverity.WARNING ? 2 : 1;
}
