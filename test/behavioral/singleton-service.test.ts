import { ApiObject, Chart, Duration, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Cpu } from 'cdk8s-plus-28';
import {
  Demands, DisruptionBudget, EnvVariable, HealthCheck, HealthProbe, PatternLabels, PodQos, QosClass,
} from '../../src';
import {
  SingletonLocking, SingletonLockingKind, SingletonService, SingletonServiceProps, SingletonWorkloadKind,
} from '../../src/behavioral/singleton-service';
import { errorOf } from '../helpers/errors';
import { CALLERS } from '../helpers/network';
import { findObject, mainContainer, Manifest, newChart, objectsOf, synth } from '../helpers/synth';

const IMAGE = 'ghcr.io/acme/scheduler:2.0.1';
const NAME = PatternLabels.NAME;
const INSTANCE = PatternLabels.INSTANCE;
const SELECTOR = { [NAME]: 'sched', [INSTANCE]: 'sched' };

/**
 * A SingletonService `sched` in a fresh chart (namespace `ops`) with `props` over a valid baseline
 * (callers admitted: `network: CALLERS`, unless `props` say otherwise).
 */
function singleton(props: Partial<SingletonServiceProps>, chart: Chart = newChart('ops', { namespace: 'ops' })): SingletonService {
  return new SingletonService(chart, 'sched', {
    image: IMAGE, locking: SingletonLocking.outOfApplication(), network: CALLERS, ...props,
  } as SingletonServiceProps);
}

/** Builds and synthesises a singleton; the manifests. */
function render(props: Partial<SingletonServiceProps>): Manifest[] {
  return synth(singleton(props).node.scope as Chart);
}

/** The error of building and synthesising a singleton. */
function errorOfProps(props: Partial<SingletonServiceProps>): string {
  return errorOf(() => synth(singleton(props).node.scope as Chart));
}

const names = (out: Manifest[]) => out.map((m) => `${m.kind}/${m.metadata.name}`).sort();

describe('out of application, StatefulSet (the default)', () => {
  // GIVEN a port-less singleton with the default locking
  const s = singleton({});
  // WHEN synthesised
  const out = synth(s.node.scope as Chart);
  const sts = findObject(out, 'StatefulSet', 'sched');
  const headless = findObject(out, 'Service', 'sched-headless');
  const pod = sts.spec.template;

  test('emits a StatefulSet, its headless Service, the ServiceAccount and the NetworkPolicy, and nothing else', () => {
    expect(names(out)).toEqual(['NetworkPolicy/sched', 'Service/sched-headless', 'ServiceAccount/sched', 'StatefulSet/sched']);
    expect(s.locking.kind).toBe(SingletonLockingKind.OUT_OF_APPLICATION);
    expect(s.replicas).toBe(1);
    expect(s.workload).toBe(s.statefulSet);
    expect(s.deployment).toBeUndefined();
    expect(s.service).toBeUndefined();
  });

  test('runs exactly one replica ("at most one": a pod with the same identity never runs twice)', () => {
    expect(sts.spec.replicas).toBe(1);
    expect(sts.spec.podManagementPolicy).toBe('OrderedReady');
    expect(sts.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
  });

  test('serviceName names a headless Service that selects the pod', () => {
    expect(sts.spec.serviceName).toBe('sched-headless');
    expect(headless.spec.clusterIP).toBe('None');
    expect(headless.spec.type).toBe('ClusterIP');
    expect(headless.spec.selector).toEqual(SELECTOR);
    expect(sts.spec.selector).toEqual({ matchLabels: SELECTOR });
    expect(pod.metadata.labels).toMatchObject(SELECTOR);
  });

  test('a port-less headless Service has no ports (valid for clusterIP None)', () => {
    expect(headless.spec.ports).toEqual([]);
  });

  test('no PodDisruptionBudget, no spread, no ServiceAccount token (the pods run as their own ServiceAccount)', () => {
    expect(objectsOf(out, 'PodDisruptionBudget')).toHaveLength(0);
    expect(pod.spec.topologySpreadConstraints).toBeUndefined();
    expect(pod.spec.affinity).toBeUndefined();
    expect(pod.spec.automountServiceAccountToken).toBe(false);
    expect(pod.spec.serviceAccountName).toBe('sched');
    expect(findObject(out, 'ServiceAccount', 'sched').automountServiceAccountToken).toBe(false);
    expect(pod.spec.volumes.map((v: any) => v.name)).not.toContain('kube-api-access');
  });

  test('hardens the pod and sets explicit Burstable resources', () => {
    expect(pod.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } });
    const c = mainContainer(sts);
    expect(c.securityContext).toMatchObject({
      allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, privileged: false,
    });
    expect(c.resources).toEqual({
      requests: { 'cpu': '100m', 'memory': '128Mi', 'ephemeral-storage': '128Mi' },
      limits: { 'cpu': '500m', 'memory': '256Mi', 'ephemeral-storage': '1Gi' },
    });
    expect(PodQos.classify(pod.spec)).toBe(QosClass.BURSTABLE);
    expect(c.livenessProbe).toBeUndefined();
    expect(c.env).toBeUndefined();
  });

  test('labels every object', () => {
    for (const m of out) expect(m.metadata.labels).toMatchObject({ ...SELECTOR, [PatternLabels.MANAGED_BY]: 'cdk8s-patterns' });
    for (const m of out) expect(m.metadata.namespace).toBe('ops');
  });
});

describe('out of application with a port', () => {
  test('StatefulSet: the headless Service carries the port; a separate ClusterIP Service serves clients', () => {
    const out = render({ port: 8080 });
    expect(names(out)).toEqual(['NetworkPolicy/sched', 'Service/sched', 'Service/sched-headless', 'ServiceAccount/sched', 'StatefulSet/sched']);
    const port = { name: 'http', port: 8080, targetPort: 8080, protocol: 'TCP' };
    expect(findObject(out, 'Service', 'sched-headless').spec.ports).toEqual([port]);
    const svc = findObject(out, 'Service', 'sched');
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.clusterIP).toBeUndefined();
    expect(svc.spec.ports).toEqual([port]);
    expect(svc.spec.selector).toEqual(SELECTOR);
    const c = mainContainer(findObject(out, 'StatefulSet', 'sched'));
    expect(c.ports).toEqual([{ containerPort: 8080, name: 'http', protocol: 'TCP' }]);
    expect(c.readinessProbe).toMatchObject({ tcpSocket: { port: 8080 } });
    expect(c.livenessProbe).toMatchObject({ tcpSocket: { port: 8080 } });
  });

  test('Deployment: one replica with the Recreate strategy, no headless Service', () => {
    const s = singleton({ port: 9090, portName: 'metrics', locking: SingletonLocking.outOfApplication({ kind: SingletonWorkloadKind.DEPLOYMENT }) });
    const out = synth(s.node.scope as Chart);
    expect(names(out)).toEqual(['Deployment/sched', 'NetworkPolicy/sched', 'Service/sched', 'ServiceAccount/sched']);
    const d = findObject(out, 'Deployment', 'sched');
    expect(d.spec.replicas).toBe(1);
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
    expect(d.spec.selector).toEqual({ matchLabels: SELECTOR });
    expect(d.spec.template.spec.topologySpreadConstraints).toBeUndefined();
    expect(findObject(out, 'Service', 'sched').spec.ports).toEqual([{ name: 'metrics', port: 9090, targetPort: 9090, protocol: 'TCP' }]);
    expect(s.workload).toBe(s.deployment);
    expect(s.statefulSet).toBeUndefined();
    expect(s.headlessService).toBeUndefined();
  });

  test('an explicit, non-blocking budget on one replica is rendered', () => {
    const out = render({ disruptionBudget: DisruptionBudget.maxUnavailable(1) });
    expect(findObject(out, 'PodDisruptionBudget', 'sched').spec).toEqual({
      maxUnavailable: 1, selector: { matchLabels: SELECTOR }, unhealthyPodEvictionPolicy: 'AlwaysAllow',
    });
  });
});

describe('in application (leader election)', () => {
  // GIVEN three replicas electing a leader
  const s = singleton({ port: 8080, locking: SingletonLocking.inApplication({ replicas: 3 }) });
  // WHEN synthesised
  const out = synth(s.node.scope as Chart);
  const d = findObject(out, 'Deployment', 'sched');
  const pod = d.spec.template.spec;

  test('emits the Deployment, Lease, ServiceAccount, Role, RoleBinding, Service, budget and NetworkPolicy', () => {
    expect(names(out)).toEqual([
      'Deployment/sched', 'Lease/sched-leader', 'NetworkPolicy/sched', 'PodDisruptionBudget/sched', 'Role/sched-leader-election',
      'RoleBinding/sched-leader-election', 'Service/sched', 'ServiceAccount/sched',
    ]);
    expect(s.locking.kind).toBe(SingletonLockingKind.IN_APPLICATION);
    expect(s.leaseName).toBe('sched-leader');
    expect(s.replicas).toBe(3);
  });

  test('runs N replicas with a zero-downtime rolling update, spread across hosts', () => {
    expect(d.spec.replicas).toBe(3);
    expect(d.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } });
    expect(pod.topologySpreadConstraints).toEqual([
      expect.objectContaining({ topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' }),
    ]);
  });

  test('pre-creates the Lease', () => {
    const lease = findObject(out, 'Lease', 'sched-leader');
    expect(lease.apiVersion).toBe('coordination.k8s.io/v1');
    expect(lease.spec).toEqual({ leaseDurationSeconds: 15 });
  });

  test('the Role allows only get and update on that one Lease (no create: it cannot be scoped by name)', () => {
    expect(findObject(out, 'Role', 'sched-leader-election').rules).toEqual([
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: ['sched-leader'], verbs: ['get', 'update'] },
    ]);
  });

  test('the RoleBinding binds the Role to the ServiceAccount', () => {
    const rb = findObject(out, 'RoleBinding', 'sched-leader-election');
    expect(rb.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'sched-leader-election' });
    expect(rb.subjects).toEqual([{ apiGroup: '', kind: 'ServiceAccount', name: 'sched', namespace: 'ops' }]);
  });

  test('the pods run as the ServiceAccount with a bound token in a projected volume, automount staying off', () => {
    expect(pod.serviceAccountName).toBe('sched');
    expect(pod.automountServiceAccountToken).toBe(false);
    // other pods that reuse the ServiceAccount get no token unless they ask
    expect(findObject(out, 'ServiceAccount', 'sched').automountServiceAccountToken).toBe(false);
    // the token, the cluster CA and the namespace, where a client library looks for them
    expect(pod.volumes).toContainEqual({
      name: 'kube-api-access',
      projected: {
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
        ],
      },
    });
    expect(mainContainer(d).volumeMounts).toContainEqual({ name: 'kube-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true });
  });

  test('the NetworkPolicy lets the pods reach the API server (443 and 6443, anywhere)', () => {
    const egress = findObject(out, 'NetworkPolicy', 'sched').spec.egress;
    expect(egress).toContainEqual({
      to: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }],
      ports: [{ port: 443, protocol: 'TCP' }, { port: 6443, protocol: 'TCP' }],
    });
  });

  test('the main container learns its identity and the Lease from the environment', () => {
    expect(mainContainer(d).env).toEqual([
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'LEASE_NAME', value: 'sched-leader' },
      { name: 'LEASE_DURATION_SECONDS', value: '15' },
    ]);
  });

  test('a budget that allows one eviction at a time; the Service selects every replica', () => {
    expect(findObject(out, 'PodDisruptionBudget', 'sched').spec).toEqual({
      maxUnavailable: 1, selector: { matchLabels: SELECTOR }, unhealthyPodEvictionPolicy: 'AlwaysAllow',
    });
    expect(findObject(out, 'Service', 'sched').spec.selector).toEqual(SELECTOR);
  });

  test('the pods stay hardened', () => {
    expect(mainContainer(d).securityContext).toMatchObject({
      allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true,
    });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
  });
});

/** A valid election container for `SingletonLocking.electionSidecar()`. */
const ELECTOR = {
  name: 'elector',
  image: 'ghcr.io/acme/elector:0.4.1',
  port: 4040,
  args: ['--election=$(LEASE_NAME)', '--namespace=$(POD_NAMESPACE)', '--id=$(POD_NAME)', '--http=127.0.0.1:4040'],
  health: HealthCheck.none(),
  demands: Demands.burstable({
    requests: { cpu: Cpu.millis(10), memory: Size.mebibytes(32) },
    limits: { cpu: Cpu.millis(100), memory: Size.mebibytes(64) },
  }),
};

describe('election sidecar (leader election without election code in the app)', () => {
  // GIVEN three replicas whose election runs in a sidecar
  const s = singleton({ port: 8080, locking: SingletonLocking.electionSidecar({ replicas: 3, sidecar: ELECTOR }) });
  // WHEN synthesised
  const out = synth(s.node.scope as Chart);
  const d = findObject(out, 'Deployment', 'sched');
  const pod = d.spec.template.spec;
  const elector = pod.containers.find((c: any) => c.name === 'elector');

  test('emits what leader election emits: Deployment, Lease, scoped Role and binding, budget', () => {
    expect(names(out)).toEqual([
      'Deployment/sched', 'Lease/sched-leader', 'NetworkPolicy/sched', 'PodDisruptionBudget/sched', 'Role/sched-leader-election',
      'RoleBinding/sched-leader-election', 'Service/sched', 'ServiceAccount/sched',
    ]);
    expect(s.locking.kind).toBe(SingletonLockingKind.ELECTION_SIDECAR);
    expect(d.spec.replicas).toBe(3);
    expect(findObject(out, 'Role', 'sched-leader-election').rules).toEqual([
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: ['sched-leader'], verbs: ['get', 'update'] },
    ]);
    expect(findObject(out, 'Lease', 'sched-leader').spec).toEqual({ leaseDurationSeconds: 15 });
  });

  test('the app asks the elector on localhost and compares the answer with its own name; it gets no token', () => {
    expect(s.electionUrl).toBe('http://127.0.0.1:4040');
    expect(mainContainer(d).env).toEqual([
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'ELECTION_URL', value: 'http://127.0.0.1:4040' },
    ]);
    expect(JSON.stringify(mainContainer(d).volumeMounts)).not.toContain('kube-api-access');
  });

  test('the elector holds the only token and learns the Lease, its identity and namespace', () => {
    expect(elector.image).toBe(ELECTOR.image);
    expect(elector.args).toEqual(ELECTOR.args);
    expect(elector.volumeMounts).toContainEqual({ name: 'kube-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true });
    expect(Object.fromEntries(elector.env.map((e: any) => [e.name, e.value ?? e.valueFrom.fieldRef.fieldPath]))).toEqual({
      LEASE_NAME: 'sched-leader', LEASE_DURATION_SECONDS: '15', POD_NAME: 'metadata.name', POD_NAMESPACE: 'metadata.namespace',
    });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('sched');
  });

  test('the elector is hardened, sized on its own, listed on its port, and the Service sends it nothing', () => {
    expect(elector.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true });
    expect(elector.resources.limits).toMatchObject({ cpu: '100m', memory: '64Mi' });
    expect(elector.ports).toEqual([{ containerPort: 4040, name: 'elector', protocol: 'TCP' }]);
    expect(findObject(out, 'Service', 'sched').spec.ports).toEqual([{ name: 'http', port: 8080, targetPort: 8080, protocol: 'TCP' }]);
  });

  test('the pods reach the API server (for the elector)', () => {
    expect(findObject(out, 'NetworkPolicy', 'sched').spec.egress).toContainEqual({
      to: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }],
      ports: [{ port: 443, protocol: 'TCP' }, { port: 6443, protocol: 'TCP' }],
    });
  });

  test('native: the elector starts before the app, as an init container that keeps running', () => {
    const probe = HealthProbe.exec(['/elector', 'status']);
    const sidecar = { ...ELECTOR, health: HealthCheck.of({ startup: probe, readiness: probe, liveness: probe }) };
    const n = singleton({ locking: SingletonLocking.electionSidecar({ sidecar, native: true, leaseName: 'sweep', leaseDuration: Duration.seconds(30) }) });
    const np = findObject(synth(n.node.scope as Chart), 'Deployment', 'sched').spec.template.spec;
    expect(np.containers.map((c: any) => c.name)).toEqual(['app']);
    expect(np.initContainers).toEqual([expect.objectContaining({ name: 'elector', restartPolicy: 'Always' })]);
    expect(np.initContainers[0].env).toContainEqual({ name: 'LEASE_NAME', value: 'sweep' });
    expect(np.initContainers[0].env).toContainEqual({ name: 'LEASE_DURATION_SECONDS', value: '30' });
  });

  test.each([
    ['no sidecar', { sidecar: undefined }, 'locking.electionSidecar.sidecar (undefined) is required: the election container'],
    ['no port', { sidecar: { ...ELECTOR, port: undefined } }, 'locking.electionSidecar.sidecar.port (undefined) is required'],
    ['no health', { sidecar: { ...ELECTOR, health: undefined } }, 'locking.electionSidecar.sidecar.health (undefined) is required'],
    ['elector env the election sets', { sidecar: { ...ELECTOR, env: { LEASE_NAME: 'x' } } },
      'locking.electionSidecar.sidecar.env["LEASE_NAME"] ("LEASE_NAME") must not be one of POD_NAME, POD_NAMESPACE, LEASE_NAME'],
    ['one replica', { sidecar: ELECTOR, replicas: 1 }, 'locking.electionSidecar.replicas (1) must be at least 2'],
    ['an unknown option', { sidecar: ELECTOR, port: 4040 }, 'locking.electionSidecar.port'],
    ['an unpinned elector', { sidecar: { ...ELECTOR, image: 'elector' } }, 'locking.electionSidecar.sidecar.image ("elector")'],
    ['native not a boolean', { sidecar: ELECTOR, native: 'yes' }, 'locking.electionSidecar.native ("yes") must be true or false'],
  ])('bad input: %s', (_name, options, expected) => {
    expect(errorOfProps({ locking: SingletonLocking.electionSidecar(options as any) })).toContain(`ops/sched: ${expected}`);
  });

  test('bad input: app env the election sets, and one port for both', () => {
    const message = errorOfProps({ port: 4040, env: { ELECTION_URL: 'x' }, locking: SingletonLocking.electionSidecar({ sidecar: ELECTOR }) });
    expect(message).toContain('ops/sched: env["ELECTION_URL"] ("ELECTION_URL") must not be one of POD_NAME, ELECTION_URL: leader election sets them');
    expect(message).toContain('ops/sched: locking.electionSidecar.sidecar.port (4040) must differ from port (4040)');
    // POD_NAMESPACE is the app's own to set with an election sidecar
    expect(() => render({ env: { POD_NAMESPACE: 'ops' }, locking: SingletonLocking.electionSidecar({ sidecar: ELECTOR }) })).not.toThrow();
  });

  test('bad input: apiAccess, or the app mounting the token the elector alone holds', () => {
    const locking = SingletonLocking.electionSidecar({ sidecar: ELECTOR });
    expect(errorOfProps({ apiAccess: true, locking })).toContain('ops/sched: apiAccess (true) does not apply with SingletonLocking.electionSidecar()');
    expect(errorOfProps({ mounts: [{ volume: 'kube-api-access', path: '/var/run/secrets/kubernetes.io/serviceaccount' }], locking }))
      .toContain('ops/sched: mounts[0].volume ("kube-api-access") must not be the ServiceAccount token');
  });

  test('bad input: the elector\'s env, variables and mounts of the wrong type are reported as such, not spread', () => {
    const message = errorOfProps({
      locking: SingletonLocking.electionSidecar({ sidecar: { ...ELECTOR, envVariables: 'POD' as any, env: ['A'] as any, mounts: 'x' as any } }),
    });
    expect(message).toContain('locking.electionSidecar.sidecar.envVariables ("POD")');
    expect(message).toContain('locking.electionSidecar.sidecar.env (["A"])');
    expect(message).toContain('locking.electionSidecar.sidecar.mounts ("x")');
    expect(message).not.toContain('envVariables[0]');
  });

  test('missing options give a validation error, never a TypeError', () => {
    expect(errorOfProps({ locking: SingletonLocking.electionSidecar(undefined as any) }))
      .toContain('ops/sched: locking.electionSidecar.sidecar (undefined) is required');
  });
});

describe('in application options', () => {
  test('defaults: 2 replicas, no Service without a port', () => {
    const out = render({ locking: SingletonLocking.inApplication() });
    expect(findObject(out, 'Deployment', 'sched').spec.replicas).toBe(2);
    expect(objectsOf(out, 'Service')).toHaveLength(0);
    expect(findObject(out, 'PodDisruptionBudget', 'sched').spec.maxUnavailable).toBe(1);
  });

  test('lease name and duration', () => {
    const out = render({ locking: SingletonLocking.inApplication({ leaseName: 'billing.scheduler-lock', leaseDuration: Duration.seconds(30) }) });
    expect(findObject(out, 'Lease', 'billing.scheduler-lock').spec).toEqual({ leaseDurationSeconds: 30 });
    expect(findObject(out, 'Role', 'sched-leader-election').rules[0].resourceNames).toEqual(['billing.scheduler-lock']);
    const env = mainContainer(findObject(out, 'Deployment', 'sched')).env;
    expect(env).toEqual(expect.arrayContaining([
      { name: 'LEASE_NAME', value: 'billing.scheduler-lock' }, { name: 'LEASE_DURATION_SECONDS', value: '30' },
    ]));
  });

  test('an explicit health check replaces the TCP default', () => {
    const out = render({ port: 8080, health: HealthCheck.http('/healthz'), locking: SingletonLocking.inApplication() });
    expect(mainContainer(findObject(out, 'Deployment', 'sched')).readinessProbe).toMatchObject({ httpGet: { path: '/healthz', port: 8080 } });
  });

  test('user env comes first, leader-election env after it', () => {
    const out = render({ env: { MODE: 'strict' }, locking: SingletonLocking.inApplication() });
    expect(mainContainer(findObject(out, 'Deployment', 'sched')).env.map((e: any) => e.name))
      .toEqual(['MODE', 'POD_NAME', 'POD_NAMESPACE', 'LEASE_NAME', 'LEASE_DURATION_SECONDS']);
  });

  test('a chart without a namespace: the subject has none, and RBAC reads it as the binding\'s own', () => {
    const out = synth(singleton({ locking: SingletonLocking.inApplication() }, newChart('ops')).node.scope as Chart);
    expect(findObject(out, 'RoleBinding', 'sched-leader-election').subjects).toEqual([{ apiGroup: '', kind: 'ServiceAccount', name: 'sched' }]);
  });
});

describe('QoS tier and added containers', () => {
  const lockings: Array<[string, SingletonLocking, string]> = [
    ['StatefulSet', SingletonLocking.outOfApplication(), 'StatefulSet'],
    ['Deployment', SingletonLocking.outOfApplication({ kind: SingletonWorkloadKind.DEPLOYMENT }), 'Deployment'],
    ['leader election', SingletonLocking.inApplication(), 'Deployment'],
  ];

  test.each(lockings)('%s: Guaranteed on every container, sidecars and init containers hardened', (_n, locking, kind) => {
    // GIVEN Guaranteed demands and two added containers
    const s = singleton({ locking, port: 8080, demands: Demands.guaranteed({ cpu: kplus.Cpu.millis(250), memory: Size.mebibytes(256) }) });
    s.addContainer({ name: 'proxy', image: 'ghcr.io/acme/proxy:2.0.1', port: 15001 });
    s.addInitContainer({ name: 'migrate', image: 'ghcr.io/acme/migrate:1.0.0' });
    // WHEN synthesised
    const spec = findObject(synth(s.node.scope as Chart), kind, 'sched').spec.template.spec;
    // THEN the pod is Guaranteed and every container hardened
    expect(PodQos.classify(spec)).toBe(QosClass.GUARANTEED);
    const all = [...spec.containers, ...spec.initContainers];
    expect(all.map((c: any) => c.name).sort()).toEqual(['app', 'migrate', 'proxy']);
    for (const c of all) {
      expect(c.resources).toEqual({
        requests: { 'cpu': '250m', 'memory': '256Mi', 'ephemeral-storage': '128Mi' },
        limits: { 'cpu': '250m', 'memory': '256Mi', 'ephemeral-storage': '1Gi' },
      });
      expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true });
    }
    // AND the leader-election env stays on the main container only
    expect(spec.containers.find((c: any) => c.name === 'proxy').env).toBeUndefined();
  });

  test('a Burstable sidecar on a Guaranteed singleton fails synth, naming the container', () => {
    const s = singleton({ demands: Demands.guaranteed({ cpu: kplus.Cpu.millis(250), memory: Size.mebibytes(256) }) });
    s.addContainer({ name: 'proxy', image: 'ghcr.io/acme/proxy:2.0.1', demands: Demands.burstable({ requests: { cpu: kplus.Cpu.millis(50) } }) });
    expect(() => synth(s.node.scope as Chart))
      .toThrow(/statefulSet.spec.template.spec QoS class \("Burstable"\) must be Guaranteed, as demands asks: .*proxy/);
  });
});

describe('SingletonService bad input', () => {
  const cases: Array<[string, Partial<SingletonServiceProps>, string]> = [
    ['no locking', { locking: undefined },
      'locking (undefined) must be created with SingletonLocking.outOfApplication(), SingletonLocking.inApplication() or SingletonLocking.electionSidecar()'],
    ['a plain-object locking', { locking: { kind: 'InApplication' } as any },
      'locking ({"kind":"InApplication"}) must be created with SingletonLocking'],
    ['an unknown workload kind', { locking: SingletonLocking.outOfApplication({ kind: 'DaemonSet' as any }) },
      'locking.outOfApplication.kind ("DaemonSet") must be SingletonWorkloadKind.STATEFUL_SET or SingletonWorkloadKind.DEPLOYMENT'],
    ['one replica for leader election', { locking: SingletonLocking.inApplication({ replicas: 1 }) },
      'locking.inApplication.replicas (1) must be at least 2 (a leader and a standby); for one replica use SingletonLocking.outOfApplication()'],
    ['negative replicas', { locking: SingletonLocking.inApplication({ replicas: -3 }) }, 'locking.inApplication.replicas (-3) must be at least 2'],
    ['fractional replicas', { locking: SingletonLocking.inApplication({ replicas: 2.5 }) },
      'locking.inApplication.replicas (2.5) must be an integer'],
    ['replicas beyond int32', { locking: SingletonLocking.inApplication({ replicas: 2 ** 31 }) },
      'locking.inApplication.replicas (2147483648) must be >= 2 (and at most 2147483647)'],
    ['a bad lease name', { locking: SingletonLocking.inApplication({ leaseName: 'Leader_Lock' }) },
      'locking.inApplication.leaseName ("Leader_Lock") must be a DNS-1123 subdomain'],
    ['a fractional lease duration', { locking: SingletonLocking.inApplication({ leaseDuration: Duration.millis(1500) }) },
      'locking.inApplication.leaseDuration ("1.5s") must be a whole number of seconds, at least 1'],
    ['a zero lease duration', { locking: SingletonLocking.inApplication({ leaseDuration: Duration.seconds(0) }) },
      'locking.inApplication.leaseDuration ("0s") must be a whole number of seconds, at least 1'],
    ['a lease duration as a number', { locking: SingletonLocking.inApplication({ leaseDuration: 15 as any }) },
      'locking.inApplication.leaseDuration (15) must be a Duration'],
    ['env that shadows leader-election env', { env: { POD_NAME: 'x' }, locking: SingletonLocking.inApplication() },
      'env["POD_NAME"] ("POD_NAME") must not be one of POD_NAME, POD_NAMESPACE, LEASE_NAME, LEASE_DURATION_SECONDS: leader election sets them'],
    ['an ordered variable that shadows leader-election env',
      { envVariables: [EnvVariable.literal('LEASE_NAME', 'x')], locking: SingletonLocking.inApplication() },
      'envVariables[0].name ("LEASE_NAME") must not be one of POD_NAME, POD_NAMESPACE, LEASE_NAME, LEASE_DURATION_SECONDS: leader election sets them'],
    ['a budget that blocks every eviction of one replica', { disruptionBudget: DisruptionBudget.minAvailable(1) },
      'disruptionBudget.minAvailable (1) must be less than replicas (1), or it blocks every eviction'],
    ['a budget that blocks every eviction of the replicas',
      { locking: SingletonLocking.inApplication({ replicas: 3 }), disruptionBudget: DisruptionBudget.minAvailable(3) },
      'disruptionBudget.minAvailable (3) must be less than replicas (3), or it blocks every eviction'],
    ['maxUnavailable 0', { locking: SingletonLocking.inApplication(), disruptionBudget: DisruptionBudget.maxUnavailable(0) },
      'disruptionBudget.maxUnavailable (0) must be at least 1 (0 blocks every eviction)'],
    ['a plain-object budget', { disruptionBudget: { maxUnavailable: 1 } as any },
      'disruptionBudget ({"maxUnavailable":1}) must be created with DisruptionBudget'],
    ['a StatefulSet name with no room for the revision hash label', { name: 'a'.repeat(53) },
      `name ("${'a'.repeat(53)}") must be at most 52 characters`],
    ['replicas at the top level (a JavaScript caller)', { replicas: 3 } as any,
      'replicas (3) is not a prop of SingletonService: the locking decides it'],
    ['a strategy (a JavaScript caller)', { strategy: {} } as any, 'strategy ({}) is not a prop of SingletonService: the locking decides it'],
    ['a port out of range', { port: 70000 }, 'port (70000) must be an integer from 1 to 65535'],
  ];

  test.each(cases)('%s', (_name, props, expected) => {
    const message = errorOfProps(props);
    expect(message).toContain('ops/sched: ');
    expect(message).toContain(expected);
  });

  test('a 53-character name fits a Deployment (no revision hash label on its pods)', () => {
    const locking = SingletonLocking.outOfApplication({ kind: SingletonWorkloadKind.DEPLOYMENT });
    expect(() => render({ name: 'a'.repeat(53), locking })).not.toThrow();
  });

  test('one error lists every problem', () => {
    const message = errorOfProps({ locking: SingletonLocking.inApplication({ replicas: 1, leaseName: 'Bad' }), env: { LEASE_NAME: 'x' } });
    expect(message).toMatch(/^cdk8s-patterns: 3 invalid values:/);
    for (const prop of ['locking.inApplication.replicas (1)', 'locking.inApplication.leaseName ("Bad")', 'env["LEASE_NAME"] ("LEASE_NAME")']) {
      expect(message).toContain(`ops/sched: ${prop}`);
    }
  });

  test('missing props give a validation error, never a TypeError', () => {
    expect(errorOf(() => new SingletonService(newChart('ops'), 'sched', undefined as any)))
      .toContain('locking (undefined) must be created with SingletonLocking');
    expect(() => render({ locking: SingletonLocking.inApplication(undefined as any) })).not.toThrow();
    expect(() => render({ locking: SingletonLocking.outOfApplication(undefined as any) })).not.toThrow();
    expect(errorOfProps({ image: undefined })).toContain('ops/sched: image (undefined)');
  });
});

describe('synth-time checks of what is changed after construction', () => {
  test('an autoscaler on an out-of-application singleton', () => {
    const s = singleton({ locking: SingletonLocking.outOfApplication({ kind: SingletonWorkloadKind.DEPLOYMENT }) });
    new kplus.HorizontalPodAutoscaler(s.node.scope as Chart, 'Hpa', { target: s.deployment!, maxReplicas: 3 });
    expect(errorOf(() => synth(s.node.scope as Chart)))
      .toContain('ops/sched: deployment.spec.replicas (undefined) must be 1: an out-of-application singleton runs exactly one pod');
  });

  test('a patched replica count', () => {
    const s = singleton({});
    ApiObject.of(s.statefulSet!).addJsonPatch(JsonPatch.replace('/spec/replicas', 2));
    expect(errorOf(() => synth(s.node.scope as Chart))).toContain('statefulSet.spec.replicas (2) must be 1');
  });

  test('a serviceName that points elsewhere (BAD-INPUT 22)', () => {
    const s = singleton({});
    ApiObject.of(s.statefulSet!).addJsonPatch(JsonPatch.replace('/spec/serviceName', 'other'));
    expect(errorOf(() => synth(s.node.scope as Chart)))
      .toContain('statefulSet.spec.serviceName ("other") must name the headless Service of this singleton ("sched-headless")');
  });

  test('a governing Service that is not headless (BAD-INPUT 22)', () => {
    const s = singleton({});
    // patches address the L1 props (clusterIp), which the generated serializer turns into clusterIP
    ApiObject.of(s.headlessService!).addJsonPatch(JsonPatch.replace('/spec/clusterIp', '10.96.0.42'));
    expect(errorOf(() => synth(s.node.scope as Chart))).toContain('headlessService.spec.clusterIP ("10.96.0.42") must be "None"');
  });

  test('a headless Service of type NodePort (BAD-INPUT 15)', () => {
    const s = singleton({});
    ApiObject.of(s.headlessService!).addJsonPatch(JsonPatch.replace('/spec/type', 'NodePort'));
    expect(errorOf(() => synth(s.node.scope as Chart))).toContain('headlessService.spec.type ("NodePort") must be ClusterIP');
  });

  test('a Service selector that matches no pod (BAD-INPUT 20)', () => {
    const s = singleton({ port: 8080 });
    s.service!.selectLabel('tier', 'web');
    const selector = '{"app.kubernetes.io/instance":"sched","app.kubernetes.io/name":"sched","tier":"web"}';
    expect(errorOf(() => synth(s.node.scope as Chart))).toContain(`service.spec.selector (${selector}) must match the pods of a StatefulSet of this construct`);
  });

  test('a Service target port the pod does not expose (BAD-INPUT 20)', () => {
    const s = singleton({ port: 8080, locking: SingletonLocking.inApplication() });
    s.service!.bind(9999);
    expect(errorOf(() => synth(s.node.scope as Chart))).toContain('service.spec.ports["9999"].targetPort (9999) must be a container port of every selected pod (missing in Deployment "sched")');
  });

  test('the rendered pod is still checked (restricted Pod Security)', () => {
    const s = singleton({ locking: SingletonLocking.inApplication() });
    s.deployment!.addContainer({
      name: 'raw', image: 'ghcr.io/acme/raw:1.0.0', securityContext: { ensureNonRoot: false, allowPrivilegeEscalation: true },
    });
    expect(errorOf(() => synth(s.node.scope as Chart))).toContain('deployment.spec.template.spec.containers["raw"]');
  });

  test('the Lease and RBAC objects pass the strict 1.28 schema (coordination.k8s.io/v1 Lease included)', () => {
    const s = singleton({ locking: SingletonLocking.inApplication() });
    expect(() => synth(s.node.scope as Chart)).not.toThrow();
    expect(s.lease).toBeInstanceOf(ApiObject);
  });
});
