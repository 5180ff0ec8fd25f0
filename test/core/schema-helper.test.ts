import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { newChart, synth, unknownFields, validateManifests } from '../helpers/synth';

// The checks behind every other test: they must be able to fail.
describe('schema helper', () => {
  const deployment = (spec: any) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'x' },
    spec: {
      selector: { matchLabels: { a: 'b' } },
      template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i:1' }] } },
      ...spec,
    },
  });

  test('accepts a valid Deployment, including IntOrString and Quantity fields', () => {
    // GIVEN a valid manifest with int-or-string and quantity values
    const m = deployment({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } } });
    m.spec.template.spec.containers[0] = { name: 'c', image: 'i:1', resources: { limits: { memory: '256Mi' } } } as any;
    // THEN it passes
    expect(() => validateManifests([m])).not.toThrow();
  });

  test('rejects a wrong type (schema)', () => {
    expect(() => validateManifests([deployment({ replicas: 'three' })])).toThrow(/schema: .*replicas/);
  });

  test('rejects a missing required field (schema)', () => {
    const m = deployment({});
    delete (m.spec as any).selector;
    expect(() => validateManifests([m])).toThrow(/selector/);
  });

  test('rejects a misspelt field (strict)', () => {
    expect(unknownFields(deployment({ replicass: 2 }) as any)).toEqual(['.spec.replicass']);
  });

  test('rejects a field newer than Kubernetes 1.28 (strict)', () => {
    // GIVEN the preStop sleep action, added in 1.29
    const m = deployment({});
    m.spec.template.spec.containers[0] = { name: 'c', image: 'i:1', lifecycle: { preStop: { sleep: { seconds: 5 } } } } as any;
    // THEN it is reported
    expect(unknownFields(m as any)).toEqual(['.spec.template.spec.containers[0].lifecycle.preStop.sleep']);
  });

  test('rejects a kind the helper has no schema for', () => {
    expect(() => validateManifests([{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }]))
      .toThrow(/no schema for example.com\/v1 Widget/);
  });

  test('rejects an unknown HTTPRoute field', () => {
    const route = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'r' },
      spec: { rules: [{ backendRefs: [{ name: 's', port: 80, wieght: 1 }] }] },
    };
    expect(() => validateManifests([route])).toThrow(/unknown field .spec.rules\[0\].backendRefs\[0\].wieght/);
  });

  test('synth runs construct validations like app.synth()', () => {
    // GIVEN a chart with a construct whose validation fails
    const chart: Chart = newChart();
    const obj = new k8s.KubeConfigMap(chart, 'cm', { metadata: { name: 'cm' } });
    obj.node.addValidation({ validate: () => ['boom'] });
    // THEN synth reports it
    expect(() => synth(chart)).toThrow(/\[test\/cm\] boom/);
  });
});
