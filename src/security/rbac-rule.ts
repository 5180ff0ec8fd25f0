import * as kplus from 'cdk8s-plus-28';
import { isDnsSubdomain } from '../core/names';
import { Problems, renderValue } from '../core/validation';
import { PolicyRule } from '../pod/waiver';

/**
 * A verb of an RBAC rule: what a request does to a resource.
 * @see https://kubernetes.io/docs/reference/access-authn-authz/authorization/#determine-the-request-verb
 */
export enum ApiVerb {
  /** Read one object by name (`GET /.../name`). */
  GET = 'get',
  /** Read every object of a type (`GET /...`); with `resourceNames`, only with a `metadata.name` field selector. */
  LIST = 'list',
  /** Follow changes (`GET /...?watch=true`); with `resourceNames`, only with a `metadata.name` field selector. */
  WATCH = 'watch',
  /** Create an object. Cannot be restricted by `resourceNames` (the new object's name is not known when it is authorized). */
  CREATE = 'create',
  /** Replace an object (`PUT`). */
  UPDATE = 'update',
  /** Change part of an object (`PATCH`, including server-side apply). */
  PATCH = 'patch',
  /** Delete one object. */
  DELETE = 'delete',
  /** Delete every object of a type at once. Cannot be restricted by `resourceNames`. */
  DELETE_COLLECTION = 'deletecollection',
  /** Create or update Roles with permissions the requester does not hold. Refused unless waived: `PolicyRule.RBAC_ESCALATION`. */
  ESCALATE = 'escalate',
  /** Bind Roles the requester does not hold. Refused unless waived: `PolicyRule.RBAC_ESCALATION`. */
  BIND = 'bind',
  /** Act as another user, group or ServiceAccount. Refused unless waived: `PolicyRule.RBAC_ESCALATION`. */
  IMPERSONATE = 'impersonate',
  /** Approve CertificateSigningRequests for a signer. Refused unless waived: `PolicyRule.RBAC_ESCALATION`. */
  APPROVE = 'approve',
  /** Sign CertificateSigningRequests for a signer (issue certificates). Refused unless waived: `PolicyRule.RBAC_ESCALATION`. */
  SIGN = 'sign',
  /** Use a policy object (the `use` verb of some API extensions). */
  USE = 'use',
  /** Every verb, now and in future Kubernetes versions. Refused unless waived: `PolicyRule.RBAC_WILDCARD`. */
  ALL = '*',
}

/** Options of `RbacRule.allow()`. */
export interface RbacRuleOptions {
  /**
   * What the subjects may do: at least one verb, each at most once.
   * @see https://kubernetes.io/docs/reference/access-authn-authz/authorization/#determine-the-request-verb
   */
  readonly verbs: ApiVerb[];
  /**
   * The resources the verbs apply to: `kplus.ApiResource` constants (`ApiResource.CONFIG_MAPS`),
   * `kplus.ApiResource.custom({ apiGroup, resourceType })` for subresources (`pods/log`) and custom
   * resources, or objects of the app (a `kplus.ConfigMap`), which grant that one object only.
   * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-resources
   */
  readonly resources: kplus.IApiResource[];
  /**
   * Restricts the rule to the objects of these names. `list` and `watch` then need a
   * `metadata.name` field selector; `create` and `deletecollection` cannot be restricted by name
   * (such a rule would never match them, so it is rejected).
   * @default - every object of the resources (or the objects passed as `resources`)
   * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-resources
   */
  readonly resourceNames?: string[];
}

/** Options of `RbacRule.read()`, `write()` and `readWrite()`. */
export interface RbacRuleNameOptions {
  /**
   * Restricts the rule to the objects of these names (see `RbacRuleOptions.resourceNames`).
   * @default - every object of the resources
   */
  readonly resourceNames?: string[];
}

/** The verbs of `RbacRule.read()`. */
const READ = [ApiVerb.GET, ApiVerb.LIST, ApiVerb.WATCH];
/** The verbs of `RbacRule.write()`. */
const WRITE = [ApiVerb.CREATE, ApiVerb.UPDATE, ApiVerb.PATCH, ApiVerb.DELETE];

/**
 * One permission of a `Role` or `ClusterRole`: verbs on resources (optionally on named objects
 * only), or `get` on URLs of the API server that are not resources. Least privilege is the
 * point: list what the application needs, nothing more.
 *
 * Rules that policy checkers flag are refused unless the role waives them (`Waiver.of(rule, reason)`):
 * - a wildcard (`*`) in verbs, API groups, resources or URLs: `PolicyRule.RBAC_WILDCARD`;
 * - reading Secrets (`get`, `list` or `watch` on `secrets`): `PolicyRule.RBAC_SECRET_READ`;
 * - running code in pods: `pods/exec`, `pods/attach`, `nodes/proxy`, adding ephemeral containers,
 *   or creating pods or the workloads that create them (a new pod may run any image as any
 *   ServiceAccount of the namespace and mount its Secrets): `PolicyRule.RBAC_POD_EXEC`;
 * - escalation: `escalate` or `bind`, `impersonate`, approving or signing CertificateSigningRequests,
 *   minting ServiceAccount tokens, changing admission webhooks: `PolicyRule.RBAC_ESCALATION`.
 *
 * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/
 * @see https://kubernetes.io/docs/concepts/security/rbac-good-practices/
 *
 * @example
 * RbacRule.read([ApiResource.CONFIG_MAPS]) // get, list, watch
 * RbacRule.allow({ verbs: [ApiVerb.GET, ApiVerb.UPDATE], resources: [ApiResource.LEASES], resourceNames: ['api-leader'] })
 */
export class RbacRule {
  /** Allows `verbs` on `resources`, optionally on named objects only. */
  public static allow(options: RbacRuleOptions): RbacRule {
    const o: any = options ?? {};
    return new RbacRule(o.verbs, o.resources, o.resourceNames, undefined);
  }

  /** Allows reading: `get`, `list` and `watch` on `resources`. */
  public static read(resources: kplus.IApiResource[], options: RbacRuleNameOptions = {}): RbacRule {
    return new RbacRule([...READ], resources, (options ?? {}).resourceNames, undefined);
  }

  /**
   * Allows writing: `create`, `update`, `patch` and `delete` on `resources`. For named objects use
   * `RbacRule.allow()` without `create` (it cannot be restricted by name).
   */
  public static write(resources: kplus.IApiResource[], options: RbacRuleNameOptions = {}): RbacRule {
    return new RbacRule([...WRITE], resources, (options ?? {}).resourceNames, undefined);
  }

  /** Allows reading and writing: `get`, `list`, `watch`, `create`, `update`, `patch` and `delete` on `resources`. */
  public static readWrite(resources: kplus.IApiResource[], options: RbacRuleNameOptions = {}): RbacRule {
    return new RbacRule([...READ, ...WRITE], resources, (options ?? {}).resourceNames, undefined);
  }

  /**
   * Allows `get` on URLs of the API server that are not resources, e.g. `/metrics`, `/healthz`, or
   * `/logs/*` (a trailing `*` matches a prefix, and counts as a wildcard). Only in a `ClusterRole`
   * bound by a `ClusterRoleBinding`: namespaced bindings cannot grant them.
   * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/#role-and-clusterrole
   */
  public static readUrls(urls: string[]): RbacRule {
    return new RbacRule([ApiVerb.GET], undefined, undefined, urls);
  }

  /** The verbs allowed. */
  public readonly verbs: ApiVerb[];
  /** The resources the verbs apply to (none for a rule on URLs). */
  public readonly resources?: kplus.IApiResource[];
  /** The names the rule is restricted to, if any. */
  public readonly resourceNames?: string[];
  /** The URLs that are not resources the rule applies to (`readUrls`). */
  public readonly urls?: string[];

  private constructor(verbs: ApiVerb[], resources?: kplus.IApiResource[], resourceNames?: string[], urls?: string[]) {
    this.verbs = verbs;
    this.resources = resources;
    this.resourceNames = resourceNames;
    this.urls = urls;
  }

  /**
   * Validates the rule into `problems` (under `prop`) and renders it as the Kubernetes rules it
   * stands for: one per API group, and one per resource type for objects passed as resources.
   * @internal
   */
  public _render(problems: Problems, prop: string, clusterScoped: boolean): KubeRule[] {
    const verbs = this.checkVerbs(problems, prop);
    if (this.urls !== undefined) {
      problems.check(clusterScoped, prop, 'readUrls',
        'is only allowed in a ClusterRole: URLs that are not resources are not namespaced, so a Role cannot grant them');
      const urls = this.checkStrings(problems, `${prop}.urls`, this.urls, 'URL', (u, at) => problems.check(
        u === '*' || (u.startsWith('/') && !u.slice(0, -1).includes('*') && !/\s/.test(u)), at, u,
        'must be a path starting with "/" (a "*" only at its end, as a prefix match), or "*"'));
      return urls.length > 0 ? [{ nonResourceURLs: urls, verbs }] : [];
    }
    if (!Array.isArray(this.resources) || this.resources.length === 0) {
      problems.add(`${prop}.resources`, this.resources, 'must list at least one resource, e.g. ApiResource.CONFIG_MAPS');
      return [];
    }
    let names: string[] | undefined;
    if (this.resourceNames !== undefined) {
      names = this.checkStrings(problems, `${prop}.resourceNames`, this.resourceNames, 'object name', (n, at) => {
        problems.check(!n.includes('/') && !n.includes('%') && n !== '.' && n !== '..', at, n,
          'must be the name of an object (no "/" or "%", not "." or "..")');
        problems.check(n !== '*', at, n,
          'is not a wildcard in resourceNames: it matches only an object named "*"; leave resourceNames out to allow every object');
      });
      for (const v of [ApiVerb.CREATE, ApiVerb.DELETE_COLLECTION]) {
        problems.check(!verbs.includes(v), `${prop}.verbs`, v,
          `cannot be restricted by resourceNames (a ${v} request names no existing object, so the rule would never allow it): `
          + 'put it in a rule of its own without resourceNames');
      }
    }

    // Group resources by API group; objects passed as resources by (group, type).
    const groups = new Map<string, KubeRule & { resources: string[] }>();
    const seen = new Set<string>();
    this.resources.forEach((r, i) => {
      const at = `${prop}.resources[${i}]`;
      const res = checkResource(problems, at, r, clusterScoped);
      if (res === undefined) return;
      const key = `${res.group}|${res.type}|${res.name ?? ''}`;
      if (!problems.check(!seen.has(key), at, describeResource(res), 'is listed twice in the rule')) return;
      seen.add(key);
      if (res.name !== undefined && names !== undefined) {
        problems.add(at, describeResource(res),
          'names one object, so the rule cannot also have resourceNames: pass either objects or resourceNames');
        return;
      }
      const groupKey = res.name === undefined ? `${res.group}|` : `${res.group}|${res.type}|named`;
      let rule = groups.get(groupKey);
      if (rule === undefined) {
        const ruleNames = res.name === undefined ? names : [];
        rule = { apiGroups: [res.group], resources: [], ...(ruleNames ? { resourceNames: [...ruleNames] } : {}), verbs };
        groups.set(groupKey, rule);
      }
      if (res.name === undefined) {rule.resources.push(res.type);} else {
        if (!rule.resources.includes(res.type)) rule.resources.push(res.type);
        rule.resourceNames!.push(res.name);
      }
    });
    if (this.resources.some((r) => r !== null && typeof r === 'object' && typeof r.resourceName === 'string')) {
      for (const v of [ApiVerb.CREATE, ApiVerb.DELETE_COLLECTION]) {
        problems.check(!verbs.includes(v), `${prop}.verbs`, v,
          `cannot be restricted to one object (a ${v} request names no existing object, so the rule would never allow it): `
          + 'grant it on the resource type (e.g. ApiResource.CONFIG_MAPS) in a rule of its own');
      }
    }
    return [...groups.values()];
  }

  private checkVerbs(problems: Problems, prop: string): string[] {
    const at = `${prop}.verbs`;
    if (!Array.isArray(this.verbs) || this.verbs.length === 0) {
      problems.add(at, this.verbs, 'must list at least one ApiVerb');
      return [];
    }
    const known = Object.values(ApiVerb) as string[];
    const out: string[] = [];
    this.verbs.forEach((v, i) => {
      if (!problems.check(known.includes(v), `${at}[${i}]`, v, `must be an ApiVerb (${known.join(', ')})`)) return;
      if (!problems.check(!out.includes(v), `${at}[${i}]`, v, 'is listed twice')) return;
      out.push(v);
    });
    return out;
  }

  private checkStrings(problems: Problems, prop: string, list: unknown, what: string, each: (s: string, at: string) => void): string[] {
    if (!Array.isArray(list) || list.length === 0) {
      problems.add(prop, list, `must be a non-empty list of ${what}s`);
      return [];
    }
    const out: string[] = [];
    list.forEach((s, i) => {
      const at = `${prop}[${i}]`;
      if (!problems.check(typeof s === 'string' && s.length > 0, at, s, `must be a non-empty ${what}`)) return;
      if (!problems.check(!out.includes(s), at, s, 'is listed twice')) return;
      each(s, at);
      out.push(s);
    });
    return out;
  }
}

/** A Kubernetes PolicyRule (`rbac.authorization.k8s.io/v1`), as rendered. @internal */
export interface KubeRule {
  readonly apiGroups?: string[];
  readonly resources?: string[];
  readonly resourceNames?: string[];
  readonly nonResourceURLs?: string[];
  readonly verbs: string[];
}

/** A resource, checked. */
interface CheckedResource {
  readonly group: string;
  readonly type: string;
  readonly name?: string;
}

function describeResource(r: CheckedResource): string {
  return `${r.group === '' ? '' : `${r.group}/`}${r.type}${r.name !== undefined ? ` named ${r.name}` : ''}`;
}

const RESOURCE = /^(\*|[a-z0-9]([-a-z0-9.]*[a-z0-9])?)(\/(\*|[a-z0-9]([-a-z0-9.]*[a-z0-9])?))?$/;

/**
 * The resources of the built-in API groups whose content no extension can change: a resource
 * outside these lists grants nothing (a typo, or the wrong group), so it is rejected.
 */
const KNOWN_RESOURCES: { [group: string]: string[] } = {
  '': [
    'bindings', 'componentstatuses', 'configmaps', 'endpoints', 'events', 'groups', 'limitranges', 'namespaces',
    'namespaces/finalize', 'namespaces/status', 'nodes', 'nodes/proxy', 'nodes/status', 'persistentvolumeclaims',
    'persistentvolumeclaims/status', 'persistentvolumes', 'persistentvolumes/status', 'pods', 'pods/attach', 'pods/binding',
    'pods/ephemeralcontainers', 'pods/eviction', 'pods/exec', 'pods/log', 'pods/portforward', 'pods/proxy', 'pods/status',
    'podtemplates', 'replicationcontrollers', 'replicationcontrollers/scale', 'replicationcontrollers/status', 'resourcequotas',
    'resourcequotas/status', 'secrets', 'serviceaccounts', 'serviceaccounts/token', 'services', 'services/proxy',
    'services/status', 'users',
  ],
  'apps': [
    'controllerrevisions', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status',
    'replicasets', 'replicasets/scale', 'replicasets/status', 'statefulsets', 'statefulsets/scale', 'statefulsets/status',
  ],
  'batch': ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status'],
  // Empty since Kubernetes 1.22: every resource moved to apps, networking.k8s.io or policy.
  'extensions': [],
};

/** Where each resource of cdk8s-plus-28's `ApiResource` list lives, for hints. */
const GROUP_OF = new Map<string, string>();
for (const v of Object.values(kplus.ApiResource)) {
  if (v instanceof kplus.ApiResource && !GROUP_OF.has(v.resourceType)) GROUP_OF.set(v.resourceType, v.apiGroup);
}

/** Kubernetes 1.28 resources that are not namespaced: a Role cannot grant them. */
const CLUSTER_SCOPED_RESOURCES = new Set([
  '|componentstatuses', '|nodes', '|nodes/proxy', '|nodes/status', '|persistentvolumes', '|persistentvolumes/status',
  'rbac.authorization.k8s.io|clusterroles', 'rbac.authorization.k8s.io|clusterrolebindings',
  'storage.k8s.io|storageclasses', 'storage.k8s.io|csidrivers', 'storage.k8s.io|csinodes', 'storage.k8s.io|volumeattachments',
  'scheduling.k8s.io|priorityclasses', 'node.k8s.io|runtimeclasses', 'networking.k8s.io|ingressclasses',
  'apiextensions.k8s.io|customresourcedefinitions', 'apiregistration.k8s.io|apiservices',
  'certificates.k8s.io|certificatesigningrequests', 'certificates.k8s.io|certificatesigningrequests/approval', 'certificates.k8s.io|signers',
  'admissionregistration.k8s.io|mutatingwebhookconfigurations', 'admissionregistration.k8s.io|validatingwebhookconfigurations',
  'admissionregistration.k8s.io|validatingadmissionpolicies', 'admissionregistration.k8s.io|validatingadmissionpolicybindings',
  'flowcontrol.apiserver.k8s.io|flowschemas', 'flowcontrol.apiserver.k8s.io|prioritylevelconfigurations',
  'authentication.k8s.io|tokenreviews', 'authorization.k8s.io|subjectaccessreviews',
  'authorization.k8s.io|selfsubjectaccessreviews', 'authorization.k8s.io|selfsubjectrulesreviews',
]);

/** Validates one resource of a rule; undefined when it is unusable. */
function checkResource(problems: Problems, at: string, r: kplus.IApiResource, clusterScoped: boolean): CheckedResource | undefined {
  if (r === null || typeof r !== 'object') {
    problems.add(at, r, 'must be an API resource, e.g. ApiResource.CONFIG_MAPS or ApiResource.custom({ apiGroup, resourceType })');
    return undefined;
  }
  const rawGroup = (r as any).apiGroup;
  const type = (r as any).resourceType;
  const name = (r as any).resourceName;
  const group = rawGroup === 'core' ? '' : rawGroup;
  let ok = problems.check(typeof group === 'string' && (group === '' || group === '*' || isDnsSubdomain(group)), `${at}.apiGroup`, rawGroup,
    'must be "" (the core group), "*" or an API group such as "apps" or "coordination.k8s.io"');
  ok = problems.check(typeof type === 'string' && RESOURCE.test(type), `${at}.resourceType`, type,
    'must be a lower-case resource such as "configmaps", a subresource such as "pods/log", or "*"') && ok;
  ok = problems.check(name === undefined || (typeof name === 'string' && name.length > 0 && !name.includes('/')), `${at}.resourceName`, name,
    'must be the name of an object, or absent') && ok;
  if (!ok) return undefined;
  const known = KNOWN_RESOURCES[group];
  if (known !== undefined && !type.includes('*') && !known.includes(type)) {
    const base = type.split('/')[0];
    const elsewhere = GROUP_OF.get(base);
    const hint = elsewhere !== undefined && elsewhere !== group ? ` (${base} is in the "${elsewhere}" group)` : '';
    problems.add(`${at}.resourceType`, type,
      `is not a resource of the ${group === '' ? 'core' : `"${group}"`} API group in Kubernetes 1.28${hint}: the rule would grant nothing`);
    return undefined;
  }
  if (!clusterScoped && CLUSTER_SCOPED_RESOURCES.has(`${group}|${type}`)) {
    problems.add(at, describeResource({ group, type }),
      'is cluster-scoped: a Role (namespaced) cannot grant it; use a ClusterRole and a ClusterRoleBinding');
    return undefined;
  }
  return { group, type, name: typeof name === 'string' ? name : undefined };
}

/**
 * Whether a rendered rule grants something only a ClusterRoleBinding can: URLs that are not
 * resources, or a cluster-scoped resource (a RoleBinding silently grants none of it).
 */
export function isClusterScopedRule(rule: KubeRule): boolean {
  if (rule.nonResourceURLs !== undefined) return true;
  return (rule.apiGroups ?? []).some((g) => (rule.resources ?? []).some((r) => CLUSTER_SCOPED_RESOURCES.has(`${g}|${r}`)));
}

// ---------------------------------------------------------------------------------------------
// What a rendered rule allows, for the refusals

/** Whether `rule` (a resource of an RBAC rule) matches the requested resource or subresource. */
function resourceMatches(rule: string, requested: string): boolean {
  if (rule === '*' || rule === requested) return true;
  const [rr, rs] = rule.split('/');
  const [qr, qs] = requested.split('/');
  if (rs === undefined || qs === undefined) return false;
  return (rr === qr && rs === '*') || (rr === '*' && rs === qs);
}

/** Whether `rule` allows any of `verbs` on `group`/`resource`. */
function allows(rule: KubeRule, verbs: string[], group: string, resources: string[]): boolean {
  if (rule.resources === undefined) return false;
  return verbs.some((v) => rule.verbs.includes(v) || rule.verbs.includes('*'))
    && (rule.apiGroups ?? []).some((g) => g === group || g === '*')
    && rule.resources.some((x) => resources.some((q) => resourceMatches(x, q)));
}

const ESCALATION_VERBS = [ApiVerb.ESCALATE, ApiVerb.BIND, ApiVerb.IMPERSONATE, ApiVerb.APPROVE, ApiVerb.SIGN] as string[];

/** Each refused rule a rendered rule breaks, with what it allows, in plain words. */
export function refusalsOf(rule: KubeRule): Map<PolicyRule, string> {
  const out = new Map<PolicyRule, string>();
  const all = [...rule.verbs, ...(rule.apiGroups ?? []), ...(rule.resources ?? []), ...(rule.nonResourceURLs ?? [])];
  if (all.some((s) => s.includes('*'))) {
    out.set(PolicyRule.RBAC_WILDCARD, 'uses a wildcard ("*"), which grants every current and future verb, group or resource it stands for');
  }
  if (allows(rule, ['get', 'list', 'watch'], '', ['secrets'])) {
    out.set(PolicyRule.RBAC_SECRET_READ, 'allows reading Secrets (get, list or watch on secrets)');
  }
  if (allows(rule, ['get', 'create'], '', ['pods/exec', 'pods/attach', 'nodes/proxy'])
    || allows(rule, ['update', 'patch'], '', ['pods/ephemeralcontainers'])
    || allows(rule, ['create'], '', ['pods', 'replicationcontrollers'])
    || allows(rule, ['create'], 'apps', ['deployments', 'statefulsets', 'daemonsets', 'replicasets'])
    || allows(rule, ['create'], 'batch', ['jobs', 'cronjobs'])) {
    out.set(PolicyRule.RBAC_POD_EXEC,
      'allows running commands in pods (pods/exec, pods/attach, nodes/proxy, ephemeral containers) or creating pods (or workloads, which create pods)');
  }
  if (rule.verbs.some((v) => ESCALATION_VERBS.includes(v))
    || allows(rule, ['escalate', 'bind'], 'rbac.authorization.k8s.io', ['roles', 'clusterroles'])
    || allows(rule, ['impersonate'], '', ['users', 'groups', 'serviceaccounts'])
    || allows(rule, ['impersonate'], 'authentication.k8s.io', ['uids', 'userextras/scopes'])
    || allows(rule, ['update', 'patch'], 'certificates.k8s.io', ['certificatesigningrequests/approval'])
    || allows(rule, ['approve', 'sign'], 'certificates.k8s.io', ['signers'])
    || allows(rule, ['create'], '', ['serviceaccounts/token'])
    || allows(rule, ['create', 'update', 'patch', 'delete'], 'admissionregistration.k8s.io',
      ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations'])) {
    out.set(PolicyRule.RBAC_ESCALATION,
      'allows privilege escalation (escalate or bind, impersonate, approving or signing certificates, minting ServiceAccount tokens, or changing admission webhooks)');
  }
  return out;
}

/** The name of a PolicyRule member, e.g. `RBAC_WILDCARD`. */
export function policyRuleName(rule: PolicyRule): string {
  return Object.entries(PolicyRule).find(([, v]) => v === rule)?.[0] ?? renderValue(rule);
}

/** The advice that ends a refusal. */
export function waiveAdvice(rule: PolicyRule): string {
  return `which policy checkers flag: grant less, or give the reason with waivers: [Waiver.of(PolicyRule.${policyRuleName(rule)}, reason)]`;
}
