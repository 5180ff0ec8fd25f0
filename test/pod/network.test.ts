import { Chart, Testing } from 'cdk8s';
import {
  BatchJob, DaemonService, HttpRoute, Ingress, NetworkPeer, NetworkProtocol, PeriodicJob, ServiceBackend, ServiceExposure,
  PolicyRule, SingletonLocking, SingletonService, StatefulService, StatelessService, Waiver,
} from '../../src';
import { errorOf, IMAGE } from '../helpers/errors';
import { findObject, Manifest, newChart, objectsOf, synth } from '../helpers/synth';

const DNS = { ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] };
const FROM_CLIENTS = { allowFrom: [{ peer: NetworkPeer.namespace('clients') }] };

function policy(out: Manifest[], name: string): any {
  return findObject(out, 'NetworkPolicy', name).spec;
}

/** The pod template labels of a rendered workload object. */
function podLabels(m: Manifest): { [k: string]: string } {
  return (m.kind === 'CronJob' ? m.spec.jobTemplate.spec.template : m.spec.template).metadata.labels;
}

describe('Network Segmentation: a default-deny NetworkPolicy for every workload', () => {
  test('every kind of workload gets a policy that selects its pods, denies all ingress and allows only DNS out', () => {
    const chart = newChart('shop', { namespace: 'shop' });
    new StatelessService(chart, 'api', { image: IMAGE, port: 8080, network: FROM_CLIENTS });
    new StatefulService(chart, 'db', { image: IMAGE, port: 5432, network: FROM_CLIENTS });
    new DaemonService(chart, 'agent', { image: IMAGE });
    new SingletonService(chart, 'cron-lock', { image: IMAGE, locking: SingletonLocking.outOfApplication() });
    new BatchJob(chart, 'import', { image: IMAGE });
    new PeriodicJob(chart, 'report', { image: IMAGE, schedule: '0 3 * * *' });
    const out = synth(chart);
    const workloads: Array<[string, string]> = [
      ['Deployment', 'api'], ['StatefulSet', 'db'], ['DaemonSet', 'agent'], ['StatefulSet', 'cron-lock'], ['Job', 'import'], ['CronJob', 'report'],
    ];
    for (const [kind, name] of workloads) {
      const spec = policy(out, name);
      expect(spec.policyTypes).toEqual(['Ingress', 'Egress']);
      expect(spec.egress[0]).toEqual(DNS);
      const labels = podLabels(findObject(out, kind, name));
      for (const [k, v] of Object.entries(spec.podSelector.matchLabels)) expect(labels[k]).toBe(v);
      if (name !== 'db') expect(spec.egress).toHaveLength(1);
    }
    // Nothing in: the pods without callers admit nobody.
    for (const name of ['agent', 'cron-lock', 'import', 'report']) expect(policy(out, name).ingress).toBeUndefined();
  });

  test('the book\'s four policies: deny all, allow from labelled pods, allow from a namespace, egress to DNS and one CIDR', () => {
    const chart = newChart('shop', { namespace: 'shop' });
    // deny all: a worker nobody calls and that calls nobody
    new BatchJob(chart, 'cleanup', { image: IMAGE });
    new StatelessService(chart, 'frontend', { image: IMAGE, port: 8080, labels: { tier: 'frontend' }, network: FROM_CLIENTS });
    new StatelessService(chart, 'api', {
      image: IMAGE,
      port: 8080,
      network: {
        allowFrom: [
          { peer: NetworkPeer.pods({ tier: 'frontend' }), ports: [8080] },
          { peer: NetworkPeer.namespace('monitoring'), ports: [8080] },
        ],
        allowTo: [{ peer: NetworkPeer.cidr('10.20.0.0/24', ['10.20.0.9/32']), ports: [5432] }],
      },
    });
    const out = synth(chart);
    expect(policy(out, 'cleanup')).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'cleanup', 'app.kubernetes.io/name': 'cleanup' } },
      policyTypes: ['Ingress', 'Egress'],
      egress: [DNS],
    });
    const api = policy(out, 'api');
    expect(api.ingress).toEqual([
      { from: [{ podSelector: { matchLabels: { tier: 'frontend' } } }], ports: [{ port: 8080, protocol: 'TCP' }] },
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ port: 8080, protocol: 'TCP' }] },
    ]);
    expect(api.egress).toEqual([DNS, { to: [{ ipBlock: { cidr: '10.20.0.0/24', except: ['10.20.0.9/32'] } }], ports: [{ port: 5432, protocol: 'TCP' }] }]);
  });

  test('other peers: pods of another namespace, labelled namespaces, anywhere (IPv4 and IPv6), UDP, every port', () => {
    const chart = newChart('shop');
    const w = new StatelessService(chart, 'dns-cache', { image: IMAGE, port: 5353, network: FROM_CLIENTS });
    w.allowTo(NetworkPeer.podsInNamespace('kube-system', { 'k8s-app': 'kube-dns' }), { ports: [53], protocol: NetworkProtocol.UDP });
    w.allowTo(NetworkPeer.namespacesLabelled({ team: 'platform' }));
    w.allowFrom(NetworkPeer.anywhere(), { ports: [5353] });
    const egress = policy(synth(chart), 'dns-cache').egress;
    expect(egress.slice(1)).toEqual([
      {
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [{ port: 53, protocol: 'UDP' }],
      },
      { to: [{ namespaceSelector: { matchLabels: { team: 'platform' } } }] },
    ]);
    expect(policy(synth(chart), 'dns-cache').ingress[1]).toEqual({
      from: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }], ports: [{ port: 5353, protocol: 'TCP' }],
    });
  });
});

describe('connectsTo: one call writes both sides', () => {
  test('egress on the caller and ingress on the target, on the target\'s main port by default', () => {
    const chart = newChart('shop', { namespace: 'shop' });
    const api = new StatelessService(chart, 'api', { image: IMAGE, port: 8080 });
    const web = new StatelessService(chart, 'web', { image: IMAGE, port: 3000, network: FROM_CLIENTS });
    web.connectsTo(api);
    const out = synth(chart);
    const labelsOf = (n: string) => ({ 'app.kubernetes.io/instance': n, 'app.kubernetes.io/name': n });
    expect(policy(out, 'web').egress[1]).toEqual({ to: [{ podSelector: { matchLabels: labelsOf('api') } }], ports: [{ port: 8080, protocol: 'TCP' }] });
    expect(policy(out, 'api').ingress).toEqual([{ from: [{ podSelector: { matchLabels: labelsOf('web') } }], ports: [{ port: 8080, protocol: 'TCP' }] }]);
  });

  test('across namespaces each side names the other\'s namespace', () => {
    const app = Testing.app();
    const api = new StatelessService(new Chart(app, 'backend', { namespace: 'backend' }), 'api', { image: IMAGE, port: 8080 });
    const web = new StatelessService(new Chart(app, 'frontend', { namespace: 'frontend' }), 'web', { image: IMAGE, port: 3000, network: FROM_CLIENTS });
    web.connectsTo(api, { ports: [8080] });
    const out = synth(app);
    expect(policy(out, 'web').egress[1].to[0].namespaceSelector).toEqual({ matchLabels: { 'kubernetes.io/metadata.name': 'backend' } });
    expect(policy(out, 'api').ingress[0].from[0].namespaceSelector).toEqual({ matchLabels: { 'kubernetes.io/metadata.name': 'frontend' } });
  });

  test('a job calls a database: jobs are covered too', () => {
    const chart = newChart('shop', { namespace: 'shop' });
    const db = new StatefulService(chart, 'db', { image: IMAGE, port: 5432 });
    new BatchJob(chart, 'migrate', { image: IMAGE }).connectsTo(db);
    const out = synth(chart);
    expect(policy(out, 'migrate').egress[1].ports).toEqual([{ port: 5432, protocol: 'TCP' }]);
    // The StatefulSet's own peers come first, then the job.
    expect(policy(out, 'db').ingress.map((r: any) => r.from[0].podSelector.matchLabels['app.kubernetes.io/name'])).toEqual(['db', 'migrate']);
  });

  test('bad calls: no port to call, a namespace on one side only, twice, not a workload', () => {
    const chart = newChart('shop');
    const worker = new BatchJob(chart, 'worker', { image: IMAGE });
    const web = new StatelessService(chart, 'web', { image: IMAGE, port: 3000, network: FROM_CLIENTS });
    expect(errorOf(() => web.connectsTo(worker))).toContain('shop/web: connectsTo("worker").ports (undefined) must list the ports to call: worker has no main port');
    const other = new StatelessService(newChart('x', { namespace: 'x' }), 'api', { image: IMAGE, port: 8080 });
    expect(errorOf(() => web.connectsTo(other))).toContain('is in namespace x and the caller in (the chart has none): give both charts a namespace, or neither');
    const api = new StatelessService(chart, 'api', { image: IMAGE, port: 8080 });
    web.connectsTo(api);
    expect(errorOf(() => web.connectsTo(api))).toContain('connectsTo("api").target ("api") is already connected to');
    expect(errorOf(() => web.connectsTo({} as any))).toContain('must be a workload of this library (for other pods use allowTo with a NetworkPeer)');
  });
});

describe('what admits traffic besides the rules', () => {
  test('a NodePort or LoadBalancer exposure admits everyone on the target port', () => {
    const chart = newChart('shop');
    new StatelessService(chart, 'api', { image: IMAGE, port: 8080, exposures: [ServiceExposure.loadBalancer({ reason: 'public API' })] });
    expect(policy(synth(chart), 'api').ingress).toEqual([
      { from: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }], ports: [{ port: 8080, protocol: 'TCP' }] },
    ]);
  });

  test('an Ingress and an HttpRoute admit their controller on the backend\'s target port, once per backend', () => {
    const chart = newChart('shop');
    const web = new StatelessService(chart, 'web', { image: IMAGE, port: 8080, servicePort: 80 });
    new Ingress(chart, 'ing', {
      controller: NetworkPeer.namespace('ingress-nginx'),
      rules: [
        { path: '/', pathType: 'Prefix' as any, backend: ServiceBackend.workload(web) },
        { path: '/api', pathType: 'Prefix' as any, backend: ServiceBackend.workload(web, 80) },
      ],
    });
    new HttpRoute(chart, 'route', {
      gateway: { name: 'public', namespace: 'gateways' },
      controller: NetworkPeer.namespace('gateways'),
      rules: [{ path: '/', backends: [{ backend: ServiceBackend.workload(web) }] }],
    });
    expect(policy(synth(chart), 'web').ingress).toEqual([
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [{ port: 8080, protocol: 'TCP' }] },
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gateways' } } }], ports: [{ port: 8080, protocol: 'TCP' }] },
    ]);
  });

  test('the pods of a StatefulService reach each other on every port, which does not count as callers of its Services', () => {
    const chart = newChart('shop');
    new StatefulService(chart, 'kv', { image: IMAGE, port: 7000, replicas: 3 });
    const message = errorOf(() => synth(chart));
    expect(message).toContain('shop/kv: network.allowFrom (7000) must admit the callers of port 7000, which Service "kv-headless", "kv" send traffic to');
    const chart2 = newChart('shop');
    new StatefulService(chart2, 'kv', { image: IMAGE, port: 7000, replicas: 3, network: FROM_CLIENTS });
    const kv = policy(synth(chart2), 'kv');
    const self = { podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'kv', 'app.kubernetes.io/name': 'kv' } } };
    expect(kv.ingress[1]).toEqual({ from: [self] });
    expect(kv.egress[1]).toEqual({ to: [self] });
  });
});

describe('API access: a bound token and the way to the API server, only when asked', () => {
  test('apiAccess mounts a projected token at the standard path, keeps automount off, and allows 443/6443 out', () => {
    const chart = newChart('ops');
    new BatchJob(chart, 'reconcile', { image: IMAGE, apiAccess: true, network: { apiServer: NetworkPeer.cidr('172.20.0.10/32') } });
    const out = synth(chart);
    const pod = findObject(out, 'Job', 'reconcile').spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('reconcile');
    expect(pod.volumes.find((v: any) => v.name === 'kube-api-access').projected.sources[0]).toEqual({ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'kube-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true });
    expect(policy(out, 'reconcile').egress[1]).toEqual({
      to: [{ ipBlock: { cidr: '172.20.0.10/32' } }], ports: [{ port: 443, protocol: 'TCP' }, { port: 6443, protocol: 'TCP' }],
    });
  });

  test('without apiAccess: no token volume, and an apiServer is reported as having no effect', () => {
    const chart = newChart('ops');
    new BatchJob(chart, 'plain', { image: IMAGE });
    const pod = findObject(synth(chart), 'Job', 'plain').spec.template.spec;
    expect(pod.volumes.map((v: any) => v.name)).not.toContain('kube-api-access');
    expect(errorOf(() => new BatchJob(newChart('ops'), 'x', { image: IMAGE, network: { apiServer: NetworkPeer.anywhere() } })))
      .toContain('network.apiServer ("NetworkPeer") has no effect: the pods do not talk to the API server (set apiAccess: true)');
  });

  test('leader election gets API access without asking; each workload its own ServiceAccount, never default', () => {
    const chart = newChart('ops');
    new SingletonService(chart, 'leader', { image: IMAGE, locking: SingletonLocking.inApplication() });
    const out = synth(chart);
    expect(policy(out, 'leader').egress[1].ports).toEqual([{ port: 443, protocol: 'TCP' }, { port: 6443, protocol: 'TCP' }]);
    const sa = findObject(out, 'ServiceAccount', 'leader');
    expect(sa.automountServiceAccountToken).toBe(false);
    expect(findObject(out, 'RoleBinding', 'leader-leader-election').subjects).toEqual([{ kind: 'ServiceAccount', name: 'leader', apiGroup: '' }]);
    expect(objectsOf(out, 'ServiceAccount')).toHaveLength(1);
  });
});

describe('bad network input: one error, every problem, nothing written', () => {
  test('wrong types and values from JavaScript', () => {
    const message = errorOf(() => new StatelessService(newChart('shop'), 'api', {
      image: IMAGE,
      port: 8080,
      network: {
        allowFrom: [
          { peer: NetworkPeer.cidr('10.0.0.0/33') },
          { peer: NetworkPeer.pods({}) },
          { peer: 'ingress-nginx' as any },
          null as any,
          { peer: NetworkPeer.namespace('Not_A_Namespace'), ports: [] },
          { peer: NetworkPeer.anywhere(), ports: [8080, 8080, 70000], protocol: 'ICMP' as any },
        ],
        allowTo: 'everywhere' as any,
        apiServer: '10.0.0.1' as any,
      },
      apiAccess: 'yes' as any,
    }));
    for (const part of [
      'network.allowFrom[0].peer.cidr ("10.0.0.0/33") must be a CIDR',
      'network.allowFrom[1].peer.labels ({}) must be a non-empty map of labels',
      'network.allowFrom[2].peer ("ingress-nginx") must be created with NetworkPeer.pods(), namespace(), cidr(), anywhere()',
      'network.allowFrom[3] (null) must be a rule',
      'network.allowFrom[4].peer.namespace ("Not_A_Namespace")',
      'network.allowFrom[4].ports ([]) must be a non-empty list of port numbers',
      'network.allowFrom[5].ports[1] (8080) is listed twice',
      'network.allowFrom[5].ports[2] (70000)',
      'network.allowFrom[5].protocol ("ICMP") must be a NetworkProtocol',
      'network.allowTo ("everywhere") must be a list of rules',
      'network.apiServer ("10.0.0.1") must be a NetworkPeer',
      'apiAccess ("yes") must be true or false',
    ]) expect(message).toContain(part);
  });

  test('at synth: a Service nobody may call, a rule for a port nobody serves, a pod peer that selects no pod of the app', () => {
    const chart = newChart('shop');
    new StatelessService(chart, 'api', {
      image: IMAGE,
      port: 8080,
      network: { allowFrom: [{ peer: NetworkPeer.pods({ tier: 'frontend' }), ports: [9999] }] },
    });
    const message = errorOf(() => synth(chart));
    expect(message).toContain('shop/api: network.allowFrom[0].ports (9999) admits traffic to a port no container of the pods listens on (8080)');
    expect(message).toContain('shop/api: network.allowFrom[0].peer ({"tier":"frontend"}) selects no pod of the app in namespace (none)');
    expect(message).toContain('shop/api: network.allowFrom (8080) must admit the callers of port 8080, which Service "api" sends traffic to');
  });

  test('a pod peer in a namespace the app does not make cannot be checked, and is accepted', () => {
    const chart = newChart('shop', { namespace: 'shop' });
    new StatelessService(chart, 'api', {
      image: IMAGE, port: 8080, network: { allowFrom: [{ peer: NetworkPeer.podsInNamespace('monitoring', { app: 'prometheus' }) }] },
    });
    expect(policy(synth(chart), 'api').ingress[0].from[0].podSelector).toEqual({ matchLabels: { app: 'prometheus' } });
  });

  test('such a peer is exempted on the NetworkPolicy (the link checkers cannot resolve): the user\'s EXTERNAL_REFERENCE reason, or the library\'s', () => {
    const build = (waivers?: Waiver[], namespace = 'monitoring') => {
      const chart = newChart('shop', { namespace: 'shop' });
      new StatelessService(chart, 'api', {
        image: IMAGE, port: 8080, waivers, network: { allowFrom: [{ peer: NetworkPeer.podsInNamespace(namespace, { app: 'prometheus' }), ports: [8080] }] },
      });
      if (namespace === 'shop') new StatelessService(chart, 'prometheus', { image: IMAGE, labels: { app: 'prometheus' } });
      return findObject(synth(chart), 'NetworkPolicy', 'api').metadata.annotations;
    };
    expect(build()).toEqual({
      'patterns.cdk8s.io/checker-ignore': 'LNK001: the NetworkPolicy names pods of monitoring, which this app does not make (NetworkPeer.podsInNamespace)',
      'patterns.cdk8s.io/policy-ignore': 'no-dangling-reference: the NetworkPolicy names pods of monitoring, which this app does not make (NetworkPeer.podsInNamespace)',
    });
    expect(build([Waiver.of(PolicyRule.EXTERNAL_REFERENCE, 'Prometheus comes with the monitoring stack')])['patterns.cdk8s.io/checker-ignore'])
      .toBe('LNK001: Prometheus comes with the monitoring stack');
    // pods of the app's own namespace are checked instead, and need no exemption
    expect(build(undefined, 'shop')).toBeUndefined();
  });

  test('an Ingress controller that is not a NetworkPeer', () => {
    const chart = newChart('shop');
    const web = new StatelessService(chart, 'web', { image: IMAGE, port: 8080, network: FROM_CLIENTS });
    expect(errorOf(() => new Ingress(chart, 'ing', { controller: 'ingress-nginx' as any, defaultBackend: ServiceBackend.workload(web) })))
      .toContain('shop/ing: controller ("ingress-nginx") must be a NetworkPeer');
  });

  test('allowFrom / allowTo methods check their rule when called, and synth reports it', () => {
    const web = new StatelessService(newChart('shop'), 'web', { image: IMAGE, port: 8080, network: FROM_CLIENTS });
    expect(errorOf(() => web.allowFrom(NetworkPeer.cidr('nope')))).toContain('shop/web: allowFrom().peer.cidr ("nope") must be a CIDR');
    expect(errorOf(() => web.allowTo(undefined as any))).toContain('shop/web: allowTo().peer (undefined) must be created with NetworkPeer');
  });
});
