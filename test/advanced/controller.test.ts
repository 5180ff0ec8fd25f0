import * as kplus from 'cdk8s-plus-28';
import { ApiVerb, Controller, ControllerProps, ControllerScope, HealthCheck, NetworkPeer, PolicyCheck, PolicyRule, RbacRule, Waiver } from '../../src';
import { errorOf } from '../helpers/errors';
import { findObject, Manifest, newChart, objectsOf, synth } from '../helpers/synth';

const IMAGE = 'ghcr.io/acme/config-watcher:1.2.0';
const KUBECTL = 'registry.k8s.io/kubectl:v1.28.15';
const { CONFIG_MAPS, PODS, SECRETS } = kplus.ApiResource;

/** A controller `watcher` in namespace `ops`, synthesised with the PolicyCheck (every check ran, every manifest validated). */
function build(props: Partial<ControllerProps>, namespace: string | null = 'ops'): { manifests: Manifest[]; controller: Controller } {
  const chart = newChart('ops', namespace ? { namespace } : {});
  const controller = new Controller(chart, 'watcher', {
    image: IMAGE,
    port: 8081,
    health: HealthCheck.http('/readyz'),
    watches: [CONFIG_MAPS],
    network: { allowFrom: [{ peer: NetworkPeer.namespace('monitoring'), ports: [8081] }] },
    ...props,
  } as ControllerProps);
  PolicyCheck.addTo(chart);
  return { manifests: synth(chart), controller };
}

const podSpec = (m: Manifest[]) => findObject(m, 'Deployment', 'watcher').spec.template.spec;

describe('Controller: a workload that watches resources and acts on them', () => {
  test('one replica, its ServiceAccount, a Role with what it watches, bound to it, a token and egress to the API server', () => {
    const { manifests, controller } = build({});
    const deployment = findObject(manifests, 'Deployment', 'watcher');
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.strategy).toEqual({ type: 'Recreate' });
    expect(podSpec(manifests).serviceAccountName).toBe('watcher');
    expect(findObject(manifests, 'Role', 'watcher').rules).toEqual([{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }]);
    expect(findObject(manifests, 'RoleBinding', 'watcher')).toMatchObject({
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'watcher' },
      subjects: [{ kind: 'ServiceAccount', name: 'watcher', namespace: 'ops' }],
    });
    // the controller's container has the bound token; the NetworkPolicy lets it reach the API server
    expect(podSpec(manifests).containers[0].volumeMounts).toContainEqual({ name: 'kube-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true });
    expect(findObject(manifests, 'NetworkPolicy', 'watcher').spec.egress).toContainEqual(expect.objectContaining({
      ports: [{ port: 443, protocol: 'TCP' }, { port: 6443, protocol: 'TCP' }],
    }));
    expect(controller.apiUrl).toBe('https://kubernetes.default.svc');
    expect(controller.workload.name).toBe('watcher');
    expect(controller.role.roleName).toBe('watcher');
  });

  test('writes get create, update, patch and delete; rules say what the two cannot', () => {
    const { manifests } = build({
      watches: [CONFIG_MAPS, kplus.ApiResource.DEPLOYMENTS],
      writes: [CONFIG_MAPS],
      rules: [RbacRule.allow({ verbs: [ApiVerb.LIST, ApiVerb.DELETE], resources: [PODS] })],
    });
    expect(findObject(manifests, 'Role', 'watcher').rules).toEqual([
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['configmaps'], verbs: ['create', 'update', 'patch', 'delete'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['list', 'delete'] },
    ]);
  });

  test('what checkers flag is refused unless waived, and the RBAC waiver lands on the Role', () => {
    expect(errorOf(() => build({ writes: [PODS] }).controller)).toContain('ops/watcher/Role: rules[1]');
    expect(errorOf(() => build({ watches: [SECRETS] }).controller)).toContain('ops/watcher/Role: rules[0]');
    const { manifests } = build({ watches: [SECRETS], waivers: [Waiver.of(PolicyRule.RBAC_SECRET_READ, 'it copies TLS secrets into the namespaces that ask')] });
    expect(findObject(manifests, 'Role', 'watcher').metadata.annotations).toMatchObject({
      'patterns.cdk8s.io/policy-ignore': 'rbac-no-dangerous-access: it copies TLS secrets into the namespaces that ask',
    });
    expect(findObject(manifests, 'Deployment', 'watcher').metadata.annotations?.['patterns.cdk8s.io/policy-ignore'] ?? '').not.toContain('rbac');
  });

  test('more replicas elect a leader through a Lease', () => {
    const { manifests } = build({ replicas: 3 });
    expect(findObject(manifests, 'Deployment', 'watcher').spec.replicas).toBe(3);
    expect(findObject(manifests, 'Lease', 'watcher-leader')).toBeDefined();
    expect(findObject(manifests, 'Role', 'watcher-leader-election').rules).toEqual([
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: ['watcher-leader'], verbs: ['get', 'update'] },
    ]);
  });

  test('cluster-wide only when asked: a ClusterRole and ClusterRoleBinding named <namespace>-<name>', () => {
    const { manifests } = build({ scope: ControllerScope.CLUSTER });
    expect(objectsOf(manifests, 'Role').filter((r) => r.metadata.name === 'watcher')).toEqual([]);
    const role = findObject(manifests, 'ClusterRole', 'ops-watcher');
    expect(role.metadata.namespace).toBeUndefined();
    expect(findObject(manifests, 'ClusterRoleBinding', 'ops-watcher')).toMatchObject({
      roleRef: { kind: 'ClusterRole', name: 'ops-watcher' }, subjects: [{ kind: 'ServiceAccount', name: 'watcher', namespace: 'ops' }],
    });
  });

  test('the API through an ambassador: kubectl proxy on 127.0.0.1 holds the token, the controller has none', () => {
    const { manifests, controller } = build({
      apiProxy: { image: KUBECTL },
      network: {
        allowFrom: [{ peer: NetworkPeer.namespace('monitoring'), ports: [8081] }], apiServer: NetworkPeer.cidr('10.0.0.1/32'),
      },
    });
    const [app, proxy] = podSpec(manifests).containers;
    expect(app.volumeMounts.map((m: any) => m.name)).not.toContain('kube-api-access');
    expect(proxy).toMatchObject({
      name: 'api-proxy',
      image: KUBECTL,
      args: ['proxy', '--address=127.0.0.1', '--port=8001', '--www=/tmp', '--www-prefix=/local/'],
      volumeMounts: expect.arrayContaining([{ name: 'kube-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }]),
      // ready when the API server is; alive while the proxy answers on its own (an API server outage never restarts it)
      readinessProbe: expect.objectContaining({ exec: { command: ['kubectl', '--server=http://127.0.0.1:8001', 'get', '--raw=/readyz'] } }),
      livenessProbe: expect.objectContaining({ exec: { command: ['kubectl', '--server=http://127.0.0.1:8001', 'get', '--raw=/local/'] } }),
    });
    expect(controller.apiUrl).toBe('http://127.0.0.1:8001');
    expect(findObject(manifests, 'NetworkPolicy', 'watcher').spec.egress).toContainEqual({
      to: [{ ipBlock: { cidr: '10.0.0.1/32' } }], ports: [{ port: 443, protocol: 'TCP' }, { port: 6443, protocol: 'TCP' }],
    });
    expect(podSpec(manifests).automountServiceAccountToken).toBe(false);
  });
});

describe('Controller: the proxy with leader election', () => {
  test('two replicas elect a leader through the proxy: the proxy holds the one token volume, the controller none', () => {
    const { manifests } = build({ replicas: 2, apiProxy: { image: KUBECTL } });
    const spec = podSpec(manifests);
    expect(spec.volumes.filter((v: any) => v.name === 'kube-api-access')).toHaveLength(1);
    const [app, proxy] = spec.containers;
    expect(app.volumeMounts.map((m: any) => m.name)).not.toContain('kube-api-access');
    expect(proxy.volumeMounts.map((m: any) => m.name)).toContain('kube-api-access');
    expect(findObject(manifests, 'Role', 'watcher-leader-election')).toBeDefined();
  });

  test('a network prop of the wrong shape is the library\'s error, with or without the proxy', () => {
    expect(errorOf(() => build({ apiProxy: { image: KUBECTL }, network: { allowTo: {} as any } }).controller)).toContain('ops/watcher/Workload: network.allowTo');
  });
});

describe('Controller: bad input, one error', () => {
  test('every problem of the props at once', () => {
    const message = errorOf(() => build({
      watches: [], replicas: 0, apiAccess: true, scope: 'Everywhere' as any, apiProxy: { image: KUBECTL, port: 8081 }, writes: 'pods' as any,
    }).controller);
    for (const line of [
      'ops/watcher: apiAccess (true) is set by the Controller',
      'ops/watcher: watches ([]) must list at least one resource the controller watches',
      'ops/watcher: writes ("pods") must be a list of resources',
      'ops/watcher: scope ("Everywhere") must be a ControllerScope',
      'ops/watcher: replicas (0) must be >= 1',
      'ops/watcher: apiProxy.port (8081) must differ from port (8081): both listen in one pod',
    ]) expect(message).toContain(line);
  });

  test('the workload\'s own checks name the workload inside the controller, and nothing is built', () => {
    const chart = newChart('ops');
    const c = new Controller(chart, 'watcher', { image: 'nginx', watches: [CONFIG_MAPS] });
    expect(errorOf(() => chart)).toContain('ops/watcher/Workload: image ("nginx") must be pinned');
    expect(chart.node.tryFindChild('watcher')).toBeUndefined();
    expect(() => c.workload).toThrow(/cannot be used/);
  });

  test('wrong types from JavaScript end in the library\'s error, never a TypeError; unknown keys name the nearest', () => {
    for (const props of [{ watches: null }, { watches: [null] }, { rules: [null] }, { apiProxy: null }, { apiProxy: { image: 42 } }, { replicas: '2' }, { waivers: 'x' }]) {
      expect(errorOf(() => build(props as any).controller)).toMatch(/^cdk8s-patterns: \d+ invalid values?:\n {2}- ops\/watcher/);
    }
    expect(errorOf(() => build({ watch: [CONFIG_MAPS] } as any).controller)).toContain('ops/watcher: watch ([{"apiGroup":"","resourceType":"configmaps"}]) is not a prop of ControllerProps: did you mean "watches"?');
  });
});

describe('Controller: the chart', () => {
  test('a cluster-wide controller needs its chart\'s namespace: the ClusterRoleBinding names its ServiceAccount\'s', () => {
    expect(errorOf(() => build({ scope: ControllerScope.CLUSTER }, null).controller))
      .toContain('ops/watcher/Binding: subjects[0].namespace (undefined) must be set: a ClusterRoleBinding must name the namespace of ServiceAccount "watcher"');
  });
});
