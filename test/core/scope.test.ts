import { Chart, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { makeClusterScoped } from '../../src/core/scope';

describe('makeClusterScoped', () => {
  test('drops the namespace a namespaced chart gives every object', () => {
    // GIVEN a cluster-scoped object in a chart with a namespace
    const chart = new Chart(Testing.app(), 'c', { namespace: 'shop' });
    const ns = new k8s.KubeNamespace(chart, 'ns', { metadata: { name: 'shop' } });
    expect(ns.metadata.namespace).toBe('shop');
    // WHEN made cluster-scoped
    makeClusterScoped(ns);
    // THEN neither the manifest nor the metadata carry a namespace
    expect(ns.metadata.namespace).toBeUndefined();
    expect(ns.toJson().metadata.namespace).toBeUndefined();
  });

  test('leaves an object without a namespace alone', () => {
    const pc = new k8s.KubePriorityClass(Testing.chart(), 'pc', { metadata: { name: 'p' }, value: 1 });
    makeClusterScoped(pc);
    expect(pc.toJson().metadata).toEqual({ name: 'p' });
  });
});
