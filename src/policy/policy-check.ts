import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { exemptionAnnotations } from './exemptions';
import { describeObject, isObject, isRecord, Manifest, namespaceOf, ObjectIndex } from './manifests';
import { PolicyCheckRule, PolicyRuleInfo, PolicySeverity, RULES, severityRank, VALID_WAIVER_INFO } from './rules';
import { deferConstruction } from '../core/app-checks';
import { addSynthValidation, installSynthSessionHooks, renderForChecks } from '../core/synth-session';
import { Problems } from '../core/validation';
import { POLICY_IGNORE_ANNOTATION, PolicyRule, Waiver, waiverAnnotations } from '../pod/waiver';

/** One rule that one object breaks: which object, which rule, what is wrong and what to change. */
export interface PolicyFinding {
  /** The rule broken. */
  readonly rule: PolicyCheckRule;
  /** How serious it is (the rule's default severity, unless overridden). */
  readonly severity: PolicySeverity;
  /**
   * The object's apiVersion.
   * @default - the finding is about a `PolicyWaiver` that names no object
   */
  readonly apiVersion?: string;
  /** The object's kind. */
  readonly kind: string;
  /** The object's name. */
  readonly name: string;
  /**
   * The object's namespace.
   * @default - the object names none
   */
  readonly namespace?: string;
  /**
   * The field at fault, e.g. `spec.template.spec.containers[0].securityContext.runAsNonRoot`.
   * @default - the object as a whole
   */
  readonly field?: string;
  /** What is wrong. */
  readonly message: string;
  /** What to change. */
  readonly fix: string;
  /** Whether a waiver (annotation or `PolicyCheckOptions.waivers`) covers the finding. */
  readonly waived: boolean;
  /**
   * Why the finding is waived.
   * @default - not waived
   */
  readonly waiverReason?: string;
  /**
   * The construct path of the object, when the check ran over an app.
   * @default - the check ran over plain manifests
   */
  readonly constructPath?: string;
}

/** The object a `PolicyWaiver` applies to, and why. */
export interface PolicyWaiverProps {
  /** The object's kind, e.g. `Deployment`. */
  readonly kind: string;
  /** The object's name (`metadata.name`). */
  readonly name: string;
  /**
   * The object's namespace.
   * @default - the object of that kind and name in any namespace
   */
  readonly namespace?: string;
  /** Why the rule does not apply: required, one line. */
  readonly reason: string;
}

/**
 * A waiver given to `PolicyCheck` itself: one object deliberately does not meet a rule, and why.
 * Given to `PolicyCheck.addTo()`, it also writes every checker's own exemption annotation onto the
 * object (`patterns.cdk8s.io/policy-ignore`, `kube-score/ignore`, `ignore-check.kube-linter.io/<check>`,
 * `polaris.fairwinds.com/<check>-exempt`, `checkov.io/skip<N>`), as the library's `Waiver`s do, so
 * that the team's scanners agree without configuration.
 *
 * @example
 * PolicyWaiver.of(PolicyCheckRule.PRIORITY_CLASS, { kind: 'Deployment', name: 'api', reason: 'the cluster has no priority classes' })
 */
export class PolicyWaiver {
  /** Waives `rule` for one object. */
  public static of(rule: PolicyCheckRule, props: PolicyWaiverProps): PolicyWaiver {
    const problems = new Problems('PolicyWaiver.of');
    problems.check(RULES.some((r) => r.rule === rule), 'rule', rule, 'must be a PolicyCheckRule other than VALID_WAIVER');
    return new PolicyWaiver([rule], props, problems);
  }

  /**
   * Waives the `PolicyCheck` rules that a workload `PolicyRule` stands for (the ones its `Waiver`
   * would write into the annotation), for one object.
   */
  public static forPolicyRule(rule: PolicyRule, props: PolicyWaiverProps): PolicyWaiver {
    const problems = new Problems('PolicyWaiver.forPolicyRule');
    let rules: PolicyCheckRule[] = [];
    if (problems.check(Object.values(PolicyRule).includes(rule), 'rule', rule, 'must be a PolicyRule')) {
      const annotation = waiverAnnotations([Waiver.of(rule, 'x')], new Problems('PolicyWaiver'), 'rule')[POLICY_IGNORE_ANNOTATION] ?? '';
      rules = annotation.split(':')[0].split(',').map((id) => id.trim()) as PolicyCheckRule[];
    }
    return new PolicyWaiver(rules, props, problems);
  }

  /** The rules waived. */
  public readonly rules: PolicyCheckRule[];
  /** The kind of the object waived. */
  public readonly kind: string;
  /** The name of the object waived. */
  public readonly name: string;
  /**
   * The namespace of the object waived.
   * @default - any namespace
   */
  public readonly namespace?: string;
  /** Why. */
  public readonly reason: string;

  private constructor(rules: PolicyCheckRule[], props: PolicyWaiverProps, problems: Problems) {
    const p = isRecord(props) ? props : ({} as PolicyWaiverProps);
    problems.check(typeof p.kind === 'string' && p.kind.length > 0, 'kind', p.kind, 'must be the kind of an object, e.g. "Deployment"');
    problems.check(typeof p.name === 'string' && p.name.length > 0, 'name', p.name, 'must be the name of an object');
    problems.check(p.namespace === undefined || (typeof p.namespace === 'string' && p.namespace.length > 0), 'namespace', p.namespace, 'must be a namespace name');
    problems.check(typeof p.reason === 'string' && p.reason.trim().length > 0 && !p.reason.includes('\n'), 'reason', p.reason,
      'must be a non-empty, single-line reason (a waiver without a reason is a finding hidden)');
    problems.throwIfAny();
    this.rules = rules;
    this.kind = p.kind;
    this.name = p.name;
    this.namespace = p.namespace;
    this.reason = p.reason.trim();
  }

  /** Whether this waiver covers `rule` on `m`. @internal */
  public _covers(m: Manifest, rule: PolicyCheckRule): boolean {
    return this.rules.includes(rule) && this._names(m.kind, m.metadata.name, namespaceOf(m));
  }

  /** Whether this waiver names the object of `kind`, `name` and `namespace` (`''` for none). @internal */
  public _names(kind: string, name: string, namespace: string): boolean {
    return kind === this.kind && name === this.name && (this.namespace === undefined || namespace === this.namespace);
  }
}

/** A rule's severity, overridden. */
export interface PolicyRuleSeverity {
  /** The rule. */
  readonly rule: PolicyCheckRule;
  /** Its severity from now on. */
  readonly severity: PolicySeverity;
}

/** What `PolicyCheck` checks and what it lets pass. */
export interface PolicyCheckOptions {
  /**
   * Objects that deliberately do not meet a rule, and why. Objects may also carry the
   * `patterns.cdk8s.io/policy-ignore` annotation (`"<rule id>[,<rule id>...]: <reason>"`).
   * @default - only the objects' own annotations
   */
  readonly waivers?: PolicyWaiver[];
  /**
   * Rules not to check at all (`VALID_WAIVER` cannot be disabled).
   * @default - every rule is checked
   */
  readonly disabledRules?: PolicyCheckRule[];
  /**
   * Severities other than the rules' defaults.
   * @default - each rule's default severity (see `PolicyCheck.rules()`)
   */
  readonly severities?: PolicyRuleSeverity[];
}

/** Options of `PolicyCheck.addTo()` and of a `PolicyCheck` construct. */
export interface PolicyCheckProps extends PolicyCheckOptions {
  /**
   * Synthesis fails if an unwaived finding has this severity or a higher one.
   * @default PolicySeverity.ERROR
   */
  readonly failAt?: PolicySeverity;
}

/** Options checked, with the effective severity of every rule. */
interface Settings {
  readonly waivers: PolicyWaiver[];
  readonly disabled: Set<PolicyCheckRule>;
  readonly severity: Map<PolicyCheckRule, PolicySeverity>;
}

/** An object to check, with its construct path when it comes from an app. */
interface Subject {
  readonly json: Manifest;
  readonly constructPath?: string;
}

/**
 * The policy check: the de-duplicated default rules of kube-score, kube-linter, Polaris, Kyverno
 * and Checkov (see `PolicyCheckRule`), over the rendered objects of any cdk8s app, whether made
 * with this library, cdk8s-plus or raw `ApiObject`s, or over plain manifests.
 *
 * Added to an app or a chart, it checks every object under it during `app.synth()` (objects in the
 * rest of the app count as references) and fails synthesis, before anything is written, with one
 * error listing every unwaived finding at or above `failAt`: the object, the rule and what to
 * change. A waiver is either the object's own `patterns.cdk8s.io/policy-ignore` annotation
 * (written by the library's `Waiver`s, with each checker's own exemption annotation) or a
 * `PolicyWaiver`, which writes the same annotations onto the objects under the scope when the check
 * is added (so add the check after the objects its waivers name); either needs a reason.
 *
 * @example
 * const app = new App();
 * const chart = new Chart(app, 'shop', { namespace: 'shop' });
 * new kplus.Deployment(chart, 'web', { metadata: { name: 'web' }, containers: [{ image: 'nginx:1.25', portNumber: 8080 }] });
 * PolicyCheck.addTo(app, { waivers: [PolicyWaiver.of(PolicyCheckRule.PRIORITY_CLASS, { kind: 'Deployment', name: 'web', reason: 'no priority classes yet' })] });
 * app.synth(); // fails, listing every finding, unless all pass
 */
export class PolicyCheck extends Construct {
  /**
   * Adds a `PolicyCheck` (construct id `PolicyCheck`) to an app or a chart: `app.synth()` then
   * fails on every unwaived finding at or above `failAt` among the objects under `scope`.
   */
  public static addTo(scope: Construct, props: PolicyCheckProps = {}): PolicyCheck {
    const existing = scope.node.tryFindChild('PolicyCheck');
    if (existing !== undefined) {
      throw new Error(`${scope.node.path || '(app)'}: already has a PolicyCheck; give one PolicyCheck every waiver and option, or add another with new PolicyCheck(scope, id, props)`);
    }
    return new PolicyCheck(scope, 'PolicyCheck', props);
  }

  /**
   * Checks plain manifests (e.g. parsed YAML, or `Chart.toJson()`), each against the others, and
   * returns every finding, waived ones included (see `PolicyFinding.waived`). The items of a `List`
   * (as `kubectl get -o yaml` writes) are checked as objects; items that are not Kubernetes objects
   * are skipped.
   */
  public static check(manifests: { [key: string]: any }[], options: PolicyCheckOptions = {}): PolicyFinding[] {
    const settings = settingsOf(options, 'PolicyCheck.check');
    const flatten = (items: unknown[]): unknown[] => items.flatMap((m) => (isRecord(m) && /List$/.test(String(m.kind)) && Array.isArray(m.items) ? flatten(m.items) : [m]));
    const objects = flatten(Array.isArray(manifests) ? manifests : []).filter(isObject);
    return run(objects.map((json) => ({ json })), new ObjectIndex(objects), settings);
  }

  /** Every rule, with its default severity and what to change, in the order of the table. */
  public static rules(): PolicyRuleInfo[] {
    return [...RULES, VALID_WAIVER_INFO].map(({ rule, row, title, defaultSeverity, change, checks }) => ({
      rule, row, title, defaultSeverity, change, checks,
    }));
  }

  /** One line for a finding: object, rule, severity, what is wrong, where, what to change. */
  public static format(finding: PolicyFinding): string {
    const object = describeObject({ kind: finding.kind, metadata: { name: finding.name, namespace: finding.namespace } });
    const where = finding.field ? ` at ${finding.field}` : '';
    const construct = finding.constructPath ? ` [${finding.constructPath}]` : '';
    const waived = finding.waived ? ` (waived: ${finding.waiverReason})` : '';
    return `${object}${construct}: ${finding.rule} (${finding.severity}): ${finding.message}${where}; fix: ${finding.fix}${waived}`;
  }

  /** Unwaived findings at or above this severity fail synthesis. */
  public readonly failAt!: PolicySeverity;
  private readonly settings!: Settings;

  constructor(scope: Construct, id: string, props: PolicyCheckProps = {}) {
    super(scope, id);
    try {
      const { failAt, settings } = checkedProps(props, this.node.path);
      this.settings = settings;
      this.failAt = failAt;
      this.writeExemptions();
      installSynthSessionHooks();
      addSynthValidation(this, () => this.findings()
        .filter((f) => !f.waived && severityRank(f.severity) >= severityRank(this.failAt))
        .map((f) => PolicyCheck.format(f)));
    } catch (e) {
      return deferConstruction(this, e);
    }
  }

  /**
   * Checks every object under this check's scope now (the rest of the app counts as references)
   * and returns every finding, waived ones included.
   */
  public findings(): PolicyFinding[] {
    const scope = this.node.scope as IConstruct;
    const rendered = new Map<ApiObject, Manifest>();
    for (const c of this.node.root.node.findAll()) {
      if (!ApiObject.isApiObject(c)) continue;
      let json: unknown;
      try {
        json = renderForChecks(c);
      } catch {
        continue; // the synthesis reports what fails to render
      }
      if (isObject(json)) rendered.set(c, json);
    }
    const subjects: Subject[] = [];
    for (const c of scope.node.findAll()) {
      const json = ApiObject.isApiObject(c) ? rendered.get(c) : undefined;
      if (json) subjects.push({ json, constructPath: c.node.path });
    }
    return [...run(subjects, new ObjectIndex([...rendered.values()]), this.settings), ...this.unwrittenWaivers(subjects)];
  }

  /** Writes every checker's exemption annotations of the waivers onto the objects they name. */
  private writeExemptions(): void {
    if (this.settings.waivers.length === 0) return;
    for (const c of (this.node.scope as IConstruct).node.findAll()) {
      if (!ApiObject.isApiObject(c)) continue;
      const waivers = this.settings.waivers.filter((w) => w._names(c.kind, c.name, c.metadata.namespace ?? ''));
      if (waivers.length === 0) continue;
      let existing: { [key: string]: string } = {};
      try {
        existing = c.metadata.toJson().annotations ?? {};
      } catch {
        // unresolvable metadata: write the annotations as they are
      }
      for (const [key, value] of Object.entries(exemptionAnnotations(waivers, existing))) c.metadata.addAnnotation(key, value);
    }
  }

  /**
   * Findings for waivers that the team's scanners cannot see: a waiver naming no object under the
   * scope, or naming an object that does not carry its annotation (added after the check).
   */
  private unwrittenWaivers(subjects: Subject[]): PolicyFinding[] {
    const out: PolicyFinding[] = [];
    const severity = this.settings.severity.get(PolicyCheckRule.VALID_WAIVER)!;
    for (const w of this.settings.waivers) {
      const named = subjects.filter((s) => w._names(s.json.kind, s.json.metadata.name, namespaceOf(s.json)));
      if (named.length === 0) {
        out.push({
          rule: PolicyCheckRule.VALID_WAIVER,
          severity,
          kind: w.kind,
          name: w.name,
          ...(w.namespace ? { namespace: w.namespace } : {}),
          message: `the waiver of ${w.rules.join(', ')} names no object under ${this.node.scope!.node.path || 'the app'}: it waives nothing`,
          fix: 'name an object the check covers (its kind, metadata.name and namespace), or remove the waiver',
          waived: false,
        });
        continue;
      }
      for (const { json, constructPath } of named) {
        const written = new Set(String(json.metadata.annotations?.[POLICY_IGNORE_ANNOTATION] ?? '').split(':')[0].split(',').map((id) => id.trim()));
        if (w.rules.every((r) => written.has(r))) continue;
        out.push({
          rule: PolicyCheckRule.VALID_WAIVER,
          severity,
          apiVersion: json.apiVersion,
          kind: json.kind,
          name: json.metadata.name,
          ...(namespaceOf(json) ? { namespace: namespaceOf(json) } : {}),
          constructPath,
          field: ANNOTATION_FIELD,
          message: `the waiver of ${w.rules.join(', ')} could not write the checkers' exemption annotations onto the object (made after the PolicyCheck?): `
            + 'other scanners still report it',
          fix: 'add the PolicyCheck after the objects its waivers name',
          waived: false,
        });
      }
    }
    return out;
  }
}

/** Checks the props of a PolicyCheck; throws one error listing every problem. */
function checkedProps(props: PolicyCheckProps, path: string): { failAt: PolicySeverity; settings: Settings } {
  const problems = new Problems(path);
  const failAt = (isRecord(props) ? props.failAt : undefined) ?? PolicySeverity.ERROR;
  problems.check(Object.values(PolicySeverity).includes(failAt), 'failAt', failAt, 'must be a PolicySeverity');
  return { failAt, settings: settingsOf(props, path, problems) };
}

/** Checks the options; throws one error listing every problem. */
function settingsOf(options: PolicyCheckOptions, where: string, problems = new Problems(where)): Settings {
  const o = isRecord(options) ? options : {};
  const waivers = o.waivers ?? [];
  const disabledRules = o.disabledRules ?? [];
  const severities = o.severities ?? [];
  const known = new Set<string>(RULES.map((r) => r.rule));
  if (problems.check(Array.isArray(waivers), 'waivers', waivers, 'must be a list of PolicyWaiver')) {
    waivers.forEach((w, i) => problems.check(w instanceof PolicyWaiver, `waivers[${i}]`, w, 'must be created with PolicyWaiver.of() or PolicyWaiver.forPolicyRule()'));
  }
  if (problems.check(Array.isArray(disabledRules), 'disabledRules', disabledRules, 'must be a list of PolicyCheckRule')) {
    disabledRules.forEach((r, i) => problems.check(known.has(r), `disabledRules[${i}]`, r, 'must be a PolicyCheckRule other than VALID_WAIVER'));
  }
  const severity = new Map<PolicyCheckRule, PolicySeverity>([...RULES, VALID_WAIVER_INFO].map((r) => [r.rule, r.defaultSeverity]));
  if (problems.check(Array.isArray(severities), 'severities', severities, 'must be a list of { rule, severity }')) {
    severities.forEach((s, i) => {
      const okRule = problems.check(known.has(s?.rule), `severities[${i}].rule`, s?.rule, 'must be a PolicyCheckRule other than VALID_WAIVER');
      const okSeverity = problems.check(Object.values(PolicySeverity).includes(s?.severity), `severities[${i}].severity`, s?.severity, 'must be a PolicySeverity');
      if (okRule && okSeverity) severity.set(s.rule, s.severity);
    });
  }
  problems.throwIfAny();
  return { waivers: waivers.filter((w) => w instanceof PolicyWaiver), disabled: new Set(disabledRules), severity };
}

/** A parsed `patterns.cdk8s.io/policy-ignore` annotation. */
interface IgnoreAnnotation {
  readonly rules: Set<string>;
  readonly reason: string;
}

const ANNOTATION_FIELD = `metadata.annotations["${POLICY_IGNORE_ANNOTATION}"]`;

/** Reads an object's waiver annotation; reports what is wrong with it. Returns what it validly waives. */
function readAnnotation(m: Manifest, report: (message: string, fix: string) => void): IgnoreAnnotation | undefined {
  const value = m.metadata?.annotations?.[POLICY_IGNORE_ANNOTATION];
  if (value === undefined) return undefined;
  const text = String(value);
  const colon = text.indexOf(':');
  const ids = (colon < 0 ? text : text.slice(0, colon)).split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const reason = colon < 0 ? '' : text.slice(colon + 1).trim();
  const known = new Set<string>(RULES.map((r) => r.rule));
  for (const id of ids.filter((x) => !known.has(x))) {
    report(`the waiver annotation names "${id}", which is not a rule`, `name rules by their ids (${RULES[0].rule}, ..., ${RULES[RULES.length - 1].rule})`);
  }
  if (ids.length === 0 || reason.length === 0) {
    report(`the waiver annotation ${JSON.stringify(text)} ${ids.length === 0 ? 'names no rule' : 'gives no reason'}, so it waives nothing`,
      'write "<rule id>[,<rule id>...]: <reason>"');
    return undefined;
  }
  return { rules: new Set(ids.filter((x) => known.has(x))), reason };
}

/** Runs every enabled rule over every subject. */
function run(subjects: Subject[], index: ObjectIndex, settings: Settings): PolicyFinding[] {
  const findings: PolicyFinding[] = [];
  for (const { json: m, constructPath } of subjects) {
    const base = {
      apiVersion: m.apiVersion,
      kind: m.kind,
      name: m.metadata.name,
      ...(namespaceOf(m) ? { namespace: namespaceOf(m) } : {}),
      ...(constructPath !== undefined ? { constructPath } : {}),
    };
    const annotation = readAnnotation(m, (message, fix) => findings.push({
      ...base,
      rule: PolicyCheckRule.VALID_WAIVER,
      severity: settings.severity.get(PolicyCheckRule.VALID_WAIVER)!,
      field: ANNOTATION_FIELD,
      message,
      fix,
      waived: false,
    }));
    for (const def of RULES) {
      if (settings.disabled.has(def.rule)) continue;
      const waiverReason = annotation?.rules.has(def.rule) ? annotation.reason : settings.waivers.find((w) => w._covers(m, def.rule))?.reason;
      def.check(m, index, (field, message, fix) => findings.push({
        ...base,
        rule: def.rule,
        severity: settings.severity.get(def.rule)!,
        ...(field ? { field } : {}),
        message,
        fix,
        waived: waiverReason !== undefined,
        ...(waiverReason !== undefined ? { waiverReason } : {}),
      }));
    }
  }
  return findings;
}
