import { Duration } from 'cdk8s';
import {
  ExternalSecret, ExternalSecretCreationPolicy, ExternalSecretDataFrom, ExternalSecretDeletionPolicy, ExternalSecretProps,
  ExternalSecretRefreshPolicy, PatternLabels, PodVolume, RemoteDecodingStrategy, SecretStoreKind, SecretType,
} from '../../src';
import { crdSchemaErrors, crdUnknownFields, EXTERNAL_SECRET_V1 } from '../helpers/crd-schemas';
import { errorOf, service } from '../helpers/errors';
import { findObject, mainContainer, newChart, synth, validateManifests } from '../helpers/synth';

const STORE = { name: 'vault', kind: SecretStoreKind.CLUSTER_SECRET_STORE };
const PASSWORD = { secretKey: 'password', remoteRef: { key: 'prod/orders/db', property: 'password' } };

/** An ExternalSecret `orders-db` in chart `shop` (namespace `shop`) with `props` over a valid baseline, synthesised. */
function externalOf(props: Partial<ExternalSecretProps> = {}) {
  const chart = newChart('shop', { namespace: 'shop' });
  const external = new ExternalSecret(chart, 'orders-db', { secretStoreRef: STORE, data: [PASSWORD], ...props });
  const manifests = synth(chart);
  return { external, manifests, manifest: findObject(manifests, 'ExternalSecret', external.name) };
}

/** The error of building an ExternalSecret `orders-db` in chart `shop` from exactly `props`. */
function externalError(props: unknown): string {
  return errorOf(() => new ExternalSecret(newChart('shop', { namespace: 'shop' }), 'orders-db', props as ExternalSecretProps));
}

/** The error of building one with `props` over the valid baseline. */
function errorWith(props: { [key: string]: unknown }): string {
  return externalError({ secretStoreRef: STORE, data: [PASSWORD], ...props });
}

const LABELS = { [PatternLabels.NAME]: 'orders-db', [PatternLabels.INSTANCE]: 'orders-db', [PatternLabels.MANAGED_BY]: 'cdk8s-patterns' };

describe('ExternalSecret: the object', () => {
  test('external-secrets.io/v1, refreshed hourly, an Opaque Secret of the same name owned by the operator', () => {
    // GIVEN an ExternalSecret with one key
    const { external, manifests, manifest } = externalOf();
    // THEN it is an external-secrets.io/v1 ExternalSecret with the standard labels
    expect(manifest.apiVersion).toBe('external-secrets.io/v1');
    expect(manifest.metadata).toEqual({ name: 'orders-db', namespace: 'shop', labels: LABELS });
    // AND its spec names the store, the interval as a Go duration, the Secret and the remote key, never a value
    expect(manifest.spec).toEqual({
      secretStoreRef: { name: 'vault', kind: 'ClusterSecretStore' },
      refreshInterval: '1h',
      target: {
        name: 'orders-db',
        creationPolicy: 'Owner',
        deletionPolicy: 'Retain',
        template: { type: 'Opaque', metadata: { labels: LABELS } },
      },
      data: [{ secretKey: 'password', remoteRef: { key: 'prod/orders/db', property: 'password' } }],
    });
    // AND the construct tells the Secret's name and keys
    expect(external.secretName).toBe('orders-db');
    expect(external.knownKeys).toEqual(['password']);
    expect(manifests.filter((m) => m.kind === 'Secret')).toEqual([]);
  });

  test('a SecretStore by default; a remote version and decoding', () => {
    const { manifest } = externalOf({
      secretStoreRef: { name: 'aws' },
      data: [{ secretKey: 'cert', remoteRef: { key: 'tls/orders', version: 'AWSPREVIOUS', decodingStrategy: RemoteDecodingStrategy.BASE64 } }],
    });
    expect(manifest.spec.secretStoreRef).toEqual({ name: 'aws', kind: 'SecretStore' });
    expect(manifest.spec.data).toEqual([{ secretKey: 'cert', remoteRef: { key: 'tls/orders', version: 'AWSPREVIOUS', decodingStrategy: 'Base64' } }]);
  });

  test.each([
    [Duration.hours(1), '1h'],
    [Duration.minutes(90), '1h30m'],
    [Duration.seconds(3725), '1h2m5s'],
    [Duration.minutes(1), '1m'],
    [Duration.seconds(75), '1m15s'],
    [Duration.days(1), '24h'],
    [Duration.seconds(0), '0s'],
  ])('refreshInterval %s is the Go duration %s', (interval, rendered) => {
    expect(externalOf({ refreshInterval: interval }).manifest.spec.refreshInterval).toBe(rendered);
  });

  test.each([ExternalSecretRefreshPolicy.CREATED_ONCE, ExternalSecretRefreshPolicy.ON_CHANGE])('refreshPolicy %s has no interval', (refreshPolicy) => {
    const { manifest } = externalOf({ refreshPolicy });
    expect(manifest.spec.refreshPolicy).toBe(refreshPolicy);
    expect(manifest.spec.refreshInterval).toBeUndefined();
  });

  test('target: another name, creation and deletion policies, a type whose keys are in data', () => {
    const { external, manifest } = externalOf({
      name: 'orders-tls',
      appName: 'orders',
      labels: { team: 'orders' },
      target: {
        name: 'orders-tls-cert',
        creationPolicy: ExternalSecretCreationPolicy.ORPHAN,
        deletionPolicy: ExternalSecretDeletionPolicy.DELETE,
        type: SecretType.TLS,
      },
      data: [
        { secretKey: 'tls.crt', remoteRef: { key: 'tls/orders', property: 'crt' } },
        { secretKey: 'tls.key', remoteRef: { key: 'tls/orders', property: 'key' } },
      ],
    });
    expect(external.secretName).toBe('orders-tls-cert');
    const labels = { team: 'orders', [PatternLabels.NAME]: 'orders', [PatternLabels.INSTANCE]: 'orders-tls', [PatternLabels.MANAGED_BY]: 'cdk8s-patterns' };
    expect(manifest.metadata.labels).toEqual(labels);
    expect(manifest.spec.target).toEqual({
      name: 'orders-tls-cert', creationPolicy: 'Orphan', deletionPolicy: 'Delete', template: { type: 'kubernetes.io/tls', metadata: { labels } },
    });
  });

  test('dataFrom: extract and find, after data; the keys are then unknown', () => {
    const { external, manifest } = externalOf({
      target: { type: SecretType.TLS }, // required keys cannot be checked: they come from the provider
      dataFrom: [
        ExternalSecretDataFrom.extract({ key: 'prod/orders/config', decodingStrategy: RemoteDecodingStrategy.AUTO }),
        ExternalSecretDataFrom.find({ nameRegexp: '^orders-.*', path: 'prod/', tags: { team: 'orders' } }),
        ExternalSecretDataFrom.find({ tags: { env: 'prod' }, decodingStrategy: RemoteDecodingStrategy.BASE64_URL }),
      ],
    });
    expect(manifest.spec.dataFrom).toEqual([
      { extract: { key: 'prod/orders/config', decodingStrategy: 'Auto' } },
      { find: { path: 'prod/', name: { regexp: '^orders-.*' }, tags: { team: 'orders' } } },
      { find: { tags: { env: 'prod' }, decodingStrategy: 'Base64URL' } },
    ]);
    expect(external.knownKeys).toBeUndefined();
  });

  test('dataFrom alone is enough', () => {
    const { manifest } = externalOf({ data: undefined, dataFrom: [ExternalSecretDataFrom.extract({ key: 'prod/orders/config' })] });
    expect(manifest.spec.data).toBeUndefined();
  });

  test('the test schema knows the fields of external-secrets.io/v1 and catches what the CRD rejects', () => {
    const { manifest } = externalOf();
    expect(crdSchemaErrors(manifest, EXTERNAL_SECRET_V1)).toEqual([]);
    const bad = { ...manifest, spec: { ...manifest.spec, refreshInterval: '1 hour', target: { ...manifest.spec.target, owner: true } } };
    expect(crdSchemaErrors(bad, EXTERNAL_SECRET_V1)).toEqual([expect.stringContaining('.spec.refreshInterval must match')]);
    expect(crdUnknownFields(bad, EXTERNAL_SECRET_V1)).toEqual(['.spec.target.owner']);
    expect(() => validateManifests([bad])).toThrow('unknown field .spec.target.owner');
  });
});

describe('ExternalSecret: handing the Secret to a workload', () => {
  test('PodVolume.secret(name, secretName) and volume() mount the Secret the operator makes', () => {
    // GIVEN an ExternalSecret and a worker that mounts its Secret both ways
    const chart = newChart('shop', { namespace: 'shop' });
    const db = new ExternalSecret(chart, 'orders-db', { secretStoreRef: STORE, data: [PASSWORD], target: { name: 'orders-db-credentials' } });
    service({
      port: undefined, // a worker: no Service (what this test looks at is the pod)
      volumes: [
        PodVolume.secret('db', db.secretName, { items: [{ key: 'password', path: 'password', mode: 0o400 }] }),
        db.volume('db-all', { defaultMode: 0o400 }),
      ],
      mounts: [{ volume: 'db', path: '/var/run/secrets/db', readOnly: true }, { volume: 'db-all', path: '/var/run/secrets/db-all', readOnly: true }],
    }, chart);
    // THEN the pod's volumes name the target Secret
    const deployment = findObject(synth(chart), 'Deployment', 'api');
    const volumes = deployment.spec.template.spec.volumes;
    expect(volumes).toContainEqual({ name: 'db', secret: { secretName: 'orders-db-credentials', items: [{ key: 'password', path: 'password', mode: 0o400 }] } });
    expect(volumes).toContainEqual({ name: 'db-all', secret: { secretName: 'orders-db-credentials', defaultMode: 0o400 } });
    expect(mainContainer(deployment).volumeMounts).toContainEqual({ name: 'db', mountPath: '/var/run/secrets/db', readOnly: true });
  });

  test('volume() checks items against the keys in data, and not when dataFrom makes them unknown', () => {
    const chart = newChart('shop');
    const known = new ExternalSecret(chart, 'a', { secretStoreRef: STORE, data: [PASSWORD] });
    expect(errorOf(() => known.volume('db', { items: [{ key: 'username', path: 'u' }] })))
      .toContain('shop/a: volume("db").items[0].key ("username") must be a key of the Secret (it has: password)');
    const unknown = new ExternalSecret(chart, 'b', { secretStoreRef: STORE, dataFrom: [ExternalSecretDataFrom.extract({ key: 'x' })] });
    expect(unknown.volume('db', { items: [{ key: 'username', path: 'u' }] }).name).toBe('db');
  });
});

describe('ExternalSecret: bad input is rejected', () => {
  test.each([
    ['no props', null, 'secretStoreRef (undefined) is required: { name, kind } of a SecretStore or ClusterSecretStore'],
    ['no store', { data: [PASSWORD] }, 'secretStoreRef (undefined) is required'],
    ['a store as a string', { secretStoreRef: 'vault', data: [PASSWORD] }, 'secretStoreRef ("vault") is required'],
    ['a bad store name', { secretStoreRef: { name: 'Vault Store' }, data: [PASSWORD] }, 'secretStoreRef.name ("Vault Store") must be a DNS-1123 subdomain'],
    ['no store name', { secretStoreRef: {}, data: [PASSWORD] }, 'secretStoreRef.name (undefined) must be a DNS-1123 subdomain'],
    ['a bad store kind', { secretStoreRef: { name: 'v', kind: 'Vault' }, data: [PASSWORD] }, 'secretStoreRef.kind ("Vault") must be a SecretStoreKind'],
    ['no keys', { secretStoreRef: STORE }, 'data (undefined) must have at least one entry (data or dataFrom)'],
    ['empty lists', { secretStoreRef: STORE, data: [], dataFrom: [] }, 'data ([]) must have at least one entry'],
  ])('%s', (_what, props, message) => {
    expect(externalError(props)).toContain(`shop/orders-db: ${message}`);
  });

  test.each([
    ['data not a list', { data: PASSWORD }, 'data ({"secretKey":"password"'],
    ['an entry null', { data: [null] }, 'data[0] (null) must be { secretKey, remoteRef }'],
    ['a bad key', { data: [{ ...PASSWORD, secretKey: 'db password' }] }, 'data[0].secretKey ("db password") must be a ConfigMap or Secret key'],
    ['a key twice', { data: [PASSWORD, PASSWORD] }, 'data[1].secretKey ("password") is defined twice'],
    ['no remoteRef', { data: [{ secretKey: 'password' }] }, 'data[0].remoteRef (undefined) must be { key, property, version, decodingStrategy }'],
    ['an empty remote key', { data: [{ secretKey: 'p', remoteRef: { key: ' ' } }] }, 'data[0].remoteRef.key (" ") must be a non-empty string'],
    ['a remote key number', { data: [{ secretKey: 'p', remoteRef: { key: 42 } }] }, 'data[0].remoteRef.key (42) must be a non-empty string'],
    ['an empty property', { data: [{ secretKey: 'p', remoteRef: { key: 'k', property: '' } }] }, 'data[0].remoteRef.property ("") must be a non-empty string'],
    ['an empty version', { data: [{ secretKey: 'p', remoteRef: { key: 'k', version: '' } }] }, 'data[0].remoteRef.version ("") must be a non-empty string'],
    ['a bad decoding', { data: [{ secretKey: 'p', remoteRef: { key: 'k', decodingStrategy: 'hex' } }] },
      'data[0].remoteRef.decodingStrategy ("hex") must be a RemoteDecodingStrategy'],
    ['dataFrom not a list', { dataFrom: 'x' }, 'dataFrom ("x") must be a list of ExternalSecretDataFrom'],
    ['a plain dataFrom', { dataFrom: [{ extract: { key: 'k' } }] }, 'dataFrom[0] ({"extract":{"key":"k"}}) must be created with ExternalSecretDataFrom.extract() or find()'],
    ['an extract without key', { dataFrom: [ExternalSecretDataFrom.extract({} as any)] }, 'dataFrom[0].extract.key (undefined) must be a non-empty string'],
    ['an empty find', { dataFrom: [ExternalSecretDataFrom.find({})] }, 'dataFrom[0].find ({}) needs nameRegexp or tags'],
    ['a find with empty tags', { dataFrom: [ExternalSecretDataFrom.find({ tags: {} })] }, 'dataFrom[0].find ({"tags":{}}) needs nameRegexp or tags'],
    ['a find null', { dataFrom: [ExternalSecretDataFrom.find(null as any)] }, 'dataFrom[0].find ({}) needs nameRegexp or tags'],
    ['a find with bad tags', { dataFrom: [ExternalSecretDataFrom.find({ tags: { env: 1 as any } })] }, 'dataFrom[0].find.tags["env"] (1) must be a string'],
    ['a find with tags a list', { dataFrom: [ExternalSecretDataFrom.find({ tags: ['a'] as any })] }, 'dataFrom[0].find.tags (["a"]) must be a map'],
    ['a find with an empty regexp', { dataFrom: [ExternalSecretDataFrom.find({ nameRegexp: '' })] }, 'dataFrom[0].find.nameRegexp ("") must be a non-empty string'],
    ['a find with an empty path', { dataFrom: [ExternalSecretDataFrom.find({ tags: { a: 'b' }, path: '' })] }, 'dataFrom[0].find.path ("") must be a non-empty string'],
    ['a find with a bad decoding', { dataFrom: [ExternalSecretDataFrom.find({ tags: { a: 'b' }, decodingStrategy: 'x' as any })] },
      'dataFrom[0].find.decodingStrategy ("x") must be a RemoteDecodingStrategy'],
  ])('%s', (_what, props, message) => {
    expect(errorWith(props)).toContain(`shop/orders-db: ${message}`);
  });

  test.each([
    ['under a minute', Duration.seconds(30), 'refreshInterval ("30s") must be zero (fetch once) or at least 1 minute'],
    ['fractional seconds', Duration.millis(61500), 'refreshInterval ("61.5s") must be a Duration of whole seconds'],
    ['a string', '1h', 'refreshInterval ("1h") must be a Duration of whole seconds, e.g. Duration.hours(1)'],
    ['a number', 3600, 'refreshInterval (3600) must be a Duration of whole seconds'],
  ])('refreshInterval %s', (_what, refreshInterval, message) => {
    expect(errorWith({ refreshInterval })).toContain(message);
  });

  test('refreshPolicy: an interval without Periodic, or no policy at all', () => {
    expect(errorWith({ refreshPolicy: ExternalSecretRefreshPolicy.CREATED_ONCE, refreshInterval: Duration.hours(1) }))
      .toContain('refreshInterval ("3600s") applies only to ExternalSecretRefreshPolicy.PERIODIC (refreshPolicy is CreatedOnce)');
    expect(errorWith({ refreshPolicy: 'Always' })).toContain('refreshPolicy ("Always") must be an ExternalSecretRefreshPolicy');
  });

  test.each([
    [ExternalSecretCreationPolicy.MERGE, ExternalSecretDeletionPolicy.DELETE, 'must not be Delete with creationPolicy Merge'],
    [ExternalSecretCreationPolicy.NONE, ExternalSecretDeletionPolicy.DELETE, 'must not be Delete with creationPolicy None'],
    [ExternalSecretCreationPolicy.NONE, ExternalSecretDeletionPolicy.MERGE, 'must not be Merge with creationPolicy None'],
  ])('creationPolicy %s with deletionPolicy %s', (creationPolicy, deletionPolicy, message) => {
    expect(errorWith({ target: { creationPolicy, deletionPolicy } })).toContain(`target.deletionPolicy ("${deletionPolicy}") ${message}`);
  });

  test('target: bad name, enums, type and its keys', () => {
    expect(errorWith({ target: 'db' })).toContain('target ("db") must be { name, creationPolicy, deletionPolicy, type }');
    expect(errorWith({ target: { name: 'DB' } })).toContain('target.name ("DB") must be a DNS-1123 subdomain');
    expect(errorWith({ target: { creationPolicy: 'Adopt' } })).toContain('target.creationPolicy ("Adopt") must be an ExternalSecretCreationPolicy');
    expect(errorWith({ target: { deletionPolicy: 'Keep' } })).toContain('target.deletionPolicy ("Keep") must be an ExternalSecretDeletionPolicy');
    expect(errorWith({ target: { type: 'Secret' } })).toContain('target.type ("Secret") must be a SecretType');
    expect(errorWith({ target: { type: SecretType.DOCKER_CONFIG_JSON } }))
      .toContain('target.type ("kubernetes.io/dockerconfigjson") requires the keys ".dockerconfigjson" (the Secret has: password)');
    expect(errorWith({ target: { type: SecretType.SSH_AUTH } })).toContain('requires the keys "ssh-privatekey"');
  });

  test('names and labels', () => {
    expect(errorWith({ name: 'Orders_DB' })).toContain('name ("Orders_DB") must be a DNS-1123 subdomain');
    expect(externalError({ secretStoreRef: STORE, data: [PASSWORD], appName: '-x' })).toContain('appName ("-x") must be a valid label value');
    expect(errorWith({ labels: { [PatternLabels.MANAGED_BY]: 'me' } })).toContain('labels key ("app.kubernetes.io/managed-by") must not override');
    expect(errorOf(() => new ExternalSecret(newChart('shop'), 'OrdersDB.', { secretStoreRef: STORE, data: [PASSWORD] })))
      .toContain('name (from the construct id) ("orders-db-") must be a DNS-1123 subdomain');
  });

  test('an unknown prop, at any depth, is named with the nearest known one', () => {
    const msg = externalError({
      secretStore: STORE,
      secretStoreRef: { ...STORE, namespace: 'vault' },
      data: [{ secretKey: 'p', remoteRef: { key: 'k', propery: 'password' }, sourceRef: {} }],
      dataFrom: [ExternalSecretDataFrom.find({ tags: { a: 'b' }, regexp: 'x' } as any), ExternalSecretDataFrom.extract({ key: 'k', versoin: '2' } as any)],
      target: { name: 'x', template: {} },
    });
    expect(msg).toContain('secretStore ({"name":"vault","kind":"ClusterSecretStore"}) is not a prop of ExternalSecretProps: did you mean "secretStoreRef"?');
    expect(msg).toContain('secretStoreRef.namespace ("vault") is not a prop of SecretStoreReference');
    expect(msg).toContain('data[0].remoteRef.propery ("password") is not a prop of ExternalSecretRemoteRef: did you mean "property"?');
    expect(msg).toContain('data[0].sourceRef ({}) is not a prop of ExternalSecretData');
    expect(msg).toContain('dataFrom[0].find.regexp ("x") is not a prop of ExternalSecretFindOptions');
    expect(msg).toContain('dataFrom[1].extract.versoin ("2") is not a prop of ExternalSecretRemoteRef: did you mean "version"?');
    expect(msg).toContain('target.template ({}) is not a prop of ExternalSecretTarget');
  });

  test('every problem in one error', () => {
    const msg = externalError({
      secretStoreRef: { name: 'Bad', kind: 'x' },
      refreshInterval: Duration.seconds(5),
      data: [{ secretKey: '', remoteRef: {} }],
      target: { creationPolicy: 'y' },
    });
    expect(msg).toMatch(/^cdk8s-patterns: \d+ invalid values:/);
    for (const prop of ['secretStoreRef.name', 'secretStoreRef.kind', 'refreshInterval', 'data[0].secretKey', 'data[0].remoteRef.key', 'target.creationPolicy']) {
      expect(msg).toContain(`shop/orders-db: ${prop} (`);
    }
  });
});

describe('ExternalSecret robustness', () => {
  test('a NaN or infinite refresh interval is the library\'s error, never a raw cdk8s one', () => {
    expect(errorWith({ refreshInterval: Duration.seconds(NaN) })).toContain('refreshInterval ("invalid Duration") must be a Duration of whole seconds');
    expect(errorWith({ refreshInterval: Duration.seconds(Infinity) })).toContain('refreshInterval ("invalid Duration") must be a Duration of whole seconds');
  });
});
