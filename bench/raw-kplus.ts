/**
 * The `raw` variant of the benchmark: what a user of raw cdk8s-plus-28 writes to get exactly the
 * objects that `service(scope, i)` in bench/run.ts gets from this library. cdk8s and cdk8s-plus-28
 * only (no import of the library): kplus L2 constructs where they fit, `kplus.k8s.Kube*` L1 objects
 * for kinds kplus has no construct for (Lease, PodDisruptionBudget), and JSON patches for the fields
 * kplus cannot express (pod seccomp, topology spread, Job completion fields, a DaemonSet's update
 * strategy, ...). bench/run.ts proves, before timing, that it writes the same objects.
 *
 * Patch values are applied before the L1 serializer runs, so they take the L1 *props* shape
 * (`k8s.IntOrString` objects, not bare numbers).
 */
import { ApiObject, App, Chart, Cron, Duration, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';

const IMAGE = 'ghcr.io/acme/api:1.4.2';
const UID = 10001;
const TRACK = 'patterns.cdk8s.io/track';

/** Labels of every object (and pod) of an application instance; `track` on a Deployment that has one. */
function labels(name: string, track?: string): { [key: string]: string } {
  return { ...selector(name, track), 'app.kubernetes.io/managed-by': 'cdk8s-patterns' };
}

/** The labels that select its pods. */
function selector(name: string, track?: string): { [key: string]: string } {
  return { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': name, ...(track ? { [TRACK]: track } : {}) };
}

/**
 * The workload's own ServiceAccount (token not mounted) and its NetworkPolicy: deny everything but
 * DNS out, plus `ingress` (the callers of `port`) and `egress` rules.
 */
function identity(scope: Construct, name: string, port?: number, egress: any[] = [], ingressPeers: any[] = []): kplus.ServiceAccount {
  const sa = new kplus.ServiceAccount(scope, 'ServiceAccount', { metadata: { name, labels: labels(name) }, automountToken: false });
  const tcp = (p: number) => ({ port: kplus.k8s.IntOrString.fromNumber(p), protocol: 'TCP' });
  const ingress = [
    ...(port !== undefined ? [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'clients' } } }] }] : []),
    ...ingressPeers,
  ];
  new kplus.k8s.KubeNetworkPolicy(scope, 'NetworkPolicy', {
    metadata: { name, labels: labels(name) },
    spec: {
      podSelector: { matchLabels: selector(name) },
      policyTypes: ['Ingress', 'Egress'],
      ...(ingress.length > 0 ? { ingress } : {}),
      egress: [{ ports: [{ port: kplus.k8s.IntOrString.fromNumber(53), protocol: 'UDP' }, tcp(53)] }, ...egress.map((e) => ({ ...e, ports: e.ports.map(tcp) }))],
    },
  });
  return sa;
}

/** Pod-level props: hardened security context, its own ServiceAccount without token, our own selector. */
function podProps(name: string, sa: kplus.ServiceAccount, track?: string): kplus.WorkloadProps {
  return {
    metadata: { name, labels: labels(name, track) },
    select: false,
    podMetadata: { labels: labels(name, track) },
    serviceAccount: sa,
    automountServiceAccountToken: false,
    terminationGracePeriod: Duration.seconds(30),
    securityContext: { ensureNonRoot: true, user: UID, group: UID, fsGroup: UID },
  };
}

/** Probe timings of a long-running container: [failureThreshold, periodSeconds] of liveness, readiness, startup. */
const PROBES = { liveness: [6, 10], readiness: [3, 5], startup: [30, 5] } as const;

/** A probe of the container port: HTTP GET of `path`, or a TCP connect. */
function probe(kind: keyof typeof PROBES, port: number, path?: string): kplus.Probe {
  const [failureThreshold, period] = PROBES[kind];
  const o = {
    port,
    failureThreshold,
    successThreshold: 1,
    initialDelaySeconds: Duration.seconds(0),
    periodSeconds: Duration.seconds(period),
    timeoutSeconds: Duration.seconds(2),
  };
  return path !== undefined ? kplus.Probe.fromHttpGet(path, o) : kplus.Probe.fromTcpSocket(o);
}

/**
 * The hardened `app` container, with probes when it has a port, a /tmp emptyDir, and the pod
 * fields kplus cannot express (pod seccomp; topology spread for Deployments of several replicas).
 */
function addApp(pod: kplus.AbstractPod, port?: number, httpPath?: string, spread?: { [key: string]: string }): kplus.Container {
  const container = pod.addContainer({
    name: 'app',
    image: IMAGE,
    imagePullPolicy: kplus.ImagePullPolicy.ALWAYS,
    ports: port !== undefined ? [{ number: port, name: 'http', protocol: kplus.Protocol.TCP }] : undefined,
    ...(port !== undefined ? {
      liveness: probe('liveness', port), // liveness checks the process: a TCP connect
      readiness: probe('readiness', port, httpPath),
      startup: probe('startup', port, httpPath),
    } : {}),
    resources: {
      cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) },
      memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
    },
    securityContext: {
      ensureNonRoot: true,
      user: UID,
      group: UID,
      privileged: false,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: [kplus.Capability.ALL] },
      seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
    },
  });
  container.mount('/tmp', kplus.Volume.fromEmptyDir(pod, 'Volume-tmp', 'tmp', { sizeLimit: Size.mebibytes(64) }));
  const o = ApiObject.of(pod);
  const spec = o.kind === 'CronJob' ? '/spec/jobTemplate/spec/template/spec' : '/spec/template/spec';
  o.addJsonPatch(JsonPatch.add(`${spec}/securityContext/seccompProfile`, { type: 'RuntimeDefault' }));
  // Ephemeral storage in MiB: kplus writes it in whole GiB only.
  const q = (v: string) => kplus.k8s.Quantity.fromString(v);
  o.addJsonPatch(JsonPatch.add(`${spec}/containers/0/resources`, {
    requests: { 'cpu': q('100m'), 'memory': q('128Mi'), 'ephemeral-storage': q('128Mi') },
    limits: { 'cpu': q('500m'), 'memory': q('256Mi'), 'ephemeral-storage': q('1Gi') },
  }));
  if (spread) {
    o.addJsonPatch(JsonPatch.add(`${spec}/topologySpreadConstraints`, [{
      labelSelector: { matchLabels: spread },
      matchLabelKeys: ['pod-template-hash'],
      maxSkew: 1,
      topologyKey: 'kubernetes.io/hostname',
      whenUnsatisfiable: 'ScheduleAnyway',
    }]));
  }
  return container;
}

/** A ClusterIP Service of the port, selecting the instance's pods. */
function clusterService(scope: Construct, id: string, name: string, serviceName: string, port: number, clusterIP?: string): kplus.Service {
  const svc = new kplus.Service(scope, id, {
    metadata: { name: serviceName, labels: labels(name) },
    type: kplus.ServiceType.CLUSTER_IP,
    clusterIP,
    ports: [{ name: 'http', port, targetPort: port, protocol: kplus.Protocol.TCP }],
  });
  for (const [k, v] of Object.entries(selector(name))) svc.selectLabel(k, v);
  return svc;
}

/** A budget of one unavailable pod; unhealthy pods may always be evicted. */
function budget(scope: Construct, name: string, track?: string): void {
  new kplus.k8s.KubePodDisruptionBudget(scope, 'Budget', {
    metadata: { name, labels: labels(name) },
    spec: {
      selector: { matchLabels: selector(name, track) },
      maxUnavailable: kplus.k8s.IntOrString.fromNumber(1),
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    },
  });
}

/** A rolling update that never takes a pod down before its replacement is ready. */
const ROLLING = kplus.DeploymentStrategy.rollingUpdate({
  maxSurge: kplus.PercentOrAbsolute.percent(25), maxUnavailable: kplus.PercentOrAbsolute.absolute(0),
});

/** A run-to-completion Job's fields kplus does not write (`base`: the Job spec's pointer). */
function completeJob(o: ApiObject, base: string): void {
  o.addJsonPatch(
    JsonPatch.add(`${base}/completionMode`, 'NonIndexed'),
    JsonPatch.add(`${base}/completions`, 1),
    JsonPatch.add(`${base}/parallelism`, 1),
  );
}

/** Stateless: Deployment of 3 replicas with HTTP probes, Service, PDB. */
function stateless(scope: Construct, name: string): void {
  const sa = identity(scope, name, 8080);
  const deployment = new kplus.Deployment(scope, 'Resource', { ...podProps(name, sa, 'stable'), replicas: 3, strategy: ROLLING });
  deployment.select(kplus.LabelSelector.of({ labels: selector(name, 'stable') }));
  addApp(deployment, 8080, '/healthz', selector(name, 'stable'));
  clusterService(scope, 'Service', name, name, 8080);
  budget(scope, name, 'stable');
}

function batchJob(scope: Construct, name: string): void {
  const job = new kplus.Job(scope, 'Resource', { ...podProps(name, identity(scope, name)), restartPolicy: kplus.RestartPolicy.NEVER, backoffLimit: 6 });
  addApp(job);
  completeJob(ApiObject.of(job), '/spec');
}

function periodicJob(scope: Construct, name: string): void {
  const cron = new kplus.CronJob(scope, 'Resource', {
    ...podProps(name, identity(scope, name)),
    restartPolicy: kplus.RestartPolicy.NEVER,
    schedule: Cron.schedule({ minute: '30', hour: '2' }),
    timeZone: 'Etc/UTC',
    concurrencyPolicy: kplus.ConcurrencyPolicy.FORBID,
    suspend: false,
    successfulJobsRetained: 3,
    failedJobsRetained: 1,
    backoffLimit: 6,
  });
  addApp(cron);
  const o = ApiObject.of(cron);
  o.addJsonPatch(
    JsonPatch.remove('/spec/startingDeadlineSeconds'), // kplus always writes it (10 s)
    JsonPatch.add('/spec/jobTemplate/metadata', { labels: labels(name) }),
  );
  completeJob(o, '/spec/jobTemplate/spec');
}

function daemon(scope: Construct, name: string): void {
  const ds = new kplus.DaemonSet(scope, 'Resource', { ...podProps(name, identity(scope, name, 9100)), minReadySeconds: 0, hostNetwork: false });
  ds.select(kplus.LabelSelector.of({ labels: selector(name) }));
  addApp(ds, 9100);
  ApiObject.of(ds).addJsonPatch(JsonPatch.add('/spec/updateStrategy', {
    type: 'RollingUpdate',
    rollingUpdate: { maxSurge: kplus.k8s.IntOrString.fromNumber(0), maxUnavailable: kplus.k8s.IntOrString.fromNumber(1) },
  }));
}

/** Singleton, out of application: a StatefulSet of one, its headless Service, and a Service. */
function singletonStatefulSet(scope: Construct, name: string): void {
  const sa = identity(scope, name, 8080);
  const headless = clusterService(scope, 'HeadlessService', name, `${name}-headless`, 8080, 'None');
  const sts = new kplus.StatefulSet(scope, 'Resource', { ...podProps(name, sa), replicas: 1, service: headless });
  // The StatefulSet adds its address label to the headless Service's selector; select name and instance only.
  ApiObject.of(headless).addJsonPatch(JsonPatch.remove('/spec/selector/cdk8s.io~1metadata.addr'));
  sts.select(kplus.LabelSelector.of({ labels: selector(name) }));
  addApp(sts, 8080);
  clusterService(scope, 'Service', name, name, 8080);
}

/** Singleton, in application: leader election on a Lease by 2 replicas, with the RBAC to update it. */
function singletonLeaderElection(scope: Construct, name: string): void {
  const lease = `${name}-leader`;
  // API access: a bound token in a projected volume, and the way out to the API server.
  const anywhere = [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }];
  const sa = identity(scope, name, 8080, [{ to: anywhere, ports: [443, 6443] }]);
  new kplus.k8s.KubeLease(scope, 'Lease', { metadata: { name: lease, labels: labels(name) }, spec: { leaseDurationSeconds: 15 } });
  const role = new kplus.Role(scope, 'Role', { metadata: { name: `${name}-leader-election`, labels: labels(name) } });
  role.allow(['get', 'update'], { apiGroup: 'coordination.k8s.io', resourceType: 'leases', resourceName: lease });
  const binding = new kplus.RoleBinding(scope, 'RoleBinding', { metadata: { name: `${name}-leader-election`, labels: labels(name) }, role });
  binding.addSubjects(sa);
  const deployment = new kplus.Deployment(scope, 'Resource', { ...podProps(name, sa), replicas: 2, strategy: ROLLING });
  deployment.select(kplus.LabelSelector.of({ labels: selector(name) }));
  const app = addApp(deployment, 8080, undefined, selector(name));
  app.env.addVariable('POD_NAME', kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAME));
  app.env.addVariable('POD_NAMESPACE', kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAMESPACE));
  app.env.addVariable('LEASE_NAME', kplus.EnvValue.fromValue(lease));
  app.env.addVariable('LEASE_DURATION_SECONDS', kplus.EnvValue.fromValue('15'));
  const api = ApiObject.of(deployment);
  api.addJsonPatch(JsonPatch.add('/spec/template/spec/volumes/-', {
    name: 'kube-api-access',
    projected: {
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardApi: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    },
  }));
  api.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/volumeMounts/-', {
    name: 'kube-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true,
  }));
  clusterService(scope, 'Service', name, name, 8080);
  budget(scope, name);
}

const KINDS = [stateless, batchJob, periodicJob, daemon, singletonStatefulSet, singletonLeaderElection];

/** Service `i` of bench/run.ts, by hand: its objects in a construct `s<i>`, as the library places them. */
export function rawService(scope: Construct, i: number): void {
  const id = `s${i}`;
  KINDS[i % KINDS.length](new Construct(scope, id), id);
}

/** The app of `buildPatterns` in bench/run.ts, by hand. */
export function buildRaw(app: App, n: number, layout: 'one' | 'per'): void {
  let chart = layout === 'one' ? new Chart(app, 'bench') : undefined;
  for (let i = 0; i < n; i++) rawService(layout === 'one' ? chart! : (chart = new Chart(app, `c${i}`)), i);
}
