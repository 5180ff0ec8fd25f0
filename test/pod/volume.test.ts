import { Chart, Duration, Size } from 'cdk8s';
import {
  ConfigMapReference, DownwardApiFile, IConfigMapReference, PodField, PodVolume, ProjectedSource, ResourceField,
  StatelessServiceProps, VolumeMount,
} from '../../src';
import { PatternValidationError, Problems } from '../../src/core/validation';
import { checkMode, checkRelativePath } from '../../src/pod/volume';
import { errorOf, service } from '../helpers/errors';
import { findObject, newChart, synth, validateManifests } from '../helpers/synth';

/** The rendered pod spec of a service that declares `volumes` and mounts each at /mnt/<name>. */
function podWith(volumes: PodVolume[], props: Partial<StatelessServiceProps> = {}): any {
  const mounts: VolumeMount[] = volumes.map((v) => ({ volume: v.name, path: `/mnt/${v.name}` }));
  const svc = service({ volumes, mounts, ...props });
  const manifests = synth(Chart.of(svc));
  validateManifests(manifests);
  return findObject(manifests, 'Deployment', 'api').spec.template.spec;
}

/** The rendered volume `name` of the pod. */
function volumeOf(volume: PodVolume): any {
  return podWith([volume]).volumes.find((v: any) => v.name === volume.name);
}

/** The error message of a service that declares and mounts `volume`. */
function volumeError(volume: PodVolume): string {
  return errorOf(() => service({ volumes: [volume], mounts: [{ volume: 'v', path: '/mnt/v' }] }));
}

const CM: IConfigMapReference = { configMapName: 'app-config', knownKeys: ['app.yaml', 'log.yaml'] };

describe('PodVolume.emptyDir', () => {
  test('defaults to a 64Mi disk-backed emptyDir', () => {
    expect(volumeOf(PodVolume.emptyDir('cache'))).toEqual({ name: 'cache', emptyDir: { sizeLimit: '64Mi' } });
  });

  test('sizeLimit and memory render as sizeLimit and medium: Memory', () => {
    expect(volumeOf(PodVolume.emptyDir('shm', { sizeLimit: Size.gibibytes(1), memory: true })))
      .toEqual({ name: 'shm', emptyDir: { sizeLimit: '1024Mi', medium: 'Memory' } });
  });

  test('memory: false keeps the disk medium', () => {
    expect(volumeOf(PodVolume.emptyDir('cache', { memory: false })).emptyDir).toEqual({ sizeLimit: '64Mi' });
  });

  test.each<[string, any, string]>([
    ['zero', Size.mebibytes(0), 'shop/api: volumes[0].sizeLimit ('],
    ['a fraction of a mebibyte', Size.kibibytes(1536), 'shop/api: volumes[0].sizeLimit ('],
    ['a number', 64, 'shop/api: volumes[0].sizeLimit (64)'],
  ])('a sizeLimit of %s is rejected', (_name, sizeLimit, expected) => {
    const message = volumeError(PodVolume.emptyDir('v', { sizeLimit }));
    expect(message).toContain(expected);
    expect(message).toContain('must be a Size of a whole, positive number of mebibytes');
  });
});

describe('PodVolume.configMap', () => {
  test('every key by default; items, modes and optional render exactly', () => {
    // GIVEN a ConfigMap volume of every key and one of chosen keys with modes
    const all = PodVolume.configMap('all', ConfigMapReference.fromName('app-config'));
    const some = PodVolume.configMap('some', CM, {
      items: [{ key: 'app.yaml', path: 'config/app.yaml', mode: 0o400 }, { key: 'log.yaml', path: 'log.yaml' }],
      defaultMode: 0o440,
      optional: true,
    });
    const spec = podWith([all, some]);
    // THEN the modes render as decimal numbers (0o400 = 256, 0o440 = 288) and optional survives
    expect(spec.volumes.filter((v: any) => v.configMap)).toEqual([
      { name: 'all', configMap: { name: 'app-config' } },
      {
        name: 'some',
        configMap: {
          name: 'app-config',
          items: [{ key: 'app.yaml', path: 'config/app.yaml', mode: 256 }, { key: 'log.yaml', path: 'log.yaml' }],
          defaultMode: 288,
          optional: true,
        },
      },
    ]);
  });

  test('optional: false is omitted', () => {
    expect(volumeOf(PodVolume.configMap('c', CM, { optional: false })).configMap).toEqual({ name: 'app-config' });
  });

  test('a key the ConfigMap does not have is rejected, naming the keys it has', () => {
    expect(volumeError(PodVolume.configMap('v', CM, { items: [{ key: 'db.yaml', path: 'db.yaml' }] })))
      .toContain('shop/api: volumes[0].items[0].key ("db.yaml") must be a key of the ConfigMap (it has: app.yaml, log.yaml)');
    expect(volumeError(PodVolume.configMap('v', { configMapName: 'e', knownKeys: [] }, { items: [{ key: 'a', path: 'a' }] })))
      .toContain('must be a key of the ConfigMap (it has: no keys)');
  });

  test('keys of a ConfigMap referenced by name are not checked', () => {
    expect(volumeOf(PodVolume.configMap('c', ConfigMapReference.fromName('x'), { items: [{ key: 'any', path: 'any' }] })).configMap.items)
      .toEqual([{ key: 'any', path: 'any' }]);
  });

  test('a reference that is not a ConfigMap is rejected', () => {
    expect(volumeError(PodVolume.configMap('v', 'app-config' as any)))
      .toContain('shop/api: volumes[0].configMap ("app-config") must be a ConfigResource or ConfigMapReference.fromName("<name>")');
    expect(volumeError(PodVolume.configMap('v', ConfigMapReference.fromName('Bad_Name'))))
      .toContain('shop/api: volumes[0].configMap.configMapName ("Bad_Name") must be a DNS-1123 subdomain');
  });
});

describe('PodVolume.secret', () => {
  test('renders secretName, items, defaultMode and optional', () => {
    expect(volumeOf(PodVolume.secret('creds', 'db-credentials', {
      items: [{ key: 'password', path: 'db/password', mode: 0o400 }], defaultMode: 0o400, optional: true,
    }))).toEqual({
      name: 'creds',
      secret: { secretName: 'db-credentials', items: [{ key: 'password', path: 'db/password', mode: 256 }], defaultMode: 256, optional: true },
    });
  });

  test('every key by default', () => {
    expect(volumeOf(PodVolume.secret('tls', 'tls-cert'))).toEqual({ name: 'tls', secret: { secretName: 'tls-cert' } });
  });

  test('an invalid Secret name is rejected', () => {
    expect(volumeError(PodVolume.secret('v', 'Not A Secret'))).toContain('shop/api: volumes[0].secretName ("Not A Secret") must be a DNS-1123 subdomain');
  });
});

describe('items and modes', () => {
  test.each([0, 0o400, 0o644, 0o777])('mode %o is accepted', (mode) => {
    expect(volumeOf(PodVolume.secret('s', 'x', { defaultMode: mode, items: [{ key: 'k', path: 'k', mode }] })).secret)
      .toMatchObject({ defaultMode: mode, items: [{ mode }] });
  });

  test.each([-1, 0o1000, 1.5, NaN])('mode %s is rejected, as defaultMode and as an item mode', (mode) => {
    const message = volumeError(PodVolume.secret('v', 'x', { defaultMode: mode, items: [{ key: 'k', path: 'k', mode }] }));
    expect(message).toContain(`shop/api: volumes[0].defaultMode (${mode}) must be a file mode from 0 to 0o777 (511), e.g. 0o400`);
    expect(message).toContain(`shop/api: volumes[0].items[0].mode (${mode}) must be a file mode from 0 to 0o777 (511)`);
  });

  test.each<[string, string]>([
    ['an absolute path', '/etc/passwd'],
    ['a ".." element', 'config/../../etc'],
    ['"..", alone', '..'],
    ['an empty path', ''],
  ])('an item path with %s is rejected', (_name, path) => {
    expect(volumeError(PodVolume.secret('v', 'x', { items: [{ key: 'k', path }] })))
      .toContain(`shop/api: volumes[0].items[0].path (${JSON.stringify(path)}) must be a relative path without ".." (e.g. "config/app.yaml")`);
  });

  test('a path used by two items is rejected', () => {
    expect(volumeError(PodVolume.secret('v', 'x', { items: [{ key: 'a', path: 'same' }, { key: 'b', path: 'same' }] })))
      .toContain('shop/api: volumes[0].items[1].path ("same") must be unique in the volume');
  });

  test('an invalid key is rejected', () => {
    expect(volumeError(PodVolume.secret('v', 'x', { items: [{ key: 'a b', path: 'ab' }] })))
      .toContain('shop/api: volumes[0].items[0].key ("a b") must be a ConfigMap or Secret key');
  });

  test('items that are not a list, and null items, give validation errors', () => {
    expect(volumeError(PodVolume.secret('v', 'x', { items: { key: 'a', path: 'a' } as any })))
      .toContain('shop/api: volumes[0].items ({"key":"a","path":"a"}) must be a list of { key, path, mode }');
    const message = volumeError(PodVolume.secret('v', 'x', { items: [null as any] }));
    expect(message).toContain('shop/api: volumes[0].items[0].key (undefined) must be a ConfigMap or Secret key');
    expect(message).toContain('shop/api: volumes[0].items[0].path (undefined) must be a relative path');
  });

  test('checkMode and checkRelativePath work on their own', () => {
    const p = new Problems('x');
    checkMode(p, 'mode', undefined);
    checkMode(p, 'mode', 0o777);
    checkRelativePath(p, 'path', 'a/b/c');
    checkRelativePath(p, 'path', 5);
    checkMode(p, 'mode', 512);
    expect(p.messages()).toEqual([
      'path (5) must be a relative path without ".." (e.g. "config/app.yaml"), and not starting with ".."',
      'mode (512) must be a file mode from 0 to 0o777 (511), e.g. 0o400',
    ]);
  });
});

describe('PodVolume.persistentVolumeClaim', () => {
  test('renders the claim, read-only only when asked', () => {
    expect(volumeOf(PodVolume.persistentVolumeClaim('data', 'data-claim'))).toEqual({ name: 'data', persistentVolumeClaim: { claimName: 'data-claim' } });
    expect(volumeOf(PodVolume.persistentVolumeClaim('data', 'data-claim', { readOnly: true })).persistentVolumeClaim)
      .toEqual({ claimName: 'data-claim', readOnly: true });
    expect(volumeOf(PodVolume.persistentVolumeClaim('data', 'data-claim', { readOnly: false })).persistentVolumeClaim)
      .toEqual({ claimName: 'data-claim' });
  });

  test('an invalid claim name is rejected', () => {
    expect(volumeError(PodVolume.persistentVolumeClaim('v', 'Data_Claim')))
      .toContain('shop/api: volumes[0].claimName ("Data_Claim") must be a DNS-1123 subdomain');
  });
});

describe('PodVolume.downwardApi and DownwardApiFile', () => {
  test('labels, annotations, pod fields and resources render as downwardAPI items', () => {
    // GIVEN every kind of downward API file
    const v = PodVolume.downwardApi('podinfo', [
      DownwardApiFile.labels(),
      DownwardApiFile.annotations('meta/annotations'),
      DownwardApiFile.podField('name', PodField.NAME),
      DownwardApiFile.podField('namespace', PodField.NAMESPACE),
      DownwardApiFile.podField('uid', PodField.UID),
      DownwardApiFile.resource('cpu_limit', ResourceField.CPU_LIMIT, 'app'),
      DownwardApiFile.resource('mem_limit', ResourceField.MEMORY_LIMIT, 'app', '1Mi'),
    ], { defaultMode: 0o444 });
    // THEN the volume is named downwardAPI in the manifest, with every item
    expect(volumeOf(v)).toEqual({
      name: 'podinfo',
      downwardAPI: {
        defaultMode: 0o444,
        items: [
          { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
          { path: 'meta/annotations', fieldRef: { fieldPath: 'metadata.annotations' } },
          { path: 'name', fieldRef: { fieldPath: 'metadata.name' } },
          { path: 'namespace', fieldRef: { fieldPath: 'metadata.namespace' } },
          { path: 'uid', fieldRef: { fieldPath: 'metadata.uid' } },
          { path: 'cpu_limit', resourceFieldRef: { resource: 'limits.cpu', containerName: 'app' } },
          { path: 'mem_limit', resourceFieldRef: { resource: 'limits.memory', containerName: 'app', divisor: '1Mi' } },
        ],
      },
    });
  });

  test('the default paths are "labels" and "annotations"', () => {
    expect(DownwardApiFile.labels().path).toBe('labels');
    expect(DownwardApiFile.annotations().path).toBe('annotations');
  });

  test.each([PodField.POD_IP, PodField.POD_IPS, PodField.HOST_IP, PodField.NODE_NAME, PodField.SERVICE_ACCOUNT_NAME])(
    'the pod field %s, only available as env, is rejected in a file', (field) => {
      expect(volumeError(PodVolume.downwardApi('v', [DownwardApiFile.podField('f', field)])))
        .toContain(`shop/api: volumes[0].files[0] ("${field}") a downwardAPI file can hold only the pod name, namespace, UID, labels or annotations`);
    });

  test('a resource file of an invalid container name is rejected', () => {
    expect(volumeError(PodVolume.downwardApi('v', [DownwardApiFile.resource('cpu', ResourceField.CPU_LIMIT, 'App_Main')])))
      .toContain('shop/api: volumes[0].files[0].containerName ("App_Main") must be a DNS-1123 label');
  });

  test('an empty list, a non-file, a duplicate path, a bad path and a bad defaultMode are rejected', () => {
    expect(volumeError(PodVolume.downwardApi('v', []))).toContain('shop/api: volumes[0].files ([]) must be a non-empty list of DownwardApiFile');
    expect(volumeError(PodVolume.downwardApi('v', undefined as any))).toContain('shop/api: volumes[0].files (undefined) must be a non-empty list of DownwardApiFile');
    expect(volumeError(PodVolume.downwardApi('v', [{ path: 'labels' } as any])))
      .toContain('shop/api: volumes[0].files[0] ({"path":"labels"}) must be created with DownwardApiFile.labels(), annotations(), podField() or resource()');
    expect(volumeError(PodVolume.downwardApi('v', [DownwardApiFile.labels('x'), DownwardApiFile.annotations('x')])))
      .toContain('shop/api: volumes[0].files[1].path ("x") must be unique in the volume');
    expect(volumeError(PodVolume.downwardApi('v', [DownwardApiFile.labels('../labels')])))
      .toContain('shop/api: volumes[0].files[0].path ("../labels") must be a relative path without ".."');
    expect(volumeError(PodVolume.downwardApi('v', [DownwardApiFile.labels()], { defaultMode: 0o7777 })))
      .toContain('shop/api: volumes[0].defaultMode (4095) must be a file mode from 0 to 0o777');
  });
});

describe('PodVolume.projected and ProjectedSource', () => {
  test('ConfigMap, Secret, downward API and service-account token sources render in one directory', () => {
    const v = PodVolume.projected('bundle', [
      ProjectedSource.configMap(CM, { items: [{ key: 'app.yaml', path: 'app.yaml', mode: 0o440 }], optional: true }),
      ProjectedSource.secret('db-credentials', { items: [{ key: 'password', path: 'db-password' }] }),
      ProjectedSource.downwardApi([DownwardApiFile.labels('pod-labels')]),
      ProjectedSource.serviceAccountToken({ audience: 'vault', expiry: Duration.minutes(30), path: 'vault-token' }),
    ], { defaultMode: 0o440 });
    expect(volumeOf(v)).toEqual({
      name: 'bundle',
      projected: {
        defaultMode: 288,
        sources: [
          { configMap: { name: 'app-config', items: [{ key: 'app.yaml', path: 'app.yaml', mode: 288 }], optional: true } },
          { secret: { name: 'db-credentials', items: [{ key: 'password', path: 'db-password' }] } },
          { downwardAPI: { items: [{ path: 'pod-labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
          { serviceAccountToken: { audience: 'vault', expirationSeconds: 1800, path: 'vault-token' } },
        ],
      },
    });
  });

  test('a service-account token defaults to one hour at path "token"; the pod still does not automount a token', () => {
    const spec = podWith([PodVolume.projected('sa', [ProjectedSource.serviceAccountToken({ audience: 'https://vault.example.com' })])]);
    expect(spec.volumes.find((v: any) => v.name === 'sa').projected.sources)
      .toEqual([{ serviceAccountToken: { audience: 'https://vault.example.com', expirationSeconds: 3600, path: 'token' } }]);
    expect(spec.automountServiceAccountToken).toBe(false);
  });

  test('an expiry of exactly 10 minutes is accepted; less is rejected', () => {
    const ok = podWith([PodVolume.projected('sa', [ProjectedSource.serviceAccountToken({ audience: 'a', expiry: Duration.minutes(10) })])]);
    expect(ok.volumes.find((v: any) => v.name === 'sa').projected.sources[0].serviceAccountToken.expirationSeconds).toBe(600);
    expect(volumeError(PodVolume.projected('v', [ProjectedSource.serviceAccountToken({ audience: 'a', expiry: Duration.seconds(599) })])))
      .toContain('shop/api: volumes[0].sources[0].expiry ("599s") must be at least 10 minutes (the API server rejects shorter tokens)');
  });

  test('an expiry that is not a Duration is rejected', () => {
    expect(volumeError(PodVolume.projected('v', [ProjectedSource.serviceAccountToken({ audience: 'a', expiry: 3600 as any })])))
      .toContain('shop/api: volumes[0].sources[0].expiry (3600) must be a Duration of whole seconds');
  });

  test('an empty or missing audience and an absolute token path are rejected', () => {
    expect(volumeError(PodVolume.projected('v', [ProjectedSource.serviceAccountToken({ audience: '' })])))
      .toContain('shop/api: volumes[0].sources[0].audience ("") must be a non-empty string');
    expect(volumeError(PodVolume.projected('v', [ProjectedSource.serviceAccountToken(undefined as any)])))
      .toContain('shop/api: volumes[0].sources[0].audience (undefined) must be a non-empty string');
    expect(volumeError(PodVolume.projected('v', [ProjectedSource.serviceAccountToken({ audience: 'a', path: '/var/run/token' })])))
      .toContain('shop/api: volumes[0].sources[0].path ("/var/run/token") must be a relative path without ".."');
  });

  test('sources are checked with their index: ConfigMap keys, Secret names, files', () => {
    const message = volumeError(PodVolume.projected('v', [
      ProjectedSource.configMap(CM, { items: [{ key: 'missing', path: 'm' }] }),
      ProjectedSource.secret('Bad_Secret'),
      ProjectedSource.downwardApi([]),
      ProjectedSource.configMap(undefined as any),
    ]));
    expect(message).toContain('shop/api: volumes[0].sources[0].items[0].key ("missing") must be a key of the ConfigMap (it has: app.yaml, log.yaml)');
    expect(message).toContain('shop/api: volumes[0].sources[1].secretName ("Bad_Secret") must be a DNS-1123 subdomain');
    expect(message).toContain('shop/api: volumes[0].sources[2].files ([]) must be a non-empty list of DownwardApiFile');
    expect(message).toContain('shop/api: volumes[0].sources[3].configMap (undefined) must be a ConfigResource or ConfigMapReference.fromName("<name>")');
  });

  test('no sources, a non-source and a bad defaultMode are rejected', () => {
    expect(volumeError(PodVolume.projected('v', []))).toContain('shop/api: volumes[0].sources ([]) must be a non-empty list of ProjectedSource');
    expect(volumeError(PodVolume.projected('v', [{ secret: { name: 'x' } } as any])))
      .toContain('shop/api: volumes[0].sources[0] ({"secret":{"name":"x"}}) must be created with ProjectedSource.configMap(), secret(), downwardApi() or serviceAccountToken()');
    expect(volumeError(PodVolume.projected('v', [ProjectedSource.secret('s')], { defaultMode: -1 })))
      .toContain('shop/api: volumes[0].defaultMode (-1) must be a file mode from 0 to 0o777');
  });
});

describe('volume names', () => {
  test.each(['Cache', 'cache_dir', '-cache', 'a'.repeat(64), ''])('the name %j is rejected: it must be a DNS-1123 label', (name) => {
    expect(errorOf(() => service({ volumes: [PodVolume.emptyDir(name)], mounts: [{ volume: name, path: '/c' }] })))
      .toContain(`shop/api: volumes[0].name (${JSON.stringify(name)}) must be a DNS-1123 label`);
  });

  test('a volume of 63 characters is accepted', () => {
    const name = 'a'.repeat(63);
    expect(podWith([PodVolume.emptyDir(name)]).volumes.map((v: any) => v.name)).toContain(name);
  });

  test('_type names the volume kind for messages', () => {
    expect([
      PodVolume.emptyDir('a'), PodVolume.configMap('b', CM), PodVolume.secret('c', 's'), PodVolume.persistentVolumeClaim('d', 'c'),
      PodVolume.downwardApi('e', [DownwardApiFile.labels()]), PodVolume.projected('f', [ProjectedSource.secret('s')]),
    ].map((v) => v._type)).toEqual(['emptyDir', 'configMap', 'secret', 'persistentVolumeClaim', 'downwardAPI', 'projected']);
  });
});

describe('bad input', () => {
  test('every problem of several volumes is listed in one PatternValidationError', () => {
    // GIVEN four volumes, each with problems
    const chart = newChart('shop');
    service({
      volumes: [
        PodVolume.emptyDir('Bad', { sizeLimit: Size.mebibytes(0) }),
        PodVolume.secret('s', 'Bad Secret', { defaultMode: 0o1000, items: [{ key: 'k', path: '/abs' }] }),
        PodVolume.downwardApi('d', [DownwardApiFile.podField('ip', PodField.POD_IP)]),
        PodVolume.projected('p', [ProjectedSource.serviceAccountToken({ audience: '', expiry: Duration.minutes(1) })]),
      ],
    }, chart);
    // WHEN the app is synthesised
    let error: any;
    try {
      synth(chart);
    } catch (e) {
      error = e;
    }
    // THEN one validation error (never a TypeError) lists them all, in order
    expect(error).toBeInstanceOf(PatternValidationError);
    expect((error as PatternValidationError).problems.map((p) => `${p.prop} (${p.value})`)).toEqual([
      'volumes[0].name ("Bad")',
      'volumes[0].sizeLimit ("0Ki")',
      'volumes[1].secretName ("Bad Secret")',
      'volumes[1].defaultMode (512)',
      'volumes[1].items[0].path ("/abs")',
      'volumes[2].files[0] ("status.podIP")',
      'volumes[3].sources[0].audience ("")',
      'volumes[3].sources[0].expiry ("60s")',
    ]);
  });
});

describe('edge cases that once crashed or slipped through', () => {
  // Regression: ProjectedSource.configMap()/secret() take KeyVolumeOptions, whose defaultMode is rendered into the
  // projection; ConfigMapProjection and SecretProjection have no defaultMode field, so the L1 serializer drops it
  // silently and the files get the projected volume's mode (0644 by default) instead of the 0400 asked for.
  // Expected: a validation error pointing to PodVolume.projected()'s defaultMode (or item modes).
  test.each<[string, () => ProjectedSource]>([
    ['configMap', () => ProjectedSource.configMap(CM, { defaultMode: 0o400 })],
    ['secret', () => ProjectedSource.secret('s', { defaultMode: 0o400 })],
  ])('ProjectedSource.%s with a defaultMode (which a projection cannot carry) is rejected, not silently dropped', (_name, make) => {
    expect(volumeError(PodVolume.projected('v', [make()]))).toContain('shop/api: volumes[0].sources[0].defaultMode (256)');
  });

  // Regression: paths are only checked for duplicates within one source; the API server rejects a projected volume whose
  // sources write the same path ("conflicting duplicate paths").
  test('two projected sources writing the same path are rejected', () => {
    expect(volumeError(PodVolume.projected('v', [
      ProjectedSource.secret('s', { items: [{ key: 'a', path: 'config' }] }),
      ProjectedSource.configMap(CM, { items: [{ key: 'app.yaml', path: 'config' }] }),
    ]))).toContain('shop/api: volumes[0].sources[1].items[0].path ("config") must be unique in the volume');
  });

  // Regression: checkRelativePath accepts paths starting with ".." (e.g. "..data"); the API server rejects them
  // ("must not start with '..'"), and "..data" is the kubelet's own atomic-writer directory.
  test('an item path starting with ".." is rejected', () => {
    expect(volumeError(PodVolume.secret('v', 'x', { items: [{ key: 'k', path: '..data' }] })))
      .toContain('shop/api: volumes[0].items[0].path ("..data") must be a relative path');
  });

  // Regression: DownwardApiFile.resource() does not check its divisor (EnvVariable.fromResource does): 'lots' renders an
  // invalid quantity that only the schema check catches.
  test('a downward API resource file with an invalid divisor is rejected', () => {
    expect(volumeError(PodVolume.downwardApi('v', [DownwardApiFile.resource('m', ResourceField.MEMORY_LIMIT, 'app', 'lots')])))
      .toContain('shop/api: volumes[0].files[0].divisor ("lots")');
  });

  // Regression: an expiry that is not a whole number of seconds makes Duration.toSeconds() throw a plain Error
  // ("'600500 millis' cannot be converted into a whole number of seconds.") instead of a PatternValidationError.
  test('a service-account token expiry of a fraction of a second gives a validation error', () => {
    expect(volumeError(PodVolume.projected('v', [ProjectedSource.serviceAccountToken({ audience: 'a', expiry: Duration.millis(600_500) })])))
      .toContain('shop/api: volumes[0].sources[0].expiry');
  });

  // Regression: an expiry above 2^32 seconds is rejected with the message for a too-short token ("at least 10 minutes").
  test('a service-account token expiry above 2^32 seconds names the upper bound', () => {
    const message = volumeError(PodVolume.projected('v', [ProjectedSource.serviceAccountToken({ audience: 'a', expiry: Duration.days(50_000) })]));
    expect(message).toContain('shop/api: volumes[0].sources[0].expiry ("4320000000s")');
    expect(message).not.toContain('rejects shorter tokens');
  });

  // Regression: null options make the volume's render callback throw a TypeError (`options.sizeLimit`,
  // `options.readOnly`, `options.defaultMode` on null); renderItems() and serviceAccountToken() already guard null.
  test.each<[string, () => PodVolume]>([
    ['emptyDir', () => PodVolume.emptyDir('v', null as any)],
    ['persistentVolumeClaim', () => PodVolume.persistentVolumeClaim('v', 'claim', null as any)],
    ['downwardApi', () => PodVolume.downwardApi('v', [DownwardApiFile.labels()], null as any)],
    ['projected', () => PodVolume.projected('v', [ProjectedSource.secret('s')], null as any)],
  ])('PodVolume.%s with null options is treated like no options, not a TypeError', (_name, make) => {
    const svc = service({ volumes: [make()], mounts: [{ volume: 'v', path: '/v' }] });
    expect(synth(Chart.of(svc)).length).toBeGreaterThan(0);
  });
});
