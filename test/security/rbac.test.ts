import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  ApiVerb, BuiltInClusterRole, ClusterRole, ClusterRoleBinding, ClusterRoleRef, IRoleReference, PolicyRule, RbacRoleKind, RbacRule, Role,
  RoleBinding, RoleBindingProps, Waiver,
} from '../../src';
import { errorOf } from '../helpers/errors';
import { findObject, newChart, objectsOf, synth, validateManifests } from '../helpers/synth';

const { ApiResource } = kplus;

/** A chart in namespace `shop` with a dedicated ServiceAccount `api`. */
function shop(): { chart: Chart; sa: kplus.ServiceAccount } {
  const chart = newChart('shop', { namespace: 'shop' });
  const sa = new kplus.ServiceAccount(chart, 'sa', { metadata: { name: 'api' }, automountToken: false });
  return { chart, sa };
}

const reads = () => [RbacRule.read([ApiResource.CONFIG_MAPS])];

describe('Role: a ServiceAccount with a Role and a RoleBinding', () => {
  test('grant() binds the Role to the ServiceAccount through a RoleBinding of the same name, in the Chart\'s namespace', () => {
    // GIVEN a Role that reads ConfigMaps
    const { chart, sa } = shop();
    const role = new Role(chart, 'ConfigReader', { rules: reads(), partOf: 'shop' });
    // WHEN it is granted to the ServiceAccount
    const binding = role.grant(sa);
    // THEN a Role and a RoleBinding that valid 1.28 manifests carry
    const out = synth(chart);
    validateManifests(out);
    const r = findObject(out, 'Role', 'config-reader');
    expect(r.metadata.namespace).toBe('shop');
    expect(r.rules).toEqual([{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }]);
    expect(r.metadata.labels).toEqual({
      'app.kubernetes.io/name': 'config-reader',
      'app.kubernetes.io/instance': 'config-reader',
      'app.kubernetes.io/part-of': 'shop',
      'app.kubernetes.io/managed-by': 'cdk8s-patterns',
    });
    expect(r.metadata.annotations).toBeUndefined();
    const rb = findObject(out, 'RoleBinding', 'config-reader');
    expect(rb.metadata.namespace).toBe('shop');
    expect(rb.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'config-reader' });
    expect(rb.subjects).toEqual([{ kind: 'ServiceAccount', name: 'api', namespace: 'shop' }]);
    expect(rb.metadata.labels).toEqual(r.metadata.labels);
    // and the constructs expose what they made
    expect(binding.role).toBe(role);
    expect(binding.subjects).toEqual([sa]);
    expect(role.roleKind).toBe(RbacRoleKind.ROLE);
    expect(role.roleName).toBe('config-reader');
    expect(role.namespace).toBe('shop');
    expect(role.rules).toHaveLength(1);
    expect(role.apiObject.kind).toBe('Role');
    expect(binding.apiObject.kind).toBe('RoleBinding');
  });

  test('grant() again adds subjects to the same RoleBinding', () => {
    const { chart, sa } = shop();
    const other = new kplus.ServiceAccount(chart, 'other', { metadata: { name: 'worker' }, automountToken: false });
    const role = new Role(chart, 'reader', { rules: reads() });
    const first = role.grant(sa);
    expect(role.grant(other)).toBe(first);
    const out = synth(chart);
    expect(objectsOf(out, 'RoleBinding')).toHaveLength(1);
    expect(findObject(out, 'RoleBinding', 'reader').subjects.map((s: any) => s.name)).toEqual(['api', 'worker']);
  });

  test('appName labels the Role as part of its application, and its bindings too', () => {
    const { chart, sa } = shop();
    new Role(chart, 'reader', { rules: reads(), appName: 'api' }).grant(sa);
    const out = synth(chart);
    expect(findObject(out, 'Role', 'reader').metadata.labels['app.kubernetes.io/name']).toBe('api');
    expect(findObject(out, 'RoleBinding', 'reader').metadata.labels['app.kubernetes.io/instance']).toBe('api');
  });

  test('users and groups are subjects too, with the RBAC API group', () => {
    const { chart } = shop();
    const role = new Role(chart, 'reader', { rules: reads() });
    new RoleBinding(chart, 'people', {
      role,
      subjects: [kplus.User.fromName(chart, 'alice', 'alice@example.com'), kplus.Group.fromName(chart, 'sre', 'sre')],
    });
    expect(findObject(synth(chart), 'RoleBinding', 'people').subjects).toEqual([
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice@example.com' },
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'sre' },
    ]);
  });

  test('a ServiceAccount of another namespace may be granted a Role (a cross-namespace grant)', () => {
    const app = Testing.app();
    const other = new Chart(app, 'ci', { namespace: 'ci' });
    const bot = new kplus.ServiceAccount(other, 'bot', { metadata: { name: 'deploy-bot' }, automountToken: false });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new Role(chart, 'reader', { rules: reads() }).grant(bot);
    expect(findObject(synth(chart), 'RoleBinding', 'reader').subjects).toEqual([{ kind: 'ServiceAccount', name: 'deploy-bot', namespace: 'ci' }]);
  });

  test('a Role with a waived rule: the annotations go on the Role and on its bindings', () => {
    // GIVEN a Role that reads one Secret, waived
    const { chart, sa } = shop();
    const role = new Role(chart, 'tls-reader', {
      rules: [RbacRule.allow({ verbs: [ApiVerb.GET], resources: [ApiResource.SECRETS], resourceNames: ['api-tls'] })],
      waivers: [Waiver.of(PolicyRule.RBAC_SECRET_READ, 'the app reloads its own TLS certificate')],
    });
    role.grant(sa);
    const out = synth(chart);
    // THEN both carry the exemption annotations, so kube-linter's access-to-secrets (on bindings) agrees too
    const expected = {
      'ignore-check.kube-linter.io/access-to-secrets': 'the app reloads its own TLS certificate',
      'patterns.cdk8s.io/policy-ignore': 'rbac-no-dangerous-access: the app reloads its own TLS certificate',
    };
    expect(findObject(out, 'Role', 'tls-reader').metadata.annotations).toEqual(expected);
    expect(findObject(out, 'RoleBinding', 'tls-reader').metadata.annotations).toEqual(expected);
  });
});

describe('ClusterRole and ClusterRoleBinding', () => {
  test('a ClusterRole granted cluster-wide: no namespace on either, the ServiceAccount\'s namespace on the subject', () => {
    const { chart, sa } = shop();
    const role = new ClusterRole(chart, 'node-reader', { rules: [RbacRule.read([ApiResource.NODES])] });
    const binding = role.grant(sa);
    const out = synth(chart);
    const cr = findObject(out, 'ClusterRole', 'node-reader');
    expect(cr.metadata.namespace).toBeUndefined();
    const crb = findObject(out, 'ClusterRoleBinding', 'node-reader');
    expect(crb.metadata.namespace).toBeUndefined();
    expect(crb.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'node-reader' });
    expect(crb.subjects).toEqual([{ kind: 'ServiceAccount', name: 'api', namespace: 'shop' }]);
    expect(role.grant(new kplus.ServiceAccount(chart, 'sa2', { metadata: { name: 'api2' }, automountToken: false }))).toBe(binding);
    expect(role.roleKind).toBe(RbacRoleKind.CLUSTER_ROLE);
    expect(role.roleName).toBe('node-reader');
    expect(role.rules).toHaveLength(1);
    expect(binding.subjects).toHaveLength(2);
    expect(binding.role).toBe(role);
  });

  test('a RoleBinding may grant a ClusterRole in its own namespace', () => {
    const app = Testing.app();
    const platform = new Chart(app, 'platform');
    const reader = new ClusterRole(platform, 'config-reader', { rules: reads() });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const sa = new kplus.ServiceAccount(chart, 'sa', { metadata: { name: 'api' }, automountToken: false });
    new RoleBinding(chart, 'api-config', { role: reader, subjects: [sa] });
    const rb = findObject(synth(platform), 'RoleBinding', 'api-config');
    expect(rb.metadata.namespace).toBe('shop');
    expect(rb.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'config-reader' });
  });

  test('a RoleBinding of a ClusterRole whose rules need a ClusterRoleBinding is rejected at synth time', () => {
    const { chart, sa } = shop();
    const role = new ClusterRole(chart, 'metrics', { rules: [RbacRule.readUrls(['/metrics'])] });
    new RoleBinding(chart, 'metrics-binding', { role, subjects: [sa] });
    expect(errorOf(() => synth(chart))).toContain(
      'role ("ClusterRole/metrics") has the rule get on URLs /metrics, which a RoleBinding cannot grant');
  });

  test('a rule added to a ClusterRole after a RoleBinding binds it is checked at synth time', () => {
    // GIVEN a ClusterRole granted in one namespace
    const { chart, sa } = shop();
    const role = new ClusterRole(chart, 'reader', { rules: reads() });
    new RoleBinding(chart, 'reader-in-shop', { role, subjects: [sa] });
    expect(() => synth(chart)).not.toThrow();
    // WHEN a rule on a cluster-scoped resource is added
    role.addRule(RbacRule.read([ApiResource.NODES], { resourceNames: ['node-1'] }));
    expect(role.rules).toHaveLength(2);
    // THEN the RoleBinding cannot grant it
    expect(errorOf(() => synth(chart))).toContain(
      'shop/reader-in-shop: role ("ClusterRole/reader") has the rule get,list,watch on nodes named node-1, which a RoleBinding cannot grant');
    // AND a rule that reads Secrets is refused at synth, and not added
    expect(errorOf(() => role.addRule(RbacRule.readWrite([ApiResource.SECRETS], null as any))))
      .toMatch(/shop\/reader: addRule\(rule\) \("[^"]*secrets"\) .*PolicyRule\.RBAC_SECRET_READ/);
    expect(role.rules).toHaveLength(2);
    // AND synth lists the refusal, then the synth-time check, each once
    expect(errorOf(() => synth(chart))).toMatch(/^cdk8s-patterns: 2 invalid values:\n {2}- shop\/reader: addRule\(rule\)[^\n]*\n {2}- shop\/reader-in-shop: role/);
  });

  test('a ClusterRoleBinding cannot grant a Role', () => {
    const { chart, sa } = shop();
    const role = new Role(chart, 'reader', { rules: reads() });
    expect(errorOf(() => new ClusterRoleBinding(chart, 'all', { role, subjects: [sa] })))
      .toContain('shop/all: role ("Role/reader") must be a ClusterRole: a ClusterRoleBinding cannot grant a Role');
  });

  test('a ClusterRoleBinding needs the namespace of a ServiceAccount subject', () => {
    const chart = newChart('nons');
    const sa = new kplus.ServiceAccount(chart, 'sa', { metadata: { name: 'api' }, automountToken: false });
    const role = new ClusterRole(chart, 'node-reader', { rules: [RbacRule.read([ApiResource.NODES])] });
    expect(errorOf(() => role.grant(sa))).toContain(
      'subjects[0].namespace (undefined) must be set: a ClusterRoleBinding must name the namespace of ServiceAccount "api"');
  });

  test('a ClusterRole may not take the name of a built-in one', () => {
    expect(errorOf(() => new ClusterRole(newChart('x'), 'edit', { rules: reads() })))
      .toContain('x/edit: name (from the construct id) ("edit") is the name of a built-in ClusterRole: applying the app would overwrite it');
  });
});

describe('Bindings to ClusterRoles the app does not define: refused unless waived', () => {
  test('a controller bound to the built-in edit ClusterRole, as an explicit waiver', () => {
    // GIVEN a deploy bot bound to edit, with its waiver
    const { chart, sa } = shop();
    new RoleBinding(chart, 'deploy-bot-edit', {
      role: ClusterRoleRef.builtIn(BuiltInClusterRole.EDIT),
      subjects: [sa],
      waivers: [Waiver.of(PolicyRule.RBAC_BUILT_IN_ROLE, 'the CD pipeline applies every kind of object of the namespace')],
    });
    // THEN the binding refers to edit and carries the exemption annotations, the dangling-reference
    // one included (edit is never an object of the app), each reason once
    const rb = findObject(synth(chart), 'RoleBinding', 'deploy-bot-edit');
    expect(rb.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' });
    expect(rb.metadata.annotations).toEqual({
      'ignore-check.kube-linter.io/access-to-secrets': 'the CD pipeline applies every kind of object of the namespace',
      'ignore-check.kube-linter.io/access-to-create-pods': 'the CD pipeline applies every kind of object of the namespace',
      'patterns.cdk8s.io/checker-ignore': 'LNK001: the CD pipeline applies every kind of object of the namespace',
      'patterns.cdk8s.io/policy-ignore': 'rbac-no-dangerous-access,no-dangling-reference: the CD pipeline applies every kind of object of the namespace',
    });
  });

  test.each([
    [BuiltInClusterRole.EDIT, 'RBAC_BUILT_IN_ROLE', 'edit includes reading Secrets and pods/exec'],
    [BuiltInClusterRole.ADMIN, 'RBAC_BUILT_IN_ROLE', 'admin grants nearly everything'],
    [BuiltInClusterRole.VIEW, 'RBAC_BUILT_IN_ROLE', 'view reads nearly everything'],
    [BuiltInClusterRole.CLUSTER_ADMIN, 'RBAC_CLUSTER_ADMIN', 'grants cluster-admin, which allows everything'],
  ])('%s without its waiver', (builtIn, rule, why) => {
    const { chart, sa } = shop();
    const message = errorOf(() => new RoleBinding(chart, 'b', { role: ClusterRoleRef.builtIn(builtIn), subjects: [sa] }));
    expect(message).toContain(`shop/b: role ("ClusterRole/${builtIn}")`);
    expect(message).toContain(why);
    expect(message).toContain(`give the reason with waivers: [Waiver.of(PolicyRule.${rule}, reason)]`);
  });

  test('cluster-admin cluster-wide, waived: Polaris\'s and kube-linter\'s exemptions on the ClusterRoleBinding', () => {
    const { chart, sa } = shop();
    new ClusterRoleBinding(chart, 'break-glass', {
      role: ClusterRoleRef.builtIn(BuiltInClusterRole.CLUSTER_ADMIN),
      subjects: [sa],
      waivers: [Waiver.of(PolicyRule.RBAC_CLUSTER_ADMIN, 'the cluster bootstrapper installs CRDs and namespaces')],
    });
    const crb = findObject(synth(chart), 'ClusterRoleBinding', 'break-glass');
    expect(crb.roleRef.name).toBe('cluster-admin');
    expect(crb.metadata.annotations).toMatchObject({
      'ignore-check.kube-linter.io/cluster-admin-role-binding': 'the cluster bootstrapper installs CRDs and namespaces',
      'polaris.fairwinds.com/clusterrolebindingClusterAdmin-exempt': 'true',
    });
  });

  test('named() with a built-in name counts as builtIn(): the check cannot be sidestepped', () => {
    const { chart, sa } = shop();
    expect(errorOf(() => new RoleBinding(chart, 'b', { role: ClusterRoleRef.named('cluster-admin'), subjects: [sa] })))
      .toContain('PolicyRule.RBAC_CLUSTER_ADMIN');
    expect(errorOf(() => new RoleBinding(chart, 'c', { role: { roleKind: RbacRoleKind.CLUSTER_ROLE, roleName: 'edit' }, subjects: [sa] })))
      .toContain('PolicyRule.RBAC_BUILT_IN_ROLE');
  });

  test('a ClusterRole made elsewhere: an external reference, waived with PolicyRule.EXTERNAL_REFERENCE', () => {
    const { chart, sa } = shop();
    expect(errorOf(() => new ClusterRoleBinding(chart, 'auth', { role: ClusterRoleRef.named('system:auth-delegator'), subjects: [sa] })))
      .toContain('role ("ClusterRole/system:auth-delegator") grants the ClusterRole "system:auth-delegator", which the app does not define');
    const chart2 = shop();
    new ClusterRoleBinding(chart2.chart, 'auth', {
      role: ClusterRoleRef.named('system:auth-delegator'),
      subjects: [chart2.sa],
      waivers: [Waiver.of(PolicyRule.EXTERNAL_REFERENCE, 'delegates authentication to the API server (TokenReview)')],
    });
    const crb = findObject(synth(chart2.chart), 'ClusterRoleBinding', 'auth');
    expect(crb.roleRef.name).toBe('system:auth-delegator');
    expect(crb.metadata.annotations['patterns.cdk8s.io/checker-ignore']).toBe('LNK001: delegates authentication to the API server (TokenReview)');
  });

  test('a waiver a binding does not need is rejected, and one its role already gives is named as such', () => {
    const { chart, sa } = shop();
    expect(errorOf(() => new RoleBinding(chart, 'b', {
      role: ClusterRoleRef.builtIn(BuiltInClusterRole.VIEW),
      subjects: [sa],
      waivers: [Waiver.of(PolicyRule.RBAC_BUILT_IN_ROLE, 'dashboards'), Waiver.of(PolicyRule.RBAC_CLUSTER_ADMIN, 'just in case')],
    }))).toContain('waivers (PolicyRule.RBAC_CLUSTER_ADMIN) ("just in case") waives nothing');
    const role = new Role(chart, 'tls', {
      rules: [RbacRule.read([ApiResource.SECRETS], { resourceNames: ['tls'] })],
      waivers: [Waiver.of(PolicyRule.RBAC_SECRET_READ, 'reads its certificate')],
    });
    expect(errorOf(() => new RoleBinding(chart, 'c', { role, subjects: [sa], waivers: [Waiver.of(PolicyRule.RBAC_SECRET_READ, 'again')] })))
      .toContain('waives nothing: the Role at shop/tls waives it already, and its waivers are written here too');
    expect(errorOf(() => new RoleBinding(chart, 'd', { role, subjects: [sa], waivers: [Waiver.of(PolicyRule.RBAC_WILDCARD, 'no')] })))
      .toContain('waives nothing: the Role at shop/tls is of this app, and its own waivers are written here too');
  });
});

describe('RoleBinding: ServiceAccounts the app does not define', () => {
  test('a ServiceAccount made elsewhere may be waived as an external reference; the waiver is needed only then', () => {
    // GIVEN a binding to a ServiceAccount that another app creates
    const { chart, sa } = shop();
    const role = new Role(chart, 'reader', { rules: reads() });
    const elsewhere = kplus.ServiceAccount.fromServiceAccountName(chart, 'ext', 'payments-api', { namespaceName: 'payments' });
    new RoleBinding(chart, 'payments', {
      role,
      subjects: [elsewhere],
      waivers: [Waiver.of(PolicyRule.EXTERNAL_REFERENCE, 'the payments team deploys its ServiceAccount')],
    });
    // THEN the checkers' dangling-reference rule is waived on the binding
    const rb = findObject(synth(chart), 'RoleBinding', 'payments');
    expect(rb.subjects).toEqual([{ kind: 'ServiceAccount', name: 'payments-api', namespace: 'payments' }]);
    expect(rb.metadata.annotations['patterns.cdk8s.io/checker-ignore']).toBe('LNK001: the payments team deploys its ServiceAccount');
    // WHEN the same waiver comes with a ServiceAccount of the app THEN it waives nothing
    new RoleBinding(chart, 'own', { role, subjects: [sa], waivers: [Waiver.of(PolicyRule.EXTERNAL_REFERENCE, 'not needed')] });
    expect(errorOf(() => synth(chart))).toContain(
      'shop/own: waivers (PolicyRule.EXTERNAL_REFERENCE) ("not needed") waives nothing: every ServiceAccount subject is an object of this app, and so is the role');
  });

  test('a built-in ClusterRole for an external ServiceAccount: both waivers, both reasons', () => {
    const { chart } = shop();
    const bot = kplus.ServiceAccount.fromServiceAccountName(chart, 'ext', 'argocd-application-controller');
    new RoleBinding(chart, 'argocd-edit', {
      role: ClusterRoleRef.builtIn(BuiltInClusterRole.EDIT),
      subjects: [bot],
      waivers: [Waiver.of(PolicyRule.RBAC_BUILT_IN_ROLE, 'Argo CD syncs the namespace'), Waiver.of(PolicyRule.EXTERNAL_REFERENCE, 'Argo CD runs in its own namespace')],
    });
    expect(findObject(synth(chart), 'RoleBinding', 'argocd-edit').metadata.annotations).toMatchObject({
      'patterns.cdk8s.io/checker-ignore': 'LNK001: Argo CD syncs the namespace; Argo CD runs in its own namespace',
      'patterns.cdk8s.io/policy-ignore': 'rbac-no-dangerous-access,no-dangling-reference: Argo CD syncs the namespace; Argo CD runs in its own namespace',
    });
  });
});

describe('RoleBinding: subjects and namespaces', () => {
  test('a Role of another namespace cannot be bound', () => {
    const app = Testing.app();
    const role = new Role(new Chart(app, 'a', { namespace: 'a' }), 'reader', { rules: reads() });
    const b = new Chart(app, 'b', { namespace: 'b' });
    const sa = new kplus.ServiceAccount(b, 'sa', { metadata: { name: 'api' }, automountToken: false });
    expect(errorOf(() => new RoleBinding(b, 'reader', { role, subjects: [sa] }))).toContain(
      'b/reader: role ("Role/reader") is in namespace "a" but the RoleBinding is in "b": a RoleBinding can only grant a Role of its own namespace');
  });

  test('the default ServiceAccount is never a subject', () => {
    const { chart } = shop();
    const role = new Role(chart, 'reader', { rules: reads() });
    const def = kplus.ServiceAccount.fromServiceAccountName(chart, 'default', 'default');
    expect(errorOf(() => role.grant(def))).toContain('subjects[0].name ("default") must not be the namespace\'s default ServiceAccount');
  });

  test.each([
    ['User', 'system:anonymous', 'everyone'],
    ['Group', 'system:unauthenticated', 'everyone'],
    ['Group', 'system:authenticated', 'everyone'],
    ['Group', 'system:serviceaccounts', 'every ServiceAccount of the cluster'],
  ])('%s %s is never a subject', (kind, name, who) => {
    const { chart } = shop();
    const role = new Role(chart, 'reader', { rules: reads() });
    const subject = kind === 'User' ? kplus.User.fromName(chart, 'u', name) : kplus.Group.fromName(chart, 'g', name);
    expect(errorOf(() => role.grant(subject))).toContain(`subjects[0].name ("${name}") stands for ${who}: the role would be granted to all`);
  });

  test('a subject twice, and addSubjects() checks like the props', () => {
    const { chart, sa } = shop();
    const role = new Role(chart, 'reader', { rules: reads() });
    expect(errorOf(() => new RoleBinding(chart, 'b', { role, subjects: [sa, sa] })))
      .toContain('subjects[1] ("ServiceAccount/shop/api") is already a subject of the binding');
    const binding = role.grant(sa);
    expect(errorOf(() => binding.addSubjects(sa))).toContain('shop/reader/Binding: addSubjects()[0] ("ServiceAccount/shop/api") is already a subject of the binding');
    expect(errorOf(() => binding.addSubjects('bob' as any))).toContain('shop/reader/Binding: addSubjects()[0] ("bob") must be a ServiceAccount');
    expect(binding.subjects).toEqual([sa]);
    // AND synth lists each of the three problems once
    expect(errorOf(() => synth(chart))).toMatch(/^cdk8s-patterns: 3 invalid values:\n/);
  });

  test('a binding without subjects grants nothing', () => {
    const { chart } = shop();
    const role = new Role(chart, 'reader', { rules: reads() });
    expect(errorOf(() => new RoleBinding(chart, 'b', { role, subjects: [] })))
      .toContain('subjects ([]) must list at least one subject: a binding without subjects grants nothing');
    expect(errorOf(() => role.grant())).toContain('subjects ([]) must list at least one subject');
  });

  test('a binding name, like any object name, is checked', () => {
    const { chart, sa } = shop();
    const role = new Role(chart, 'reader', { rules: reads() });
    expect(errorOf(() => new RoleBinding(chart, 'b', { role, subjects: [sa], name: 'Bad_Name' }))).toContain('name ("Bad_Name") must be a DNS-1123 subdomain');
    expect(errorOf(() => new RoleBinding(chart, 'x'.repeat(64), { role: ClusterRoleRef.named('x'), subjects: [sa], waivers: [Waiver.of(PolicyRule.EXTERNAL_REFERENCE, 'r')] })))
      .toContain('must be at most 63 characters (it is also the value of the app.kubernetes.io/name label), or give appName');
  });

  test('the app-wide check catches two bindings of the same name', () => {
    const { chart, sa } = shop();
    const role = new Role(chart, 'reader', { rules: reads() });
    new RoleBinding(chart, 'one', { role, subjects: [sa], name: 'same' });
    new RoleBinding(chart, 'two', { role, subjects: [sa], name: 'same' });
    expect(errorOf(() => synth(chart))).toContain('must be unique per kind and namespace: RoleBinding "same" in namespace "shop" is also defined at shop/one');
  });
});

describe('Role and bindings: bad JavaScript input ends in the library\'s error, never a TypeError', () => {
  test.each([
    ['props undefined', () => new Role(newChart('x'), 'r', undefined as any), 'x/r: rules (undefined) must list at least one RbacRule'],
    ['a name that is not a string', () => new Role(newChart('x'), 'r', { rules: reads(), name: 7 as any }), 'x/r: name (7) must be a string'],
    ['an empty name', () => new Role(newChart('x'), 'r', { rules: reads(), name: '' }), 'x/r: name ("") must be a DNS-1123 subdomain'],
    ['a long name without appName', () => new Role(newChart('x'), 'r', { rules: reads(), name: 'a'.repeat(64) }),
      'must be at most 63 characters (it is also the value of the app.kubernetes.io/name label), or give appName'],
    ['a bad appName', () => new Role(newChart('x'), 'r', { rules: reads(), appName: '-api' }), 'x/r: appName ("-api") must be a valid label value'],
    ['a bad partOf', () => new ClusterRole(newChart('x'), 'r', { rules: reads(), partOf: null as any }), 'x/r: partOf (null) must be a valid label value'],
    ['waivers not a list', () => new Role(newChart('x'), 'r', { rules: reads(), waivers: 'none' as any }), 'x/r: waivers ("none") must be a list of Waiver.of(rule, reason)'],
    ['a waiver that is not a Waiver', () => new Role(newChart('x'), 'r', { rules: reads(), waivers: [{ rule: 'rbac-wildcard', reason: 'x' } as any] }),
      'x/r: waivers[0] ({"rule":"rbac-wildcard","reason":"x"}) must be created with Waiver.of(rule, reason)'],
    ['a waiver without reason', () => new Role(newChart('x'), 'r', { rules: reads(), waivers: [Waiver.of(PolicyRule.RBAC_WILDCARD, ' ')] }),
      'x/r: waivers[0].reason (" ") must be a non-empty, single-line reason'],
  ])('Role: %s', (_, build, message) => {
    expect(errorOf(build)).toContain(message);
  });

  const bind = (props: Partial<RoleBindingProps>) => {
    const { chart, sa } = shop();
    const role = new Role(chart, 'reader', { rules: reads() });
    return new RoleBinding(chart, 'b', { role, subjects: [sa], ...props } as RoleBindingProps);
  };

  test.each([
    ['props undefined', () => new RoleBinding(newChart('x'), 'b', undefined as any), 'x/b: role (undefined) must be a Role or ClusterRole of this library'],
    ['role null', () => bind({ role: null as any }), 'shop/b: role (null) must be a Role or ClusterRole of this library, or ClusterRoleRef.builtIn() or ClusterRoleRef.named()'],
    ['role a string', () => bind({ role: 'edit' as any }), 'role ("edit") must be a Role or ClusterRole of this library, or ClusterRoleRef.builtIn() or ClusterRoleRef.named() (for a built-in role: ClusterRoleRef.builtIn(BuiltInClusterRole.EDIT))'],
    ['role a kplus Role', () => bind({ role: new kplus.Role(newChart('y'), 'r') as any }), 'role (y/r) must be a Role or ClusterRole of this library'],
    ['role an unknown kind', () => bind({ role: { roleKind: 'Group', roleName: 'x' } as any }), 'role ({"roleKind":"Group","roleName":"x"}) must be a Role'],
    ['role named ""', () => bind({ role: ClusterRoleRef.named('') }), 'role.roleName ("") must be the name of a role'],
    ['role named with a slash', () => bind({ role: ClusterRoleRef.named('a/b') }), 'role.roleName ("a/b") must be the name of a role'],
    ['role named null', () => bind({ role: ClusterRoleRef.named(null as any) }), 'role ({"roleName":null,"roleKind":"ClusterRole"}) must be a Role'],
    ['builtIn of an unknown role', () => bind({ role: ClusterRoleRef.builtIn('root' as any) }), 'grants the ClusterRole "root", which the app does not define'],
    ['subjects null', () => bind({ subjects: null as any }), 'shop/b: subjects (null) must list at least one subject'],
    ['a subject null', () => bind({ subjects: [null as any] }), 'subjects[0] (null) must be a ServiceAccount (e.g. a workload\'s serviceAccount), a kplus.User or a kplus.Group'],
    ['a subject as a plain object', () => bind({ subjects: [{ kind: 'ServiceAccount', name: 'api' } as any] }), 'subjects[0] ({"kind":"ServiceAccount","name":"api"}) must be a ServiceAccount'],
    ['a subject whose configuration throws', () => bind({ subjects: [{ toSubjectConfiguration: () => { throw new Error('boom'); } } as any] }), 'subjects[0] ("boom") must be a ServiceAccount'],
    ['a subject whose configuration is null', () => bind({ subjects: [{ toSubjectConfiguration: () => null } as any] }), 'subjects[0] (null) must be a ServiceAccount'],
    ['a subject of an unknown kind', () => bind({ subjects: [{ toSubjectConfiguration: () => ({ kind: 'Robot', name: 'r2' }) } as any] }), 'subjects[0].kind ("Robot") must be one of ServiceAccount, User, Group'],
    ['a subject without name', () => bind({ subjects: [{ toSubjectConfiguration: () => ({ kind: 'User', name: '' }) } as any] }), 'subjects[0].name ("") must be a non-empty name'],
    ['a ServiceAccount with a bad name', () => bind({ subjects: [{ toSubjectConfiguration: () => ({ kind: 'ServiceAccount', name: 'API' }) } as any] }), 'subjects[0].name ("API") must be a DNS-1123 subdomain'],
    ['a ServiceAccount with a bad namespace', () => bind({ subjects: [{ toSubjectConfiguration: () => ({ kind: 'ServiceAccount', name: 'api', namespace: 'A B' }) } as any] }), 'subjects[0].namespace ("A B") must be a DNS-1123 label'],
    ['waivers null', () => bind({ waivers: [null as any] }), 'waivers[0] (null) must be created with Waiver.of(rule, reason)'],
    ['a bad appName', () => bind({ appName: 'x'.repeat(64) }), 'appName ("xxxxxxxx'],
    ['a bad partOf', () => bind({ partOf: '_' }), 'partOf ("_") must be a valid label value'],
  ])('RoleBinding: %s', (_, build, message) => {
    expect(errorOf(build)).toContain(message);
  });

  test('ClusterRoleBinding: a role that is no reference', () => {
    expect(errorOf(() => new ClusterRoleBinding(newChart('x'), 'b', { role: 42 as any, subjects: [] }))).toMatch(
      /x\/b: role \(42\) must be a Role or ClusterRole of this library[\s\S]*subjects \(\[\]\) must list at least one subject/);
  });

  test('the role of a binding, as given, for a foreign reference', () => {
    const { chart, sa } = shop();
    const ref: IRoleReference = ClusterRoleRef.named('operator-manager');
    const b = new RoleBinding(chart, 'b', { role: ref, subjects: [sa], waivers: [Waiver.of(PolicyRule.EXTERNAL_REFERENCE, 'the operator\'s install creates it')] });
    expect(b.role).toBe(ref);
    expect(b.name).toBe('b');
    expect(ref.roleKind).toBe(RbacRoleKind.CLUSTER_ROLE);
    expect(ref.roleName).toBe('operator-manager');
    expect(findObject(synth(chart), 'RoleBinding', 'b').metadata.labels['app.kubernetes.io/name']).toBe('b');
  });
});

describe('RoleBinding robustness', () => {
  test('a role given by name: the hint names the built-in role only for a built-in name, and a long name is cut short', () => {
    const { chart, sa } = shop();
    expect(errorOf(() => new RoleBinding(chart, 'a', { role: 'edit' as any, subjects: [sa] })))
      .toContain('(for a built-in role: ClusterRoleRef.builtIn(BuiltInClusterRole.EDIT))');
    // (in an app of its own: the app that failed above still reports that problem at every synth)
    const other = shop();
    const message = errorOf(() => new RoleBinding(other.chart, 'b', { role: 'x'.repeat(1000) as any, subjects: [other.sa] }));
    expect(message).toContain('shop/b: role ("xxx');
    expect(message).not.toContain('for a built-in role');
    expect(message.length).toBeLessThan(600);
  });
});

describe('addSubjects: a call with a bad subject changes nothing', () => {
  test('the good subjects of a call with a bad one are not added', () => {
    const chart = newChart('shop', { namespace: 'shop' });
    const sa = (name: string) => kplus.ServiceAccount.fromServiceAccountName(chart, name, name);
    const binding = new Role(chart, 'reader', { rules: [RbacRule.read([kplus.ApiResource.CONFIG_MAPS])] }).grant(sa('api'));
    binding.addSubjects(sa('web'), 'nobody' as any);
    expect(binding.subjects.map((s: any) => s.name)).toEqual(['api']);
    expect(errorOf(() => binding)).toContain('shop/reader/Binding: addSubjects()[1] ("nobody")');
  });
});
