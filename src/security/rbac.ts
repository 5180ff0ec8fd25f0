import { ApiObject, Chart, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { isClusterScopedRule, KubeRule, policyRuleName, RbacRule, refusalsOf, waiveAdvice } from './rbac-rule';
import { deferConstruction, deferProblems, registerAppChecks } from '../core/app-checks';
import { standardLabels } from '../core/labels';
import { checkDnsLabel, checkDnsSubdomain, checkLabelValue, defaultNameFromId, namePropOf } from '../core/names';
import { makeClusterScoped } from '../core/scope';
import { addSynthValidation } from '../core/synth-session';
import { Problems, renderValue } from '../core/validation';
import { POLICY_IGNORE_ANNOTATION, PolicyRule, Waiver, waiverAnnotations } from '../pod/waiver';

/** The kind of role a binding refers to. */
export enum RbacRoleKind {
  /** A namespaced `Role`: a RoleBinding in the same namespace grants it there. */
  ROLE = 'Role',
  /** A cluster-wide `ClusterRole`: a ClusterRoleBinding grants it everywhere, a RoleBinding in one namespace. */
  CLUSTER_ROLE = 'ClusterRole',
}

/**
 * The user-facing ClusterRoles every Kubernetes cluster has. Their rules are aggregated from
 * other ClusterRoles (so they grow when extensions install), and the app does not list them:
 * binding one is refused unless waived.
 * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles
 */
export enum BuiltInClusterRole {
  /** Everything, everywhere. Refused unless waived: `PolicyRule.RBAC_CLUSTER_ADMIN`. */
  CLUSTER_ADMIN = 'cluster-admin',
  /**
   * Read and write most objects of a namespace, including Roles and RoleBindings, Secrets and
   * `pods/exec`. Refused unless waived: `PolicyRule.RBAC_BUILT_IN_ROLE`.
   */
  ADMIN = 'admin',
  /**
   * Read and write most objects of a namespace (not Roles or RoleBindings), including reading
   * Secrets and `pods/exec`. Refused unless waived: `PolicyRule.RBAC_BUILT_IN_ROLE`.
   */
  EDIT = 'edit',
  /** Read most objects of a namespace (not Secrets). Refused unless waived: `PolicyRule.RBAC_BUILT_IN_ROLE`. */
  VIEW = 'view',
}

/**
 * A role that a `RoleBinding` or `ClusterRoleBinding` grants: a `Role` or `ClusterRole` of the
 * app, or a ClusterRole of the cluster through `ClusterRoleRef`.
 */
export interface IRoleReference {
  /** Whether it is a Role or a ClusterRole. */
  readonly roleKind: RbacRoleKind;
  /** Its name (`roleRef.name`). */
  readonly roleName: string;
}

/**
 * A ClusterRole that the app does not define: a built-in one, or one made by another install.
 * Its rules are not listed in the app, so a binding to it is refused unless waived.
 *
 * @example
 * new RoleBinding(chart, 'deploy-bot-edit', {
 *   role: ClusterRoleRef.builtIn(BuiltInClusterRole.EDIT),
 *   subjects: [deployBot],
 *   waivers: [Waiver.of(PolicyRule.RBAC_BUILT_IN_ROLE, 'the CD pipeline applies every kind of object of the namespace')],
 * });
 */
export class ClusterRoleRef implements IRoleReference {
  /**
   * A built-in user-facing ClusterRole (`cluster-admin`, `admin`, `edit`, `view`). A binding to it
   * needs `Waiver.of(PolicyRule.RBAC_CLUSTER_ADMIN, reason)` (cluster-admin) or
   * `Waiver.of(PolicyRule.RBAC_BUILT_IN_ROLE, reason)` (the others).
   * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles
   */
  public static builtIn(role: BuiltInClusterRole): ClusterRoleRef {
    return new ClusterRoleRef(role);
  }

  /**
   * A ClusterRole by name that the app does not define, e.g. `system:auth-delegator` or one an
   * operator's install creates. A binding to it needs `Waiver.of(PolicyRule.EXTERNAL_REFERENCE, reason)`
   * (its rules are not in the app); the names of the built-in roles count as `builtIn()`.
   * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/#default-roles-and-role-bindings
   */
  public static named(name: string): ClusterRoleRef {
    return new ClusterRoleRef(name);
  }

  /** Always `RbacRoleKind.CLUSTER_ROLE`. */
  public readonly roleKind: RbacRoleKind = RbacRoleKind.CLUSTER_ROLE;

  private constructor(
    /** The name of the ClusterRole. */
    public readonly roleName: string,
  ) {}
}

// ---------------------------------------------------------------------------------------------
// Roles

/** Props of a `Role`. */
export interface RoleProps {
  /**
   * What the role allows: at least one rule, e.g. `RbacRule.read([ApiResource.CONFIG_MAPS])`.
   * Rules that policy checkers flag (wildcards, Secret reads, `pods/exec`, escalation) are refused
   * unless `waivers` lists them.
   * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/#role-and-clusterrole
   */
  readonly rules: RbacRule[];
  /**
   * Name of the object (a DNS-1123 subdomain).
   * @default - the construct id in kebab-case (`ConfigReader` becomes `config-reader`)
   */
  readonly name?: string;
  /**
   * The application the role serves: the `app.kubernetes.io/name` and `app.kubernetes.io/instance`
   * labels, as on the application's workload.
   * @default - the name of the role
   * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/
   */
  readonly appName?: string;
  /**
   * The higher-level application this one is part of: the `app.kubernetes.io/part-of` label.
   * @default - no label
   */
  readonly partOf?: string;
  /**
   * The refused rules the role deliberately breaks, each with its reason
   * (`Waiver.of(PolicyRule.RBAC_SECRET_READ, reason)`), written as each checker's exemption
   * annotation on the role and on its bindings. A waiver that no rule needs is rejected.
   * @default - none: every refused rule fails
   */
  readonly waivers?: Waiver[];
}

/** Props of a `ClusterRole`. Rules may also be `RbacRule.readUrls()`. */
export interface ClusterRoleProps extends RoleProps {}

/** The binding of a role of this library that `grant()` creates. */
const GRANT_ID = 'Binding';

/**
 * What a Role and a ClusterRole share: their rules, waivers and labels.
 * @internal
 */
export class RoleCore {
  /** The rules, as given. */
  public readonly rules: RbacRule[] = [];
  /** The Kubernetes rules of each rule. */
  public readonly rendered: KubeRule[][] = [];
  /** The valid waivers. */
  public waivers: Waiver[] = [];
  /** The labels of the role, which its bindings take over. */
  public identity: { name: string; partOf?: string } = { name: '' };

  constructor(public readonly owner: Construct, public readonly clusterScoped: boolean) {}

  /** Checks name, labels, waivers and rules; returns the metadata. */
  public init(p: RoleProps, name: string, problems: Problems): { labels: { [k: string]: string }; annotations: { [k: string]: string } } {
    const kind = this.clusterScoped ? 'ClusterRole' : 'Role';
    const nameProp = namePropOf(p.name);
    if (problems.check(typeof name === 'string', nameProp, name, 'must be a string')) {
      checkDnsSubdomain(problems, nameProp, name);
      if (this.clusterScoped) {
        problems.check(!(Object.values(BuiltInClusterRole) as string[]).includes(name), nameProp, name,
          'is the name of a built-in ClusterRole: applying the app would overwrite it; choose another name');
      }
    }
    const appName = p.appName ?? name;
    if (p.appName === undefined) {
      problems.check(typeof name !== 'string' || name.length <= 63, nameProp, name,
        'must be at most 63 characters (it is also the value of the app.kubernetes.io/name label), or give appName');
    } else {
      checkLabelValue(problems, 'appName', p.appName);
    }
    if (p.partOf !== undefined) checkLabelValue(problems, 'partOf', p.partOf);
    this.identity = { name: appName, partOf: p.partOf };
    const annotations = waiverAnnotations(p.waivers, problems, 'waivers');
    this.waivers = validWaivers(p.waivers);
    if (!Array.isArray(p.rules) || p.rules.length === 0) {
      problems.add('rules', p.rules, `must list at least one RbacRule: a ${kind} without rules grants nothing`);
    } else {
      p.rules.forEach((r, i) => this.add(r, problems, `rules[${i}]`));
    }
    return { labels: standardLabels({ name: appName, instance: appName, partOf: p.partOf }), annotations };
  }

  /** Validates one rule, its refusals and duplicates, and keeps it if valid. */
  public add(rule: RbacRule, problems: Problems, prop: string): void {
    if (!(rule instanceof RbacRule)) {
      problems.add(prop, rule, 'must be created with RbacRule.allow(), read(), write(), readWrite() or readUrls()');
      return;
    }
    const before = problems.all.length;
    const kube = rule._render(problems, prop, this.clusterScoped);
    if (problems.all.length > before) return;
    const waived = new Set(this.waivers.map((w) => w.rule));
    const refused = new Map<PolicyRule, string>();
    for (const k of kube) for (const [r, why] of refusalsOf(k)) refused.set(r, why);
    for (const [r, why] of refused) problems.check(waived.has(r), prop, summary(kube), `${why}, ${waiveAdvice(r)}`);
    const existing = this.rendered.flat().map((k) => JSON.stringify(k));
    for (const k of kube) {
      const at = existing.indexOf(JSON.stringify(k));
      problems.check(at < 0, prop, summary([k]), 'is already granted by an earlier rule');
    }
    if (problems.all.length > before) return;
    this.rules.push(rule);
    this.rendered.push(kube);
  }

  /** The rules, as the Kubernetes API spells them. */
  public render(): KubeRule[] {
    return this.rendered.flat();
  }

  /** The rules for cdk8s-plus-28's generated serializer, which spells `nonResourceURLs` `nonResourceUrLs`. */
  public renderProps(): kplus.k8s.PolicyRule[] {
    return this.render().map(({ nonResourceURLs, ...rest }) => ({ ...rest, ...(nonResourceURLs ? { nonResourceUrLs: nonResourceURLs } : {}) }));
  }

  /** Every refused rule that the rules break. */
  public breaks(): Set<PolicyRule> {
    return new Set(this.render().flatMap((k) => [...refusalsOf(k).keys()]));
  }

  /** The synth-time check: every waiver must waive something. */
  public validate(): string[] {
    const problems = new Problems(this.owner);
    checkUnused(problems, this.waivers, this.breaks(), 'no rule of the role breaks it');
    return problems.messages();
  }
}

/** The waivers of a prop that `waiverAnnotations` accepted. */
function validWaivers(waivers: unknown): Waiver[] {
  if (!Array.isArray(waivers)) return [];
  const out: Waiver[] = [];
  for (const w of waivers) {
    if (w instanceof Waiver && Object.values(PolicyRule).includes(w.rule) && typeof w.reason === 'string'
      && w.reason.trim().length > 0 && !w.reason.includes('\n') && !out.some((v) => v.rule === w.rule)) out.push(w);
  }
  return out;
}

/**
 * Merges the annotations of `extra` (waivers whose reasons `base` already gives) into `base`: the
 * `"<ids>: <reasons>"` annotations get the extra ids, without repeating the reasons.
 */
function mergeReasoned(base: { [k: string]: string }, extra: { [k: string]: string }): { [k: string]: string } {
  const out = { ...extra, ...base };
  for (const key of ['patterns.cdk8s.io/checker-ignore', POLICY_IGNORE_ANNOTATION]) {
    const a = base[key];
    const b = extra[key];
    if (a === undefined || b === undefined) continue;
    const [idsA, reasons] = [a.slice(0, a.indexOf(': ')), a.slice(a.indexOf(': ') + 2)];
    const idsB = b.slice(0, b.indexOf(': '));
    out[key] = `${[...new Set([...idsA.split(','), ...idsB.split(',')])].join(',')}: ${reasons}`;
  }
  return out;
}

/** A waiver that waives nothing would hide the finding of a later change: each one must be needed. */
function checkUnused(problems: Problems, waivers: Waiver[], needed: Set<PolicyRule>, why: string, also?: (w: Waiver) => string | undefined): void {
  waivers.forEach((w) => {
    if (needed.has(w.rule)) return;
    const other = also?.(w);
    problems.add(`waivers (PolicyRule.${policyRuleName(w.rule)})`, w.reason,
      `waives nothing: ${other ?? why}; remove it (a waiver that waives nothing would silently cover a later change)`);
  });
}

/** The rendered rules for a message: `get,list,watch on configmaps`, `get on apps/deployments ["web"]`. */
function summary(kube: KubeRule[]): string {
  return kube.map((k) => {
    const what = k.nonResourceURLs !== undefined
      ? `URLs ${k.nonResourceURLs.join(',')}`
      : (k.apiGroups ?? []).flatMap((g) => (k.resources ?? []).map((r) => (g === '' ? r : `${g}/${r}`))).join(',');
    const names = k.resourceNames !== undefined ? ` named ${k.resourceNames.join(',')}` : '';
    return `${k.verbs.join(',')} on ${what}${names}`;
  }).join('; ');
}

/**
 * A Role (`rbac.authorization.k8s.io/v1`): permissions within one namespace (the Chart's), granted
 * to ServiceAccounts, users or groups by a `RoleBinding` (see `grant()`). List only what the
 * application needs: rules that policy checkers flag are refused unless waived (see `RbacRule`).
 *
 * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/#role-and-clusterrole
 *
 * @example
 * const reader = new Role(chart, 'config-reader', { rules: [RbacRule.read([ApiResource.CONFIG_MAPS])] });
 * reader.grant(serviceAccount);
 */
export class Role extends Construct implements IRoleReference {
  /** Always `RbacRoleKind.ROLE`. */
  public readonly roleKind: RbacRoleKind = RbacRoleKind.ROLE;
  /** Name of the Role. */
  public readonly name!: string;
  /** The namespace of the Role (the Chart's), if any. */
  public readonly namespace?: string;
  /** The Role object. */
  public readonly apiObject!: ApiObject;
  /** @internal */
  public readonly _core!: RoleCore;

  constructor(scope: Construct, id: string, props: RoleProps) {
    super(scope, id);
    try {
      const p: RoleProps = props ?? ({} as RoleProps);
      const problems = new Problems(this);
      this.name = p.name ?? defaultNameFromId(id);
      this._core = new RoleCore(this, false);
      const meta = this._core.init(p, this.name, problems);
      problems.throwIfAny();
      this.apiObject = new kplus.k8s.KubeRole(this, 'Resource', {
        metadata: { name: this.name, labels: meta.labels, annotations: meta.annotations },
        rules: Lazy.any({ produce: () => this._core.renderProps() }) as any,
      });
      this.namespace = this.apiObject.metadata.namespace;
      registerAppChecks(this);
      addSynthValidation(this, () => this._core.validate());
    } catch (e) {
      return deferConstruction(this, e);
    }
  }

  /** The name of the Role, for `roleRef`. */
  public get roleName(): string {
    return this.name;
  }

  /** The rules of the Role, in order. */
  public get rules(): RbacRule[] {
    return [...this._core.rules];
  }

  /** Adds a rule, checked as the ones of `rules` (a refused rule needs its waiver in `waivers`). */
  public addRule(rule: RbacRule): void {
    const problems = new Problems(this);
    this._core.add(rule, problems, 'addRule(rule)');
    deferProblems(this, problems);
  }

  /**
   * Grants the Role to `subjects` (e.g. a workload's ServiceAccount) through the RoleBinding of the
   * same name, created on the first call; later calls add subjects to it.
   */
  public grant(...subjects: kplus.ISubject[]): RoleBinding {
    const existing = this.node.tryFindChild(GRANT_ID);
    if (existing instanceof RoleBinding) {
      existing.addSubjects(...subjects);
      return existing;
    }
    return new RoleBinding(this, GRANT_ID, { role: this, subjects, name: this.name });
  }
}

/**
 * A ClusterRole (`rbac.authorization.k8s.io/v1`): permissions that a `ClusterRoleBinding` grants
 * in every namespace (and on cluster-scoped resources and URLs), or a `RoleBinding` in one
 * namespace. Prefer a `Role` when the application works in its own namespace. Cluster-scoped:
 * no namespace, even in a Chart that has one.
 *
 * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/#role-and-clusterrole
 *
 * @example
 * const nodeReader = new ClusterRole(chart, 'node-reader', { rules: [RbacRule.read([ApiResource.NODES])] });
 * nodeReader.grant(serviceAccount);
 */
export class ClusterRole extends Construct implements IRoleReference {
  /** Always `RbacRoleKind.CLUSTER_ROLE`. */
  public readonly roleKind: RbacRoleKind = RbacRoleKind.CLUSTER_ROLE;
  /** Name of the ClusterRole. */
  public readonly name!: string;
  /** The ClusterRole object. */
  public readonly apiObject!: ApiObject;
  /** @internal */
  public readonly _core!: RoleCore;

  constructor(scope: Construct, id: string, props: ClusterRoleProps) {
    super(scope, id);
    try {
      const p: ClusterRoleProps = props ?? ({} as ClusterRoleProps);
      const problems = new Problems(this);
      this.name = p.name ?? defaultNameFromId(id);
      this._core = new RoleCore(this, true);
      const meta = this._core.init(p, this.name, problems);
      problems.throwIfAny();
      this.apiObject = new kplus.k8s.KubeClusterRole(this, 'Resource', {
        metadata: { name: this.name, labels: meta.labels, annotations: meta.annotations },
        rules: Lazy.any({ produce: () => this._core.renderProps() }) as any,
      });
      makeClusterScoped(this.apiObject);
      registerAppChecks(this);
      addSynthValidation(this, () => this._core.validate());
    } catch (e) {
      return deferConstruction(this, e);
    }
  }

  /** The name of the ClusterRole, for `roleRef`. */
  public get roleName(): string {
    return this.name;
  }

  /** The rules of the ClusterRole, in order. */
  public get rules(): RbacRule[] {
    return [...this._core.rules];
  }

  /** Adds a rule, checked as the ones of `rules` (a refused rule needs its waiver in `waivers`). */
  public addRule(rule: RbacRule): void {
    const problems = new Problems(this);
    this._core.add(rule, problems, 'addRule(rule)');
    deferProblems(this, problems);
  }

  /**
   * Grants the ClusterRole in every namespace to `subjects` through the ClusterRoleBinding of the
   * same name, created on the first call; later calls add subjects to it. To grant it in one
   * namespace only, create a `RoleBinding` in a Chart of that namespace.
   */
  public grant(...subjects: kplus.ISubject[]): ClusterRoleBinding {
    const existing = this.node.tryFindChild(GRANT_ID);
    if (existing instanceof ClusterRoleBinding) {
      existing.addSubjects(...subjects);
      return existing;
    }
    return new ClusterRoleBinding(this, GRANT_ID, { role: this, subjects, name: this.name });
  }
}

// ---------------------------------------------------------------------------------------------
// Bindings

/** Props of a `RoleBinding`. */
export interface RoleBindingProps {
  /**
   * The role granted: a `Role` of the same namespace, a `ClusterRole` (granted in this namespace
   * only), or `ClusterRoleRef.builtIn()` / `ClusterRoleRef.named()` (refused unless waived).
   * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/#rolebinding-and-clusterrolebinding
   */
  readonly role: IRoleReference;
  /**
   * Who gets the role: at least one ServiceAccount (a workload's own; never a namespace's
   * `default`), `kplus.User` or `kplus.Group`.
   * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-subjects
   */
  readonly subjects: kplus.ISubject[];
  /**
   * Name of the object (a DNS-1123 subdomain).
   * @default - the construct id in kebab-case
   */
  readonly name?: string;
  /**
   * The application the binding serves: the `app.kubernetes.io/name` and `instance` labels.
   * @default - the role's, for a role of this library; otherwise the binding's name
   */
  readonly appName?: string;
  /**
   * The higher-level application this one is part of: the `app.kubernetes.io/part-of` label.
   * @default - the role's, for a role of this library; otherwise no label
   */
  readonly partOf?: string;
  /**
   * The refused grants the binding deliberately makes, each with its reason: a built-in
   * ClusterRole (`PolicyRule.RBAC_BUILT_IN_ROLE`), `cluster-admin` (`PolicyRule.RBAC_CLUSTER_ADMIN`),
   * a ClusterRole the app does not define (`PolicyRule.EXTERNAL_REFERENCE`). A binding to a
   * built-in ClusterRole also gets the dangling-reference exemption (`EXTERNAL_REFERENCE`) from the
   * same reason. `PolicyRule.EXTERNAL_REFERENCE` may also waive a ServiceAccount subject that is not
   * an object of the app (the checkers flag it as a dangling reference). The waivers of a role of
   * this library are written on its bindings too, without repeating them here. A waiver that waives
   * nothing is rejected.
   * @default - none: every refused grant fails
   */
  readonly waivers?: Waiver[];
}

/** Props of a `ClusterRoleBinding`: the role must be a ClusterRole. */
export interface ClusterRoleBindingProps extends RoleBindingProps {}

/** A subject as rendered. */
interface KubeSubject {
  readonly apiGroup?: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

/** Users and groups that stand for everyone (or every ServiceAccount): a grant to them is a grant to all. */
const EVERYONE: { [kind: string]: string[] } = {
  User: ['system:anonymous'],
  Group: ['system:unauthenticated', 'system:authenticated', 'system:serviceaccounts'],
};

/** What a binding knows about its role. */
interface ResolvedRole {
  readonly kind: RbacRoleKind;
  readonly name: string;
  /** The role, when it is one of this library. */
  readonly own?: Role | ClusterRole;
  /** The refused rule the reference itself breaks, and why. */
  readonly breaks?: [PolicyRule, string];
}

const BUILT_IN_RULES: { [name: string]: string } = {
  [BuiltInClusterRole.ADMIN]: 'admin grants nearly everything in a namespace, Secrets and pods/exec included',
  [BuiltInClusterRole.EDIT]: 'edit includes reading Secrets and pods/exec',
  [BuiltInClusterRole.VIEW]: 'view reads nearly everything in a namespace, and grows with every aggregated extension',
};

/** Resolves and checks the role of a binding. */
function resolveRole(role: IRoleReference, problems: Problems): ResolvedRole | undefined {
  if (role instanceof Role) return { kind: RbacRoleKind.ROLE, name: role.name, own: role };
  if (role instanceof ClusterRole) return { kind: RbacRoleKind.CLUSTER_ROLE, name: role.name, own: role };
  const r: any = role;
  if (r === null || typeof r !== 'object' || typeof r.roleName !== 'string' || !Object.values(RbacRoleKind).includes(r.roleKind)) {
    const builtIn = Object.entries(BuiltInClusterRole).find(([, v]) => v === r)?.[0];
    const hint = builtIn !== undefined ? ` (for a built-in role: ClusterRoleRef.builtIn(BuiltInClusterRole.${builtIn}))` : '';
    problems.add('role', role, `must be a Role or ClusterRole of this library, or ClusterRoleRef.builtIn() or ClusterRoleRef.named()${hint}`);
    return undefined;
  }
  const name: string = r.roleName;
  if (!problems.check(name.length > 0 && !name.includes('/') && !name.includes('%') && name !== '.' && name !== '..', 'role.roleName', name,
    'must be the name of a role (non-empty, no "/" or "%", not "." or "..")')) return undefined;
  const kind: RbacRoleKind = r.roleKind;
  if (kind === RbacRoleKind.CLUSTER_ROLE && name === BuiltInClusterRole.CLUSTER_ADMIN) {
    return { kind, name, breaks: [PolicyRule.RBAC_CLUSTER_ADMIN, 'grants cluster-admin, which allows everything'] };
  }
  if (kind === RbacRoleKind.CLUSTER_ROLE && BUILT_IN_RULES[name] !== undefined) {
    return {
      kind,
      name,
      breaks: [PolicyRule.RBAC_BUILT_IN_ROLE, `grants the built-in ClusterRole "${name}", whose rules the app does not list (${BUILT_IN_RULES[name]})`],
    };
  }
  return {
    kind,
    name,
    breaks: [PolicyRule.EXTERNAL_REFERENCE, `grants the ${kind} "${name}", which the app does not define: its rules are not listed here`],
  };
}

/** Checks one subject and renders it. */
function renderSubject(s: kplus.ISubject, problems: Problems, at: string, clusterWide: boolean): KubeSubject | undefined {
  const what = 'must be a ServiceAccount (e.g. a workload\'s serviceAccount), a kplus.User or a kplus.Group';
  if (s === null || typeof s !== 'object' || typeof (s as any).toSubjectConfiguration !== 'function') {
    problems.add(at, s, what);
    return undefined;
  }
  let c: kplus.SubjectConfiguration;
  try {
    c = s.toSubjectConfiguration();
  } catch (e: any) {
    problems.add(at, String(e?.message ?? e), what);
    return undefined;
  }
  if (c === null || typeof c !== 'object') {
    problems.add(at, c, what);
    return undefined;
  }
  const kinds = ['ServiceAccount', 'User', 'Group'];
  let ok = problems.check(kinds.includes(c.kind), `${at}.kind`, c.kind, `must be one of ${kinds.join(', ')}`);
  ok = problems.check(typeof c.name === 'string' && c.name.trim().length > 0, `${at}.name`, c.name, 'must be a non-empty name') && ok;
  if (!ok) return undefined;
  if (c.kind === 'ServiceAccount') {
    checkDnsSubdomain(problems, `${at}.name`, c.name);
    problems.check(c.name !== 'default', `${at}.name`, c.name,
      'must not be the namespace\'s default ServiceAccount: every pod that names no ServiceAccount runs as it and would get the role; '
      + 'give the workload a ServiceAccount of its own');
    if (c.namespace !== undefined) {checkDnsLabel(problems, `${at}.namespace`, c.namespace);} else {
      problems.check(!clusterWide, `${at}.namespace`, c.namespace,
        `must be set: a ClusterRoleBinding must name the namespace of ServiceAccount "${c.name}" (give its Chart a namespace)`);
    }
    return { kind: c.kind, name: c.name, ...(c.namespace !== undefined ? { namespace: c.namespace } : {}) };
  }
  problems.check(!EVERYONE[c.kind].includes(c.name), `${at}.name`, c.name,
    `stands for ${c.name === 'system:serviceaccounts' ? 'every ServiceAccount of the cluster' : 'everyone'}: the role would be granted to all; name the subjects that need it`);
  return { apiGroup: 'rbac.authorization.k8s.io', kind: c.kind, name: c.name };
}

/**
 * What a RoleBinding and a ClusterRoleBinding share.
 * @internal
 */
export class BindingCore {
  public readonly subjects: kplus.ISubject[] = [];
  public readonly rendered: KubeSubject[] = [];
  public role?: ResolvedRole;
  /** The binding's own valid waivers. */
  public waivers: Waiver[] = [];

  constructor(public readonly owner: Construct, public readonly clusterWide: boolean) {}

  /** Checks the props; returns the metadata and roleRef. */
  public init(p: RoleBindingProps, name: string, problems: Problems) {
    const nameProp = namePropOf(p.name);
    if (problems.check(typeof name === 'string', nameProp, name, 'must be a string')) checkDnsSubdomain(problems, nameProp, name);
    const role = resolveRole(p.role, problems);
    this.role = role;
    if (role !== undefined) this.checkRole(role, problems);

    const own = role?.own?._core;
    const appName = p.appName ?? own?.identity.name ?? name;
    const partOf = p.partOf ?? own?.identity.partOf;
    if (p.appName !== undefined) {checkLabelValue(problems, 'appName', p.appName);} else if (own === undefined) {
      problems.check(typeof name !== 'string' || name.length <= 63, nameProp, name,
        'must be at most 63 characters (it is also the value of the app.kubernetes.io/name label), or give appName');
    }
    if (p.partOf !== undefined) checkLabelValue(problems, 'partOf', p.partOf);

    // Waivers: the binding's own (for what the reference itself breaks), and its role's.
    waiverAnnotations(p.waivers, problems, 'waivers');
    const mine = validWaivers(p.waivers);
    this.waivers = mine;
    const inherited = (own?.waivers ?? []).filter((w) => !mine.some((m) => m.rule === w.rule));
    const extra: Waiver[] = [];
    if (role?.breaks !== undefined) {
      const [rule, why] = role.breaks;
      const waiver = mine.find((w) => w.rule === rule);
      problems.check(waiver !== undefined, 'role', `${role.kind}/${role.name}`, `${why}, ${waiveAdvice(rule)}`);
      // A built-in ClusterRole is never an object of the app: the checkers' dangling-reference rule
      // is waived for the same reason.
      if (waiver !== undefined && rule !== PolicyRule.EXTERNAL_REFERENCE && !mine.some((w) => w.rule === PolicyRule.EXTERNAL_REFERENCE)) {
        extra.push(Waiver.of(PolicyRule.EXTERNAL_REFERENCE, waiver.reason));
      }
    }
    const annotations = mergeReasoned(
      waiverAnnotations([...mine, ...inherited], new Problems(this.owner), 'waivers'),
      waiverAnnotations(extra, new Problems(this.owner), 'waivers'),
    );

    if (!Array.isArray(p.subjects) || p.subjects.length === 0) {
      problems.add('subjects', p.subjects, 'must list at least one subject: a binding without subjects grants nothing');
    } else {
      this.add(p.subjects, problems, 'subjects');
    }
    return {
      labels: standardLabels({ name: appName, instance: appName, partOf }),
      annotations,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: role?.kind ?? RbacRoleKind.ROLE, name: role?.name ?? '' },
    };
  }

  private checkRole(role: ResolvedRole, problems: Problems): void {
    const value = `${role.kind}/${role.name}`;
    if (this.clusterWide) {
      problems.check(role.kind === RbacRoleKind.CLUSTER_ROLE, 'role', value,
        'must be a ClusterRole: a ClusterRoleBinding cannot grant a Role (bind it with a RoleBinding)');
      return;
    }
    if (role.own instanceof Role) {
      const mine = Chart.of(this.owner).namespace;
      problems.check(role.own.namespace === mine, 'role', value,
        `is in namespace ${renderValue(role.own.namespace)} but the RoleBinding is in ${renderValue(mine)}: `
        + 'a RoleBinding can only grant a Role of its own namespace (bind it in the Role\'s Chart, or use a ClusterRole)');
    }
  }

  /** Checks and adds subjects. */
  public add(subjects: kplus.ISubject[], problems: Problems, prop: string): void {
    const seen = this.rendered.map((s) => JSON.stringify(s));
    const before = problems.all.length;
    const added: Array<{ s: kplus.ISubject; r: KubeSubject }> = [];
    subjects.forEach((s, i) => {
      const at = `${prop}[${i}]`;
      const r = renderSubject(s, problems, at, this.clusterWide);
      if (r === undefined) return;
      const key = JSON.stringify(r);
      if (!problems.check(!seen.includes(key), at, `${r.kind}/${r.namespace ? `${r.namespace}/` : ''}${r.name}`, 'is already a subject of the binding')) return;
      seen.push(key);
      added.push({ s, r });
    });
    if (problems.all.length > before) return; // a call with a bad subject adds none
    for (const { s, r } of added) {
      this.subjects.push(s);
      this.rendered.push(r);
    }
  }

  /**
   * The synth-time checks: a namespaced binding of a ClusterRole of this app must not rely on
   * rules only a ClusterRoleBinding can grant, and every waiver of the binding must waive
   * something: what the role reference breaks, or (`EXTERNAL_REFERENCE`) a ServiceAccount subject
   * that is not an object of the app.
   */
  public validate(): string[] {
    const problems = new Problems(this.owner);
    const role = this.role;
    const own = role?.own;
    if (!this.clusterWide && own instanceof ClusterRole) {
      own._core.render().forEach((k) => {
        if (isClusterScopedRule(k)) {
          problems.add('role', `ClusterRole/${own.name}`, `has the rule ${summary([k])}, which a RoleBinding cannot grant (URLs and cluster-scoped `
            + 'resources are not in a namespace): bind it with a ClusterRoleBinding, or move the rule to another ClusterRole');
        }
      });
    }
    const needed = new Set<PolicyRule>(role?.breaks ? [role.breaks[0]] : []);
    if (this.externalServiceAccounts().length > 0) needed.add(PolicyRule.EXTERNAL_REFERENCE);
    checkUnused(problems, this.waivers, needed,
      own !== undefined ? `the ${role!.kind} at ${own.node.path} is of this app, and its own waivers are written here too` : 'the role it binds is not refused',
      (w) => {
        if (w.rule === PolicyRule.EXTERNAL_REFERENCE) return 'every ServiceAccount subject is an object of this app, and so is the role';
        return own?._core.waivers.some((o) => o.rule === w.rule)
          ? `the ${role!.kind} at ${own.node.path} waives it already, and its waivers are written here too` : undefined;
      });
    return problems.messages();
  }

  /** The ServiceAccount subjects that are not objects of the app (made in the cluster, or by another app). */
  private externalServiceAccounts(): KubeSubject[] {
    const accounts = this.owner.node.root.node.findAll()
      .filter((c): c is ApiObject => ApiObject.isApiObject(c) && c.kind === 'ServiceAccount' && c.apiVersion === 'v1');
    const here = Chart.of(this.owner).namespace;
    return this.rendered.filter((s) => s.kind === 'ServiceAccount'
      && !accounts.some((a) => a.name === s.name && a.metadata.namespace === (s.namespace ?? here)));
  }
}

/**
 * A RoleBinding (`rbac.authorization.k8s.io/v1`): grants a Role, or a ClusterRole, to subjects
 * within one namespace (the Chart's). Binding a built-in ClusterRole (`edit`, ...) or one the app
 * does not define is refused unless waived.
 *
 * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/#rolebinding-and-clusterrolebinding
 *
 * @example
 * new RoleBinding(chart, 'deploy-bot-edit', {
 *   role: ClusterRoleRef.builtIn(BuiltInClusterRole.EDIT),
 *   subjects: [deployBot],
 *   waivers: [Waiver.of(PolicyRule.RBAC_BUILT_IN_ROLE, 'the CD pipeline applies every kind of object of the namespace')],
 * });
 */
export class RoleBinding extends Construct {
  /** Name of the RoleBinding. */
  public readonly name!: string;
  /** The role granted. */
  public readonly role!: IRoleReference;
  /** The RoleBinding object. */
  public readonly apiObject!: ApiObject;
  /** @internal */
  public readonly _core!: BindingCore;

  constructor(scope: Construct, id: string, props: RoleBindingProps) {
    super(scope, id);
    try {
      const p: RoleBindingProps = props ?? ({} as RoleBindingProps);
      const problems = new Problems(this);
      this.name = p.name ?? defaultNameFromId(id);
      this.role = p.role;
      this._core = new BindingCore(this, false);
      const meta = this._core.init(p, this.name, problems);
      problems.throwIfAny();
      this.apiObject = new kplus.k8s.KubeRoleBinding(this, 'Resource', {
        metadata: { name: this.name, labels: meta.labels, annotations: meta.annotations },
        roleRef: meta.roleRef,
        subjects: Lazy.any({ produce: () => this._core.rendered }) as any,
      });
      registerAppChecks(this);
      addSynthValidation(this, () => this._core.validate());
    } catch (e) {
      return deferConstruction(this, e);
    }
  }

  /** The subjects the role is granted to, in order. */
  public get subjects(): kplus.ISubject[] {
    return [...this._core.subjects];
  }

  /** Grants the role to more subjects, checked as the ones of `subjects`. */
  public addSubjects(...subjects: kplus.ISubject[]): void {
    const problems = new Problems(this);
    this._core.add(subjects, problems, 'addSubjects()');
    deferProblems(this, problems);
  }
}

/**
 * A ClusterRoleBinding (`rbac.authorization.k8s.io/v1`): grants a ClusterRole to subjects in every
 * namespace, and on cluster-scoped resources and URLs. Cluster-scoped: no namespace, even in a
 * Chart that has one. Binding `cluster-admin`, another built-in ClusterRole, or one the app does
 * not define is refused unless waived.
 *
 * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/#rolebinding-and-clusterrolebinding
 */
export class ClusterRoleBinding extends Construct {
  /** Name of the ClusterRoleBinding. */
  public readonly name!: string;
  /** The ClusterRole granted. */
  public readonly role!: IRoleReference;
  /** The ClusterRoleBinding object. */
  public readonly apiObject!: ApiObject;
  /** @internal */
  public readonly _core!: BindingCore;

  constructor(scope: Construct, id: string, props: ClusterRoleBindingProps) {
    super(scope, id);
    try {
      const p: ClusterRoleBindingProps = props ?? ({} as ClusterRoleBindingProps);
      const problems = new Problems(this);
      this.name = p.name ?? defaultNameFromId(id);
      this.role = p.role;
      this._core = new BindingCore(this, true);
      const meta = this._core.init(p, this.name, problems);
      problems.throwIfAny();
      this.apiObject = new kplus.k8s.KubeClusterRoleBinding(this, 'Resource', {
        metadata: { name: this.name, labels: meta.labels, annotations: meta.annotations },
        roleRef: meta.roleRef,
        subjects: Lazy.any({ produce: () => this._core.rendered }) as any,
      });
      makeClusterScoped(this.apiObject);
      registerAppChecks(this);
      addSynthValidation(this, () => this._core.validate());
    } catch (e) {
      return deferConstruction(this, e);
    }
  }

  /** The subjects the ClusterRole is granted to, in order. */
  public get subjects(): kplus.ISubject[] {
    return [...this._core.subjects];
  }

  /** Grants the ClusterRole to more subjects, checked as the ones of `subjects`. */
  public addSubjects(...subjects: kplus.ISubject[]): void {
    const problems = new Problems(this);
    this._core.add(subjects, problems, 'addSubjects()');
    deferProblems(this, problems);
  }
}

