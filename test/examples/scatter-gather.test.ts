import { runExample } from '../helpers/examples';
import { findObject, validateManifests } from '../helpers/synth';

describe('examples/scatter-gather.ts', () => {
  const out = runExample('scatter-gather.ts');

  test('valid Kubernetes 1.28 manifests, all in the search namespace: 4 index shards, the search API and its autoscaler', () => {
    expect(() => validateManifests(out)).not.toThrow();
    expect(out.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual([
      'ServiceAccount/index-shard', 'NetworkPolicy/index-shard', 'Service/index-shard-headless', 'StatefulSet/index-shard',
      'PodDisruptionBudget/index-shard',
      'ServiceAccount/search-api', 'NetworkPolicy/search-api', 'Deployment/search-api', 'Service/search-api', 'PodDisruptionBudget/search-api',
      'HorizontalPodAutoscaler/search-api',
    ]);
    for (const m of out) expect(m.metadata.namespace).toBe('search');
  });

  test('the shards: fixed at 4, started in parallel, each with a 50 GiB index volume of its own, found through the headless Service', () => {
    const sts = findObject(out, 'StatefulSet', 'index-shard');
    expect(sts.spec).toMatchObject({ replicas: 4, podManagementPolicy: 'Parallel', serviceName: 'index-shard-headless' });
    expect(sts.spec.volumeClaimTemplates).toEqual([expect.objectContaining({
      metadata: expect.objectContaining({ name: 'index' }),
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '50Gi' } }, volumeMode: 'Filesystem' },
    })]);
    expect(sts.spec.template.spec.containers[0].volumeMounts).toContainEqual({ name: 'index', mountPath: '/var/lib/search/index' });
    const headless = findObject(out, 'Service', 'index-shard-headless').spec;
    expect(headless).toMatchObject({ clusterIP: 'None', ports: [{ port: 9200, targetPort: 9200 }] });
    expect(headless).not.toHaveProperty('publishNotReadyAddresses'); // a shard still loading its index has no DNS record
    expect(out.some((m) => m.kind === 'Service' && m.metadata.name === 'index-shard')).toBe(false); // no client Service
  });

  test('the search API: every shard\'s address in its environment, then its own settings; its replicas left to the HPA', () => {
    const d = findObject(out, 'Deployment', 'search-api');
    expect(d.spec).not.toHaveProperty('replicas');
    expect(d.spec.template.spec.containers[0].env).toEqual([
      {
        name: 'LEAF_ADDRESSES',
        value: [0, 1, 2, 3].map((i) => `index-shard-${i}.index-shard-headless.search.svc.cluster.local:9200`).join(','),
      },
      { name: 'LEAF_COUNT', value: '4' },
      { name: 'LEAVES_SERVICE', value: 'index-shard-headless.search.svc.cluster.local' },
      { name: 'LEAF_PORT', value: '9200' },
      { name: 'SHARD_TIMEOUT', value: '250ms' },
      { name: 'TOP_K_PER_SHARD', value: '50' },
    ]);
    expect(findObject(out, 'HorizontalPodAutoscaler', 'search-api').spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'search-api' });
  });

  test('the network: the storefront\'s namespace may call the API, the API may call the shards on 9200, nothing else', () => {
    const api = { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'search-api', 'app.kubernetes.io/instance': 'search-api' } } };
    const shard = { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'index-shard', 'app.kubernetes.io/instance': 'index-shard' } } };
    const shop = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } };
    const apiPolicy = findObject(out, 'NetworkPolicy', 'search-api').spec;
    expect(apiPolicy.ingress).toEqual([{ from: [shop], ports: [{ port: 8080, protocol: 'TCP' }] }]);
    expect(apiPolicy.egress.slice(1)).toEqual([{ to: [shard], ports: [{ port: 9200, protocol: 'TCP' }] }]);
    const shardPolicy = findObject(out, 'NetworkPolicy', 'index-shard').spec;
    expect(shardPolicy.ingress).toEqual([{ from: [shard] }, { from: [api], ports: [{ port: 9200, protocol: 'TCP' }] }]);
    expect(shardPolicy.egress.slice(1)).toEqual([{ to: [shop], ports: [{ port: 8080, protocol: 'TCP' }] }, { to: [shard] }]);
  });
});
