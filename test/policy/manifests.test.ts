import {
  describeObject, isDigestPinned, isObject, longRunning, mapSelectorMatches, namespaceOf, ObjectIndex, parseImage, podOf, selectorMatches,
} from '../../src/policy/manifests';

const SHA = `sha256:${'0'.repeat(64)}`;

describe('images', () => {
  test.each([
    ['nginx', { repository: 'nginx', tag: undefined, digest: undefined }],
    ['nginx:1.25', { repository: 'nginx', tag: '1.25', digest: undefined }],
    ['registry.local:5000/team/app', { repository: 'registry.local:5000/team/app', tag: undefined, digest: undefined }],
    ['registry.local:5000/team/app:v2', { repository: 'registry.local:5000/team/app', tag: 'v2', digest: undefined }],
    [`ghcr.io/acme/api:1.4.2@${SHA}`, { repository: 'ghcr.io/acme/api', tag: '1.4.2', digest: SHA }],
    [`ghcr.io/acme/api@${SHA}`, { repository: 'ghcr.io/acme/api', tag: undefined, digest: SHA }],
  ])('parseImage(%s)', (image, parts) => {
    expect(parseImage(image)).toEqual(parts);
  });

  test('a digest pins only when it is one', () => {
    expect(isDigestPinned(`nginx@${SHA}`)).toBe(true);
    expect(isDigestPinned('nginx@sha256:abc')).toBe(false);
    expect(isDigestPinned('nginx:1.25')).toBe(false);
  });
});

describe('selectors', () => {
  const labels = { app: 'api', tier: 'web' };

  test.each([
    [{}, true],
    [{ matchLabels: { app: 'api' } }, true],
    [{ matchLabels: { app: 'db' } }, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'api'] }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['db'] }] }, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['web'] }] }, false],
    [{ matchExpressions: [{ key: 'app', operator: 'Exists' }] }, true],
    [{ matchExpressions: [{ key: 'zone', operator: 'Exists' }] }, false],
    [{ matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, false],
    [{ matchExpressions: [{ key: 'app', operator: 'Bogus' }] }, false],
    [undefined, false],
  ])('label selector %j: %s', (selector, expected) => {
    expect(selectorMatches(selector, labels)).toBe(expected);
  });

  test('a Service selector: every pair must match, and an empty one selects nothing', () => {
    expect(mapSelectorMatches({ app: 'api' }, { app: 'api', x: 'y' })).toBe(true);
    expect(mapSelectorMatches({ app: 'api', x: 'z' }, { app: 'api', x: 'y' })).toBe(false);
    expect(mapSelectorMatches({}, { app: 'api' })).toBe(false);
    expect(mapSelectorMatches(undefined, { app: 'api' })).toBe(false);
  });
});

describe('pods', () => {
  const spec = { initContainers: [{ name: 'init' }, { name: 'proxy', restartPolicy: 'Always' }], containers: [{ name: 'app' }, {}] };
  const template = { metadata: { labels: { app: 'x' }, annotations: { a: 'b' } }, spec };

  test.each([
    ['Deployment', { spec: { template } }, 'spec.template.spec', false],
    ['StatefulSet', { spec: { template } }, 'spec.template.spec', false],
    ['DaemonSet', { spec: { template } }, 'spec.template.spec', false],
    ['ReplicaSet', { spec: { template } }, 'spec.template.spec', false],
    ['Job', { spec: { template } }, 'spec.template.spec', true],
    ['CronJob', { spec: { jobTemplate: { spec: { template } } } }, 'spec.jobTemplate.spec.template.spec', true],
    ['PodTemplate', { template }, 'template.spec', false],
  ])('the pod of a %s', (kind, body, path, runsToCompletion) => {
    const pod = podOf({ apiVersion: 'v1', kind, metadata: { name: 'x' }, ...body })!;
    expect(pod.path).toBe(path);
    expect(pod.labels).toEqual({ app: 'x' });
    expect(pod.annotations).toEqual({ a: 'b' });
    expect(pod.runsToCompletion).toBe(runsToCompletion);
    expect(pod.containers.map((c) => [c.name, c.role, c.path])).toEqual([
      ['init', 'init', `${path}.initContainers[0]`],
      ['proxy', 'sidecar', `${path}.initContainers[1]`],
      ['app', 'container', `${path}.containers[0]`],
      ['#1', 'container', `${path}.containers[1]`],
    ]);
    expect(longRunning(pod).map((c) => c.name)).toEqual(['proxy', 'app', '#1']);
  });

  test('a bare Pod: its own labels; it runs to completion unless it restarts always', () => {
    const pod = podOf({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x', labels: { app: 'x' } }, spec: { containers: [], restartPolicy: 'Never' } })!;
    expect([pod.path, pod.labels, pod.runsToCompletion]).toEqual(['spec', { app: 'x' }, true]);
    expect(podOf({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' }, spec: { containers: [] } })!.runsToCompletion).toBe(false);
  });

  test('objects without a pod', () => {
    expect(podOf({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' } })).toBeUndefined();
    expect(podOf({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: {} })).toBeUndefined();
  });
});

describe('objects', () => {
  test('isObject: apiVersion, kind and metadata.name', () => {
    expect(isObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } })).toBe(true);
    expect(isObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} })).toBe(false);
    expect(isObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: null })).toBe(false);
    expect(isObject([])).toBe(false);
    expect(isObject(null)).toBe(false);
  });

  test('namespaces and descriptions', () => {
    expect(namespaceOf({ metadata: { name: 'x' } })).toBe('');
    expect(describeObject({ kind: 'Service', metadata: { name: 'x', namespace: 'shop' } })).toBe('Service/x (namespace shop)');
    expect(describeObject({ kind: 'Namespace', metadata: { name: 'shop' } })).toBe('Namespace/shop');
  });

  test('the index finds objects by kind, name and namespace; cluster-scoped kinds in any namespace', () => {
    const index = new ObjectIndex([
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'a', namespace: 'shop' } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'a', namespace: 'other' } },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reader' } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop', labels: { app: 'p' } }, spec: { containers: [] } },
    ]);
    expect(index.find('Service', 'a', 'shop')?.metadata.namespace).toBe('shop');
    expect(index.find('Service', 'a', 'nowhere')).toBeUndefined();
    expect(index.find('ClusterRole', 'reader', 'shop')).toBeDefined();
    expect(index.ofKind('Service')).toHaveLength(2);
    expect(index.ofKind('Ingress')).toEqual([]);
    expect(index.podsWhere('shop', (l) => l.app === 'p').map((p) => p.owner.metadata.name)).toEqual(['p']);
    expect(index.podsWhere('other', () => true)).toEqual([]);
  });
});
