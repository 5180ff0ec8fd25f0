import { runExample } from '../helpers/examples';
import { findObject, Manifest, validateManifests } from '../helpers/synth';

describe('example secure-configuration: a service reads its credentials as files from Secrets made in the cluster', () => {
  let out: Manifest[];
  beforeAll(() => {
    out = runExample('secure-configuration.ts');
  });

  test('the output is valid and holds no Secret, so no secret value', () => {
    expect(() => validateManifests(out)).not.toThrow();
    expect(out.filter((m) => m.kind === 'Secret')).toEqual([]);
  });

  test('an ExternalSecret fetches the database credentials from the ClusterSecretStore "vault" every 15 minutes', () => {
    const es = findObject(out, 'ExternalSecret', 'payments-db');
    expect(es.apiVersion).toBe('external-secrets.io/v1');
    expect(es.metadata.namespace).toBe('payments');
    expect(es.spec).toMatchObject({
      secretStoreRef: { name: 'vault', kind: 'ClusterSecretStore' },
      refreshPolicy: 'Periodic',
      refreshInterval: '15m',
      target: { name: 'payments-db', creationPolicy: 'Owner', deletionPolicy: 'Retain', template: { type: 'Opaque' } },
    });
    expect(es.spec.data).toEqual([
      { secretKey: 'username', remoteRef: { key: 'prod/payments/db', property: 'username' } },
      { secretKey: 'password', remoteRef: { key: 'prod/payments/db', property: 'password' } },
    ]);
  });

  test('a strict-scoped SealedSecret holds the API key as kubeseal output only', () => {
    const ss = findObject(out, 'SealedSecret', 'payments-psp');
    expect(ss.apiVersion).toBe('bitnami.com/v1alpha1');
    expect(ss.metadata.annotations).toBeUndefined(); // strict: bound to this name and namespace
    expect(Object.keys(ss.spec.encryptedData)).toEqual(['api-key']);
    expect(ss.spec.encryptedData['api-key']).toMatch(/^Ag[A-Za-z0-9+/]{700,}={0,2}$/);
    expect(ss.spec.template).toMatchObject({ type: 'Opaque', metadata: { name: 'payments-psp', namespace: 'payments' } });
  });

  test('the Deployment mounts both Secrets read-only as owner-only files and names only their paths in env', () => {
    const spec = findObject(out, 'Deployment', 'payments').spec.template.spec;
    expect(spec.volumes).toContainEqual({
      name: 'db-credentials', secret: { secretName: 'payments-db', items: [{ key: 'password', path: 'password', mode: 0o400 }] },
    });
    expect(spec.volumes).toContainEqual({ name: 'psp', secret: { secretName: 'payments-psp', items: [{ key: 'api-key', path: 'api-key', mode: 0o400 }] } });
    const app = spec.containers[0];
    expect(app.volumeMounts).toContainEqual({ name: 'db-credentials', mountPath: '/var/run/secrets/payments/db', readOnly: true });
    expect(app.volumeMounts).toContainEqual({ name: 'psp', mountPath: '/var/run/secrets/payments/psp', readOnly: true });
    expect(app.env).toContainEqual({ name: 'DB_PASSWORD_FILE', value: '/var/run/secrets/payments/db/password' });
    expect(app.env).toContainEqual({ name: 'PSP_API_KEY_FILE', value: '/var/run/secrets/payments/psp/api-key' });
    expect((app.env ?? []).filter((e: any) => e.valueFrom?.secretKeyRef)).toEqual([]);
    expect(app.envFrom).toBeUndefined();
  });
});
