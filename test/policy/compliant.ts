/**
 * Hand-written manifests for the PolicyCheck tests: an app that meets every rule.
 */

export const NS = 'shop';
export const DIGEST = `ghcr.io/acme/api:1.4.2@sha256:${'a'.repeat(64)}`;

export const labels = (name: string) => ({ 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': name });
export const meta = (name: string, extra: any = {}) => ({ name, namespace: NS, labels: labels(name), ...extra });

export function container(name = 'app'): any {
  return {
    name,
    image: DIGEST,
    imagePullPolicy: 'Always',
    ports: [{ name: 'http', containerPort: 8080 }],
    env: [{ name: 'MODE', value: 'prod' }],
    securityContext: {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    resources: {
      requests: { 'cpu': '100m', 'memory': '128Mi', 'ephemeral-storage': '64Mi' },
      limits: { 'memory': '256Mi', 'ephemeral-storage': '128Mi' },
    },
    livenessProbe: { httpGet: { path: '/livez', port: 'http' } },
    readinessProbe: { httpGet: { path: '/readyz', port: 8080 } },
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }, { name: 'config', mountPath: '/etc/app', readOnly: true }],
  };
}

export function podSpec(serviceAccount: string, app: string, extra: any = {}): any {
  return {
    serviceAccountName: serviceAccount,
    automountServiceAccountToken: false,
    priorityClassName: 'standard',
    securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [container()],
    volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }, { name: 'config', configMap: { name: 'app-config' } }],
    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: labels(app) } }],
    ...extra,
  };
}

export function jobPod(): any {
  const spec = podSpec('batch', 'batch', { restartPolicy: 'Never', topologySpreadConstraints: undefined });
  delete spec.topologySpreadConstraints;
  delete spec.containers[0].livenessProbe;
  delete spec.containers[0].readinessProbe;
  return spec;
}

/** An app that meets every rule (fresh objects on every call). */
export function compliant(): any[] {
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS, labels: labels(NS) } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('api'), automountServiceAccountToken: false },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('db') },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('batch') },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('app-config'), data: { mode: 'prod' } },
    { apiVersion: 'v1', kind: 'Secret', metadata: meta('db-credentials'), type: 'Opaque' },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta('api'),
      spec: {
        replicas: 3,
        strategy: { type: 'RollingUpdate' },
        selector: { matchLabels: labels('api') },
        template: { metadata: { labels: labels('api') }, spec: podSpec('api', 'api') },
      },
    },
    { apiVersion: 'v1', kind: 'Service', metadata: meta('api'), spec: { selector: labels('api'), ports: [{ port: 80, targetPort: 'http' }] } },
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: meta('api'),
      spec: { maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow', selector: { matchLabels: labels('api') } },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: meta('api'),
      spec: {
        tls: [{ hosts: ['api.example.com'], secretName: 'api-tls' }],
        rules: [{ host: 'api.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 80 } } } }] } }],
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: meta('db'),
      spec: {
        replicas: 2,
        serviceName: 'db',
        selector: { matchLabels: labels('db') },
        template: { metadata: { labels: labels('db') }, spec: podSpec('db', 'db') },
      },
    },
    { apiVersion: 'v1', kind: 'Service', metadata: meta('db'), spec: { clusterIP: 'None', selector: labels('db'), ports: [{ port: 8080, name: 'http' }] } },
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: meta('db'),
      spec: { minAvailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow', selector: { matchLabels: labels('db') } },
    },
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: meta('migrate'),
      spec: { ttlSecondsAfterFinished: 600, template: { metadata: { labels: labels('migrate') }, spec: jobPod() } },
    },
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: meta('nightly'),
      spec: {
        schedule: '0 3 * * *',
        startingDeadlineSeconds: 300,
        jobTemplate: { spec: { template: { metadata: { labels: labels('nightly') }, spec: { ...jobPod(), restartPolicy: 'OnFailure' } } } },
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta('default-deny'),
      spec: {
        podSelector: {},
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }] }],
        egress: [{ ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] }],
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta('api-to-db'),
      spec: { podSelector: { matchLabels: labels('db') }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: labels('api') } }] }] },
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: meta('config-reader'),
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta('config-reader'),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'config-reader' },
      subjects: [{ kind: 'ServiceAccount', name: 'api', namespace: NS }],
    },
    { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'standard', labels: labels('standard') }, value: 1000 },
  ];
}

