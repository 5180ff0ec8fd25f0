import { Chart, Testing } from 'cdk8s';
import { ExternalSecret, SecretStoreKind, SecretType } from '../../src';
import { checkSecretType } from '../../src/configuration/secret-source';
import { Problems } from '../../src/core/validation';
import { errorOf } from '../helpers/errors';

const STORE = { name: 'vault', kind: SecretStoreKind.CLUSTER_SECRET_STORE };

describe('secret sources: what ExternalSecret and SealedSecret share', () => {
  test('a Secret type needs its keys, when they are known; a long key list is cut short', () => {
    const problems = new Problems('shop/tls');
    checkSecretType(problems, 'target.type', SecretType.TLS, ['tls.crt']);
    expect(problems.messages()).toEqual(['target.type ("kubernetes.io/tls") requires the keys "tls.key" (the Secret has: tls.crt)']);
    const many = new Problems('shop/tls');
    checkSecretType(many, 'target.type', SecretType.TLS, Array.from({ length: 100 }, (_, i) => `key-${i}`));
    expect(many.messages()[0].length).toBeLessThan(400);
    const unknown = new Problems('shop/x');
    checkSecretType(unknown, 'type', 'Opaque-ish', undefined);
    expect(unknown.messages()).toEqual(['type ("Opaque-ish") must be a SecretType']);
    const ok = new Problems('shop/x');
    checkSecretType(ok, 'type', SecretType.TLS, undefined);
    expect(ok.isEmpty).toBe(true);
  });

  test('two sources of one Secret in one namespace are rejected at synth; in two namespaces they are fine', () => {
    const app = Testing.app();
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    const data = [{ secretKey: 'password', remoteRef: { key: 'db' } }];
    new ExternalSecret(shop, 'a', { name: 'db', secretStoreRef: STORE, data });
    new ExternalSecret(shop, 'b', { name: 'db', secretStoreRef: STORE, data });
    expect(errorOf(() => app.synthYaml())).toContain('must be unique per namespace: the Secret "db" in namespace "shop" is also made by shop/a');
    const app2 = Testing.app();
    new ExternalSecret(new Chart(app2, 'one', { namespace: 'one' }), 'a', { name: 'db', secretStoreRef: STORE, data });
    new ExternalSecret(new Chart(app2, 'two', { namespace: 'two' }), 'a', { name: 'db', secretStoreRef: STORE, data });
    expect(() => app2.synthYaml()).not.toThrow();
  });

  test('volume() items must be keys the Secret will have', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    const db = new ExternalSecret(chart, 'db', { secretStoreRef: STORE, data: [{ secretKey: 'password', remoteRef: { key: 'db' } }] });
    expect(errorOf(() => db.volume('creds', { items: [{ key: 'user', path: 'user' }] })))
      .toContain('volume("creds").items[0].key ("user") must be a key of the Secret (it has: password)');
    expect(db.volume('creds', { items: [{ key: 'password', path: 'password' }] }).name).toBe('creds');
  });
});
