import { ApiObject, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { kplusEnvValue, KplusEnvFrom, kplusVolume } from '../../src/workload/kplus-bridge';
import { Manifest, newChart, validateManifests } from '../helpers/synth';

// The bridge hands cdk8s-plus-28 L1 values it has no factory for. These tests prove they come out of a
// rendered kplus workload exactly as given: an upgrade of cdk8s-plus-28 that changes its internals fails here.

/** A kplus Deployment with one container, in a fresh chart. */
function deployment(): { chart: Chart; deployment: kplus.Deployment; container: kplus.Container } {
  const chart = newChart('bridge');
  const d = new kplus.Deployment(chart, 'Deployment', { metadata: { name: 'bridge' }, select: false, automountServiceAccountToken: false });
  d.select(kplus.LabelSelector.of({ labels: { app: 'bridge' } }));
  d.podMetadata.addLabel('app', 'bridge');
  const container = d.addContainer({ name: 'app', image: 'ghcr.io/acme/app:1.0.0', securityContext: { ensureNonRoot: true, user: 10001 } });
  return { chart, deployment: d, container };
}

/** The rendered pod spec (and a schema check of the whole manifest). */
function rendered(d: kplus.Deployment): any {
  const manifest = ApiObject.of(d).toJson() as Manifest;
  validateManifests([manifest]);
  return manifest.spec.template.spec;
}

describe('kplusVolume', () => {
  const VOLUMES: Array<[string, kplus.k8s.Volume, any]> = [
    ['emptyDir', { name: 'cache', emptyDir: { sizeLimit: kplus.k8s.Quantity.fromString('64Mi'), medium: 'Memory' } },
      { name: 'cache', emptyDir: { sizeLimit: '64Mi', medium: 'Memory' } }],
    ['configMap with optional and modes', {
      name: 'cfg', configMap: { name: 'app-config', optional: true, defaultMode: 0o440, items: [{ key: 'a', path: 'a.yaml', mode: 0o400 }] },
    }, { name: 'cfg', configMap: { name: 'app-config', optional: true, defaultMode: 288, items: [{ key: 'a', path: 'a.yaml', mode: 256 }] } }],
    ['secret with optional', { name: 'creds', secret: { secretName: 'db', optional: true, defaultMode: 0o400 } },
      { name: 'creds', secret: { secretName: 'db', optional: true, defaultMode: 256 } }],
    ['persistentVolumeClaim read-only', { name: 'data', persistentVolumeClaim: { claimName: 'data-claim', readOnly: true } },
      { name: 'data', persistentVolumeClaim: { claimName: 'data-claim', readOnly: true } }],
    ['downwardAPI with a divisor', {
      name: 'podinfo',
      downwardApi: {
        defaultMode: 0o444,
        items: [
          { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
          { path: 'mem', resourceFieldRef: { resource: 'limits.memory', containerName: 'app', divisor: kplus.k8s.Quantity.fromString('1Mi') } },
        ],
      },
    }, {
      name: 'podinfo',
      downwardAPI: {
        defaultMode: 292,
        items: [
          { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
          { path: 'mem', resourceFieldRef: { resource: 'limits.memory', containerName: 'app', divisor: '1Mi' } },
        ],
      },
    }],
    ['projected with every source', {
      name: 'bundle',
      projected: {
        defaultMode: 0o440,
        sources: [
          { configMap: { name: 'cfg', optional: true, items: [{ key: 'a', path: 'a' }] } },
          { secret: { name: 's', items: [{ key: 'b', path: 'b' }] } },
          { downwardApi: { items: [{ path: 'name', fieldRef: { fieldPath: 'metadata.name' } }] } },
          { serviceAccountToken: { audience: 'vault', expirationSeconds: 1800, path: 'token' } },
        ],
      },
    }, {
      name: 'bundle',
      projected: {
        defaultMode: 288,
        sources: [
          { configMap: { name: 'cfg', optional: true, items: [{ key: 'a', path: 'a' }] } },
          { secret: { name: 's', items: [{ key: 'b', path: 'b' }] } },
          { downwardAPI: { items: [{ path: 'name', fieldRef: { fieldPath: 'metadata.name' } }] } },
          { serviceAccountToken: { audience: 'vault', expirationSeconds: 1800, path: 'token' } },
        ],
      },
    }],
  ];

  test.each(VOLUMES)('a %s volume renders exactly as given', (_name, volume, expected) => {
    // GIVEN an L1 volume handed to kplus through the bridge and mounted
    const { deployment: d, container } = deployment();
    const v = kplusVolume(d, 'Volume', volume);
    d.addVolume(v);
    container.mount('/mnt', v);
    // THEN the rendered pod has exactly that volume (JSON field names, quantities as strings)
    const spec = rendered(d);
    expect(spec.volumes).toEqual([expected]);
    expect(spec.containers[0].volumeMounts).toEqual([{ name: volume.name, mountPath: '/mnt' }]);
  });

  test('returns a real kplus.Volume with the given name', () => {
    const { deployment: d } = deployment();
    const v = kplusVolume(d, 'Volume', { name: 'cache', emptyDir: {} });
    expect(v).toBeInstanceOf(kplus.Volume);
    expect(v.name).toBe('cache');
    expect(v.node.path).toBe('bridge/Deployment/Volume');
  });
});

describe('kplusEnvValue', () => {
  const VALUES: Array<[string, kplus.k8s.EnvVar, any]> = [
    ['a literal', { name: 'A', value: 'x' }, { name: 'A', value: 'x' }],
    ['an empty literal', { name: 'EMPTY', value: '' }, { name: 'EMPTY', value: '' }],
    ['an optional ConfigMap key', { name: 'B', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'k', optional: true } } },
      { name: 'B', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'k', optional: true } } }],
    ['an optional Secret key', { name: 'C', valueFrom: { secretKeyRef: { name: 'sec', key: 'k', optional: true } } },
      { name: 'C', valueFrom: { secretKeyRef: { name: 'sec', key: 'k', optional: true } } }],
    ['a label field path', { name: 'D', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app.kubernetes.io/name']" } } },
      { name: 'D', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app.kubernetes.io/name']" } } }],
    ['a resource with a divisor and container', {
      name: 'E', valueFrom: { resourceFieldRef: { resource: 'limits.memory', containerName: 'app', divisor: kplus.k8s.Quantity.fromString('1Mi') } },
    }, { name: 'E', valueFrom: { resourceFieldRef: { resource: 'limits.memory', containerName: 'app', divisor: '1Mi' } } }],
  ];

  test.each(VALUES)('%s renders exactly as given', (_name, env, expected) => {
    // GIVEN an L1 variable added through the bridge
    const { deployment: d, container } = deployment();
    container.env.addVariable(env.name, kplusEnvValue(env));
    // THEN it renders unchanged: optional, divisor and label paths survive
    expect(rendered(d).containers[0].env).toEqual([expected]);
  });

  test('returns a kplus.EnvValue carrying value and valueFrom', () => {
    const v = kplusEnvValue({ name: 'A', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } });
    expect(v).toBeInstanceOf(kplus.EnvValue);
    expect(v.value).toBeUndefined();
    expect(v.valueFrom).toEqual({ fieldRef: { fieldPath: 'metadata.name' } });
  });
});

describe('KplusEnvFrom', () => {
  test('renders configMapRef and secretRef with optional and prefix exactly as given (kplus.EnvFrom drops optional)', () => {
    // GIVEN envFrom sources with optional and prefixes
    const { deployment: d, container } = deployment();
    container.env.copyFrom(new KplusEnvFrom({ configMapRef: { name: 'cfg', optional: true }, prefix: 'CFG_' }));
    container.env.copyFrom(new KplusEnvFrom({ secretRef: { name: 'sec', optional: true } }));
    container.env.copyFrom(new KplusEnvFrom({ secretRef: { name: 'plain' } }));
    // THEN they render unchanged, in order
    expect(rendered(d).containers[0].envFrom).toEqual([
      { configMapRef: { name: 'cfg', optional: true }, prefix: 'CFG_' },
      { secretRef: { name: 'sec', optional: true } },
      { secretRef: { name: 'plain' } },
    ]);
  });

  test('is a kplus.EnvFrom whose _toKube returns the source itself', () => {
    const source = { configMapRef: { name: 'cfg', optional: true } };
    const from = new KplusEnvFrom(source);
    expect(from).toBeInstanceOf(kplus.EnvFrom);
    expect(from._toKube()).toBe(source);
  });
});
