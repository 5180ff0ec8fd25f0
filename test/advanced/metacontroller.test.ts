import { Duration } from 'cdk8s';
import {
  ChildUpdateMethod, CompositeController, CustomResourceDefinition, DecoratorController, HealthCheck, SchemaField, StatelessService,
} from '../../src';
import { errorOf, IMAGE } from '../helpers/errors';
import { findObject, newChart, synth } from '../helpers/synth';

/** The app of an operator written as a webhook: its definition, and the hook's workload in namespace `ops`. */
function setup() {
  const chart = newChart('ops', { namespace: 'ops' });
  const crd = new CustomResourceDefinition(chart, 'catset', {
    group: 'ctl.acme.io', kind: 'CatSet', versions: [{ name: 'v1', spec: SchemaField.object({ replicas: SchemaField.integer({ minimum: 0 }) }) }],
  });
  const hook = new StatelessService(chart, 'catset-hook', { image: IMAGE, port: 8080, servicePort: 80, health: HealthCheck.http('/healthz') });
  return { chart, crd, hook };
}

describe('CompositeController: an operator written as a webhook (Metacontroller)', () => {
  test('the parent, the children with their update methods, the hook through the workload\'s Service; Metacontroller admitted', () => {
    const { chart, crd, hook } = setup();
    new CompositeController(chart, 'catset-controller', {
      parent: crd,
      children: [
        { apiVersion: 'v1', resource: 'pods', updateMethod: ChildUpdateMethod.ROLLING_RECREATE },
        { apiVersion: 'v1', resource: 'persistentvolumeclaims' },
      ],
      sync: { workload: hook, timeout: Duration.seconds(20) },
      resyncPeriod: Duration.minutes(5),
    });
    const manifests = synth(chart);
    const cc = findObject(manifests, 'CompositeController', 'catset-controller');
    expect(cc.apiVersion).toBe('metacontroller.k8s.io/v1alpha1');
    expect(cc.metadata.namespace).toBeUndefined(); // cluster-scoped
    expect(cc.spec).toEqual({
      generateSelector: true,
      parentResource: { apiVersion: 'ctl.acme.io/v1', resource: 'catsets' },
      childResources: [
        { apiVersion: 'v1', resource: 'pods', updateStrategy: { method: 'RollingRecreate' } },
        { apiVersion: 'v1', resource: 'persistentvolumeclaims' },
      ],
      resyncPeriodSeconds: 300,
      hooks: { sync: { webhook: { service: { name: 'catset-hook', namespace: 'ops', port: 80, protocol: 'http' }, path: '/sync', timeout: '20s' } } },
    });
    // the hook's NetworkPolicy admits Metacontroller's namespace on the container port behind Service port 80
    expect(findObject(manifests, 'NetworkPolicy', 'catset-hook').spec.ingress).toEqual([{
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'metacontroller' } } }],
      ports: [{ port: 8080, protocol: 'TCP' }],
    }]);
  });

  test('bad input: every problem at once', () => {
    const { chart, hook } = setup();
    const message = errorOf(() => new CompositeController(chart, 'cc', {
      parent: {} as any,
      children: [{ apiVersion: 'v1', resource: 'Pod' }, { apiVersion: 'v1', resource: 'Pod' }, { apiVersion: '1', resource: 'pods', updateMethod: 'Rolling' as any }],
      sync: { workload: hook, path: 'sync', timeout: Duration.minutes(20) },
      generateSelector: 'yes' as any,
    }));
    for (const line of [
      'parent ({}) must be a CustomResourceDefinition of this library',
      'children[0].resource ("Pod") must be a resource: its plural name in lower case',
      'children[1] ("Pod") is listed twice',
      'children[2].apiVersion ("1") must be an API version',
      'children[2].updateMethod ("Rolling") must be a ChildUpdateMethod',
      'generateSelector ("yes") must be true or false',
      'sync.path ("sync") must be a URL path starting with "/"',
      'sync.timeout ("1200s") must be a whole number of seconds, at least 1 and at most 600',
    ]) expect(message).toContain(`ops/cc: ${line}`);
    expect(errorOf(() => new CompositeController(setup().chart, 'cc', { parent: setup().crd, children: [], sync: { workload: hook } })))
      .toContain('children ([]) must list at least one kind of child');
  });

  test('the hook needs a Service in a namespace', () => {
    const chart = newChart('ops');
    const crd = new CustomResourceDefinition(chart, 'catset', { group: 'ctl.acme.io', kind: 'CatSet', versions: [{ name: 'v1', spec: SchemaField.object({}) }] });
    const worker = new StatelessService(chart, 'worker', { image: IMAGE });
    expect(errorOf(() => new CompositeController(chart, 'cc', { parent: crd, children: [{ apiVersion: 'v1', resource: 'pods' }], sync: { workload: worker } })))
      .toContain('ops/cc: sync.workload ("worker") must have a Service that serves the hook (give it a port)');
    const hook = new StatelessService(newChart('x'), 'hook', { image: IMAGE, port: 8080 });
    expect(errorOf(() => new CompositeController(chart, 'cc2', { parent: crd, children: [{ apiVersion: 'v1', resource: 'pods' }], sync: { workload: hook } })))
      .toContain('sync.workload ("hook") must be in a Chart with a namespace');
  });
});

describe('DecoratorController: behaviour added to existing objects', () => {
  test('resources with selectors, attachments, the hook', () => {
    const { chart, hook } = setup();
    new DecoratorController(chart, 'service-per-pod', {
      resources: [{ apiVersion: 'apps/v1', resource: 'statefulsets', annotationSelector: { 'service-per-pod-label': 'true' }, labelSelector: { tier: 'db' } }],
      attachments: [{ apiVersion: 'v1', resource: 'services', updateMethod: ChildUpdateMethod.IN_PLACE }],
      sync: { workload: hook, path: '/decorate' },
    });
    const dc = findObject(synth(chart), 'DecoratorController', 'service-per-pod');
    expect(dc.spec).toEqual({
      resources: [{
        apiVersion: 'apps/v1', resource: 'statefulsets', labelSelector: { matchLabels: { tier: 'db' } }, annotationSelector: { matchAnnotations: { 'service-per-pod-label': 'true' } },
      }],
      attachments: [{ apiVersion: 'v1', resource: 'services', updateStrategy: { method: 'InPlace' } }],
      hooks: { sync: { webhook: { service: { name: 'catset-hook', namespace: 'ops', port: 80, protocol: 'http' }, path: '/decorate', timeout: '10s' } } },
    });
  });

  test('bad input and wrong types end in the library\'s error', () => {
    const { chart, hook } = setup();
    expect(errorOf(() => new DecoratorController(chart, 'd', { resources: [], sync: { workload: hook } }))).toContain('ops/d: resources ([]) must list at least one kind of object to decorate');
    for (const props of [null, { resources: [null], sync: null }, { resources: 'x', sync: { workload: 'hook' } }, { resources: [{ apiVersion: 'v1', resource: 'pods', labelSelector: 'a' }], sync: { workload: hook } }]) {
      expect(errorOf(() => new DecoratorController(newChart('ops', { namespace: 'ops' }), 'd', props as any))).toMatch(/^cdk8s-patterns: \d+ invalid values?:\n {2}- ops\/d: /);
    }
  });
});
