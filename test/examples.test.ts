import * as fs from 'fs';
import { EXAMPLES, runExample } from './helpers/examples';
import { findObject, Manifest, validateManifests } from './helpers/synth';

/**
 * Every example under examples/ synthesises, in-process, and its YAML passes the strict
 * Kubernetes 1.28 schema check. (The independent checker runs on the same output in the test task.)
 */
const files = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).sort();

describe('examples', () => {
  test('there are examples', () => expect(files.length).toBeGreaterThanOrEqual(6));

  test.each(files)('%s synthesises valid Kubernetes 1.28 manifests', (file) => {
    const manifests = runExample(file);
    expect(manifests.length).toBeGreaterThan(0);
    expect(() => validateManifests(manifests)).not.toThrow();
    for (const m of manifests) expect(m.metadata.labels['app.kubernetes.io/managed-by']).toBe('cdk8s-patterns');
  });
});

/** The pod spec of the one workload named `name` in an example's output. */
function podOf(manifests: Manifest[], kind: string, name: string): any {
  const m = manifests.find((x) => x.kind === kind && x.metadata.name === name);
  if (!m) throw new Error(`no ${kind}/${name} (have: ${manifests.map((x) => `${x.kind}/${x.metadata.name}`).join(', ')})`);
  return m.spec.template.spec;
}

const mountsOf = (c: any) => Object.fromEntries((c.volumeMounts ?? []).map((m: any) => [m.mountPath, m]));

describe('each pod-composition example carries its pattern', () => {
  test('web-content-sidecar: an init container clones into the emptyDir a sidecar keeps current and httpd serves read-only', () => {
    const out = runExample('web-content-sidecar.ts');
    const spec = podOf(out, 'Deployment', 'web');
    const [app, sync] = spec.containers;
    const [clone] = spec.initContainers;
    expect([app.name, sync.name, clone.name]).toEqual(['app', 'sync', 'clone']);
    expect(spec.volumes.find((v: any) => v.name === 'site').emptyDir).toEqual({ sizeLimit: '64Mi' });
    expect(mountsOf(clone)['/git'].name).toBe('site');
    expect(mountsOf(sync)['/git'].name).toBe('site');
    expect(mountsOf(app)['/srv/site']).toEqual({ name: 'site', mountPath: '/srv/site', readOnly: true });
    expect(clone.args).toContain('--one-time');
    // httpd stays read-only at the root, with its logs directory writable, and listens on 8080 behind port 80.
    expect(app.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(mountsOf(app)['/usr/local/apache2/logs'].name).toBe('app-usr-local-apache2-logs');
    expect(findObject(out, 'Service', 'web').spec.ports[0]).toMatchObject({ port: 80, targetPort: 8080 });
    const conf = spec.volumes.find((v: any) => v.name === 'httpd-conf').configMap.name;
    expect(findObject(out, 'ConfigMap', conf).data['httpd.conf']).toContain('Listen 8080');
  });

  test('adapter-log-metrics: the exporter reads the shared log and is the second port of the Service, with a ServiceMonitor', () => {
    const out = runExample('adapter-log-metrics.ts');
    const d = out.find((m) => m.kind === 'Deployment' && m.metadata.name === 'billing')!;
    const [app, mtail] = d.spec.template.spec.containers;
    expect(mountsOf(app)['/var/log/billing'].name).toBe('logs');
    expect(mountsOf(mtail)['/var/log/billing']).toEqual({ name: 'logs', mountPath: '/var/log/billing', readOnly: true });
    expect(mtail.ports).toEqual([{ containerPort: 3903, name: 'metrics', protocol: 'TCP' }]);
    expect(d.spec.template.metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '3903', 'prometheus.io/path': '/metrics' });
    expect(findObject(out, 'Service', 'billing').spec.ports.map((p: any) => p.name)).toEqual(['http', 'metrics']);
    expect(findObject(out, 'ServiceMonitor', 'billing-mtail').spec.endpoints).toEqual([{ port: 'metrics', path: '/metrics', interval: '30s' }]);
  });

  test('ambassador-log-proxy: a native sidecar on localhost that the app reaches through its env, not exposed', () => {
    const out = runExample('ambassador-log-proxy.ts');
    const spec = podOf(out, 'Deployment', 'payments');
    const [proxy] = spec.initContainers;
    expect(proxy).toMatchObject({ name: 'audit-proxy', restartPolicy: 'Always' });
    expect(proxy.startupProbe.httpGet.port).toBe(2020);
    expect(proxy.args.join(' ')).toContain('listen=127.0.0.1');
    expect(spec.containers[0].env).toContainEqual({ name: 'AUDIT_ENDPOINT', value: 'http://localhost:9880/audit' });
    expect(findObject(out, 'Service', 'payments').spec.ports.map((p: any) => p.port)).toEqual([8080]);
  });

  test('env-configuration: literals, a Secret key, pod fields and $(VAR) references in order, envFrom with a prefix', () => {
    const out = runExample('env-configuration.ts');
    const app = podOf(out, 'Deployment', 'orders').containers[0];
    const names = app.env.map((e: any) => e.name);
    expect(names.indexOf('DB_URL')).toBeGreaterThan(names.indexOf('DB_USER'));
    expect(names.indexOf('INSTANCE_ID')).toBeGreaterThan(names.indexOf('POD_NAME'));
    expect(app.env.find((e: any) => e.name === 'DB_USER').valueFrom).toEqual({ secretKeyRef: { name: 'orders-db-credentials', key: 'username' } });
    expect(app.env.find((e: any) => e.name === 'POD_IP').valueFrom).toEqual({ fieldRef: { fieldPath: 'status.podIP' } });
    const settings = out.find((m) => m.kind === 'ConfigMap')!;
    expect(app.envFrom).toEqual([{ configMapRef: { name: settings.metadata.name }, prefix: 'APP_' }]);
  });

  test('config-resource: one immutable, hashed ConfigMap as env and as 0400 files', () => {
    const out = runExample('config-resource.ts');
    const cm = out.find((m) => m.kind === 'ConfigMap')!;
    expect(cm.metadata.name).toMatch(/^catalog-config-[0-9a-f]{10}$/);
    expect(cm.immutable).toBe(true);
    const spec = podOf(out, 'Deployment', 'catalog');
    expect(spec.containers[0].env).toContainEqual({ name: 'JAVA_TOOL_OPTIONS', valueFrom: { configMapKeyRef: { name: cm.metadata.name, key: 'JAVA_TOOL_OPTIONS' } } });
    expect(spec.volumes.find((v: any) => v.name === 'config').configMap).toMatchObject({ name: cm.metadata.name, defaultMode: 0o400 });
  });

  test('config-image: an init container copies the configuration image into an emptyDir the app mounts read-only', () => {
    const spec = podOf(runExample('config-image.ts'), 'Deployment', 'search');
    expect(spec.initContainers[0]).toMatchObject({ image: 'ghcr.io/acme/search-config:prod-2024.06.1', command: ['cp', '-R', '/config/.', '/config-out/'] });
    expect(mountsOf(spec.initContainers[0])['/config-out'].name).toBe('search-config');
    expect(mountsOf(spec.containers[0])['/etc/search']).toEqual({ name: 'search-config', mountPath: '/etc/search', readOnly: true });
  });

  test('config-template: gomplate renders the templates with the parameters into the emptyDir the app mounts', () => {
    const out = runExample('config-template.ts');
    const spec = podOf(out, 'Deployment', 'inventory');
    const init = spec.initContainers[0];
    expect(init.args).toEqual(['--input-dir=/templates', '--output-dir=/rendered', '--datasource=params=file:///params/params.yaml']);
    const params = out.find((m) => m.kind === 'ConfigMap' && m.metadata.name.startsWith('inventory-params-'))!;
    expect(spec.volumes.find((v: any) => v.name === 'rendered-config-params').configMap.name).toBe(params.metadata.name);
    expect(mountsOf(spec.containers[0])['/etc/inventory']).toEqual({ name: 'rendered-config', mountPath: '/etc/inventory', readOnly: true });
  });

  test('self-awareness: pod fields as env, labels and annotations as files', () => {
    const out = runExample('self-awareness.ts');
    const spec = out.find((m) => m.kind === 'Job')!.spec.template.spec;
    const env = spec.containers[0].env;
    for (const [name, fieldPath] of [['POD_IP', 'status.podIP'], ['NODE_NAME', 'spec.nodeName'], ['POD_NAMESPACE', 'metadata.namespace']]) {
      expect(env).toContainEqual({ name, valueFrom: { fieldRef: { fieldPath } } });
    }
    expect(spec.volumes.find((v: any) => v.name === 'pod-info').downwardAPI.items.map((i: any) => i.fieldRef.fieldPath))
      .toEqual(['metadata.labels', 'metadata.annotations', 'metadata.uid']);
  });
});

describe('each stateful, storage and discovery example carries its pattern', () => {
  test('stateful-service: per-pod claims behind a headless Service, peers from the stable DNS names, a NodePort client Service', () => {
    const out = runExample('stateful-service.ts');
    const kv = out.find((m) => m.kind === 'StatefulSet' && m.metadata.name === 'kv')!;
    expect(kv.spec.serviceName).toBe('kv-headless');
    expect(kv.spec.volumeClaimTemplates[0].spec).toMatchObject({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } });
    expect(mountsOf(kv.spec.template.spec.containers[0])['/var/lib/kv'].name).toBe('data');
    expect(findObject(out, 'Service', 'kv-headless').spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
    expect(kv.spec.template.spec.containers[0].env).toContainEqual({ name: 'KV_SEEDS', value: expect.stringContaining('kv-0.kv-headless.storage.svc.cluster.local:7000') });
    const book = out.find((m) => m.kind === 'StatefulSet' && m.metadata.name === 'random-generator')!;
    expect(book.spec.replicas).toBe(2);
    expect(book.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('10Mi');
    expect(findObject(out, 'Service', 'random-generator-nodeport').spec.type).toBe('NodePort');
  });

  test('shared-claim-jobs: two Jobs and a CronJob mount one ReadWriteMany claim', () => {
    const out = runExample('shared-claim-jobs.ts');
    expect(findObject(out, 'PersistentVolumeClaim', 'report-results').spec.accessModes).toEqual(['ReadWriteMany']);
    const specs = [
      ...out.filter((m) => m.kind === 'Job').map((m) => m.spec.template.spec),
      ...out.filter((m) => m.kind === 'CronJob').map((m) => m.spec.jobTemplate.spec.template.spec),
    ];
    expect(specs).toHaveLength(3);
    for (const spec of specs) {
      expect(spec.volumes.find((v: any) => v.name === 'results').persistentVolumeClaim).toEqual({ claimName: 'report-results' });
      expect(mountsOf(spec.containers[0])['/results'].name).toBe('results');
    }
  });

  test('service-discovery: ClusterIP, NodePort 32766 and LoadBalancer at once, two Ingresses, manual IP and FQDN, an HTTPRoute', () => {
    const out = runExample('service-discovery.ts');
    expect(findObject(out, 'Deployment', 'web').spec.replicas).toBe(4);
    expect(findObject(out, 'Service', 'web').spec.type).toBe('ClusterIP');
    expect(findObject(out, 'Service', 'web-nodeport').spec.ports[0].nodePort).toBe(32766);
    expect(findObject(out, 'Service', 'web-lb').spec).toMatchObject({ type: 'LoadBalancer', loadBalancerSourceRanges: ['203.0.113.0/24'], externalTrafficPolicy: 'Local' });
    expect(findObject(out, 'Ingress', 'web-default').spec).toEqual({
      ingressClassName: 'nginx',
      defaultBackend: { service: { name: 'web', port: { number: 8080 } } },
      tls: [{ hosts: ['www.example.com'], secretName: 'www-example-com-tls' }],
    });
    expect(findObject(out, 'Ingress', 'web').spec.rules[0].http.paths.map((p: any) => [p.path, p.pathType])).toEqual([['/', 'Prefix'], ['/healthz', 'Exact']]);
    expect(findObject(out, 'Service', 'billing').spec.selector).toBeUndefined();
    expect(findObject(out, 'EndpointSlice', 'billing-ipv4').endpoints).toEqual([{ addresses: ['10.20.0.11'] }, { addresses: ['10.20.0.12'] }]);
    expect(findObject(out, 'Service', 'payments').spec).toMatchObject({ type: 'ExternalName', externalName: 'api.payments.example.com' });
    expect(findObject(out, 'HTTPRoute', 'web').spec.rules[0].matches[0].headers).toEqual([{ type: 'Exact', name: 'x-beta-tester', value: 'true' }]);
  });
});
