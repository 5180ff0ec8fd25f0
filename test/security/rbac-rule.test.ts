import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { ApiVerb, ClusterRole, PolicyRule, RbacRule, Role, RoleProps, Waiver } from '../../src';
import { isClusterScopedRule, refusalsOf } from '../../src/security/rbac-rule';
import { errorOf } from '../helpers/errors';
import { findObject, newChart, synth } from '../helpers/synth';

const { ApiResource } = kplus;

/** A Role `reader` in namespace `shop` with `props` over a valid baseline. */
function role(props: Partial<RoleProps>, chart: Chart = newChart('shop', { namespace: 'shop' })): Role {
  return new Role(chart, 'reader', { rules: [RbacRule.read([ApiResource.CONFIG_MAPS])], ...props } as RoleProps);
}

/** The rules of the rendered Role `reader`. */
function rulesOf(r: Role): any[] {
  return findObject(synth(Chart.of(r)), 'Role', 'reader').rules;
}

describe('RbacRule: typed verbs and resources, rendered as least privilege', () => {
  test('read() is get, list and watch; write() is create, update, patch and delete; readWrite() is both', () => {
    // GIVEN one rule of each
    const r = role({
      rules: [
        RbacRule.read([ApiResource.CONFIG_MAPS]),
        RbacRule.write([ApiResource.custom({ apiGroup: 'networking.k8s.io', resourceType: 'networkpolicies' })]),
        RbacRule.readWrite([ApiResource.LEASES]),
      ],
    });
    // THEN each becomes one Kubernetes rule with its verbs
    expect(rulesOf(r)).toEqual([
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['create', 'update', 'patch', 'delete'] },
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
    ]);
  });

  test('resources of several API groups become one rule per group (a rule grants every group x resource pair)', () => {
    const r = role({ rules: [RbacRule.read([ApiResource.CONFIG_MAPS, ApiResource.DEPLOYMENTS, ApiResource.SERVICES])] });
    expect(rulesOf(r)).toEqual([
      { apiGroups: [''], resources: ['configmaps', 'services'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch'] },
    ]);
  });

  test('allow() with resourceNames restricts the rule to those objects', () => {
    const r = role({
      rules: [RbacRule.allow({ verbs: [ApiVerb.GET, ApiVerb.UPDATE], resources: [ApiResource.LEASES], resourceNames: ['api-leader'] })],
    });
    expect(rulesOf(r)).toEqual([
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: ['api-leader'], verbs: ['get', 'update'] },
    ]);
  });

  test('read() with resourceNames keeps list and watch (they need a metadata.name field selector)', () => {
    const r = role({ rules: [RbacRule.read([ApiResource.CONFIG_MAPS], { resourceNames: ['settings'] })] });
    expect(rulesOf(r)[0]).toEqual({ apiGroups: [''], resources: ['configmaps'], resourceNames: ['settings'], verbs: ['get', 'list', 'watch'] });
  });

  test('an object of the app as a resource grants that object only; several of a type share one rule', () => {
    const chart = newChart('shop', { namespace: 'shop' });
    const a = new kplus.ConfigMap(chart, 'a', { metadata: { name: 'settings-a' } });
    const b = new kplus.ConfigMap(chart, 'b', { metadata: { name: 'settings-b' } });
    const r = role({ rules: [RbacRule.allow({ verbs: [ApiVerb.GET], resources: [a, b, ApiResource.SERVICES] })] }, chart);
    expect(rulesOf(r)).toEqual([
      { apiGroups: [''], resources: ['configmaps'], resourceNames: ['settings-a', 'settings-b'], verbs: ['get'] },
      { apiGroups: [''], resources: ['services'], verbs: ['get'] },
    ]);
  });

  test('a subresource through ApiResource.custom(), and "core" as the core group', () => {
    const r = role({ rules: [RbacRule.allow({ verbs: [ApiVerb.GET], resources: [ApiResource.custom({ apiGroup: 'core', resourceType: 'pods/log' })] })] });
    expect(rulesOf(r)).toEqual([{ apiGroups: [''], resources: ['pods/log'], verbs: ['get'] }]);
  });

  test('readUrls() in a ClusterRole: get on URLs that are not resources', () => {
    const chart = newChart('mon');
    new ClusterRole(chart, 'metrics-reader', { rules: [RbacRule.readUrls(['/metrics'])] });
    expect(findObject(synth(chart), 'ClusterRole', 'metrics-reader').rules).toEqual([{ nonResourceURLs: ['/metrics'], verbs: ['get'] }]);
  });

  test('the rule keeps what it was given', () => {
    const rule = RbacRule.allow({ verbs: [ApiVerb.GET], resources: [ApiResource.LEASES], resourceNames: ['x'] });
    expect(rule.verbs).toEqual([ApiVerb.GET]);
    expect(rule.resources).toEqual([ApiResource.LEASES]);
    expect(rule.resourceNames).toEqual(['x']);
    expect(rule.urls).toBeUndefined();
    expect(RbacRule.readUrls(['/healthz']).urls).toEqual(['/healthz']);
  });
});

describe('RbacRule: rules that would grant nothing, or not what they say, are rejected', () => {
  test.each([
    ['no verbs', RbacRule.allow({ verbs: [], resources: [ApiResource.PODS] }), 'rules[0].verbs ([]) must list at least one ApiVerb'],
    ['an unknown verb', RbacRule.allow({ verbs: ['read' as ApiVerb], resources: [ApiResource.PODS] }), 'rules[0].verbs[0] ("read") must be an ApiVerb'],
    ['a verb twice', RbacRule.allow({ verbs: [ApiVerb.GET, ApiVerb.GET], resources: [ApiResource.PODS] }), 'rules[0].verbs[1] ("get") is listed twice'],
    ['no resources', RbacRule.read([]), 'rules[0].resources ([]) must list at least one resource'],
    ['a resource twice', RbacRule.read([ApiResource.PODS, ApiResource.PODS]), 'rules[0].resources[1] ("pods") is listed twice in the rule'],
    ['an upper-case resource', RbacRule.read([ApiResource.custom({ apiGroup: '', resourceType: 'ConfigMaps' })]),
      'rules[0].resources[0].resourceType ("ConfigMaps") must be a lower-case resource'],
    ['a typo in the core group', RbacRule.read([ApiResource.custom({ apiGroup: '', resourceType: 'configmap' })]),
      'rules[0].resources[0].resourceType ("configmap") is not a resource of the core API group in Kubernetes 1.28: the rule would grant nothing'],
    ['a resource in the wrong group', RbacRule.read([ApiResource.custom({ apiGroup: '', resourceType: 'deployments' })]),
      'rules[0].resources[0].resourceType ("deployments") is not a resource of the core API group in Kubernetes 1.28 (deployments is in the "apps" group)'],
    ['the emptied extensions group', RbacRule.read([ApiResource.custom({ apiGroup: 'extensions', resourceType: 'ingresses' })]),
      'rules[0].resources[0].resourceType ("ingresses") is not a resource of the "extensions" API group in Kubernetes 1.28 (ingresses is in the "networking.k8s.io" group)'],
    ['a bad API group', RbacRule.read([ApiResource.custom({ apiGroup: 'Apps', resourceType: 'deployments' })]),
      'rules[0].resources[0].apiGroup ("Apps") must be "" (the core group), "*" or an API group'],
    ['an empty resourceNames', RbacRule.read([ApiResource.PODS], { resourceNames: [] }), 'rules[0].resourceNames ([]) must be a non-empty list of object names'],
    ['a resource name twice', RbacRule.read([ApiResource.PODS], { resourceNames: ['a', 'a'] }), 'rules[0].resourceNames[1] ("a") is listed twice'],
    ['an empty resource name', RbacRule.read([ApiResource.PODS], { resourceNames: [''] }), 'rules[0].resourceNames[0] ("") must be a non-empty object name'],
    ['a path as resource name', RbacRule.read([ApiResource.PODS], { resourceNames: ['a/b'] }), 'rules[0].resourceNames[0] ("a/b") must be the name of an object'],
    ['"*" as resource name', RbacRule.read([ApiResource.PODS], { resourceNames: ['*'] }),
      'rules[0].resourceNames[0] ("*") is not a wildcard in resourceNames: it matches only an object named "*"'],
    ['create restricted by name', RbacRule.write([ApiResource.CONFIG_MAPS], { resourceNames: ['a'] }),
      'rules[0].verbs ("create") cannot be restricted by resourceNames (a create request names no existing object, so the rule would never allow it)'],
    ['deletecollection restricted by name', RbacRule.allow({ verbs: [ApiVerb.DELETE_COLLECTION], resources: [ApiResource.CONFIG_MAPS], resourceNames: ['a'] }),
      'rules[0].verbs ("deletecollection") cannot be restricted by resourceNames'],
    ['URLs in a namespaced Role', RbacRule.readUrls(['/metrics']), 'rules[0] ("readUrls") is only allowed in a ClusterRole'],
    ['a cluster-scoped resource in a Role', RbacRule.read([ApiResource.NODES]),
      'rules[0].resources[0] ("nodes") is cluster-scoped: a Role (namespaced) cannot grant it; use a ClusterRole and a ClusterRoleBinding'],
  ])('%s', (_, rule, message) => {
    expect(errorOf(() => role({ rules: [rule] }))).toContain(`shop/reader: ${message}`);
  });

  test('create or deletecollection on one object of the app cannot be restricted to it', () => {
    const chart = newChart('shop', { namespace: 'shop' });
    const cm = new kplus.ConfigMap(chart, 'cm', { metadata: { name: 'settings' } });
    expect(errorOf(() => role({ rules: [RbacRule.write([cm])] }, chart)))
      .toContain('rules[0].verbs ("create") cannot be restricted to one object');
  });

  test('an object of the app and resourceNames in one rule', () => {
    const chart = newChart('shop', { namespace: 'shop' });
    const cm = new kplus.ConfigMap(chart, 'cm', { metadata: { name: 'settings' } });
    expect(errorOf(() => role({ rules: [RbacRule.read([cm], { resourceNames: ['other'] })] }, chart)))
      .toContain('rules[0].resources[0] ("configmaps named settings") names one object, so the rule cannot also have resourceNames');
  });

  test('URLs: a path or "*", a "*" only at the end', () => {
    const chart = newChart('mon');
    expect(errorOf(() => new ClusterRole(chart, 'bad', { rules: [RbacRule.readUrls(['metrics', '/a*b', ''])] }))).toMatch(
      /rules\[0\]\.urls\[0\] \("metrics"\) must be a path starting with "\/"[\s\S]*rules\[0\]\.urls\[1\] \("\/a\*b"\)[\s\S]*rules\[0\]\.urls\[2\] \(""\) must be a non-empty URL/,
    );
    expect(errorOf(() => new ClusterRole(newChart('m'), 'none', { rules: [RbacRule.readUrls([])] })))
      .toContain('rules[0].urls ([]) must be a non-empty list of URLs');
  });

  test('a rule granted twice', () => {
    expect(errorOf(() => role({ rules: [RbacRule.read([ApiResource.CONFIG_MAPS]), RbacRule.read([ApiResource.CONFIG_MAPS])] })))
      .toContain('rules[1] ("get,list,watch on configmaps") is already granted by an earlier rule');
  });

  test('a ClusterRole may grant cluster-scoped resources', () => {
    const chart = newChart('ops', { namespace: 'ops' });
    new ClusterRole(chart, 'node-reader', { rules: [RbacRule.read([ApiResource.NODES])] });
    const cr = findObject(synth(chart), 'ClusterRole', 'node-reader');
    expect(cr.rules).toEqual([{ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] }]);
    expect(cr.metadata.namespace).toBeUndefined();
  });
});

describe('RbacRule: refused unless waived', () => {
  const WILDCARD_RESOURCE = ApiResource.custom({ apiGroup: '*', resourceType: '*' });
  test.each([
    ['a wildcard verb', RbacRule.allow({ verbs: [ApiVerb.ALL], resources: [ApiResource.CONFIG_MAPS] }), [PolicyRule.RBAC_WILDCARD]],
    ['a wildcard resource', RbacRule.allow({ verbs: [ApiVerb.LIST], resources: [ApiResource.custom({ apiGroup: 'apps', resourceType: '*' })] }), [PolicyRule.RBAC_WILDCARD]],
    ['a wildcard subresource', RbacRule.allow({ verbs: [ApiVerb.GET], resources: [ApiResource.custom({ apiGroup: 'apps', resourceType: 'deployments/*' })] }), [PolicyRule.RBAC_WILDCARD]],
    ['reading Secrets', RbacRule.read([ApiResource.SECRETS]), [PolicyRule.RBAC_SECRET_READ]],
    ['getting one Secret', RbacRule.allow({ verbs: [ApiVerb.GET], resources: [ApiResource.SECRETS], resourceNames: ['tls'] }), [PolicyRule.RBAC_SECRET_READ]],
    ['pods/exec', RbacRule.allow({ verbs: [ApiVerb.CREATE], resources: [ApiResource.custom({ apiGroup: '', resourceType: 'pods/exec' })] }), [PolicyRule.RBAC_POD_EXEC]],
    ['pods/attach (get, over websockets)', RbacRule.allow({ verbs: [ApiVerb.GET], resources: [ApiResource.custom({ apiGroup: '', resourceType: 'pods/attach' })] }), [PolicyRule.RBAC_POD_EXEC]],
    ['creating pods', RbacRule.write([ApiResource.PODS]), [PolicyRule.RBAC_POD_EXEC]],
    ['creating Deployments (which create pods)', RbacRule.write([ApiResource.DEPLOYMENTS]), [PolicyRule.RBAC_POD_EXEC]],
    ['creating Jobs (which create pods)', RbacRule.allow({ verbs: [ApiVerb.CREATE], resources: [ApiResource.JOBS, ApiResource.CRON_JOBS] }), [PolicyRule.RBAC_POD_EXEC]],
    ['ephemeral containers', RbacRule.allow({ verbs: [ApiVerb.PATCH], resources: [ApiResource.custom({ apiGroup: '', resourceType: 'pods/ephemeralcontainers' })] }), [PolicyRule.RBAC_POD_EXEC]],
    ['escalate', RbacRule.allow({ verbs: [ApiVerb.ESCALATE], resources: [ApiResource.ROLES] }), [PolicyRule.RBAC_ESCALATION]],
    ['bind', RbacRule.allow({ verbs: [ApiVerb.BIND], resources: [ApiResource.ROLES], resourceNames: ['reader'] }), [PolicyRule.RBAC_ESCALATION]],
    ['impersonate', RbacRule.allow({ verbs: [ApiVerb.IMPERSONATE], resources: [ApiResource.SERVICE_ACCOUNTS] }), [PolicyRule.RBAC_ESCALATION]],
    ['minting ServiceAccount tokens', RbacRule.allow({ verbs: [ApiVerb.CREATE], resources: [ApiResource.custom({ apiGroup: '', resourceType: 'serviceaccounts/token' })] }),
      [PolicyRule.RBAC_ESCALATION]],
    ['every verb on everything', RbacRule.allow({ verbs: [ApiVerb.ALL], resources: [WILDCARD_RESOURCE] }),
      [PolicyRule.RBAC_WILDCARD, PolicyRule.RBAC_SECRET_READ, PolicyRule.RBAC_POD_EXEC, PolicyRule.RBAC_ESCALATION]],
    // get on pods/exec runs commands over websockets (Kubernetes 1.28 authorizes the upgrade as get)
    ['reading everything', RbacRule.read([WILDCARD_RESOURCE]), [PolicyRule.RBAC_WILDCARD, PolicyRule.RBAC_SECRET_READ, PolicyRule.RBAC_POD_EXEC]],
  ])('%s: refused without its waivers, accepted and annotated with them', (_, rule, rules) => {
    // WHEN the rule comes without waivers THEN one problem per refused rule, naming the waiver
    const message = errorOf(() => role({ rules: [rule] }));
    expect(message).toContain(`cdk8s-patterns: ${rules.length} invalid value`);
    for (const r of rules) expect(message).toContain(`which policy checkers flag: grant less, or give the reason with waivers: [Waiver.of(PolicyRule.${policyRuleKey(r)}, reason)]`);
    // WHEN each is waived THEN the Role synthesises, with the waivers' annotations
    const chart = newChart('shop', { namespace: 'shop' });
    role({ rules: [rule], waivers: rules.map((r) => Waiver.of(r, `needed for ${r}`)) }, chart);
    const annotations = findObject(synth(chart), 'Role', 'reader').metadata.annotations;
    expect(annotations['patterns.cdk8s.io/policy-ignore']).toContain(`needed for ${rules[0]}`);
  });

  test.each([
    ['approving CertificateSigningRequests', RbacRule.allow({ verbs: [ApiVerb.UPDATE], resources: [ApiResource.custom({ apiGroup: 'certificates.k8s.io', resourceType: 'certificatesigningrequests/approval' })] })],
    ['approve on signers', RbacRule.allow({ verbs: [ApiVerb.APPROVE], resources: [ApiResource.custom({ apiGroup: 'certificates.k8s.io', resourceType: 'signers' })] })],
    ['sign on signers', RbacRule.allow({ verbs: [ApiVerb.SIGN], resources: [ApiResource.custom({ apiGroup: 'certificates.k8s.io', resourceType: 'signers' })] })],
    ['changing admission webhooks', RbacRule.write([ApiResource.MUTATING_WEBHOOK_CONFIGURATIONS])],
    ['nodes/proxy', RbacRule.allow({ verbs: [ApiVerb.GET], resources: [ApiResource.custom({ apiGroup: '', resourceType: 'nodes/proxy' })] })],
  ])('in a ClusterRole: %s is refused without its waiver', (_, rule) => {
    const message = errorOf(() => new ClusterRole(newChart('ops'), 'ops', { rules: [rule] }));
    expect(message).toMatch(/PolicyRule\.RBAC_(ESCALATION|POD_EXEC)/);
  });

  test('what each rendered rule allows, wildcards in every position included', () => {
    expect([...refusalsOf({ apiGroups: [''], resources: ['pods/*'], verbs: ['create'] }).keys()])
      .toEqual([PolicyRule.RBAC_WILDCARD, PolicyRule.RBAC_POD_EXEC]);
    expect([...refusalsOf({ apiGroups: [''], resources: ['*/exec'], verbs: ['get'] }).keys()])
      .toEqual([PolicyRule.RBAC_WILDCARD, PolicyRule.RBAC_POD_EXEC]);
    expect([...refusalsOf({ apiGroups: ['*'], resources: ['secrets'], verbs: ['watch'] }).keys()])
      .toEqual([PolicyRule.RBAC_WILDCARD, PolicyRule.RBAC_SECRET_READ]);
    expect([...refusalsOf({ nonResourceURLs: ['*'], verbs: ['get'] }).keys()]).toEqual([PolicyRule.RBAC_WILDCARD]);
    // pods without a subresource do not match pods/exec; reading pods is fine
    expect([...refusalsOf({ apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list', 'watch'] }).keys()]).toEqual([]);
    expect([...refusalsOf({ apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['create', 'update'] }).keys()]).toEqual([]);
    // changing or scaling workloads is not creating them
    expect([...refusalsOf({ apiGroups: ['apps'], resources: ['deployments', 'deployments/scale'], verbs: ['update', 'patch'] }).keys()]).toEqual([]);
  });

  test('a rule is cluster-scoped when it names URLs or a cluster-scoped resource', () => {
    expect(isClusterScopedRule({ nonResourceURLs: ['/metrics'], verbs: ['get'] })).toBe(true);
    expect(isClusterScopedRule({ apiGroups: [''], resources: ['configmaps', 'nodes'], verbs: ['get'] })).toBe(true);
    expect(isClusterScopedRule({ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] })).toBe(false);
  });

  test('a waiver that no rule needs is rejected at synth time, also after addRule', () => {
    // GIVEN a Role that reads ConfigMaps but waives Secret reads
    const r = role({ waivers: [Waiver.of(PolicyRule.RBAC_SECRET_READ, 'reads its TLS secret')] });
    // THEN synthesis fails: the waiver waives nothing
    expect(errorOf(() => synth(Chart.of(r)))).toContain(
      'waivers (PolicyRule.RBAC_SECRET_READ) ("reads its TLS secret") waives nothing: no rule of the role breaks it; remove it');
    // WHEN a rule that needs it is added THEN it synthesises
    r.addRule(RbacRule.allow({ verbs: [ApiVerb.GET], resources: [ApiResource.SECRETS], resourceNames: ['api-tls'] }));
    expect(rulesOf(r)).toHaveLength(2);
  });

  test('addRule checks the rule like the props, refusals included, and synth reports it', () => {
    const r = role({});
    expect(errorOf(() => r.addRule(RbacRule.read([ApiResource.SECRETS])))).toMatch(
      /shop\/reader: addRule\(rule\) \("get,list,watch on secrets"\) allows reading Secrets .*PolicyRule\.RBAC_SECRET_READ/);
    expect(errorOf(() => r.addRule(RbacRule.read([ApiResource.CONFIG_MAPS]))))
      .toMatch(/shop\/reader: addRule\(rule\) \("get,list,watch on configmaps"\) is already granted by an earlier rule/);
    expect(errorOf(() => r.addRule(null as any))).toContain('shop/reader: addRule(rule) (null) must be created with RbacRule.allow()');
    // THEN none was added, and synth lists the three refusals, each once
    expect(r.rules).toHaveLength(1);
    expect(errorOf(() => synth(Chart.of(r)))).toMatch(/^cdk8s-patterns: 3 invalid values:\n/);
  });
});

/** The key of a PolicyRule value. */
function policyRuleKey(rule: PolicyRule): string {
  return Object.entries(PolicyRule).find(([, v]) => v === rule)![0];
}

describe('RbacRule: bad JavaScript input ends in the library\'s error, never a TypeError', () => {
  test.each([
    ['verbs null', () => RbacRule.allow({ verbs: null as any, resources: [ApiResource.PODS] }), 'rules[0].verbs (null) must list at least one ApiVerb'],
    ['verbs a string', () => RbacRule.allow({ verbs: 'get' as any, resources: [ApiResource.PODS] }), 'rules[0].verbs ("get") must list at least one ApiVerb'],
    ['options null', () => RbacRule.allow(null as any), 'rules[0].verbs (undefined) must list at least one ApiVerb'],
    ['resources null', () => RbacRule.read(null as any), 'rules[0].resources (null) must list at least one resource'],
    ['resources a string', () => RbacRule.read('configmaps' as any), 'rules[0].resources ("configmaps") must list at least one resource'],
    ['a resource string', () => RbacRule.read(['configmaps' as any]), 'rules[0].resources[0] ("configmaps") must be an API resource'],
    ['a resource null', () => RbacRule.read([null as any]), 'rules[0].resources[0] (null) must be an API resource'],
    ['a resource without type', () => RbacRule.read([{ apiGroup: '' } as any]), 'rules[0].resources[0].resourceType (undefined) must be a lower-case resource'],
    ['a resource with a number group', () => RbacRule.read([{ apiGroup: 1, resourceType: 'pods' } as any]), 'rules[0].resources[0].apiGroup (1) must be'],
    ['a resource with an empty name', () => RbacRule.read([{ apiGroup: '', resourceType: 'pods', resourceName: '' } as any]),
      'rules[0].resources[0].resourceName ("") must be the name of an object, or absent'],
    ['resourceNames a string', () => RbacRule.read([ApiResource.PODS], { resourceNames: 'a' as any }), 'rules[0].resourceNames ("a") must be a non-empty list'],
    ['a resource name number', () => RbacRule.read([ApiResource.PODS], { resourceNames: [7 as any] }), 'rules[0].resourceNames[0] (7) must be a non-empty object name'],
    ['options null', () => RbacRule.read([ApiResource.PODS], null as any), undefined],
    ['urls null', () => RbacRule.readUrls(null as any), 'rules[0] ("readUrls") is only allowed in a ClusterRole'],
  ])('%s', (_, make, message) => {
    if (message === undefined) {
      expect(() => synth(Chart.of(role({ rules: [make()] })))).not.toThrow();
      return;
    }
    expect(errorOf(() => role({ rules: [make()] }))).toContain(message);
  });

  test('rules that are not RbacRules', () => {
    expect(errorOf(() => role({ rules: [{ verbs: ['get'], resources: [] } as any] })))
      .toContain('rules[0] ({"verbs":["get"],"resources":[]}) must be created with RbacRule.allow(), read(), write(), readWrite() or readUrls()');
    expect(errorOf(() => role({ rules: null as any }))).toContain('rules (null) must list at least one RbacRule: a Role without rules grants nothing');
    expect(errorOf(() => role({ rules: [] }))).toContain('rules ([]) must list at least one RbacRule');
  });

  test('a chart built without Testing still reports through PatternValidationError', () => {
    const chart = new Chart(Testing.app(), 'x');
    new Role(chart, 'r', { rules: [RbacRule.read([ApiResource.SECRETS])] });
    let err: any;
    try {
      synth(chart);
    } catch (e) {
      err = e;
    }
    expect(err?.name).toBe('PatternValidationError');
    expect(err.problems[0]).toMatchObject({ path: 'x/r', prop: 'rules[0]', value: '"get,list,watch on secrets"' });
  });
});
