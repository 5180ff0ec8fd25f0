import * as fs from 'fs';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { ConfigResource, ConfigResourceProps, EnvVariable, PatternLabels, StatelessServiceProps } from '../../src';
import { errorOf, service } from '../helpers/errors';
import { Manifest, findObject, mainContainer, newChart, objectsOf, synth, validateManifests } from '../helpers/synth';
import { tempDir } from '../helpers/tmp';

/** Synthesises the chart and checks every manifest against the schema. */
function build(chart: Chart): Manifest[] {
  const manifests = synth(chart);
  validateManifests(manifests);
  return manifests;
}

/** A ConfigResource `settings` in a fresh chart `shop`, synthesised. */
function configMapOf(props: ConfigResourceProps, id = 'settings'): { config: ConfigResource; manifest: Manifest } {
  const chart = newChart('shop');
  const config = new ConfigResource(chart, id, props);
  const manifests = build(chart);
  return { config, manifest: findObject(manifests, 'ConfigMap', config.configMapName) };
}

/** The error of building a ConfigResource `settings` in chart `shop`. */
function configError(props: ConfigResourceProps): string {
  return errorOf(() => new ConfigResource(newChart('shop'), 'settings', props));
}

/** A chart with a ConfigResource `settings` of `data` and a service `api` whose props `use` it; returns the synthesised objects. */
function appWith(data: { [k: string]: string }, use: (c: ConfigResource) => Partial<StatelessServiceProps>) {
  const chart = newChart('shop');
  const config = new ConfigResource(chart, 'settings', { data });
  service(use(config), chart);
  const manifests = build(chart);
  return { config, manifests, deployment: findObject(manifests, 'Deployment', 'api') };
}

const HASHED = /^settings-[0-9a-f]{10}$/;

describe('ConfigResource: the ConfigMap', () => {
  test('immutable by default: name with a 10-hex content hash, immutable: true, data sorted by key', () => {
    // GIVEN a ConfigResource with text entries
    const { config, manifest } = configMapOf({ data: { LOG_LEVEL: 'info', FEATURES: 'a,b' } });
    // THEN the ConfigMap is named <name>-<hash> and immutable
    expect(config.immutable).toBe(true);
    expect(config.configMapName).toMatch(HASHED);
    expect(manifest.metadata.name).toBe(config.configMapName);
    expect(manifest.immutable).toBe(true);
    // AND it holds the data, and the standard labels (instance is the base name, without the hash)
    expect(manifest.data).toEqual({ FEATURES: 'a,b', LOG_LEVEL: 'info' });
    expect(manifest.binaryData).toBeUndefined();
    expect(manifest.metadata.labels).toEqual({
      [PatternLabels.NAME]: 'settings', [PatternLabels.INSTANCE]: 'settings', [PatternLabels.MANAGED_BY]: 'cdk8s-patterns',
    });
  });

  test('immutable: false keeps the plain name and does not set immutable', () => {
    // GIVEN a mutable ConfigResource
    const { config, manifest } = configMapOf({ data: { LOG_LEVEL: 'info' }, immutable: false });
    // THEN its name is the base name and the field is absent
    expect(config.immutable).toBe(false);
    expect(config.configMapName).toBe('settings');
    expect(manifest.metadata.name).toBe('settings');
    expect(manifest.immutable).toBeUndefined();
  });

  test('name, appName and labels', () => {
    // GIVEN an explicit name, app name and extra labels
    const { config, manifest } = configMapOf({ name: 'api-config', appName: 'api', labels: { team: 'payments' }, data: { A: '1' } });
    // THEN the name is the base of the hashed name and the labels are set
    expect(config.configMapName).toMatch(/^api-config-[0-9a-f]{10}$/);
    expect(manifest.metadata.labels).toEqual({
      team: 'payments', [PatternLabels.NAME]: 'api', [PatternLabels.INSTANCE]: 'api-config', [PatternLabels.MANAGED_BY]: 'cdk8s-patterns',
    });
  });

  test('the default name is the construct id in kebab-case', () => {
    const { config } = configMapOf({ data: { A: '1' } }, 'AppSettings');
    expect(config.configMapName).toMatch(/^app-settings-[0-9a-f]{10}$/);
  });

  test('binaryData is kept as given; knownKeys lists every key, text and binary', () => {
    // GIVEN text and binary entries
    const { config, manifest } = configMapOf({ data: { 'b.txt': 'x' }, binaryData: { 'a.bin': 'AAEC/w==' } });
    // THEN both are in the ConfigMap and both keys are known
    expect(manifest.data).toEqual({ 'b.txt': 'x' });
    expect(manifest.binaryData).toEqual({ 'a.bin': 'AAEC/w==' });
    expect(config.knownKeys).toEqual(['b.txt', 'a.bin']);
  });

  test('files: UTF-8 text goes to data, anything else to binaryData as base64', () => {
    // GIVEN a text file and a binary file on disk
    const dir = tempDir();
    const text = path.join(dir, 'app.properties');
    const binary = path.join(dir, 'keystore.p12');
    fs.writeFileSync(text, 'greeting=héllo\n');
    fs.writeFileSync(binary, Buffer.from([0x30, 0x82, 0xff, 0xfe, 0x00]));
    // WHEN they are read into a ConfigResource
    const { config, manifest } = configMapOf({ files: { 'app.properties': text, 'keystore.p12': binary } });
    // THEN the text is in data verbatim and the binary in binaryData, base64-encoded
    expect(manifest.data).toEqual({ 'app.properties': 'greeting=héllo\n' });
    expect(manifest.binaryData).toEqual({ 'keystore.p12': Buffer.from([0x30, 0x82, 0xff, 0xfe, 0x00]).toString('base64') });
    expect([...(config.knownKeys ?? [])].sort()).toEqual(['app.properties', 'keystore.p12']);
  });

  test('exactly 1 MiB of data is accepted', () => {
    const { manifest } = configMapOf({ data: { big: 'x'.repeat(1024 * 1024) } });
    expect(manifest.data.big).toHaveLength(1024 * 1024);
  });
});

describe('ConfigResource: Immutable Configuration (content hash)', () => {
  const nameOf = (props: ConfigResourceProps) => new ConfigResource(newChart('shop'), 'settings', props).configMapName;

  test('the same content gives the same name, whatever the key order', () => {
    expect(nameOf({ data: { A: '1', B: '2' } })).toBe(nameOf({ data: { B: '2', A: '1' } }));
  });

  test('labels and appName do not change the hash', () => {
    expect(nameOf({ data: { A: '1' }, labels: { team: 'x' }, appName: 'api' })).toBe(nameOf({ data: { A: '1' } }));
  });

  test('a changed value, a new key or a changed binary value gives a new name', () => {
    const base = nameOf({ data: { A: '1' }, binaryData: { B: 'AAAA' } });
    expect(nameOf({ data: { A: '2' }, binaryData: { B: 'AAAA' } })).not.toBe(base);
    expect(nameOf({ data: { A: '1', C: '' }, binaryData: { B: 'AAAA' } })).not.toBe(base);
    expect(nameOf({ data: { A: '1' }, binaryData: { B: 'AAAB' } })).not.toBe(base);
  });

  test('a changed file gives a new name; an unchanged one the same', () => {
    // GIVEN a file
    const file = path.join(tempDir(), 'app.yaml');
    fs.writeFileSync(file, 'replicas: 1\n');
    const first = nameOf({ files: { 'app.yaml': file } });
    // THEN reading it again gives the same name, and editing it a new one
    expect(nameOf({ files: { 'app.yaml': file } })).toBe(first);
    fs.writeFileSync(file, 'replicas: 2\n');
    expect(nameOf({ files: { 'app.yaml': file } })).not.toBe(first);
  });

  test('a file and a literal with the same content hash alike', () => {
    const file = path.join(tempDir(), 'A');
    fs.writeFileSync(file, 'value');
    expect(nameOf({ files: { A: file } })).toBe(nameOf({ data: { A: 'value' } }));
  });

  test('the Deployment that uses it references the hashed name, and rolls when the content changes', () => {
    // GIVEN the same service using a ConfigResource, with two versions of the content
    const use = (c: ConfigResource): Partial<StatelessServiceProps> => ({ envVariables: [c.env('LOG_LEVEL', 'LOG_LEVEL')] });
    const v1 = appWith({ LOG_LEVEL: 'info' }, use);
    const v2 = appWith({ LOG_LEVEL: 'debug' }, use);
    // THEN each Deployment names its ConfigMap's hashed name
    const ref = (d: Manifest) => mainContainer(d).env[0].valueFrom.configMapKeyRef.name;
    expect(ref(v1.deployment)).toBe(v1.config.configMapName);
    expect(ref(v2.deployment)).toBe(v2.config.configMapName);
    // AND the pod template changes with the content (a rollout)
    expect(v1.config.configMapName).not.toBe(v2.config.configMapName);
    expect(v1.deployment.spec.template).not.toEqual(v2.deployment.spec.template);
  });

  test('a workload not using it is unaffected when the content changes', () => {
    // GIVEN a chart with a ConfigResource and a service that does not use it, in two versions of the content
    const template = (data: { [k: string]: string }) => {
      const chart = newChart('shop');
      new ConfigResource(chart, 'settings', { data });
      service({}, chart);
      return findObject(build(chart), 'Deployment', 'api').spec.template;
    };
    // THEN the service's pod template is the same
    expect(template({ LOG_LEVEL: 'debug' })).toEqual(template({ LOG_LEVEL: 'info' }));
  });
});

describe('ConfigResource: env(), envFrom() and volume()', () => {
  test('env() reads one key by the hashed name', () => {
    const { config, deployment } = appWith({ LOG_LEVEL: 'info' }, (c) => ({ envVariables: [c.env('LEVEL', 'LOG_LEVEL', { optional: true })] }));
    expect(mainContainer(deployment).env).toEqual([
      { name: 'LEVEL', valueFrom: { configMapKeyRef: { name: config.configMapName, key: 'LOG_LEVEL', optional: true } } },
    ]);
  });

  test('EnvVariable.fromConfigMap with a ConfigResource reads a key like env()', () => {
    const { config, deployment } = appWith({ LOG_LEVEL: 'info' }, (c) => ({ envVariables: [EnvVariable.fromConfigMap('LEVEL', c, 'LOG_LEVEL')] }));
    expect(mainContainer(deployment).env[0].valueFrom.configMapKeyRef).toEqual({ name: config.configMapName, key: 'LOG_LEVEL' });
  });

  test('envFrom() copies every key, with a prefix', () => {
    const { config, deployment } = appWith({ LOG_LEVEL: 'info', MODE: 'fast' }, (c) => ({ envFrom: [c.envFrom({ prefix: 'APP_' })] }));
    expect(mainContainer(deployment).envFrom).toEqual([{ configMapRef: { name: config.configMapName }, prefix: 'APP_' }]);
  });

  test('volume() mounts every key, or the items given with their modes', () => {
    // GIVEN two volumes of one ConfigResource, one with an item and a mode
    const { config, deployment } = appWith({ 'app.properties': 'a=1', 'log.xml': '<x/>' }, (c) => ({
      volumes: [
        c.volume('all'),
        c.volume('props', { items: [{ key: 'app.properties', path: 'conf/app.properties', mode: 0o400 }], defaultMode: 0o440 }),
      ],
      mounts: [{ volume: 'all', path: '/etc/all', readOnly: true }, { volume: 'props', path: '/etc/props', readOnly: true }],
    }));
    // THEN both name the hashed ConfigMap
    const volumes = deployment.spec.template.spec.volumes;
    expect(volumes.find((v: any) => v.name === 'all').configMap).toEqual({ name: config.configMapName });
    expect(volumes.find((v: any) => v.name === 'props').configMap).toEqual({
      name: config.configMapName, defaultMode: 0o440, items: [{ key: 'app.properties', path: 'conf/app.properties', mode: 0o400 }],
    });
    // AND they are mounted read-only
    expect(mainContainer(deployment).volumeMounts).toContainEqual({ mountPath: '/etc/props', name: 'props', readOnly: true });
  });

  test('the ConfigMap is emitted once, beside the workload', () => {
    const { manifests, config } = appWith({ A: '1' }, (c) => ({ envFrom: [c.envFrom()] }));
    expect(objectsOf(manifests, 'ConfigMap').map((m) => m.metadata.name)).toEqual([config.configMapName]);
  });
});

describe('ConfigResource: references to keys it lacks', () => {
  test('env() with an unknown key is rejected, listing the keys it has', () => {
    const msg = errorOf(() => appWith({ LOG_LEVEL: 'info', MODE: 'x' }, (c) => ({ envVariables: [c.env('LEVEL', 'LOGLEVEL')] })));
    expect(msg).toMatch(/shop\/api: envVariables\[0\]\.configMap key \("LOGLEVEL"\) must be a key of ConfigMap "settings-[0-9a-f]{10}"/);
    expect(msg).toContain('(it has: LOG_LEVEL, MODE)');
  });

  test('EnvVariable.fromConfigMap with an unknown key is rejected', () => {
    const msg = errorOf(() => appWith({ LOG_LEVEL: 'info' }, (c) => ({ envVariables: [EnvVariable.fromConfigMap('X', c, 'NOPE')] })));
    expect(msg).toContain('envVariables[0].configMap key ("NOPE") must be a key of ConfigMap');
  });

  test('volume items with an unknown key are rejected', () => {
    const msg = errorOf(() => appWith({ 'app.properties': 'a=1' }, (c) => ({
      volumes: [c.volume('cfg', { items: [{ key: 'app.yaml', path: 'app.yaml' }] })],
      mounts: [{ volume: 'cfg', path: '/etc/app' }],
    })));
    expect(msg).toContain('shop/api: volumes[0].items[0].key ("app.yaml") must be a key of the ConfigMap (it has: app.properties)');
  });

  test('envFrom() with a key that is not a valid variable name is rejected (Kubernetes would skip it)', () => {
    const msg = errorOf(() => appWith({ '1ST': 'x' }, (c) => ({ envFrom: [c.envFrom()] })));
    expect(msg).toMatch(/shop\/api: envFrom\[0\] \("1ST"\) key "1ST" of ConfigMap "settings-[0-9a-f]{10}" is not a valid environment variable name/);
  });

  test('envFrom() keys clashing with a variable of the container are rejected', () => {
    const msg = errorOf(() => appWith({ MODE: 'x' }, (c) => ({ envFrom: [c.envFrom()], env: { MODE: 'y' } })));
    expect(msg).toContain('env["MODE"].name ("MODE") is defined twice (also by envFrom[0])');
  });
});

describe('ConfigResource: bad input', () => {
  test('an empty configuration is rejected', () => {
    expect(configError({})).toContain('shop/settings: data ("{}") must have at least one entry (data, binaryData or files)');
    expect(errorOf(() => new ConfigResource(newChart('shop'), 'settings'))).toContain('must have at least one entry');
    expect(configError(null as any)).toContain('must have at least one entry');
  });

  test('a key defined twice across data, binaryData and files is rejected, naming both', () => {
    const file = path.join(tempDir(), 'A');
    fs.writeFileSync(file, 'x');
    const msg = configError({ data: { A: '1' }, binaryData: { A: 'AAAA' }, files: { A: file } });
    expect(msg).toContain('shop/settings: binaryData key ("A") is defined twice (also in data)');
    expect(msg).toContain('shop/settings: files key ("A") is defined twice (also in data)');
  });

  test('invalid keys are rejected', () => {
    const msg = configError({ data: { 'a b': '1', 'a/b': '2', '..': '3' } });
    for (const k of ['a b', 'a/b', '..']) {
      expect(msg).toContain(`shop/settings: data key (${JSON.stringify(k)}) must be a ConfigMap or Secret key: letters, digits, "-", "_" and "."`);
    }
    expect(configError({ binaryData: { 'x:y': 'AAAA' } })).toContain('binaryData key ("x:y") must be a ConfigMap or Secret key');
  });

  test('non-string values and non-map props are rejected', () => {
    const msg = configError({ data: { A: 1 as any } });
    expect(msg).toContain('shop/settings: data["A"] (1) must be a string');
    const maps = configError({ data: null as any, binaryData: ['x'] as any, files: 'a' as any });
    expect(maps).toContain('data (null) must be a map of keys to strings');
    expect(maps).toContain('binaryData (["x"]) must be a map of keys to strings');
    expect(maps).toContain('files ("a") must be a map of keys to strings');
  });

  test('a missing or unreadable file is rejected with the reason', () => {
    const dir = tempDir();
    const missing = path.join(dir, 'missing.yaml');
    expect(configError({ files: { 'app.yaml': missing } }))
      .toContain(`shop/settings: files["app.yaml"] (${JSON.stringify(missing)}) could not be read (ENOENT)`);
    expect(configError({ files: { 'app.yaml': dir } })).toContain('could not be read (EISDIR)');
  });

  test('more than 1 MiB in total is rejected, counting data, binaryData and files', () => {
    expect(configError({ data: { big: 'x'.repeat(1024 * 1024 + 1) } }))
      .toContain('shop/settings: data ("1048577 bytes") must be at most 1 MiB in total (data, binaryData and files): '
        + 'mount larger files from an image or a volume');
    // 500 000 bytes of text + a 600 000-byte binary file (stored as base64, counted decoded)
    const file = path.join(tempDir(), 'blob.bin');
    fs.writeFileSync(file, Buffer.alloc(600000, 0xff));
    expect(configError({ data: { text: 'x'.repeat(500000) }, files: { blob: file } }))
      .toContain('data ("1100000 bytes") must be at most 1 MiB in total');
  });

  test('exactly 1 MiB of binary data is accepted (the size is counted from the base64 length, padding included)', () => {
    // GIVEN 1 048 576 bytes of binary data, whose base64 ends with "=="
    const value = Buffer.alloc(1024 * 1024, 0xff).toString('base64');
    expect(value.endsWith('==')).toBe(true);
    // THEN it fits the 1 MiB limit (it is counted as 1048578 bytes and rejected)
    const { manifest } = configMapOf({ binaryData: { blob: value } });
    expect(manifest.binaryData.blob).toBe(value);
  });

  test('binaryData must be base64', () => {
    const msg = configError({ binaryData: { a: 'abc', b: 'not base64!', c: 'A'.repeat(25) + '%' } });
    expect(msg).toContain('shop/settings: binaryData["a"] ("abc") must be base64-encoded');
    expect(msg).toContain('binaryData["b"] ("not base64!") must be base64-encoded');
    // long values are cut in the message
    expect(msg).toContain('binaryData["c"] ("AAAAAAAAAAAAAAAAAAAA...") must be base64-encoded');
  });

  test('labels cannot override the managed labels, and must be valid', () => {
    const msg = configError({
      data: { A: '1' },
      labels: { [PatternLabels.NAME]: 'x', [PatternLabels.MANAGED_BY]: 'helm', 'Bad Key': 'v', 'ok': 'bad value!' },
    });
    expect(msg).toContain(`shop/settings: labels key ("${PatternLabels.NAME}") must not override a label this library manages`);
    expect(msg).toContain(`labels key ("${PatternLabels.MANAGED_BY}") must not override a label this library manages`);
    expect(msg).toContain('labels key ("Bad Key") must be a valid label key');
    expect(msg).toContain('labels["ok"] ("bad value!") must be a valid label value');
  });

  test('the name must make a valid object name', () => {
    expect(configError({ name: 'Bad_Name', data: { A: '1' } }))
      .toMatch(/shop\/settings: name \("Bad_Name-[0-9a-f]{10}"\) must be a DNS-1123 subdomain/);
    expect(configError({ name: 'Bad_Name', data: { A: '1' }, immutable: false })).toContain('name ("Bad_Name") must be a DNS-1123 subdomain');
    expect(errorOf(() => new ConfigResource(newChart('shop'), 'Bad Id!', { data: { A: '1' } })))
      .toMatch(/name \(from the construct id\) \("bad-id!-[0-9a-f]{10}"\) must be a DNS-1123 subdomain/);
  });

  test('every problem is listed at once, as a validation error', () => {
    const msg = configError({
      data: { 'a b': '1', 'A': 2 as any }, binaryData: { A: 'abc' }, files: { F: '/nonexistent/file' }, labels: { [PatternLabels.INSTANCE]: 'x' },
    });
    expect(msg).toMatch(/^cdk8s-patterns: \d+ invalid values:/);
    for (const part of ['labels key', 'data key ("a b")', 'data["A"] (2) must be a string', 'binaryData key ("A") is defined twice',
      'binaryData["A"] ("abc") must be base64-encoded', 'files["F"] ("/nonexistent/file") could not be read']) {
      expect(msg).toContain(part);
    }
  });

  test('a name too long for a label value is rejected (it is also app.kubernetes.io/instance and name)', () => {
    // GIVEN a 100-character name: a valid DNS subdomain, but label values are at most 63 characters
    expect(configError({ name: 'x'.repeat(100), data: { A: '1' } })).toContain('must be a valid label value');
  });

  test('appName is validated as a label value', () => {
    expect(configError({ appName: 'Bad App!', data: { A: '1' } })).toContain('shop/settings: appName ("Bad App!") must be a valid label value');
  });

  test('a files entry that is not a path is rejected (a number is read as an open file descriptor)', () => {
    // GIVEN an open file descriptor passed where a path belongs
    const file = path.join(tempDir(), 'secret.txt');
    fs.writeFileSync(file, 'hello');
    const fd = fs.openSync(file, 'r');
    try {
      // THEN it is rejected rather than read
      expect(configError({ files: { k: fd as any } })).toContain(`shop/settings: files["k"] (${fd})`);
    } finally {
      fs.closeSync(fd);
    }
  });
});

describe('ConfigResource: review findings', () => {
  test('a ConfigResource in another namespace than the pods that read it fails at synth', () => {
    // GIVEN a ConfigMap in namespace shared, used by a Deployment in billing
    const app = newChart('x').node.root as any;
    const shared = new Chart(app, 'shared', { namespace: 'shared' });
    const billing = new Chart(app, 'billing', { namespace: 'billing' });
    const config = new ConfigResource(shared, 'settings', { data: { A: '1' } });
    service({ envVariables: [config.env('A', 'A')], volumes: [config.volume('cfg')], mounts: [{ volume: 'cfg', path: '/cfg' }] }, billing);
    // THEN both uses are rejected, naming the namespaces
    expect(() => synth(app)).toThrow(/volumes\[0\] \("settings-[0-9a-f]{10}"\) is a ConfigMap in namespace shared, but the pods run in billing/);
    expect(() => synth(app)).toThrow(/envVariables\/envFrom \("settings-[0-9a-f]{10}"\) is a ConfigMap in namespace shared/);
  });

  test('labels that are not a map are rejected', () => {
    expect(errorOf(() => new ConfigResource(newChart('shop'), 'settings', { data: { A: '1' }, labels: 'x' as any })))
      .toContain('shop/settings: labels ("x") must be a map of label keys to values');
  });
});
