import { App, Chart, Testing } from 'cdk8s';
import { PreemptionPolicy, PriorityClass, PriorityClassProps } from '../../src/foundational/priority-class';
import { errorOf } from '../helpers/errors';
import { findObject, newChart, objectsOf, synth } from '../helpers/synth';

/** Builds a PriorityClass in a fresh chart and synthesises the app. */
const build = (props: PriorityClassProps, id = 'BusinessCritical', chart: Chart = newChart('cluster')) => {
  const pc = new PriorityClass(chart, id, props);
  return { pc, manifests: synth(chart) };
};

describe('PriorityClass', () => {
  test('renders value, preemptionPolicy, globalDefault and description explicitly', () => {
    // GIVEN / WHEN a non-preempting class
    const { pc, manifests } = build({ value: 100000, preemptionPolicy: PreemptionPolicy.NEVER, description: 'checkout path' });
    // THEN
    const obj = findObject(manifests, 'PriorityClass', 'business-critical');
    expect(obj.apiVersion).toBe('scheduling.k8s.io/v1');
    expect(obj.value).toBe(100000);
    expect(obj.preemptionPolicy).toBe('Never');
    expect(obj.globalDefault).toBe(false);
    expect(obj.description).toBe('checkout path');
    expect(pc.name).toBe('business-critical');
    expect(pc.apiObject.kind).toBe('PriorityClass');
  });

  test('defaults: PreemptLowerPriority, not the global default, no description', () => {
    const { manifests } = build({ value: 1000, name: 'batch-high' });
    const obj = findObject(manifests, 'PriorityClass', 'batch-high');
    expect(obj.preemptionPolicy).toBe('PreemptLowerPriority');
    expect(obj.globalDefault).toBe(false);
    expect(obj).not.toHaveProperty('description');
  });

  test('carries the standard labels', () => {
    const { manifests } = build({ value: 1 }, 'Low');
    expect(findObject(manifests, 'PriorityClass', 'low').metadata.labels).toEqual({
      'app.kubernetes.io/name': 'low',
      'app.kubernetes.io/instance': 'low',
      'app.kubernetes.io/managed-by': 'cdk8s-patterns',
    });
  });

  test('is cluster-scoped even inside a Chart that has a namespace', () => {
    // GIVEN a chart with a namespace
    const chart = newChart('shop', { namespace: 'shop' });
    // WHEN
    const { manifests } = build({ value: 10 }, 'Low', chart);
    // THEN
    expect(findObject(manifests, 'PriorityClass', 'low').metadata).not.toHaveProperty('namespace');
  });

  test('the bounds of value are accepted', () => {
    expect(findObject(build({ value: 1_000_000_000 }).manifests, 'PriorityClass', 'business-critical').value).toBe(1e9);
    expect(findObject(build({ value: -2147483648 }).manifests, 'PriorityClass', 'business-critical').value).toBe(-2147483648);
  });

  test('one global default is fine', () => {
    const chart = newChart('cluster');
    new PriorityClass(chart, 'Default', { value: 1000, globalDefault: true });
    new PriorityClass(chart, 'High', { value: 2000 });
    const manifests = synth(chart);
    expect(findObject(manifests, 'PriorityClass', 'default').globalDefault).toBe(true);
    expect(objectsOf(manifests, 'PriorityClass')).toHaveLength(2);
  });

  test('the system class names are exposed for priorityClassName', () => {
    expect(PriorityClass.SYSTEM_NODE_CRITICAL).toBe('system-node-critical');
    expect(PriorityClass.SYSTEM_CLUSTER_CRITICAL).toBe('system-cluster-critical');
  });
});

describe('PriorityClass bad input', () => {
  test('a value above one billion is rejected', () => {
    expect(errorOf(() => build({ value: 1_000_000_001 })))
      .toContain('cluster/BusinessCritical: value (1000000001) must be an integer from -2147483648 to 1000000000 (higher values are reserved for the system- classes)');
  });

  test('a value below int32 or a fraction is rejected', () => {
    expect(errorOf(() => build({ value: -2147483649 }))).toContain('value (-2147483649) must be an integer from -2147483648 to 1000000000');
    expect(errorOf(() => build({ value: 1.5 }))).toContain('value (1.5) must be an integer');
  });

  test('a name starting with system- is rejected', () => {
    expect(errorOf(() => build({ value: 1, name: 'system-important' })))
      .toContain('cluster/BusinessCritical: name ("system-important") must not start with "system-": the prefix is reserved for the classes built into Kubernetes');
  });

  test('a name that is not a DNS-1123 subdomain is rejected', () => {
    expect(errorOf(() => build({ value: 1, name: 'Business_Critical' })))
      .toContain('name ("Business_Critical") must be a DNS-1123 subdomain');
  });

  test('a name over 63 characters is rejected (it is also a label value)', () => {
    const name = 'a'.repeat(64);
    expect(errorOf(() => build({ value: 1, name })))
      .toContain(`name ("${name}") must be at most 63 characters (it is also the value of the app.kubernetes.io/name label)`);
  });

  test('an unknown preemptionPolicy is rejected', () => {
    expect(errorOf(() => build({ value: 1, preemptionPolicy: 'Sometimes' as PreemptionPolicy })))
      .toContain('preemptionPolicy ("Sometimes") must be PreemptionPolicy.PREEMPT_LOWER_PRIORITY or PreemptionPolicy.NEVER');
  });

  test('every problem is reported at once', () => {
    const msg = errorOf(() => build({ value: 2e9, name: 'system-x' }));
    expect(msg).toContain('2 invalid values');
  });

  test('two global defaults in one app are rejected, naming both paths', () => {
    // GIVEN two charts of one app, each with a global default
    const app: App = Testing.app();
    new PriorityClass(new Chart(app, 'a'), 'Default', { value: 1000, globalDefault: true });
    new PriorityClass(new Chart(app, 'b'), 'Fallback', { value: 500, globalDefault: true });
    // THEN synth fails once, from the second, naming the first
    const msg = errorOf(() => synth(app));
    expect(msg).toContain('  - b/Fallback: globalDefault (true) must be set on at most one PriorityClass in the app: PriorityClass "default" at a/Default is already the global default');
    expect(msg).not.toContain('a/Default:');
  });

  test('two classes of the same name in charts of different namespaces are duplicates', () => {
    const app: App = Testing.app();
    new PriorityClass(new Chart(app, 'a', { namespace: 'team-a' }), 'High', { value: 1000 });
    new PriorityClass(new Chart(app, 'b', { namespace: 'team-b' }), 'High', { value: 2000 });
    expect(errorOf(() => synth(app))).toContain('must be unique per kind and namespace: PriorityClass "high" is also defined at a/High/Resource');
  });
});
