import { Chart, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import {
  ContainerLimitRange, NamespaceGuardrails, NamespaceGuardrailsProps, NamespaceQuota, PodSecurityLevel,
} from '../../src/foundational/namespace-guardrails';
import { errorOf } from '../helpers/errors';
import { findObject, newChart, objectsOf, synth } from '../helpers/synth';

/** Builds guardrails `shop` in a fresh chart and synthesises the app. */
const build = (props: NamespaceGuardrailsProps = {}, chart: Chart = newChart('cluster')) => {
  const guardrails = new NamespaceGuardrails(chart, 'shop', props);
  return { guardrails, manifests: synth(chart) };
};
const quota = (q: NamespaceQuota) => build({ quota: q });
const defaults = (d: ContainerLimitRange) => build({ containerDefaults: d });

describe('NamespaceGuardrails', () => {
  test('the namespace enforces, warns about and audits Pod Security "restricted" v1.28 by default', () => {
    // GIVEN / WHEN
    const { guardrails, manifests } = build();
    // THEN
    const ns = findObject(manifests, 'Namespace', 'shop');
    expect(ns.metadata.labels).toEqual({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.28',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/warn-version': 'v1.28',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/audit-version': 'v1.28',
      'app.kubernetes.io/name': 'shop',
      'app.kubernetes.io/instance': 'shop',
      'app.kubernetes.io/managed-by': 'cdk8s-patterns',
    });
    expect(guardrails.name).toBe('shop');
    expect(guardrails.namespace.kind).toBe('Namespace');
  });

  test('baseline and privileged are explicit choices', () => {
    for (const level of [PodSecurityLevel.BASELINE, PodSecurityLevel.PRIVILEGED]) {
      const labels = findObject(build({ podSecurity: level }).manifests, 'Namespace', 'shop').metadata.labels;
      for (const mode of ['enforce', 'warn', 'audit']) expect(labels[`pod-security.kubernetes.io/${mode}`]).toBe(level);
    }
  });

  test('a LimitRange with the documented container defaults is always created, no quota unless asked', () => {
    const { guardrails, manifests } = build();
    const lr = findObject(manifests, 'LimitRange', 'shop-limits');
    expect(lr.metadata.namespace).toBe('shop');
    expect(lr.spec.limits).toEqual([{
      type: 'Container',
      defaultRequest: { cpu: '100m', memory: '128Mi' },
      default: { cpu: '500m', memory: '256Mi' },
    }]);
    expect(objectsOf(manifests, 'ResourceQuota')).toHaveLength(0);
    expect(guardrails.resourceQuota).toBeUndefined();
    expect(guardrails.limitRange.kind).toBe('LimitRange');
  });

  test('container defaults, max and min are rendered as quantities', () => {
    const { manifests } = defaults({
      defaultRequestCpu: Cpu.millis(250),
      defaultRequestMemory: Size.mebibytes(256),
      defaultLimitCpu: Cpu.units(1),
      defaultLimitMemory: Size.gibibytes(1),
      maxCpu: Cpu.units(2),
      maxMemory: Size.gibibytes(4),
      minCpu: Cpu.millis(50),
      minMemory: Size.mebibytes(64),
    });
    const item = findObject(manifests, 'LimitRange', 'shop-limits').spec.limits[0];
    expect(item.type).toBe('Container');
    expect(item.defaultRequest).toEqual({ cpu: '250m', memory: '256Mi' });
    expect(item.default).toEqual({ cpu: '1', memory: '1Gi' });
    expect(item.max).toEqual({ cpu: '2', memory: '4Gi' });
    expect(item.min).toEqual({ cpu: '50m', memory: '64Mi' });
  });

  test('the quota renders every hard limit with its Kubernetes key', () => {
    const { guardrails, manifests } = quota({
      requestsCpu: Cpu.units(4),
      requestsMemory: Size.gibibytes(8),
      limitsCpu: Cpu.units(8),
      limitsMemory: Size.mebibytes(16384),
      requestsStorage: Size.gibibytes(100),
      pods: 50,
      services: 10,
      persistentVolumeClaims: 5,
      configMaps: 20,
      secrets: 0,
    });
    const rq = findObject(manifests, 'ResourceQuota', 'shop-quota');
    expect(rq.metadata.namespace).toBe('shop');
    expect(rq.spec.hard).toEqual({
      'requests.cpu': '4',
      'requests.memory': '8Gi',
      'limits.cpu': '8',
      'limits.memory': '16Gi',
      'requests.storage': '100Gi',
      'pods': '50',
      'services': '10',
      'persistentvolumeclaims': '5',
      'configmaps': '20',
      'secrets': '0',
    });
    expect(guardrails.resourceQuota?.kind).toBe('ResourceQuota');
  });

  test('inside a Chart with another namespace: the Namespace has none, the quota and limit range go into the new one', () => {
    // GIVEN a chart whose objects default to namespace "platform"
    const chart = newChart('platform', { namespace: 'platform' });
    // WHEN
    const { manifests } = build({ quota: { pods: 10 } }, chart);
    // THEN
    expect(findObject(manifests, 'Namespace', 'shop').metadata).not.toHaveProperty('namespace');
    expect(findObject(manifests, 'ResourceQuota', 'shop-quota').metadata.namespace).toBe('shop');
    expect(findObject(manifests, 'LimitRange', 'shop-limits').metadata.namespace).toBe('shop');
  });

  test('extra labels go on every object; the name defaults to the id in kebab-case', () => {
    const chart = newChart('cluster');
    const g = new NamespaceGuardrails(chart, 'TeamPayments', { labels: { team: 'payments' }, quota: { pods: 5 } });
    const manifests = synth(chart);
    expect(g.name).toBe('team-payments');
    for (const kind of ['Namespace', 'ResourceQuota', 'LimitRange']) {
      expect(objectsOf(manifests, kind)[0].metadata.labels.team).toBe('payments');
    }
  });

  test('equal amounts written in different units are equal (requests may equal limits)', () => {
    const item = findObject(defaults({
      defaultRequestCpu: Cpu.millis(700),
      defaultLimitCpu: Cpu.units(0.7),
      maxCpu: Cpu.millis(700),
      defaultRequestMemory: Size.mebibytes(1024),
      defaultLimitMemory: Size.gibibytes(1),
    }).manifests, 'LimitRange', 'shop-limits').spec.limits[0];
    expect(item.defaultRequest).toEqual({ cpu: '700m', memory: '1Gi' });
    expect(item.default).toEqual({ cpu: '0.7', memory: '1Gi' });
  });

  test('a zero quota is allowed (it forbids the resource)', () => {
    const rq = findObject(quota({ limitsCpu: Cpu.units(0), persistentVolumeClaims: 0 }).manifests, 'ResourceQuota', 'shop-quota');
    expect(rq.spec.hard).toEqual({ 'limits.cpu': '0', 'persistentvolumeclaims': '0' });
  });
});

describe('NamespaceGuardrails bad input', () => {
  test('a namespace name starting with kube- is rejected', () => {
    expect(errorOf(() => build({ name: 'kube-shop' })))
      .toContain('cluster/shop: name ("kube-shop") must not start with "kube-": the prefix is reserved for Kubernetes system namespaces');
  });

  test('a namespace name that is not a DNS-1123 label is rejected', () => {
    expect(errorOf(() => build({ name: 'shop.eu' }))).toContain('name ("shop.eu") must be a DNS-1123 label');
    expect(errorOf(() => build({ name: 'a'.repeat(64) }))).toContain('must be a DNS-1123 label');
  });

  test('min above defaultRequest is rejected, naming both values', () => {
    expect(errorOf(() => defaults({ minCpu: Cpu.millis(200) })))
      .toContain('cluster/shop: containerDefaults.minCpu ("200m") must not be greater than containerDefaults.defaultRequestCpu (100m); '
        + '100m is the default of defaultRequestCpu, set it explicitly');
    expect(errorOf(() => defaults({ minMemory: Size.mebibytes(512), defaultRequestMemory: Size.mebibytes(256) })))
      .toContain('containerDefaults.minMemory ("512Mi") must not be greater than containerDefaults.defaultRequestMemory (256Mi)');
  });

  test('defaultRequest above defaultLimit is rejected', () => {
    expect(errorOf(() => defaults({ defaultRequestCpu: Cpu.units(1), defaultLimitCpu: Cpu.millis(500) })))
      .toContain('containerDefaults.defaultRequestCpu ("1") must not be greater than containerDefaults.defaultLimitCpu (500m)');
    expect(errorOf(() => defaults({ defaultRequestMemory: Size.gibibytes(1) })))
      .toContain('containerDefaults.defaultRequestMemory ("1Gi") must not be greater than containerDefaults.defaultLimitMemory (256Mi); '
        + '256Mi is the default of defaultLimitMemory, set it explicitly');
  });

  test('defaultLimit above max is rejected', () => {
    expect(errorOf(() => defaults({ maxCpu: Cpu.millis(200), defaultRequestCpu: Cpu.millis(100) })))
      .toContain('containerDefaults.defaultLimitCpu ("500m") must not be greater than containerDefaults.maxCpu (200m); '
        + '500m is the default of defaultLimitCpu, set it explicitly');
    expect(errorOf(() => defaults({ defaultLimitMemory: Size.gibibytes(2), maxMemory: Size.gibibytes(1) })))
      .toContain('containerDefaults.defaultLimitMemory ("2Gi") must not be greater than containerDefaults.maxMemory (1Gi)');
  });

  test('negative or fractional counts are rejected', () => {
    expect(errorOf(() => quota({ pods: -1 }))).toContain('cluster/shop: quota.pods (-1) must be >= 0 (and at most 2147483647)');
    expect(errorOf(() => quota({ secrets: 2.5 }))).toContain('quota.secrets (2.5) must be an integer');
    expect(errorOf(() => quota({ services: 2 ** 31 }))).toContain('quota.services (2147483648) must be >= 0 (and at most 2147483647)');
  });

  test('a quota request above its limit is rejected', () => {
    expect(errorOf(() => quota({ requestsCpu: Cpu.units(4), limitsCpu: Cpu.units(2) })))
      .toContain('cluster/shop: quota.requestsCpu ("4") must not be greater than quota.limitsCpu (2)');
    expect(errorOf(() => quota({ requestsMemory: Size.gibibytes(8), limitsMemory: Size.gibibytes(4) })))
      .toContain('quota.requestsMemory ("8Gi") must not be greater than quota.limitsMemory (4Gi)');
  });

  test('a quota too small for one container with default resources is rejected', () => {
    expect(errorOf(() => quota({ limitsMemory: Size.mebibytes(128) })))
      .toContain('quota.limitsMemory ("128Mi") must be at least containerDefaults.defaultLimitMemory (256Mi), '
        + 'or not even one container with default resources fits');
  });

  test('an empty quota is rejected', () => {
    expect(errorOf(() => quota({}))).toContain('quota ({}) must set at least one limit (omit quota for none)');
  });

  test('negative or sub-millicore CPU is rejected', () => {
    expect(errorOf(() => defaults({ maxCpu: Cpu.units(-1) }))).toContain('containerDefaults.maxCpu ("-1") must be a non-negative amount of CPU');
    expect(errorOf(() => quota({ requestsCpu: Cpu.millis(0.5) })))
      .toContain('quota.requestsCpu ("0.5m") must be a whole number of millicores');
  });

  test('a fractional number of kibibytes is rejected', () => {
    expect(errorOf(() => defaults({ maxMemory: Size.kibibytes(1.5) }))).toContain('containerDefaults.maxMemory ("1.5Ki") must be a whole number of kibibytes');
  });

  test('values of the wrong type (JavaScript callers) are rejected', () => {
    expect(errorOf(() => defaults({ maxCpu: '2' as unknown as Cpu }))).toContain('containerDefaults.maxCpu ("2") must be a Cpu');
    expect(errorOf(() => quota({ limitsMemory: '1Gi' as unknown as Size }))).toContain('quota.limitsMemory ("1Gi") must be a Size');
    expect(errorOf(() => build({ podSecurity: 'strict' as PodSecurityLevel })))
      .toContain('podSecurity ("strict") must be PodSecurityLevel.RESTRICTED, BASELINE or PRIVILEGED');
  });

  test('labels that override managed or Pod Security labels are rejected', () => {
    expect(errorOf(() => build({ labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } })))
      .toContain('labels key ("pod-security.kubernetes.io/enforce") must not override a label this library manages');
    expect(errorOf(() => build({ labels: { 'app.kubernetes.io/name': 'x' } })))
      .toContain('labels key ("app.kubernetes.io/name") must not override a label this library manages');
    expect(errorOf(() => build({ labels: { team: 'a b' } }))).toContain('labels["team"] ("a b") must be a valid label value');
  });

  test('two guardrails for the same namespace in charts of different namespaces are duplicates', () => {
    const chart = newChart('a', { namespace: 'team-a' });
    new NamespaceGuardrails(new Chart(chart.node.root, 'b', { namespace: 'team-b' }), 'shop');
    expect(errorOf(() => build({}, chart)))
      .toContain('b/shop/Resource: metadata.name ("shop") must be unique per kind and namespace: Namespace "shop" is also defined at a/shop/Resource');
  });
});

describe('NamespaceGuardrails: unknown quota keys', () => {
  test('a quota key the construct does not know is rejected, not dropped', () => {
    expect(errorOf(() => new NamespaceGuardrails(newChart(), 'shop', { quota: { gpus: 4 } as any })))
      .toMatch(/shop: quota key \("gpus"\) must be one of requestsCpu/);
  });
});

describe('NamespaceGuardrails: enforce one Pod Security level, warn and audit a stricter one', () => {
  test('enforce baseline, warn and audit restricted: the labels of each mode', () => {
    const chart = newChart('cluster');
    new NamespaceGuardrails(chart, 'legacy', {
      podSecurity: PodSecurityLevel.BASELINE, podSecurityWarn: PodSecurityLevel.RESTRICTED, podSecurityAudit: PodSecurityLevel.RESTRICTED,
    });
    const labels = findObject(synth(chart), 'Namespace', 'legacy').metadata.labels;
    expect(labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
    });
  });

  test('warn and audit default to the enforced level; a laxer one is rejected (it would never fire)', () => {
    const chart = newChart('cluster');
    new NamespaceGuardrails(chart, 'team', { podSecurity: PodSecurityLevel.BASELINE });
    expect(findObject(synth(chart), 'Namespace', 'team').metadata.labels['pod-security.kubernetes.io/warn']).toBe('baseline');
    const message = errorOf(() => new NamespaceGuardrails(newChart('cluster'), 'x', {
      podSecurity: PodSecurityLevel.RESTRICTED, podSecurityWarn: PodSecurityLevel.BASELINE, podSecurityAudit: 'loose' as any,
    }));
    expect(message).toContain('cluster/x: podSecurityWarn ("baseline") must be at least as strict as podSecurity (restricted): a laxer level than the enforced one never warns');
    expect(message).toContain('podSecurityAudit ("loose") must be PodSecurityLevel.RESTRICTED, BASELINE or PRIVILEGED');
  });
});
