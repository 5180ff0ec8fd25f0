import { constants, createCipheriv, generateKeyPairSync, publicEncrypt, randomBytes } from 'crypto';
import { Chart } from 'cdk8s';
import { ExternalSecret, PatternLabels, SealedSecret, SealedSecretProps, SealingScope, SecretType } from '../../src';
import { errorOf, service } from '../helpers/errors';
import { findObject, mainContainer, Manifest, newChart, synth } from '../helpers/synth';

// A throwaway sealing key (2048 bits: kubeseal accepts any controller key size; the default is 4096).
const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

/**
 * Seals `plain` exactly as kubeseal's HybridEncrypt does: a 2-byte length, the RSA-OAEP (SHA-256)
 * encrypted session key labelled with the scope, then AES-256-GCM (zero nonce: the key is used
 * once) with its tag; all base64.
 */
function seal(plain: string, label = 'shop/api-key'): string {
  const sessionKey = randomBytes(32);
  const rsa = publicEncrypt({ key: publicKey, oaepHash: 'sha256', padding: constants.RSA_PKCS1_OAEP_PADDING, oaepLabel: Buffer.from(label) }, sessionKey);
  const aes = createCipheriv('aes-256-gcm', sessionKey, Buffer.alloc(12));
  const sealed = Buffer.concat([aes.update(plain, 'utf8'), aes.final(), aes.getAuthTag()]);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(rsa.length);
  return Buffer.concat([length, rsa, sealed]).toString('base64');
}

const API_KEY = seal('sk_live_0123456789');
const TOKEN = seal('tok_abcdef');

/** A SealedSecret `api-key` in chart `shop` (namespace `shop` unless `chart` is given), synthesised. */
function sealedOf(props: Partial<SealedSecretProps>, chart: Chart = newChart('shop', { namespace: 'shop' }), id = 'api-key') {
  const sealed = new SealedSecret(chart, id, { encryptedData: { 'api-key': API_KEY }, ...props } as SealedSecretProps);
  const manifests = synth(chart);
  return { sealed, manifests, manifest: findObject(manifests, 'SealedSecret', sealed.secretName) };
}

/** The error of building a SealedSecret `api-key` in chart `shop`. */
function sealedError(props: unknown): string {
  return errorOf(() => new SealedSecret(newChart('shop', { namespace: 'shop' }), 'api-key', props as SealedSecretProps));
}

const LABELS = { [PatternLabels.NAME]: 'api-key', [PatternLabels.INSTANCE]: 'api-key', [PatternLabels.MANAGED_BY]: 'cdk8s-patterns' };

describe('SealedSecret: the object', () => {
  test('strict by default: the sealed values, sorted, and a template naming the Secret, its namespace and type', () => {
    // GIVEN a SealedSecret with two sealed values
    const { sealed, manifests, manifest } = sealedOf({ encryptedData: { 'token': TOKEN, 'api-key': API_KEY } });
    // THEN it is a bitnami.com/v1alpha1 SealedSecret named after the construct, with the standard labels
    expect(manifest.apiVersion).toBe('bitnami.com/v1alpha1');
    expect(manifest.metadata).toEqual({ name: 'api-key', namespace: 'shop', labels: LABELS });
    // AND it holds the ciphertexts as they are, keys sorted
    expect(Object.keys(manifest.spec.encryptedData)).toEqual(['api-key', 'token']);
    expect(manifest.spec.encryptedData).toEqual({ 'api-key': API_KEY, 'token': TOKEN });
    // AND its template makes an Opaque Secret of the same name, in the same namespace
    expect(manifest.spec.template).toEqual({ type: 'Opaque', metadata: { name: 'api-key', namespace: 'shop', labels: LABELS } });
    // AND the construct tells the Secret's name, keys and scope
    expect(sealed.secretName).toBe('api-key');
    expect(sealed.knownKeys).toEqual(['api-key', 'token']);
    expect(sealed.scope).toBe(SealingScope.STRICT);
    // AND no Secret (no plain value) is written
    expect(manifests.filter((m) => m.kind === 'Secret')).toEqual([]);
  });

  test.each([
    [SealingScope.NAMESPACE_WIDE, 'sealedsecrets.bitnami.com/namespace-wide'],
    [SealingScope.CLUSTER_WIDE, 'sealedsecrets.bitnami.com/cluster-wide'],
  ])('scope %s is the annotation %s, on the SealedSecret and on its template', (scope, annotation) => {
    const { manifest } = sealedOf({ scope });
    expect(manifest.metadata.annotations).toEqual({ [annotation]: 'true' });
    expect(manifest.spec.template.metadata.annotations).toEqual({ [annotation]: 'true' });
  });

  test('name, appName and labels; a chart without a namespace writes none in the template', () => {
    const { sealed, manifest } = sealedOf({ name: 'psp-credentials', appName: 'payments', labels: { team: 'payments' } }, newChart('shop'));
    expect(sealed.secretName).toBe('psp-credentials');
    expect(manifest.metadata.labels).toEqual({
      team: 'payments', [PatternLabels.NAME]: 'payments', [PatternLabels.INSTANCE]: 'psp-credentials', [PatternLabels.MANAGED_BY]: 'cdk8s-patterns',
    });
    expect(manifest.spec.template.metadata).toEqual({ name: 'psp-credentials', labels: manifest.metadata.labels });
  });

  test.each([
    [SecretType.TLS, { 'tls.crt': API_KEY, 'tls.key': TOKEN }],
    [SecretType.BASIC_AUTH, { password: API_KEY }],
    [SecretType.SSH_AUTH, { 'ssh-privatekey': API_KEY }],
    [SecretType.DOCKER_CONFIG_JSON, { '.dockerconfigjson': API_KEY }],
  ])('type %s with its required keys is the template type', (type, encryptedData) => {
    expect(sealedOf({ type, encryptedData }).manifest.spec.template.type).toBe(type);
  });
});

describe('SealedSecret: handing the Secret to a workload', () => {
  test('volume() is a secret volume of the Secret, mounted as owner-only files', () => {
    // GIVEN a SealedSecret and a service that mounts it through volume()
    const chart = newChart('shop', { namespace: 'shop' });
    const sealed = new SealedSecret(chart, 'api-key', { encryptedData: { 'api-key': API_KEY } });
    service({
      port: undefined, // a worker: no Service (what this test looks at is the pod)
      volumes: [sealed.volume('psp', { items: [{ key: 'api-key', path: 'api-key', mode: 0o400 }] })],
      mounts: [{ volume: 'psp', path: '/var/run/secrets/psp', readOnly: true }],
    }, chart);
    // THEN the pod mounts the Secret the controller makes, with the one key as a 0400 file
    const deployment = findObject(synth(chart), 'Deployment', 'api');
    expect(deployment.spec.template.spec.volumes).toContainEqual({
      name: 'psp', secret: { secretName: 'api-key', items: [{ key: 'api-key', path: 'api-key', mode: 0o400 }] },
    });
    expect(mainContainer(deployment).volumeMounts).toContainEqual({ name: 'psp', mountPath: '/var/run/secrets/psp', readOnly: true });
    expect(mainContainer(deployment).env ?? []).not.toContainEqual(expect.objectContaining({ valueFrom: expect.anything() }));
  });

  test('volume() rejects an item whose key the SealedSecret does not have', () => {
    const sealed = new SealedSecret(newChart('shop'), 'api-key', { encryptedData: { 'api-key': API_KEY } });
    expect(errorOf(() => sealed.volume('psp', { items: [{ key: 'apikey', path: 'k' }] })))
      .toContain('shop/api-key: volume("psp").items[0].key ("apikey") must be a key of the Secret (it has: api-key)');
  });
});

describe('SealedSecret: bad input is rejected, values never echoed', () => {
  const RULE = 'must be kubeseal output (base64 of the sealed ciphertext, e.g. "AgB..."): Secret values never appear in the YAML';

  test.each([
    ['a plain value', 'hunter2-is-my-password'],
    ['the base64 of a plain value', Buffer.from('hunter2-is-my-password').toString('base64')],
    ['a value with a newline', `${API_KEY}\n`],
    ['URL-safe base64', API_KEY.replace(/\+/g, '-').replace(/\//g, '_') + '-_'],
    ['a truncated ciphertext', API_KEY.slice(0, 300)],
    ['a ciphertext of a 1024-bit key', Buffer.concat([Buffer.from([0, 128]), randomBytes(160)]).toString('base64')],
  ])('%s', (_what, value) => {
    const msg = sealedError({ encryptedData: { password: value } });
    expect(msg).toContain(`shop/api-key: encryptedData["password"] ("(${value.length} characters, not shown)") ${RULE}`);
    expect(msg).not.toContain(value.slice(0, 12));
  });

  test.each([
    ['empty', '', '"(0 characters, not shown)"'],
    ['null', null, 'null'],
    ['a number', 1234, '"(a number, not shown)"'],
    ['a list', ['x'], '"(a list, not shown)"'],
  ])('a value that is %s', (_what, value, shown) => {
    expect(sealedError({ encryptedData: { password: value } })).toContain(`encryptedData["password"] (${shown}) ${RULE}`);
  });

  test.each([
    ['missing', {}, 'encryptedData (undefined) is required'],
    ['null props', null, 'encryptedData (undefined) is required'],
    ['null', { encryptedData: null }, 'encryptedData (null) is required'],
    ['a string', { encryptedData: API_KEY }, `encryptedData ("(${API_KEY.length} characters, not shown)") is required`],
    ['a list', { encryptedData: [API_KEY] }, 'encryptedData ("(a list, not shown)") is required'],
    ['empty', { encryptedData: {} }, 'encryptedData ({}) must have at least one key'],
  ])('encryptedData %s', (_what, props, message) => {
    expect(sealedError(props)).toContain(`shop/api-key: ${message}`);
  });

  test.each(['a b', '', '..x', '.', 'x/y', 'k'.repeat(254)])('key %j is not a Secret key', (key) => {
    // A long value is quoted cut short: match its start.
    const shown = key.length > 100 ? JSON.stringify(key).slice(0, 100) : `${JSON.stringify(key)}) must be a ConfigMap or Secret key`;
    expect(sealedError({ encryptedData: { [key]: API_KEY } })).toContain(`encryptedData key (${shown}`);
  });

  test('more than 1 MiB unsealed', () => {
    // GIVEN two values that unseal to 600 KiB each (sealed as kubeseal would, without the cost of encrypting them)
    const big = (n: number) => Buffer.concat([Buffer.from([1, 0]), randomBytes(256 + n + 16)]).toString('base64');
    expect(sealedError({ encryptedData: { a: big(600 * 1024), b: big(600 * 1024) } }))
      .toContain(`encryptedData ("${1200 * 1024} bytes unsealed") must unseal to at most 1 MiB in total`);
    expect(() => sealedOf({ encryptedData: { a: big(1024 * 1024) } })).not.toThrow();
  });

  test('a type whose required keys are missing, or no SecretType', () => {
    expect(sealedError({ type: SecretType.TLS, encryptedData: { 'tls.crt': API_KEY } }))
      .toContain('type ("kubernetes.io/tls") requires the keys "tls.key" (the Secret has: tls.crt)');
    expect(sealedError({ type: SecretType.BASIC_AUTH, encryptedData: { token: API_KEY } }))
      .toContain('type ("kubernetes.io/basic-auth") requires at least one of the keys "username", "password" (the Secret has: token)');
    expect(sealedError({ type: 'kubernetes.io/service-account-token', encryptedData: { token: API_KEY } }))
      .toContain('type ("kubernetes.io/service-account-token") must be a SecretType');
  });

  test('names, labels, scope', () => {
    expect(sealedError({ name: 'API_Key', encryptedData: { k: API_KEY } })).toContain('name ("API_Key") must be a DNS-1123 subdomain');
    expect(sealedError({ name: 'a'.repeat(64), encryptedData: { k: API_KEY } })).toContain('must be a valid label value');
    expect(sealedError({ labels: { [PatternLabels.INSTANCE]: 'x' }, encryptedData: { k: API_KEY } }))
      .toContain('labels key ("app.kubernetes.io/instance") must not override a label this library manages');
    expect(sealedError({ labels: 'team=a', encryptedData: { k: API_KEY } })).toContain('labels ("team=a") must be a map of label keys to values');
    expect(sealedError({ scope: 'global', encryptedData: { k: API_KEY } })).toContain('scope ("global") must be a SealingScope');
  });

  test('an unknown prop is named, and its values are not shown (plain data as in a Secret)', () => {
    const msg = sealedError({ encryptedData: { k: API_KEY }, data: { password: 'hunter2' }, stringData: { token: 'tok_123' }, scop: 'strict' });
    expect(msg).toContain('data ("(a map of 1 keys, values not shown)") is not a prop of SealedSecretProps');
    expect(msg).toContain('stringData ("(a map of 1 keys, values not shown)") is not a prop of SealedSecretProps');
    expect(msg).toContain('scop ("(6 characters, not shown)") is not a prop of SealedSecretProps: did you mean "scope"?');
    expect(msg).not.toMatch(/hunter2|tok_123/);
  });

  test('every problem in one error', () => {
    const msg = sealedError({ name: 'Bad', scope: 'x', type: 'y', encryptedData: { 'a b': 'plain', 'ok': API_KEY } });
    expect(msg).toMatch(/^cdk8s-patterns: \d+ invalid values:/);
    for (const prop of ['name (', 'scope (', 'type (', 'encryptedData key ("a b")', 'encryptedData["a b"]']) expect(msg).toContain(prop);
    expect(msg).not.toContain('plain');
  });

  test('two makers of one Secret in one namespace are rejected; in two namespaces they are not', () => {
    // GIVEN a SealedSecret and an ExternalSecret that both make the Secret "db" in namespace "shop"
    const chart = newChart('shop', { namespace: 'shop' });
    new SealedSecret(chart, 'db', { encryptedData: { password: API_KEY } });
    new ExternalSecret(chart, 'db-from-vault', {
      secretStoreRef: { name: 'vault' }, target: { name: 'db' }, data: [{ secretKey: 'password', remoteRef: { key: 'db' } }],
    });
    // THEN the synthesis fails, naming both
    expect(() => synth(chart)).toThrow('shop/db-from-vault: secretName ("db") must be unique per namespace: the Secret "db" in namespace "shop" is also made by shop/db');
    // BUT the same names in two namespaces are fine
    const app = newChart('a', { namespace: 'a' }).node.root as any;
    new SealedSecret(new Chart(app, 'b', { namespace: 'b' }), 'db', { encryptedData: { password: API_KEY } });
    new SealedSecret(app.node.findChild('a'), 'db', { encryptedData: { password: API_KEY } });
    const manifests: Manifest[] = synth(app);
    expect(manifests.filter((m) => m.kind === 'SealedSecret').map((m) => m.metadata.namespace)).toEqual(['a', 'b']);
  });
});
