/**
 * Every rule of PolicyCheck, over hand-written manifests: a compliant app passes every rule (at
 * every severity), and one change to it breaks exactly the rule(s) named.
 */
import { compliant, container, jobPod, labels, meta, NS } from './compliant';
import { PolicyCheck, PolicyCheckRule, PolicySeverity } from '../../src';
import { RULES, severityRank } from '../../src/policy/rules';

const R = PolicyCheckRule;
const find = (objects: any[], kind: string, name: string) => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind}/${name}`);
  return found;
};
const api = (o: any[]) => find(o, 'Deployment', 'api');
const apiPod = (o: any[]) => api(o).spec.template.spec;
const app = (o: any[]) => apiPod(o).containers[0];

/** The rules an app breaks (unwaived findings, any severity), sorted. */
function broken(objects: any[]): string[] {
  return [...new Set(PolicyCheck.check(objects).filter((f) => !f.waived).map((f) => f.rule))].sort();
}

/** The compliant app with one change. */
function changed(change: (objects: any[]) => void): any[] {
  const objects = compliant();
  change(objects);
  return objects;
}

describe('the compliant app', () => {
  test('passes every rule, at every severity', () => {
    expect(PolicyCheck.check(compliant()).map(PolicyCheck.format)).toEqual([]);
  });

  test('every rule of the table has a test below that breaks it', () => {
    const tested = new Set(CASES.flatMap(([, rules]) => rules));
    expect(RULES.map((r) => r.rule).filter((r) => !tested.has(r))).toEqual([]);
  });
});

type Case = [string, PolicyCheckRule[], (objects: any[]) => void];

/** One change each, and the rules it breaks ([] = still compliant). */
const CASES: Case[] = [
  // 1
  ['a container that may run as root', [R.RUN_AS_NON_ROOT], (o) => { app(o).securityContext.runAsNonRoot = false; }],
  ['a pod whose user is 0 (containers override it)', [R.RUN_AS_NON_ROOT], (o) => { apiPod(o).securityContext.runAsUser = 0; }],
  ['runAsNonRoot on the pod only', [], (o) => { delete app(o).securityContext.runAsNonRoot; }],
  // 2
  ['group 0', [R.HIGH_UID_GID], (o) => { app(o).securityContext.runAsGroup = 0; }],
  ['user 1000', [R.HIGH_UID_GID], (o) => { app(o).securityContext.runAsUser = 1000; }],
  ['no user id anywhere', [R.HIGH_UID_GID], (o) => { delete app(o).securityContext.runAsUser; delete apiPod(o).securityContext.runAsUser; }],
  // 3
  ['a privileged container', [R.NOT_PRIVILEGED], (o) => { app(o).securityContext.privileged = true; }],
  ['a Windows host process', [R.NOT_PRIVILEGED], (o) => { apiPod(o).securityContext.windowsOptions = { hostProcess: true }; }],
  ['a Windows host process container', [R.NOT_PRIVILEGED], (o) => { app(o).securityContext.windowsOptions = { hostProcess: true }; }],
  // 4
  ['allowPrivilegeEscalation left out', [R.NO_PRIVILEGE_ESCALATION], (o) => { delete app(o).securityContext.allowPrivilegeEscalation; }],
  ['allowPrivilegeEscalation: true', [R.NO_PRIVILEGE_ESCALATION], (o) => { app(o).securityContext.allowPrivilegeEscalation = true; }],
  // 5
  ['a writable root filesystem', [R.READ_ONLY_ROOT_FS], (o) => { app(o).securityContext.readOnlyRootFilesystem = false; }],
  // 6
  ['capabilities not dropped', [R.DROP_ALL_CAPABILITIES], (o) => { app(o).securityContext.capabilities = {}; }],
  ['SYS_ADMIN added', [R.DROP_ALL_CAPABILITIES], (o) => { app(o).securityContext.capabilities.add = ['SYS_ADMIN']; }],
  ['NET_BIND_SERVICE added', [], (o) => { app(o).securityContext.capabilities.add = ['NET_BIND_SERVICE']; }],
  // 7
  ['no seccomp profile', [R.SECCOMP_PROFILE], (o) => { delete app(o).securityContext.seccompProfile; delete apiPod(o).securityContext.seccompProfile; }],
  ['seccomp Unconfined on a container', [R.SECCOMP_PROFILE], (o) => { app(o).securityContext.seccompProfile = { type: 'Unconfined' }; }],
  ['a Localhost seccomp profile', [], (o) => { app(o).securityContext.seccompProfile = { type: 'Localhost', localhostProfile: 'profiles/api.json' }; }],
  // 8
  ['hostNetwork (NetworkPolicies do not apply to it)', [R.NO_HOST_NAMESPACES], (o) => { apiPod(o).hostNetwork = true; }],
  ['hostPID', [R.NO_HOST_NAMESPACES], (o) => { apiPod(o).hostPID = true; }],
  // 9
  ['a hostPort', [R.NO_HOST_PORT], (o) => { app(o).ports[0].hostPort = 8080; }],
  // 10
  ['a hostPath volume', [R.NO_HOST_PATH], (o) => { apiPod(o).volumes.push({ name: 'sock', hostPath: { path: '/var/run/docker.sock' } }); }],
  ['Bidirectional mount propagation', [R.NO_HOST_PATH], (o) => { app(o).volumeMounts[0].mountPropagation = 'Bidirectional'; }],
  // 11
  ['an unsafe sysctl', [R.NO_UNSAFE_OVERRIDES], (o) => { apiPod(o).securityContext.sysctls = [{ name: 'kernel.msgmax', value: '1' }]; }],
  ['a safe sysctl', [], (o) => { apiPod(o).securityContext.sysctls = [{ name: 'net.ipv4.ip_local_port_range', value: '1024 65535' }]; }],
  ['an unmasked /proc', [R.NO_UNSAFE_OVERRIDES], (o) => { app(o).securityContext.procMount = 'Unmasked'; }],
  ['an SELinux user', [R.NO_UNSAFE_OVERRIDES], (o) => { app(o).securityContext.seLinuxOptions = { user: 'system_u' }; }],
  ['an SELinux type of the host', [R.NO_UNSAFE_OVERRIDES], (o) => { apiPod(o).securityContext.seLinuxOptions = { type: 'spc_t' }; }],
  ['the container_t SELinux type', [], (o) => { apiPod(o).securityContext.seLinuxOptions = { type: 'container_t' }; }],
  ['AppArmor unconfined', [R.NO_UNSAFE_OVERRIDES], (o) => {
    api(o).spec.template.metadata.annotations = { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' };
  }],
  ['AppArmor Unconfined (field)', [R.NO_UNSAFE_OVERRIDES], (o) => { app(o).securityContext.appArmorProfile = { type: 'Unconfined' }; }],
  ['AppArmor runtime/default and localhost profiles', [], (o) => {
    api(o).spec.template.metadata.annotations = {
      'container.apparmor.security.beta.kubernetes.io/app': 'runtime/default', 'container.apparmor.security.beta.kubernetes.io/x': 'localhost/k8s-x',
    };
  }],
  // 12
  ['an nfs volume', [R.RESTRICTED_VOLUME_TYPES], (o) => { apiPod(o).volumes.push({ name: 'share', nfs: { server: 'nfs', path: '/' } }); }],
  ['every restricted volume type', [], (o) => {
    apiPod(o).volumes.push({ name: 'a', downwardAPI: { items: [] } }, { name: 'b', projected: { sources: [] } }, { name: 'c', ephemeral: {} }, { name: 'd', csi: { driver: 'x' } });
  }],
  // 13
  ['the token mounted', [R.NO_SA_TOKEN_AUTOMOUNT], (o) => { apiPod(o).automountServiceAccountToken = true; }],
  ['the token left to a ServiceAccount that does not mount it', [], (o) => { delete apiPod(o).automountServiceAccountToken; }],
  ['the token left to a ServiceAccount that mounts it', [R.NO_SA_TOKEN_AUTOMOUNT], (o) => { delete find(o, 'StatefulSet', 'db').spec.template.spec.automountServiceAccountToken; }],
  // 14
  ['the default ServiceAccount', [R.DEDICATED_SERVICE_ACCOUNT], (o) => { delete apiPod(o).serviceAccountName; }],
  ['"default" by name', [R.DEDICATED_SERVICE_ACCOUNT], (o) => { apiPod(o).serviceAccountName = 'default'; }],
  ['a ServiceAccount the app does not contain', [R.DEDICATED_SERVICE_ACCOUNT], (o) => { apiPod(o).serviceAccountName = 'ghost'; }],
  // 15
  ['a Secret key in the environment', [R.NO_SECRET_IN_ENV], (o) => { app(o).env.push({ name: 'DB_USER', valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'user' } } }); }],
  ['a whole Secret in the environment', [R.NO_SECRET_IN_ENV], (o) => { app(o).envFrom = [{ secretRef: { name: 'db-credentials' } }]; }],
  ['a secret written into the manifest', [R.NO_SECRET_IN_ENV], (o) => { app(o).env.push({ name: 'API_TOKEN', value: 's3cr3t' }); }],
  ['the path of a secret file', [], (o) => { app(o).env.push({ name: 'API_TOKEN_FILE', value: '/etc/secrets/token' }); }],
  // 16, 17, 18
  ['the latest tag', [R.IMAGE_TAG_PINNED, R.IMAGE_DIGEST], (o) => { app(o).image = 'nginx:latest'; }],
  ['no tag', [R.IMAGE_TAG_PINNED, R.IMAGE_DIGEST], (o) => { app(o).image = 'registry.local:5000/nginx'; }],
  ['a tag, pulled Always', [R.IMAGE_DIGEST], (o) => { app(o).image = 'ghcr.io/acme/api:1.4.2'; }],
  ['a tag, IfNotPresent', [R.IMAGE_DIGEST, R.IMAGE_PULL_ALWAYS], (o) => { Object.assign(app(o), { image: 'ghcr.io/acme/api:1.4.2', imagePullPolicy: 'IfNotPresent' }); }],
  ['a tag, default pull policy', [R.IMAGE_DIGEST, R.IMAGE_PULL_ALWAYS], (o) => { app(o).image = 'ghcr.io/acme/api:1.4.2'; delete app(o).imagePullPolicy; }],
  ['a digest, IfNotPresent', [], (o) => { app(o).imagePullPolicy = 'IfNotPresent'; }],
  ['a digest, default pull policy', [], (o) => { delete app(o).imagePullPolicy; }],
  ['a digest, Never', [R.IMAGE_PULL_ALWAYS], (o) => { app(o).imagePullPolicy = 'Never'; }],
  ['an image without a tag, default pull policy (Always)', [R.IMAGE_TAG_PINNED, R.IMAGE_DIGEST], (o) => { app(o).image = 'nginx'; delete app(o).imagePullPolicy; }],
  // 19, 20
  ['no CPU request', [R.RESOURCE_REQUESTS], (o) => { delete app(o).resources.requests.cpu; }],
  ['no memory request', [R.RESOURCE_REQUESTS], (o) => { delete app(o).resources.requests.memory; }],
  ['no memory limit', [R.MEMORY_LIMIT], (o) => { delete app(o).resources.limits.memory; }],
  ['a CPU limit (not required, allowed)', [], (o) => { app(o).resources.limits.cpu = '500m'; }],
  // 21
  ['no ephemeral-storage request', [R.EPHEMERAL_STORAGE], (o) => { delete app(o).resources.requests['ephemeral-storage']; }],
  ['no ephemeral-storage limit', [R.EPHEMERAL_STORAGE], (o) => { delete app(o).resources.limits['ephemeral-storage']; }],
  ['an emptyDir without sizeLimit', [R.EPHEMERAL_STORAGE], (o) => { apiPod(o).volumes[0].emptyDir = {}; }],
  // 22
  ['no readiness probe', [R.PROBES_PRESENT], (o) => { delete app(o).readinessProbe; }],
  ['no liveness probe', [R.PROBES_PRESENT], (o) => { delete app(o).livenessProbe; }],
  ['a bare pod that runs to completion, without probes', [], (o) => {
    const spec = jobPod();
    o.push({ apiVersion: 'v1', kind: 'Pod', metadata: meta('once'), spec });
  }],
  // 23
  ['liveness the same as readiness', [R.PROBES_SANE], (o) => { app(o).livenessProbe = { httpGet: { path: '/readyz', port: 8080 }, periodSeconds: 30 }; }],
  ['a probe of an undeclared named port', [R.PROBES_SANE], (o) => { app(o).livenessProbe.httpGet.port = 'admin'; }],
  ['a probe of an undeclared port number', [R.PROBES_SANE], (o) => { app(o).startupProbe = { tcpSocket: { port: 9901 } }; }],
  ['probes without a handler are not compared', [], (o) => { app(o).livenessProbe = { periodSeconds: 10 }; app(o).readinessProbe = { periodSeconds: 10 }; }],
  // 24
  ['an environment variable twice', [R.NO_DUPLICATE_ENV], (o) => { app(o).env.push({ name: 'MODE', value: 'dev' }); }],
  // 25, 26, 27
  ['one replica', [R.MULTIPLE_REPLICAS], (o) => { api(o).spec.replicas = 1; }],
  ['replicas left out (1)', [R.MULTIPLE_REPLICAS], (o) => { delete api(o).spec.replicas; }],
  ['no PodDisruptionBudget', [R.DISRUPTION_BUDGET], (o) => { o.splice(o.indexOf(find(o, 'PodDisruptionBudget', 'api')), 1); }],
  ['a budget that allows no disruption', [R.DISRUPTION_BUDGET], (o) => { find(o, 'PodDisruptionBudget', 'api').spec.maxUnavailable = 0; }],
  ['a budget without a policy', [R.DISRUPTION_BUDGET], (o) => { delete find(o, 'PodDisruptionBudget', 'api').spec.maxUnavailable; }],
  ['minAvailable as high as the replicas', [R.DISRUPTION_BUDGET], (o) => { find(o, 'PodDisruptionBudget', 'db').spec.minAvailable = 2; }],
  ['no unhealthyPodEvictionPolicy', [R.DISRUPTION_BUDGET], (o) => { delete find(o, 'PodDisruptionBudget', 'api').spec.unhealthyPodEvictionPolicy; }],
  ['no spread', [R.SPREAD_ACROSS_HOSTS], (o) => { delete apiPod(o).topologySpreadConstraints; }],
  ['pod anti-affinity instead of spread', [], (o) => {
    delete apiPod(o).topologySpreadConstraints;
    apiPod(o).affinity = { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: labels('api') } } }] } };
  }],
  // 28, 29
  ['no priority class', [R.PRIORITY_CLASS], (o) => { delete apiPod(o).priorityClassName; }],
  ['Recreate behind a Service', [R.ROLLING_UPDATE], (o) => { api(o).spec.strategy = { type: 'Recreate' }; }],
  ['Recreate with no Service', [], (o) => { api(o).spec.strategy = { type: 'Recreate' }; o.splice(o.indexOf(find(o, 'Service', 'api')), 1); o.splice(o.indexOf(find(o, 'Ingress', 'api')), 1); }],
  // 30
  ['an autoscaler and no replicas', [], (o) => { delete api(o).spec.replicas; o.push(hpa('api', 2)); }],
  ['an autoscaler and replicas', [R.HPA_CONSISTENT], (o) => { o.push(hpa('api', 2)); }],
  ['an autoscaler down to 1', [R.HPA_CONSISTENT], (o) => { delete api(o).spec.replicas; o.push(hpa('api', 1)); }],
  ['an autoscaler of nothing', [R.HPA_CONSISTENT], (o) => { o.push(hpa('ghost', 2)); }],
  ['two autoscalers of one Deployment', [R.HPA_CONSISTENT], (o) => { delete api(o).spec.replicas; o.push(hpa('api', 2), { ...hpa('api', 2), metadata: meta('api-2') }); }],
  ['maxReplicas not above minReplicas', [R.HPA_CONSISTENT], (o) => { delete api(o).spec.replicas; o.push({ ...hpa('api', 2), spec: { ...hpa('api', 2).spec, maxReplicas: 2 } }); }],
  // 31
  ['a Job kept forever', [R.JOB_HYGIENE], (o) => { delete find(o, 'Job', 'migrate').spec.ttlSecondsAfterFinished; }],
  ['a CronJob without a deadline', [R.JOB_HYGIENE], (o) => { delete find(o, 'CronJob', 'nightly').spec.startingDeadlineSeconds; }],
  ['a Job whose pods restart Always', [R.JOB_HYGIENE], (o) => { find(o, 'Job', 'migrate').spec.template.spec.restartPolicy = 'Always'; }],
  // 32
  ['a selector that misses the template', [R.SELECTOR_MATCHES_TEMPLATE], (o) => { api(o).spec.selector.matchLabels['app.kubernetes.io/instance'] = 'other'; }],
  ['no selector', [R.SELECTOR_MATCHES_TEMPLATE], (o) => { delete api(o).spec.selector; }],
  ['a StatefulSet whose Service is not headless', [R.SELECTOR_MATCHES_TEMPLATE], (o) => { delete find(o, 'Service', 'db').spec.clusterIP; }],
  ['a StatefulSet whose Service is missing', [R.SELECTOR_MATCHES_TEMPLATE], (o) => { find(o, 'StatefulSet', 'db').spec.serviceName = 'ghost'; }],
  ['a StatefulSet without serviceName', [R.SELECTOR_MATCHES_TEMPLATE], (o) => { delete find(o, 'StatefulSet', 'db').spec.serviceName; }],
  // 33
  ['no NetworkPolicy', [R.NETWORK_POLICY], (o) => { o.splice(o.indexOf(find(o, 'NetworkPolicy', 'default-deny')), 1); }],
  ['ingress only', [R.NETWORK_POLICY], (o) => { find(o, 'NetworkPolicy', 'default-deny').spec.policyTypes = ['Ingress']; }],
  ['egress without DNS', [R.NETWORK_POLICY], (o) => { find(o, 'NetworkPolicy', 'default-deny').spec.egress = []; }],
  ['egress by default types (egress rules present)', [], (o) => { delete find(o, 'NetworkPolicy', 'default-deny').spec.policyTypes; }],
  // 34
  ['a Service that selects nothing', [R.NO_DANGLING_REFERENCE], (o) => { find(o, 'Service', 'api').spec.selector = { 'app.kubernetes.io/name': 'ghost' }; }],
  ['a named targetPort no container has', [R.NO_DANGLING_REFERENCE], (o) => { find(o, 'Service', 'api').spec.ports[0].targetPort = 'grpc'; }],
  ['an Ingress to a missing Service', [R.NO_DANGLING_REFERENCE], (o) => { find(o, 'Ingress', 'api').spec.rules[0].http.paths[0].backend.service.name = 'ghost'; }],
  ['an Ingress to a port the Service does not expose', [R.NO_DANGLING_REFERENCE], (o) => { find(o, 'Ingress', 'api').spec.rules[0].http.paths[0].backend.service.port = { number: 81 }; }],
  ['a NetworkPolicy that selects nothing', [R.NO_DANGLING_REFERENCE], (o) => { find(o, 'NetworkPolicy', 'api-to-db').spec.podSelector.matchLabels = labels('ghost'); }],
  ['a NetworkPolicy peer that selects nothing', [R.NO_DANGLING_REFERENCE], (o) => { find(o, 'NetworkPolicy', 'api-to-db').spec.ingress[0].from[0].podSelector.matchLabels = labels('ghost'); }],
  ['a PodDisruptionBudget that selects nothing', [R.NO_DANGLING_REFERENCE, R.DISRUPTION_BUDGET], (o) => { find(o, 'PodDisruptionBudget', 'api').spec.selector.matchLabels = labels('ghost'); }],
  ['a missing ConfigMap', [R.NO_DANGLING_REFERENCE], (o) => { apiPod(o).volumes[1].configMap.name = 'ghost'; }],
  ['a missing optional ConfigMap', [], (o) => { apiPod(o).volumes[1].configMap = { name: 'ghost', optional: true }; }],
  ['the cluster\'s kube-root-ca.crt', [], (o) => { apiPod(o).volumes.push({ name: 'ca', projected: { sources: [{ configMap: { name: 'kube-root-ca.crt' } }] } }); }],
  ['a missing Secret volume', [R.NO_DANGLING_REFERENCE], (o) => { apiPod(o).volumes.push({ name: 'creds', secret: { secretName: 'ghost' } }); }],
  ['a Secret made by an ExternalSecret', [], (o) => {
    apiPod(o).volumes.push({ name: 'creds', secret: { secretName: 'vault-creds' } });
    o.push({ apiVersion: 'external-secrets.io/v1beta1', kind: 'ExternalSecret', metadata: meta('creds'), spec: { target: { name: 'vault-creds' } } });
  }],
  ['a Secret made by a SealedSecret', [], (o) => {
    apiPod(o).volumes.push({ name: 'creds', secret: { secretName: 'sealed' } });
    o.push({ apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: meta('sealed'), spec: { encryptedData: {} } });
  }],
  ['a missing claim', [R.NO_DANGLING_REFERENCE], (o) => { apiPod(o).volumes.push({ name: 'data', persistentVolumeClaim: { claimName: 'ghost' } }); }],
  ['a missing image pull Secret', [R.NO_DANGLING_REFERENCE], (o) => { apiPod(o).imagePullSecrets = [{ name: 'ghost' }]; }],
  ['a RoleBinding to a missing Role', [R.NO_DANGLING_REFERENCE], (o) => { find(o, 'RoleBinding', 'config-reader').roleRef.name = 'ghost'; }],
  ['a RoleBinding of a missing ServiceAccount', [R.NO_DANGLING_REFERENCE], (o) => { find(o, 'RoleBinding', 'config-reader').subjects[0].name = 'ghost'; }],
  ['a claim of a missing PersistentVolume', [R.NO_DANGLING_REFERENCE], (o) => {
    o.push({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: meta('data'), spec: { volumeName: 'ghost', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } });
  }],
  ['a ServiceMonitor that selects nothing', [R.NO_DANGLING_REFERENCE], (o) => {
    o.push({ apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: meta('mon'), spec: { selector: { matchLabels: labels('ghost') }, endpoints: [{ port: 'http' }] } });
  }],
  ['a ServiceMonitor of a port the Service does not name', [R.NO_DANGLING_REFERENCE], (o) => {
    o.push({ apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: meta('mon'), spec: { selector: { matchLabels: labels('db') }, endpoints: [{ port: 'metrics' }] } });
  }],
  ['a ServiceMonitor of a Service port', [], (o) => {
    o.push({ apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: meta('mon'), spec: { selector: { matchLabels: labels('db') }, endpoints: [{ port: 'http' }] } });
  }],
  ['an HTTPRoute to a missing Service', [R.NO_DANGLING_REFERENCE], (o) => {
    o.push({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: meta('route'), spec: { rules: [{ backendRefs: [{ name: 'ghost', port: 80 }] }] } });
  }],
  ['an HTTPRoute to a port the Service does not expose', [R.NO_DANGLING_REFERENCE], (o) => {
    o.push({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: meta('route'), spec: { rules: [{ backendRefs: [{ name: 'api', port: 81 }] }] } });
  }],
  ['an HTTPRoute to a Service of the app', [], (o) => {
    o.push({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: meta('route'), spec: { rules: [{ backendRefs: [{ name: 'api', port: 80 }] }] } });
  }],
  // 35
  ['a NodePort Service', [R.NO_EXPOSED_SERVICE], (o) => { find(o, 'Service', 'api').spec.type = 'NodePort'; }],
  ['a LoadBalancer Service', [R.NO_EXPOSED_SERVICE], (o) => { find(o, 'Service', 'api').spec.type = 'LoadBalancer'; }],
  ['an ExternalName Service', [R.NO_EXPOSED_SERVICE], (o) => { o.push({ apiVersion: 'v1', kind: 'Service', metadata: meta('ext'), spec: { type: 'ExternalName', externalName: 'api.example.com' } }); }],
  ['external IPs', [R.NO_EXPOSED_SERVICE], (o) => { find(o, 'Service', 'api').spec.externalIPs = ['203.0.113.7']; }],
  // 36
  ['an Ingress without TLS', [R.INGRESS_TLS], (o) => { delete find(o, 'Ingress', 'api').spec.tls; }],
  ['a host not under TLS', [R.INGRESS_TLS], (o) => { find(o, 'Ingress', 'api').spec.tls[0].hosts = ['www.example.com']; }],
  ['a wildcard host', [R.INGRESS_TLS], (o) => { const i = find(o, 'Ingress', 'api'); i.spec.rules[0].host = '*.example.com'; i.spec.tls[0].hosts = ['*.example.com']; }],
  ['a rule without a host', [R.INGRESS_TLS], (o) => { delete find(o, 'Ingress', 'api').spec.rules[0].host; }],
  ['an nginx snippet', [R.INGRESS_TLS], (o) => { find(o, 'Ingress', 'api').metadata.annotations = { 'nginx.ingress.kubernetes.io/server-snippet': 'location / {}' }; }],
  // 37, 38, 39
  ['a wildcard verb', [R.RBAC_NO_WILDCARD], (o) => { find(o, 'Role', 'config-reader').rules[0].verbs = ['*']; }],
  ['a wildcard resource', [R.RBAC_NO_WILDCARD], (o) => { find(o, 'Role', 'config-reader').rules[0].resources = ['*']; }],
  ['reading Secrets', [R.RBAC_NO_DANGEROUS_ACCESS], (o) => { find(o, 'Role', 'config-reader').rules[0].resources = ['secrets']; }],
  ['pods/exec', [R.RBAC_NO_DANGEROUS_ACCESS], (o) => { find(o, 'Role', 'config-reader').rules.push({ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }); }],
  ['creating Jobs', [R.RBAC_NO_DANGEROUS_ACCESS], (o) => { find(o, 'Role', 'config-reader').rules.push({ apiGroups: ['batch'], resources: ['jobs'], verbs: ['create'] }); }],
  ['cluster-admin', [R.RBAC_NO_DANGEROUS_ACCESS], (o) => { find(o, 'RoleBinding', 'config-reader').roleRef = { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }; }],
  ['the built-in edit role', [R.RBAC_NO_DANGEROUS_ACCESS], (o) => { find(o, 'RoleBinding', 'config-reader').roleRef = { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' }; }],
  ['a ClusterRole of the app', [], (o) => {
    o.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'node-reader', labels: labels('node-reader') }, rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }] });
    find(o, 'RoleBinding', 'config-reader').roleRef = { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'node-reader' };
  }],
  ['escalate', [R.RBAC_NO_ESCALATION], (o) => { find(o, 'Role', 'config-reader').rules.push({ apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['escalate'] }); }],
  ['impersonate', [R.RBAC_NO_ESCALATION], (o) => { find(o, 'Role', 'config-reader').rules.push({ apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] }); }],
  ['webhook configurations', [R.RBAC_NO_ESCALATION], (o) => {
    find(o, 'Role', 'config-reader').rules.push({ apiGroups: ['admissionregistration.k8s.io'], resources: ['mutatingwebhookconfigurations'], verbs: ['update'] });
  }],
  ['CSR approval', [R.RBAC_NO_ESCALATION], (o) => {
    find(o, 'Role', 'config-reader').rules.push({ apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests/approval'], verbs: ['update'] });
    find(o, 'Role', 'config-reader').rules.push({ apiGroups: ['certificates.k8s.io'], resources: ['signers'], verbs: ['approve'] });
  }],
  // 40
  ['no namespace', [R.METADATA], (o) => { delete find(o, 'ConfigMap', 'app-config').metadata.namespace; o.push({ ...find(o, 'ConfigMap', 'app-config'), metadata: { ...meta('app-config') } }); }],
  ['the default namespace', [R.METADATA], (o) => { o.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { ...meta('x'), namespace: 'default' } }); }],
  ['a deprecated API version', [R.METADATA], (o) => { find(o, 'Ingress', 'api').apiVersion = 'extensions/v1beta1'; }],
  ['no app.kubernetes.io/name label', [R.METADATA], (o) => { delete find(o, 'ConfigMap', 'app-config').metadata.labels['app.kubernetes.io/name']; }],
  ['an invalid label value', [R.METADATA], (o) => { find(o, 'ConfigMap', 'app-config').metadata.labels.team = 'not valid!'; }],
];

function hpa(target: string, minReplicas: number): any {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: meta(`${target}-hpa`),
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target }, minReplicas, maxReplicas: 10 },
  };
}

describe('one change breaks exactly the rules named', () => {
  test.each(CASES)('%s: %j', (_title, rules, change) => {
    expect(broken(changed(change))).toEqual([...rules].sort());
  });
});

describe('findings say where and what to change', () => {
  test('a container finding names the container, the field and the fix', () => {
    const [f] = PolicyCheck.check(changed((o) => { app(o).securityContext.privileged = true; }));
    expect(f).toMatchObject({
      rule: R.NOT_PRIVILEGED,
      severity: PolicySeverity.ERROR,
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'api',
      namespace: NS,
      field: 'spec.template.spec.containers[0].securityContext.privileged',
      waived: false,
    });
    expect(f.message).toContain('container "app"');
    expect(f.fix).toMatch(/privileged: false/);
  });

  test('a CronJob\'s containers are found under its job template', () => {
    const [f] = PolicyCheck.check(changed((o) => { find(o, 'CronJob', 'nightly').spec.jobTemplate.spec.template.spec.containers[0].securityContext.privileged = true; }));
    expect(f.field).toBe('spec.jobTemplate.spec.template.spec.containers[0].securityContext.privileged');
  });

  test('init containers and native sidecars are checked too', () => {
    const findings = PolicyCheck.check(changed((o) => {
      apiPod(o).initContainers = [{ ...container('init'), securityContext: {} }, { ...container('proxy'), restartPolicy: 'Always', livenessProbe: undefined }];
    }));
    expect(findings.some((f) => f.field?.startsWith('spec.template.spec.initContainers[0]') && f.rule === R.RUN_AS_NON_ROOT)).toBe(false); // the pod's runAsNonRoot applies
    expect(findings.some((f) => f.field === 'spec.template.spec.initContainers[0].securityContext.privileged')).toBe(false);
    expect(findings.filter((f) => f.field?.startsWith('spec.template.spec.initContainers[0]')).map((f) => f.rule))
      .toEqual(expect.arrayContaining([R.NO_PRIVILEGE_ESCALATION, R.READ_ONLY_ROOT_FS, R.DROP_ALL_CAPABILITIES]));
  });

  test('default severities: ERROR for security and correctness, WARNING for what the library does not always meet', () => {
    const warnings = RULES.filter((r) => r.defaultSeverity === PolicySeverity.WARNING).map((r) => r.rule);
    expect(warnings.sort()).toEqual([
      R.DISRUPTION_BUDGET, R.IMAGE_DIGEST, R.JOB_HYGIENE, R.METADATA, R.MULTIPLE_REPLICAS, R.PRIORITY_CLASS, R.ROLLING_UPDATE, R.SPREAD_ACROSS_HOSTS,
    ].sort());
    expect(RULES.filter((r) => r.defaultSeverity === PolicySeverity.INFO)).toEqual([]);
  });

  test('40 rules, numbered as the table, with unique kebab ids', () => {
    expect(RULES.map((r) => r.row)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    for (const r of RULES) expect(r.rule).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });

  test('severities rank INFO < WARNING < ERROR', () => {
    expect(severityRank(PolicySeverity.INFO)).toBeLessThan(severityRank(PolicySeverity.WARNING));
    expect(severityRank(PolicySeverity.WARNING)).toBeLessThan(severityRank(PolicySeverity.ERROR));
  });
});
