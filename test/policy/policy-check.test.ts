/**
 * PolicyCheck's API: the pure check over manifests, the check added to an app or a chart (synth
 * fails with one error listing every finding, before anything is written), waivers of every kind,
 * options, and apps made with raw cdk8s and cdk8s-plus.
 */
import * as fs from 'fs';
import { ApiObject, App, Chart, JsonPatch, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { compliant, labels, NS } from './compliant';
import {
  NetworkPeer, PatternApp, PolicyCheck, PolicyCheckRule, PolicyRule, PolicySeverity, PolicyWaiver, StatelessService, Waiver,
} from '../../src';
import { Problems } from '../../src/core/validation';
import { waiverAnnotations } from '../../src/pod/waiver';
import { rendersDuring } from '../helpers/synth';
import { tempDir } from '../helpers/tmp';

const R = PolicyCheckRule;
const IGNORE = 'patterns.cdk8s.io/policy-ignore';

/** An app (writing into a fresh folder) whose chart holds `objects` as raw ApiObjects. */
function appOf(objects: any[], props: { patternApp?: boolean } = {}): { app: App; chart: Chart; outdir: string } {
  const outdir = tempDir('policy-app-');
  const app = props.patternApp ? new PatternApp({ outdir }) : new App({ outdir });
  const chart = new Chart(app, 'shop');
  objects.forEach((o, i) => new ApiObject(chart, `o${i}`, o));
  return { app, chart, outdir };
}

const find = (objects: any[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
const deployment = (objects: any[]) => find(objects, 'Deployment', 'api');
const rules = (findings: { rule: string; waived: boolean }[]) => [...new Set(findings.filter((f) => !f.waived).map((f) => f.rule))].sort();

describe('PolicyCheck.check(manifests)', () => {
  test('a compliant app has no finding', () => {
    expect(PolicyCheck.check(compliant())).toEqual([]);
  });

  test('skips items that are not Kubernetes objects (null, strings, lists, objects without kind or name)', () => {
    expect(PolicyCheck.check([null as any, 'x' as any, [] as any, { kind: 'ConfigMap' }, { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }, ...compliant()])).toEqual([]);
    expect(PolicyCheck.check(undefined as any)).toEqual([]);
  });

  test('checks the items of a List', () => {
    const objects = compliant();
    deployment(objects).spec.template.spec.hostIPC = true;
    expect(rules(PolicyCheck.check([{ apiVersion: 'v1', kind: 'List', items: objects }]))).toEqual([R.NO_HOST_NAMESPACES]);
  });

  test('checks every object against the others: a reference resolves only among the manifests given', () => {
    const all = compliant();
    const withoutConfig = all.filter((o) => o.kind !== 'ConfigMap');
    expect(rules(PolicyCheck.check(withoutConfig))).toEqual([R.NO_DANGLING_REFERENCE]);
  });

  test('reports waived findings too, marked waived with the reason', () => {
    const objects = compliant();
    deployment(objects).metadata.annotations = { [IGNORE]: 'priority-class: the cluster has no priority classes yet' };
    delete deployment(objects).spec.template.spec.priorityClassName;
    expect(PolicyCheck.check(objects)).toEqual([expect.objectContaining({
      rule: R.PRIORITY_CLASS,
      severity: PolicySeverity.WARNING,
      kind: 'Deployment',
      name: 'api',
      namespace: NS,
      field: 'spec.template.spec.priorityClassName',
      waived: true,
      waiverReason: 'the cluster has no priority classes yet',
    })]);
  });

  test('format(): object, rule, severity, what is wrong, where, what to change', () => {
    const objects = compliant();
    deployment(objects).spec.template.spec.hostNetwork = true;
    const [finding] = PolicyCheck.check(objects);
    expect(PolicyCheck.format(finding)).toBe('Deployment/api (namespace shop): no-host-namespaces (error): the pod shares the node\'s Network namespace '
      + '(hostNetwork: true) at spec.template.spec.hostNetwork; fix: remove hostNetwork: true');
    expect(PolicyCheck.format({ ...finding, namespace: undefined, field: undefined, waived: true, waiverReason: 'why', constructPath: 'shop/api' }))
      .toBe('Deployment/api [shop/api]: no-host-namespaces (error): the pod shares the node\'s Network namespace (hostNetwork: true); fix: remove hostNetwork: true (waived: why)');
  });

  test('rules(): the 40 rules of the table and valid-waiver, each with a default severity and what to change', () => {
    const all = PolicyCheck.rules();
    expect(all).toHaveLength(41);
    expect(all.map((r) => r.row)).toEqual([...Array.from({ length: 40 }, (_, i) => i + 1), 0]);
    expect(all[0]).toEqual({
      rule: R.RUN_AS_NON_ROOT, row: 1, title: expect.any(String), defaultSeverity: PolicySeverity.ERROR, change: expect.stringContaining('runAsNonRoot'), checks: expect.stringContaining('CKV_K8S_23'),
    });
    expect(new Set(all.map((r) => r.rule)).size).toBe(41);
    expect(Object.values(PolicyCheckRule).sort()).toEqual(all.map((r) => r.rule).sort());
  });
});

describe('waivers', () => {
  function hostNetwork(annotation?: string): any[] {
    const objects = compliant();
    deployment(objects).spec.template.spec.hostNetwork = true;
    if (annotation !== undefined) deployment(objects).metadata.annotations = { [IGNORE]: annotation };
    return objects;
  }

  test('the annotation with a reason waives the rules it names', () => {
    expect(rules(PolicyCheck.check(hostNetwork('no-host-namespaces: reports the node\'s own interfaces')))).toEqual([]);
  });

  test('the annotation may name several rules', () => {
    const objects = hostNetwork('no-host-namespaces,priority-class: a node agent');
    delete deployment(objects).spec.template.spec.priorityClassName;
    expect(rules(PolicyCheck.check(objects))).toEqual([]);
  });

  test('the annotation waives only its object', () => {
    const objects = hostNetwork('no-host-namespaces: a node agent');
    find(objects, 'StatefulSet', 'db').spec.template.spec.hostNetwork = true;
    expect(PolicyCheck.check(objects).filter((f) => !f.waived).map((f) => `${f.kind}/${f.name}`)).toEqual(['StatefulSet/db']);
  });

  test('an annotation without a reason is a finding of its own and waives nothing', () => {
    const findings = PolicyCheck.check(hostNetwork('no-host-namespaces'));
    expect(rules(findings)).toEqual([R.NO_HOST_NAMESPACES, R.VALID_WAIVER]);
    expect(findings.find((f) => f.rule === R.VALID_WAIVER)).toMatchObject({
      severity: PolicySeverity.ERROR, field: `metadata.annotations["${IGNORE}"]`, message: expect.stringContaining('gives no reason'),
    });
    expect(rules(PolicyCheck.check(hostNetwork('no-host-namespaces:  ')))).toEqual([R.NO_HOST_NAMESPACES, R.VALID_WAIVER]);
  });

  test('an annotation that names no rule is a finding', () => {
    const findings = PolicyCheck.check(hostNetwork(': a reason'));
    expect(rules(findings)).toEqual([R.NO_HOST_NAMESPACES, R.VALID_WAIVER]);
    expect(findings.find((f) => f.rule === R.VALID_WAIVER)!.message).toContain('names no rule');
  });

  test('an unknown rule id is a finding; the known ids of the annotation still waive', () => {
    const findings = PolicyCheck.check(hostNetwork('no-host-namespaces,host-network,valid-waiver: a node agent'));
    expect(findings.filter((f) => !f.waived).map((f) => [f.rule, f.message])).toEqual([
      [R.VALID_WAIVER, 'the waiver annotation names "host-network", which is not a rule'],
      [R.VALID_WAIVER, 'the waiver annotation names "valid-waiver", which is not a rule'],
    ]);
    expect(findings.find((f) => f.rule === R.NO_HOST_NAMESPACES)!.waived).toBe(true);
  });

  test('the annotations of the library\'s Waiver are honoured (PolicyRule -> policy-check ids)', () => {
    const annotations = waiverAnnotations([Waiver.of(PolicyRule.HOST_NETWORK, 'a node agent'), Waiver.of(PolicyRule.RBAC_CLUSTER_ADMIN, 'the operator')], new Problems('t'), 'waivers');
    const objects = hostNetwork();
    deployment(objects).metadata.annotations = annotations;
    expect(PolicyCheck.check(objects).map((f) => [f.rule, f.waived, f.waiverReason])).toEqual([[R.NO_HOST_NAMESPACES, true, 'a node agent; the operator']]);
  });

  test('a PolicyWaiver waives a rule for the object of that kind and name', () => {
    const waiver = PolicyWaiver.of(R.NO_HOST_NAMESPACES, { kind: 'Deployment', name: 'api', reason: 'a node agent' });
    expect(waiver).toMatchObject({ rules: [R.NO_HOST_NAMESPACES], kind: 'Deployment', name: 'api', namespace: undefined, reason: 'a node agent' });
    const findings = PolicyCheck.check(hostNetwork(), { waivers: [waiver] });
    expect(findings.map((f) => [f.rule, f.waived, f.waiverReason])).toEqual([[R.NO_HOST_NAMESPACES, true, 'a node agent']]);
  });

  test('a PolicyWaiver matches kind, name, namespace and rule exactly', () => {
    const miss = [
      PolicyWaiver.of(R.NO_HOST_NAMESPACES, { kind: 'StatefulSet', name: 'api', reason: 'r' }),
      PolicyWaiver.of(R.NO_HOST_NAMESPACES, { kind: 'Deployment', name: 'web', reason: 'r' }),
      PolicyWaiver.of(R.NO_HOST_NAMESPACES, { kind: 'Deployment', name: 'api', namespace: 'other', reason: 'r' }),
      PolicyWaiver.of(R.NO_HOST_PORT, { kind: 'Deployment', name: 'api', reason: 'r' }),
    ];
    expect(rules(PolicyCheck.check(hostNetwork(), { waivers: miss }))).toEqual([R.NO_HOST_NAMESPACES]);
    const hit = PolicyWaiver.of(R.NO_HOST_NAMESPACES, { kind: 'Deployment', name: 'api', namespace: NS, reason: 'r' });
    expect(rules(PolicyCheck.check(hostNetwork(), { waivers: [hit] }))).toEqual([]);
  });

  test('PolicyWaiver.forPolicyRule waives what the library\'s Waiver of that PolicyRule waives', () => {
    expect(PolicyWaiver.forPolicyRule(PolicyRule.HOST_PATH, { kind: 'DaemonSet', name: 'x', reason: 'r' }).rules).toEqual([R.NO_HOST_PATH]);
    expect(PolicyWaiver.forPolicyRule(PolicyRule.RBAC_SECRET_READ, { kind: 'Role', name: 'x', reason: 'r' }).rules).toEqual([R.RBAC_NO_DANGEROUS_ACCESS]);
    expect(PolicyWaiver.forPolicyRule(PolicyRule.EXTERNAL_REFERENCE, { kind: 'Deployment', name: 'x', reason: 'r' }).rules).toEqual([R.NO_DANGLING_REFERENCE]);
    const waiver = PolicyWaiver.forPolicyRule(PolicyRule.HOST_NETWORK, { kind: 'Deployment', name: 'api', reason: 'a node agent' });
    expect(rules(PolicyCheck.check(hostNetwork(), { waivers: [waiver] }))).toEqual([]);
  });

  test('every PolicyRule maps to rules of PolicyCheck', () => {
    const known = new Set<string>(Object.values(PolicyCheckRule));
    for (const rule of Object.values(PolicyRule)) {
      const waived = PolicyWaiver.forPolicyRule(rule, { kind: 'Deployment', name: 'x', reason: 'r' }).rules;
      expect(waived.length).toBeGreaterThan(0);
      for (const r of waived) expect(known.has(r)).toBe(true);
    }
  });

  test('a PolicyWaiver needs a kind, a name and a one-line reason', () => {
    expect(() => PolicyWaiver.of(R.NO_HOST_PORT, { kind: 'Deployment', name: 'api', reason: ' ' })).toThrow(/PolicyWaiver.of: reason \(" "\) must be a non-empty, single-line reason/);
    expect(() => PolicyWaiver.of(R.NO_HOST_PORT, { kind: 'Deployment', name: 'api', reason: 'a\nb' })).toThrow(/single-line/);
    expect(() => PolicyWaiver.of(R.NO_HOST_PORT, { kind: '', name: '', reason: 'r' })).toThrow(/kind \(""\) must be the kind of an object[\s\S]*name \(""\) must be the name of an object/);
    expect(() => PolicyWaiver.of(R.NO_HOST_PORT, { kind: 'Deployment', name: 'api', namespace: '', reason: 'r' })).toThrow(/namespace \(""\) must be a namespace name/);
    expect(() => PolicyWaiver.of(R.NO_HOST_PORT, undefined as any)).toThrow(/kind \(undefined\)/);
  });

  test('a PolicyWaiver names a rule of the table', () => {
    expect(() => PolicyWaiver.of('host-network' as any, { kind: 'Deployment', name: 'api', reason: 'r' })).toThrow(/rule \("host-network"\) must be a PolicyCheckRule/);
    expect(() => PolicyWaiver.of(R.VALID_WAIVER, { kind: 'Deployment', name: 'api', reason: 'r' })).toThrow(/other than VALID_WAIVER/);
    expect(() => PolicyWaiver.forPolicyRule('nope' as any, { kind: 'Deployment', name: 'api', reason: 'r' })).toThrow(/rule \("nope"\) must be a PolicyRule/);
  });
});

describe('options', () => {
  test('disabledRules are not checked', () => {
    const objects = compliant();
    deployment(objects).spec.template.spec.hostNetwork = true;
    expect(PolicyCheck.check(objects, { disabledRules: [R.NO_HOST_NAMESPACES] })).toEqual([]);
  });

  test('severities override the defaults', () => {
    const objects = compliant();
    delete deployment(objects).spec.template.spec.priorityClassName;
    const [finding] = PolicyCheck.check(objects, { severities: [{ rule: R.PRIORITY_CLASS, severity: PolicySeverity.ERROR }] });
    expect(finding.severity).toBe(PolicySeverity.ERROR);
    expect(PolicyCheck.check(objects)[0].severity).toBe(PolicySeverity.WARNING);
  });

  test('invalid options are rejected at once, all problems listed', () => {
    expect(() => PolicyCheck.check([], {
      waivers: [{ kind: 'Deployment' } as any],
      disabledRules: [R.VALID_WAIVER, 'nope' as any],
      severities: [{ rule: R.METADATA, severity: 'fatal' as any }, { rule: 'nope' as any, severity: PolicySeverity.INFO }],
    })).toThrow(/4|5 invalid values[\s\S]*waivers\[0\][\s\S]*disabledRules\[0\][\s\S]*disabledRules\[1\][\s\S]*severities\[0\].severity[\s\S]*severities\[1\].rule/);
    expect(() => PolicyCheck.check([], { waivers: 'x' as any, disabledRules: 'x' as any, severities: 'x' as any }))
      .toThrow(/waivers \("x"\) must be a list of PolicyWaiver[\s\S]*disabledRules \("x"\) must be a list[\s\S]*severities \("x"\) must be a list/);
  });
});

describe('PolicyCheck.addTo(app): synth fails on findings', () => {
  test('a compliant app synthesises, with the check in place', () => {
    const { app, outdir } = appOf(compliant());
    PolicyCheck.addTo(app);
    app.synth();
    expect(fs.readdirSync(outdir)).toEqual(['shop.k8s.yaml']);
  });

  test('one error lists every finding at or above failAt (object, rule, what to change), and nothing is written', () => {
    const objects = compliant();
    deployment(objects).spec.template.spec.hostNetwork = true;
    deployment(objects).spec.template.spec.containers[0].securityContext.privileged = true;
    delete deployment(objects).spec.template.spec.priorityClassName; // a warning: does not fail
    const { app, outdir } = appOf(objects);
    PolicyCheck.addTo(app);
    let error: Error | undefined;
    try {
      app.synth();
    } catch (e) {
      error = e as Error;
    }
    const lines = error!.message.split('\n');
    expect(lines.filter((l) => l.includes('Deployment/api'))).toEqual([
      expect.stringContaining('PolicyCheck: Deployment/api (namespace shop) [shop/o6]: not-privileged (error): container "app" is privileged '
      + 'at spec.template.spec.containers[0].securityContext.privileged; fix: set securityContext.privileged: false and add only the capabilities it needs'),
      expect.stringContaining('PolicyCheck: Deployment/api (namespace shop) [shop/o6]: no-host-namespaces (error): the pod shares the node\'s Network namespace '
      + '(hostNetwork: true) at spec.template.spec.hostNetwork; fix: remove hostNetwork: true'),
    ]);
    expect(error!.message).not.toContain('priority-class');
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  test('failAt: WARNING fails on warnings too', () => {
    const objects = compliant();
    delete deployment(objects).spec.template.spec.priorityClassName;
    const lax = appOf(objects);
    PolicyCheck.addTo(lax.app);
    expect(() => lax.app.synth()).not.toThrow();
    const strict = appOf(objects);
    PolicyCheck.addTo(strict.app, { failAt: PolicySeverity.WARNING });
    expect(() => strict.app.synth()).toThrow(/priority-class \(warning\): the pod has no priorityClassName/);
  });

  test('failAt: INFO fails on every unwaived finding', () => {
    const objects = compliant();
    delete deployment(objects).spec.template.spec.priorityClassName;
    const { app } = appOf(objects);
    PolicyCheck.addTo(app, { failAt: PolicySeverity.INFO, severities: [{ rule: R.PRIORITY_CLASS, severity: PolicySeverity.INFO }] });
    expect(() => app.synth()).toThrow(/priority-class \(info\)/);
  });

  test('waivers passed to the check let synth pass', () => {
    const objects = compliant();
    deployment(objects).spec.template.spec.hostNetwork = true;
    const { app } = appOf(objects);
    const check = PolicyCheck.addTo(app, { waivers: [PolicyWaiver.of(R.NO_HOST_NAMESPACES, { kind: 'Deployment', name: 'api', reason: 'a node agent' })] });
    expect(() => app.synth()).not.toThrow();
    expect(check.findings().map((f) => [f.rule, f.waived, f.constructPath])).toEqual([[R.NO_HOST_NAMESPACES, true, 'shop/o6']]);
  });

  test('a PolicyWaiver writes every checker\'s exemption annotation onto the object', () => {
    const objects = compliant();
    deployment(objects).spec.template.spec.hostNetwork = true;
    deployment(objects).metadata.annotations = { 'kube-score/ignore': 'container-resources', 'checkov.io/skip1': 'CKV_K8S_43=digests later' };
    const { app, chart } = appOf(objects);
    PolicyCheck.addTo(app, { waivers: [PolicyWaiver.of(R.NO_HOST_NAMESPACES, { kind: 'Deployment', name: 'api', namespace: NS, reason: 'a node agent' })] });
    const written = Testing.synth(chart).find((m) => m.kind === 'Deployment').metadata.annotations;
    expect(written).toEqual({
      'kube-score/ignore': 'container-resources',
      'checkov.io/skip1': 'CKV_K8S_43=digests later',
      [IGNORE]: 'no-host-namespaces: a node agent',
      'patterns.cdk8s.io/checker-ignore': 'PSS102: a node agent',
      'ignore-check.kube-linter.io/host-network': 'a node agent',
      'ignore-check.kube-linter.io/host-pid': 'a node agent',
      'ignore-check.kube-linter.io/host-ipc': 'a node agent',
      'polaris.fairwinds.com/hostNetworkSet-exempt': 'true',
      'polaris.fairwinds.com/hostPIDSet-exempt': 'true',
      'polaris.fairwinds.com/hostIPCSet-exempt': 'true',
      'checkov.io/skip2': 'CKV_K8S_17=a node agent',
      'checkov.io/skip3': 'CKV_K8S_18=a node agent',
      'checkov.io/skip4': 'CKV_K8S_19=a node agent',
    });
  });

  test('a PolicyWaiver of an object made after the check, or of no object, is a finding', () => {
    const objects = compliant();
    const { app, chart } = appOf(objects.filter((o) => o.kind !== 'Deployment'));
    const check = PolicyCheck.addTo(app, {
      waivers: [
        PolicyWaiver.of(R.PRIORITY_CLASS, { kind: 'Deployment', name: 'api', reason: 'later' }),
        PolicyWaiver.of(R.PRIORITY_CLASS, { kind: 'Deployment', name: 'ghost', reason: 'nothing' }),
      ],
    });
    new ApiObject(chart, 'late', deployment(objects));
    const findings = check.findings().filter((f) => f.rule === R.VALID_WAIVER);
    expect(findings.map((f) => [f.kind, f.name, f.apiVersion, f.message])).toEqual([
      ['Deployment', 'api', 'apps/v1', expect.stringContaining('could not write the checkers\' exemption annotations onto the object')],
      ['Deployment', 'ghost', undefined, 'the waiver of priority-class names no object under the app: it waives nothing'],
    ]);
    expect(() => app.synth()).toThrow(/add the PolicyCheck after the objects its waivers name/);
  });

  test('a PolicyWaiver given to a chart\'s check names objects of that chart', () => {
    const { chart } = appOf(compliant());
    const check = PolicyCheck.addTo(chart, { waivers: [PolicyWaiver.of(R.PRIORITY_CLASS, { kind: 'Deployment', name: 'web', namespace: 'x', reason: 'r' })] });
    expect(check.findings().map((f) => [f.kind, f.name, f.namespace, f.message])).toEqual([
      ['Deployment', 'web', 'x', 'the waiver of priority-class names no object under shop: it waives nothing'],
    ]);
  });

  test('an annotation without a reason fails synth', () => {
    const objects = compliant();
    deployment(objects).metadata.annotations = { [IGNORE]: 'priority-class' };
    const { app } = appOf(objects);
    PolicyCheck.addTo(app);
    expect(() => app.synthYaml()).toThrow(/valid-waiver \(error\): the waiver annotation "priority-class" gives no reason, so it waives nothing/);
  });

  test('PatternApp fails the same way, writing nothing', () => {
    const objects = compliant();
    deployment(objects).spec.template.spec.hostPID = true;
    const { app, outdir } = appOf(objects, { patternApp: true });
    PolicyCheck.addTo(app);
    expect(() => app.synth()).toThrow(/PolicyCheck\]? ?:? Deployment\/api .*no-host-namespaces/);
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  test('the check renders each object once per synth, and runs once however many charts', () => {
    const { app } = appOf(compliant());
    new Chart(app, 'second');
    new ApiObject(app.node.findChild('second') as Chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: NS, labels: labels('x') } });
    PolicyCheck.addTo(app);
    const renders = rendersDuring(() => app.synth());
    expect([...renders.values()].every((n) => n === 1)).toBe(true);
    expect(renders.size).toBe(compliant().length + 1);
  });

  test('an object that fails to render is left to the synthesis to report', () => {
    const { app, chart } = appOf(compliant());
    ApiObject.of(new ApiObject(chart, 'broken', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } })).addJsonPatch(JsonPatch.test('/kind', 'Secret'));
    const check = PolicyCheck.addTo(app);
    expect(check.findings()).toEqual([]);
    expect(() => app.synth()).toThrow(/broken/);
  });

  test('invalid props are reported, and the check is not added', () => {
    const { app } = appOf([]);
    /** The error of `build` then `app.synth()`: a PolicyCheck with invalid props may fail either. */
    const errorOfAdding = (build: () => unknown): string => {
      try {
        build();
        app.synth();
      } catch (e: any) {
        return e.message;
      }
      throw new Error('expected an error, but the check was accepted');
    };
    expect(errorOfAdding(() => PolicyCheck.addTo(app, { failAt: 'fatal' as any, disabledRules: [R.VALID_WAIVER] })))
      .toMatch(/PolicyCheck: failAt \("fatal"\) must be a PolicySeverity[\s\S]*PolicyCheck: disabledRules\[0\]/);
    expect(app.node.tryFindChild('PolicyCheck')).toBeUndefined();
    // A PolicyCheck built directly is not built, and synth reports its problems
    const chart = new Chart(app, 'c');
    new PolicyCheck(chart, 'Check', { failAt: 'fatal' as any });
    expect(chart.node.tryFindChild('Check')).toBeUndefined();
    expect(() => app.synth()).toThrow(/c\/Check: failAt \("fatal"\) must be a PolicySeverity/);
  });

  test('one PolicyCheck per scope through addTo; more with new PolicyCheck(scope, id)', () => {
    const { app } = appOf([]);
    const first = PolicyCheck.addTo(app);
    expect(first.failAt).toBe(PolicySeverity.ERROR);
    expect(() => PolicyCheck.addTo(app)).toThrow(/\(app\): already has a PolicyCheck/);
    const strict = new PolicyCheck(app, 'Strict', { failAt: PolicySeverity.WARNING });
    expect(strict.node.path).toBe('Strict');
  });
});

describe('PolicyCheck.addTo(chart)', () => {
  test('checks the chart\'s objects only, resolving references across the whole app', () => {
    // GIVEN the ServiceAccounts in a chart of their own, and a broken object in it
    const objects = compliant();
    const app = new App({ outdir: tempDir() });
    const accounts = new Chart(app, 'accounts');
    const shop = new Chart(app, 'shop');
    for (const [i, o] of objects.entries()) new ApiObject(o.kind === 'ServiceAccount' ? accounts : shop, `o${i}`, o);
    new ApiObject(accounts, 'broken', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x', namespace: NS, labels: labels('x') }, spec: { type: 'NodePort', selector: labels('api'), ports: [{ port: 80 }] } });
    // WHEN only the shop chart is checked
    const check = PolicyCheck.addTo(shop);
    // THEN the workloads find their ServiceAccounts, and the other chart's Service is not checked
    expect(check.findings()).toEqual([]);
    expect(() => app.synth()).not.toThrow();
    expect(PolicyCheck.addTo(accounts).findings().map((f) => f.rule)).toEqual([R.NO_EXPOSED_SERVICE]);
  });
});

describe('apps made with raw cdk8s-plus', () => {
  test('a cdk8s-plus Deployment with its defaults fails, naming each rule and what to change', () => {
    const app = new App({ outdir: tempDir() });
    const chart = new Chart(app, 'web', { namespace: 'web' });
    new kplus.Deployment(chart, 'web', { containers: [{ image: 'nginx:1.25', portNumber: 8080 }] }).exposeViaService();
    const check = PolicyCheck.addTo(app);
    expect(rules(check.findings().filter((f) => f.severity === PolicySeverity.ERROR))).toEqual([
      R.DEDICATED_SERVICE_ACCOUNT, R.DROP_ALL_CAPABILITIES, R.EPHEMERAL_STORAGE, R.HIGH_UID_GID,
      R.NETWORK_POLICY, R.PROBES_PRESENT, R.SECCOMP_PROFILE,
    ].sort());
    expect(() => app.synth()).toThrow(/Deployment\/web-c84dddbd \(namespace web\) \[web\/web\/Resource\]: seccomp-profile \(error\): container "main" runs without a seccomp profile .*fix: set securityContext.seccompProfile.type: RuntimeDefault/);
  });

  test('a hardened cdk8s-plus Deployment with its ServiceAccount and NetworkPolicy passes at the default severity', () => {
    const app = new App({ outdir: tempDir() });
    const chart = new Chart(app, 'web', { namespace: 'web' });
    const sa = new kplus.ServiceAccount(chart, 'sa', { automountToken: false });
    const d = new kplus.Deployment(chart, 'web', {
      serviceAccount: sa,
      securityContext: { user: 10001, group: 10001, ensureNonRoot: true },
      containers: [{
        image: 'ghcr.io/acme/web:1.4.2',
        portNumber: 8080,
        securityContext: {
          user: 10001, group: 10001, ensureNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, privileged: false,
        },
        resources: {
          cpu: { request: kplus.Cpu.millis(100) },
          memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
          ephemeralStorage: { request: Size.gibibytes(1), limit: Size.gibibytes(2) },
        },
        liveness: kplus.Probe.fromHttpGet('/livez', { port: 8080 }),
        readiness: kplus.Probe.fromHttpGet('/readyz', { port: 8080 }),
      }],
    });
    // cdk8s-plus has no field for seccomp or drop ALL: the escape hatch, as users do.
    ApiObject.of(d).addJsonPatch(
      JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }),
      JsonPatch.add('/spec/template/spec/containers/0/securityContext/capabilities', { drop: ['ALL'] }),
    );
    d.exposeViaService();
    new kplus.NetworkPolicy(chart, 'deny', {
      selector: d,
      ingress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
      egress: { default: kplus.NetworkPolicyTrafficDefault.DENY, rules: [{ peer: kplus.NetworkPolicyIpBlock.anyIpv4(chart, 'any'), ports: [kplus.NetworkPolicyPort.udp(53), kplus.NetworkPolicyPort.tcp(53)] }] },
    });
    const check = PolicyCheck.addTo(app);
    expect(check.findings().filter((f) => f.severity === PolicySeverity.ERROR).map(PolicyCheck.format)).toEqual([]);
    expect(() => app.synth()).not.toThrow();
  });

  test('over Testing.synth() output, as over parsed YAML', () => {
    const chart = new Chart(Testing.app(), 'web', { namespace: 'web' });
    new kplus.Deployment(chart, 'web', { containers: [{ image: 'nginx', portNumber: 8080 }] });
    const findings = PolicyCheck.check(Testing.synth(chart));
    expect(findings.find((f) => f.rule === R.IMAGE_TAG_PINNED)).toMatchObject({ kind: 'Deployment', field: 'spec.template.spec.containers[0].image', message: expect.stringContaining('without a tag') });
  });
});

describe('apps made with this library', () => {
  test('a StatelessService passes at the default severity, but for the rules still being changed', () => {
    const app = new App({ outdir: tempDir() });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new StatelessService(chart, 'api', {
      image: 'ghcr.io/acme/api:1.4.2', port: 8080, replicas: 3, network: { allowFrom: [{ peer: NetworkPeer.namespace('ingress-nginx') }] },
    });
    const check = PolicyCheck.addTo(app, { disabledRules: [R.PROBES_SANE] });
    expect(check.findings().filter((f) => !f.waived && f.severity === PolicySeverity.ERROR).map(PolicyCheck.format)).toEqual([]);
    expect(() => app.synth()).not.toThrow();
  });
});
