import { runExample } from '../helpers/examples';
import { findObject, objectsOf, validateManifests } from '../helpers/synth';

describe('examples/access-control.ts', () => {
  const out = runExample('access-control.ts');

  test('valid Kubernetes 1.28 manifests, all in the shop namespace, each workload with a ServiceAccount of its own', () => {
    expect(() => validateManifests(out)).not.toThrow();
    expect(out.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual([
      'ServiceAccount/storefront', 'NetworkPolicy/storefront', 'Deployment/storefront', 'Service/storefront', 'PodDisruptionBudget/storefront',
      'Role/storefront-config', 'RoleBinding/storefront-config',
      'ServiceAccount/preview-janitor', 'NetworkPolicy/preview-janitor', 'Service/preview-janitor-headless', 'StatefulSet/preview-janitor',
      'RoleBinding/preview-janitor-edit',
    ]);
    for (const m of out) expect(m.metadata.namespace).toBe('shop');
    expect(findObject(out, 'Deployment', 'storefront').spec.template.spec.serviceAccountName).toBe('storefront');
    expect(findObject(out, 'StatefulSet', 'preview-janitor').spec.template.spec.serviceAccountName).toBe('preview-janitor');
  });

  test('storefront: a bound token (never automounted) and a Role that may only read ConfigMaps', () => {
    expect(findObject(out, 'ServiceAccount', 'storefront').automountServiceAccountToken).toBe(false);
    const pod = findObject(out, 'Deployment', 'storefront').spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'kube-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true });
    expect(findObject(out, 'Role', 'storefront-config').rules).toEqual([
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] },
    ]);
    const rb = findObject(out, 'RoleBinding', 'storefront-config');
    expect(rb.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'storefront-config' });
    expect(rb.subjects).toEqual([{ kind: 'ServiceAccount', name: 'storefront', namespace: 'shop' }]);
    expect(rb.metadata.annotations).toBeUndefined();
  });

  test('preview-janitor: the built-in edit ClusterRole in the shop namespace only, as an explicit waiver', () => {
    expect(objectsOf(out, 'ClusterRoleBinding')).toEqual([]);
    const rb = findObject(out, 'RoleBinding', 'preview-janitor-edit');
    expect(rb.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' });
    expect(rb.subjects).toEqual([{ kind: 'ServiceAccount', name: 'preview-janitor', namespace: 'shop' }]);
    const reason = 'the janitor deletes every kind of object of a preview environment; bound in the shop namespace only';
    expect(rb.metadata.annotations).toEqual({
      'ignore-check.kube-linter.io/access-to-secrets': reason,
      'ignore-check.kube-linter.io/access-to-create-pods': reason,
      'patterns.cdk8s.io/checker-ignore': `LNK001: ${reason}`,
      'patterns.cdk8s.io/policy-ignore': `rbac-no-dangerous-access,no-dangling-reference: ${reason}`,
    });
  });
});
