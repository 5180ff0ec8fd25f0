import { runExample } from '../helpers/examples';
import { findObject } from '../helpers/synth';

describe('examples/singleton-election-sidecar.ts', () => {
  const out = runExample('singleton-election-sidecar.ts');
  const pod = findObject(out, 'Deployment', 'ledger-exporter').spec.template.spec;
  const [app, elector] = pod.containers;

  test('two replicas; the app asks the elector on localhost and holds no token', () => {
    expect(findObject(out, 'Deployment', 'ledger-exporter').spec.replicas).toBe(2);
    expect([app.name, elector.name]).toEqual(['app', 'elector']);
    expect(app.env).toContainEqual({ name: 'ELECTION_URL', value: 'http://127.0.0.1:4040' });
    expect(app.env).toContainEqual({ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } });
    expect(JSON.stringify(app.volumeMounts)).not.toContain('kube-api-access');
  });

  test('the elector competes for the Lease it may only get and update, with the token, probed on its health port', () => {
    expect(elector.args).toContain('--election=$(LEASE_NAME)');
    expect(elector.env).toContainEqual({ name: 'LEASE_NAME', value: 'ledger-exporter-leader' });
    expect(elector.env).toContainEqual({ name: 'LEASE_DURATION_SECONDS', value: '20' });
    expect(elector.volumeMounts).toContainEqual(expect.objectContaining({ name: 'kube-api-access', readOnly: true }));
    expect(elector.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 8081, scheme: 'HTTP' });
    expect(elector.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 8081, scheme: 'HTTP' });
    expect(findObject(out, 'Lease', 'ledger-exporter-leader').spec).toEqual({ leaseDurationSeconds: 20 });
    expect(findObject(out, 'Role', 'ledger-exporter-leader-election').rules).toEqual([
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: ['ledger-exporter-leader'], verbs: ['get', 'update'] },
    ]);
  });
});
