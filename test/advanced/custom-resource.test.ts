import { Chart } from 'cdk8s';
import {
  Controller, CustomResource, CustomResourceDefinition, CustomResourceDefinitionProps, CustomResourceScope, CustomResourceVersion, HealthCheck,
  NetworkPeer, PrinterColumnType, SchemaField,
} from '../../src';
import { errorOf } from '../helpers/errors';
import { findObject, Manifest, newChart, synth, validateManifests } from '../helpers/synth';

const SPEC = SchemaField.object({
  configMap: SchemaField.string({ description: 'the ConfigMap to watch', maxLength: 253 }),
  podSelector: SchemaField.map(SchemaField.string()),
  replicas: SchemaField.integer({ minimum: 0, maximum: 10, default: 1 }),
  mode: SchemaField.string({ enum: ['restart', 'annotate'], default: 'restart' }),
  paths: SchemaField.array(SchemaField.string({ pattern: '^/' }), { maxItems: 5 }),
  port: SchemaField.intOrString(),
  extra: SchemaField.freeForm(),
}, { required: ['configMap'] });
const STATUS = SchemaField.object({ restarts: SchemaField.integer({ minimum: 0 }), replicas: SchemaField.integer(), selector: SchemaField.string() });
const V1: CustomResourceVersion = { name: 'v1', spec: SPEC, status: STATUS };

function definition(props: Partial<CustomResourceDefinitionProps> = {}, chart: Chart = newChart('crds')): CustomResourceDefinition {
  return new CustomResourceDefinition(chart, 'config-watcher', { group: 'k8spatterns.io', kind: 'ConfigWatcher', versions: [V1], ...props });
}

describe('CustomResourceDefinition: valid for apiextensions.k8s.io/v1 by construction', () => {
  test('name <plural>.<group>, names, one served storage version, a structural schema, the status subresource; cluster-scoped object', () => {
    const chart = newChart('crds', { namespace: 'ops' });
    const crd = definition({ shortNames: ['cw'], categories: ['all'] }, chart);
    const m = findObject(synth(chart), 'CustomResourceDefinition', 'configwatchers.k8spatterns.io');
    expect(m.metadata.namespace).toBeUndefined();
    expect(m.spec.names).toEqual({ kind: 'ConfigWatcher', listKind: 'ConfigWatcherList', plural: 'configwatchers', singular: 'configwatcher', shortNames: ['cw'], categories: ['all'] });
    expect(m.spec.scope).toBe('Namespaced');
    expect(m.spec.versions).toHaveLength(1);
    const v = m.spec.versions[0];
    expect(v).toMatchObject({ name: 'v1', served: true, storage: true, subresources: { status: {} } });
    expect(v.schema.openAPIV3Schema).toEqual({
      type: 'object',
      required: ['spec'],
      properties: {
        spec: {
          type: 'object',
          required: ['configMap'],
          properties: {
            configMap: { type: 'string', description: 'the ConfigMap to watch', maxLength: 253 },
            podSelector: { type: 'object', additionalProperties: { type: 'string' } },
            replicas: { type: 'integer', minimum: 0, maximum: 10, default: 1 },
            mode: { type: 'string', enum: ['restart', 'annotate'], default: 'restart' },
            paths: { type: 'array', maxItems: 5, items: { type: 'string', pattern: '^/' } },
            port: { 'x-kubernetes-int-or-string': true },
            extra: { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true },
          },
        },
        status: {
          type: 'object',
          properties: { restarts: { type: 'integer', minimum: 0 }, replicas: { type: 'integer' }, selector: { type: 'string' } },
        },
      },
    });
    expect(crd.name).toBe('configwatchers.k8spatterns.io');
    expect(crd.apiVersion()).toBe('k8spatterns.io/v1');
    expect(crd.resource).toEqual({ apiGroup: 'k8spatterns.io', resourceType: 'configwatchers' });
    expect(crd.statusResource).toEqual({ apiGroup: 'k8spatterns.io', resourceType: 'configwatchers/status' });
  });

  test('plurals, printer columns, the scale subresource, several versions with one storage', () => {
    const chart = newChart('crds');
    const crd = new CustomResourceDefinition(chart, 'policy', {
      group: 'acme.io',
      kind: 'Policy',
      scope: CustomResourceScope.CLUSTER,
      versions: [
        { name: 'v1beta1', spec: SPEC, served: true, storage: false, deprecated: true },
        {
          name: 'v1',
          spec: SPEC,
          status: STATUS,
          storage: true,
          printerColumns: [
            { name: 'Config', type: PrinterColumnType.STRING, jsonPath: '.spec.configMap' },
            { name: 'Restarts', type: PrinterColumnType.INTEGER, jsonPath: '.status.restarts', priority: 1, description: 'pods restarted' },
            { name: 'Age', type: PrinterColumnType.DATE, jsonPath: '.metadata.creationTimestamp' },
          ],
          scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' },
        },
      ],
    });
    const m = findObject(synth(chart), 'CustomResourceDefinition', 'policies.acme.io');
    expect(m.spec.names.plural).toBe('policies');
    expect(m.spec.scope).toBe('Cluster');
    expect(m.spec.versions.map((v: any) => [v.name, v.storage, v.deprecated ?? false])).toEqual([['v1beta1', false, true], ['v1', true, false]]);
    expect(m.spec.versions[1].subresources).toEqual({
      status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' },
    });
    expect(m.spec.versions[1].additionalPrinterColumns).toEqual([
      { name: 'Config', type: 'string', jsonPath: '.spec.configMap' },
      { name: 'Restarts', type: 'integer', jsonPath: '.status.restarts', priority: 1, description: 'pods restarted' },
      { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    ]);
    expect(crd.storageVersion).toBe('v1');
    expect(new CustomResourceDefinition(newChart(), 'box', { group: 'acme.io', kind: 'Box', versions: [V1] }).plural).toBe('boxes');
  });
});

describe('CustomResourceDefinition: bad input, one error', () => {
  test('two storage versions, none, duplicate names, a group without a dot, a kind that is no kind', () => {
    expect(errorOf(() => definition({ versions: [{ ...V1, storage: true }, { ...V1, name: 'v2', storage: true }] })))
      .toContain('crds/config-watcher: versions (["v1","v2"]) must mark exactly one version storage: true (v1, v2 are)');
    expect(errorOf(() => definition({ versions: [{ ...V1, storage: false }, { ...V1, name: 'v2' }] })))
      .toContain('must mark exactly one version storage: true (none is)');
    expect(errorOf(() => definition({ versions: [V1, V1] }))).toContain('versions[1].name ("v1") must be unique among the versions');
    const message = errorOf(() => definition({ group: 'acme', kind: 'config_watcher', versions: [{ ...V1, name: 'version1' }] }));
    expect(message).toContain('crds/config-watcher: group ("acme") must be a DNS subdomain with at least one dot');
    expect(message).toContain('crds/config-watcher: kind ("config_watcher") must be UpperCamelCase');
    expect(message).toContain('crds/config-watcher: versions[0].name ("version1") must be a Kubernetes version name');
    expect(errorOf(() => definition({ versions: [] }))).toContain('versions ([]) must list at least one version');
  });

  test('a schema that is not structural cannot be written; what would make a bad one is refused', () => {
    const message = errorOf(() => definition({
      versions: [{
        name: 'v1',
        spec: SchemaField.object({
          '1st name': SchemaField.string(),
          'max-size': SchemaField.integer(), // a dash is fine
          'count': SchemaField.integer({ minimum: 5, maximum: 1, default: 1.5 }),
          'mode': SchemaField.string({ enum: [], pattern: '([', default: 'x', maxLength: -1 }),
          'list': SchemaField.array('string' as any, { minItems: 3, maxItems: 2 }),
          'raw': 'string' as any,
        }, { required: ['missing'] }),
      }],
    }));
    for (const line of [
      'versions[0].spec.1st name ("1st name") must be a field name',
      'versions[0].spec.count.default (1.5) must be a whole number',
      'versions[0].spec.count.maximum (1) must not be below minimum (5)',
      'versions[0].spec.mode.enum ([]) must be a non-empty list of strings',
      'versions[0].spec.mode.pattern ("([") must be a valid regular expression',
      'versions[0].spec.mode.maxLength (-1) must be a non-negative integer',
      'versions[0].spec.list.items ("string") must be a SchemaField',
      'versions[0].spec.list.maxItems (2) must not be below minItems (3)',
      'versions[0].spec.raw ("string") must be a SchemaField, e.g. SchemaField.string()',
      'versions[0].spec.required ("missing") must name a field of the object',
    ]) expect(message).toContain(`crds/config-watcher: ${line}`);
    expect(errorOf(() => definition({ versions: [{ name: 'v1', spec: SchemaField.string() }] })))
      .toContain('versions[0].spec (') ;
  });

  test('a printer column or scale path that is not in the schema', () => {
    const message = errorOf(() => definition({
      versions: [{
        ...V1,
        printerColumns: [
          { name: 'Config', type: PrinterColumnType.STRING, jsonPath: '.spec.configmap' },
          { name: 'Bad', type: 'text' as any, jsonPath: 'spec.configMap' },
        ],
        scale: { specReplicasPath: '.spec.mode', statusReplicasPath: '.status.missing' },
      }],
    }));
    for (const line of [
      'versions[0].printerColumns[0].jsonPath (".spec.configmap") must be a field of the schema',
      'versions[0].printerColumns[1].type ("text") must be a PrinterColumnType',
      'versions[0].printerColumns[1].jsonPath ("spec.configMap") must be a simple JSON path starting with "."',
      'versions[0].scale.specReplicasPath (".spec.mode") must be a field of type integer (it is string)',
      'versions[0].scale.statusReplicasPath (".status.missing") must be a field of the schema',
    ]) expect(message).toContain(`crds/config-watcher: ${line}`);
    expect(errorOf(() => definition({ versions: [{ name: 'v1', spec: SPEC, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } }] })))
      .toContain('versions[0].scale ("scale") needs a status');
  });
});

describe('CustomResource: typed instances, checked against their definition', () => {
  test('an instance in the storage version, in the chart\'s namespace, validated against the CRD\'s own schema by the tests', () => {
    const chart = newChart('ops', { namespace: 'ops' });
    const crd = definition({}, chart);
    new CustomResource(chart, 'webapp', { definition: crd, spec: { configMap: 'webapp-config', podSelector: { app: 'webapp' }, port: 'http', extra: { any: ['thing'] } } });
    const manifests = synth(chart);
    expect(findObject(manifests, 'ConfigWatcher', 'webapp')).toMatchObject({
      apiVersion: 'k8spatterns.io/v1', metadata: { namespace: 'ops' }, spec: { configMap: 'webapp-config', podSelector: { app: 'webapp' } },
    });
  });

  test('the tests\' own check of instances catches what the schema forbids (so that it can fail)', () => {
    const chart = newChart('ops', { namespace: 'ops' });
    definition({}, chart);
    const crd = findObject(synth(chart), 'CustomResourceDefinition', 'configwatchers.k8spatterns.io') as Manifest;
    const bad = { apiVersion: 'k8spatterns.io/v1', kind: 'ConfigWatcher', metadata: { name: 'x' }, spec: { configMap: 5, podSelector: { a: 1 }, unknown: true, replicas: 11 } };
    let message = '';
    try {
      validateManifests([crd, bad]);
    } catch (e: any) {
      message = e.message;
    }
    for (const line of ['spec.configMap: must be of type string', 'spec.podSelector.a: must be of type string', 'spec.replicas: above 10', 'spec.unknown: unknown field']) {
      expect(message).toContain(line);
    }
  });

  test('an instance that fails the schema: every problem, as the API server would say it, and the fields it would drop', () => {
    const message = errorOf(() => {
      const chart = newChart('ops', { namespace: 'ops' });
      return new CustomResource(chart, 'bad', {
        definition: definition({}, chart),
        spec: { podSelector: { app: 1 }, replicas: 11, mode: 'reboot', paths: ['etc', '/ok'], port: 1.5, colour: 'red' },
      });
    });
    for (const line of [
      'spec.configMap (undefined) is required',
      'spec.podSelector.app (1) must be a string',
      'spec.replicas (11) must be at most 10',
      'spec.mode ("reboot") must be one of restart, annotate',
      'spec.paths[0] ("etc") must match ^/',
      'spec.port (1.5) must be an integer or a string',
      'spec.colour ("red") is not a field of the schema (the API server would drop it; it has: configMap, podSelector, replicas, mode, paths, port, extra)',
    ]) expect(message).toContain(`ops/bad: ${line}`);
  });

  test('a version the definition does not have; a definition that is not one; unknown props', () => {
    const chart = newChart('ops');
    const crd = definition({}, chart);
    expect(errorOf(() => new CustomResource(chart, 'a', { definition: crd, version: 'v2', spec: { configMap: 'c' } })))
      .toContain('ops/a: version ("v2") must be a version of configwatchers.k8spatterns.io (it has: v1)');
    expect(errorOf(() => new CustomResource(newChart(), 'b', { definition: {} as any, spec: {} })))
      .toContain('test/b: definition ({}) must be a CustomResourceDefinition of this library');
    expect(errorOf(() => new CustomResource(newChart('x'), 'c', { definition: definition({}, newChart('y')), spek: {} } as any)))
      .toContain('x/c: spek ({}) is not a prop of CustomResourceProps: did you mean "spec"?');
  });
});

describe('Operator: the controller manages the custom resources', () => {
  test('it watches them and writes their status; a cluster-scoped kind needs a cluster-wide controller', () => {
    const chart = newChart('ops', { namespace: 'ops' });
    const crd = definition({}, chart);
    new Controller(chart, 'operator', {
      image: 'ghcr.io/acme/operator:1.0.0',
      manages: [crd],
      port: 8081,
      health: HealthCheck.http('/readyz'),
      network: { allowFrom: [{ peer: NetworkPeer.namespace('monitoring'), ports: [8081] }] },
    });
    expect(findObject(synth(chart), 'Role', 'operator').rules).toEqual([
      { apiGroups: ['k8spatterns.io'], resources: ['configwatchers'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['k8spatterns.io'], resources: ['configwatchers/status'], verbs: ['get', 'update', 'patch'] },
    ]);
    const other = newChart('ops', { namespace: 'ops' });
    const cluster = definition({ scope: CustomResourceScope.CLUSTER }, other);
    expect(errorOf(() => new Controller(other, 'operator', { image: 'ghcr.io/acme/operator:1.0.0', manages: [cluster] })))
      .toContain('ops/operator: manages[0] ("configwatchers.k8spatterns.io") is cluster-scoped: a Role cannot grant it');
  });
});

describe('CustomResourceDefinition: as the API server checks it (review findings)', () => {
  test('names are DNS-1035 labels; a kind leaves room for its list kind; patterns are RE2', () => {
    const message = errorOf(() => definition({
      plural: '3dmodels',
      singular: '3dmodel',
      shortNames: ['3d'],
      categories: ['1st'],
      versions: [{ name: 'v1', spec: SchemaField.object({ id: SchemaField.string({ pattern: '^(?!kube-).*$' }), twin: SchemaField.string({ pattern: '^(a)\\1$' }) }) }],
    }));
    for (const line of [
      'plural ("3dmodels") must be a DNS-1035 label', 'singular ("3dmodel") must be a DNS-1035 label', 'shortNames[0] ("3d") must be a DNS-1035 label',
      'categories[0] ("1st") must be a DNS-1035 label',
      'versions[0].spec.id.pattern ("^(?!kube-).*$") must be a regular expression the API server accepts (Go\'s RE2 syntax)',
      'versions[0].spec.twin.pattern ("^(a)\\\\1$") must be a regular expression the API server accepts',
    ]) expect(message).toContain(`crds/config-watcher: ${line}`);
    expect(errorOf(() => definition({ kind: `K${'a'.repeat(59)}` }))).toContain('at most 59 characters');
  });

  test('what the API server allows is allowed: a selector path under .spec, a metadata column, a required field with a default', () => {
    const chart = newChart('ops', { namespace: 'ops' });
    const spec = SchemaField.object({ selector: SchemaField.string(), replicas: SchemaField.integer({ default: 1 }) }, { required: ['replicas'] });
    const crd = new CustomResourceDefinition(chart, 'set', {
      group: 'acme.io',
      kind: 'CatSet',
      versions: [{
        name: 'v1',
        spec,
        status: SchemaField.object({ replicas: SchemaField.integer() }),
        scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.spec.selector' },
        printerColumns: [{ name: 'Generation', type: PrinterColumnType.INTEGER, jsonPath: '.metadata.generation' }],
      }],
    });
    new CustomResource(chart, 'cats', { definition: crd, spec: { selector: 'app=cats' } }); // replicas defaulted by the API server
    expect(() => synth(chart)).not.toThrow();
  });

  test('a column of another type than its field; option keys no interface has (typos) are reported, not dropped', () => {
    const message = errorOf(() => definition({
      versions: [{
        ...V1,
        printerColumns: [{ name: 'Restarts', type: PrinterColumnType.INTEGER, jsonPath: '.spec.configMap' }],
        printercolumns: [],
      } as any],
    }));
    expect(message).toContain('versions[0].printerColumns[0].jsonPath (".spec.configMap") must be a field of type integer (it is string)');
    expect(message).toContain('versions[0].printercolumns ([]) is not a prop of CustomResourceVersion: did you mean "printerColumns"?');
    expect(errorOf(() => definition({ versions: [{ name: 'v1', spec: SchemaField.object({ at: SchemaField.string({ format: 'date-time' } as any) }) }] })))
      .toContain('versions[0].spec.at.format ("date-time") is not a prop of StringFieldOptions');
  });

  test('an instance keeps the labels this library manages, and its spec as it was checked', () => {
    const chart = newChart('ops', { namespace: 'ops' });
    const crd = definition({}, chart);
    expect(errorOf(() => new CustomResource(chart, 'x', { definition: crd, spec: { configMap: 'c' }, labels: { 'app.kubernetes.io/name': 'mine' } })))
      .toContain('ops/x: labels key ("app.kubernetes.io/name") must not override a label this library manages');
    const other = newChart('ops', { namespace: 'ops' });
    const spec: any = { configMap: 'c' };
    new CustomResource(other, 'y', { definition: definition({}, other), spec });
    spec.configMap = 42;
    spec.unknown = true;
    expect(findObject(synth(other), 'ConfigWatcher', 'y').spec).toEqual({ configMap: 'c' });
  });
});
