import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { admitController, checkBackendPortsAtSynth, checkController, ResolvedBackend, ServiceBackend } from './ingress';
import { deferConstruction, registerAppChecks } from '../core/app-checks';
import { KNOWN_PROPS } from '../core/known-props';
import { MANAGED_LABELS, standardLabels } from '../core/labels';
import { checkDnsLabel, checkDnsSubdomain, checkLabels, checkLabelValue, defaultNameFromId, namePropOf } from '../core/names';
import { checkKnownKeys, isInt, Problems } from '../core/validation';
import { GatewayReference } from '../foundational/deployment-strategy';
import { NetworkPeer } from '../pod/network';

/** How an HTTPRoute path matches. */
export enum HttpPathMatch {
  /** The path and everything below it, by path element. */
  PATH_PREFIX = 'PathPrefix',
  /** Exactly this path. */
  EXACT = 'Exact',
  /** A regular expression (support depends on the Gateway implementation). */
  REGULAR_EXPRESSION = 'RegularExpression',
}

/** A request header a rule requires (exact match). */
export interface HttpHeaderMatch {
  /** Header name, e.g. `x-canary`. */
  readonly name: string;
  /** Exact value. */
  readonly value: string;
}

/** A backend of an HTTPRoute rule, with its share of the traffic. */
export interface HttpRouteBackend {
  /** The Service and port. */
  readonly backend: ServiceBackend;
  /**
   * Relative weight among the rule's backends (0 sends nothing).
   * @default 1
   */
  readonly weight?: number;
}

/** One rule of an HTTPRoute: the requests it matches and where they go. */
export interface HttpRouteRule {
  /**
   * Path to match.
   * @default '/'
   */
  readonly path?: string;
  /**
   * How the path matches.
   * @default HttpPathMatch.PATH_PREFIX
   */
  readonly pathMatch?: HttpPathMatch;
  /**
   * Headers the request must carry (all of them).
   * @default - none
   */
  readonly headers?: HttpHeaderMatch[];
  /** Where matching requests go, split by weight. */
  readonly backends: HttpRouteBackend[];
}

/** Props of an `HttpRoute`. */
export interface HttpRouteProps {
  /**
   * Name of the route.
   * @default - the construct id in kebab-case
   */
  readonly name?: string;
  /** The Gateway the route attaches to. */
  readonly gateway: GatewayReference;
  /**
   * Host names the route matches.
   * @default - every host name of the Gateway's listener
   */
  readonly hostnames?: string[];
  /** The rules, in order of precedence as the Gateway API defines it (most specific first). */
  readonly rules: HttpRouteRule[];
  /**
   * Extra labels.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * Where the Gateway's data plane (the proxies that forward the requests) runs, e.g.
   * `NetworkPeer.namespace('gateway-system')`: the NetworkPolicy of every backend workload admits
   * it on the backend's port.
   * @default - no rule: each backend workload must admit the Gateway itself (`network.allowFrom`)
   */
  readonly controller?: NetworkPeer;
}

const HEADER = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/;

/** The characters the Gateway API allows in an Exact or PathPrefix path. */
const PATH_CHARS = /^[-A-Za-z0-9/._~!$&'()*+,;=:@%]*$/;

/** Checks a route path as the Gateway API v1 CRD does (Exact and PathPrefix; a regular expression only for length). */
function checkRoutePath(problems: Problems, prop: string, path: unknown, type: HttpPathMatch): void {
  if (!problems.check(typeof path === 'string' && path.length <= 1024, prop, path, 'must be a string of at most 1024 characters')) return;
  const p = path as string;
  if (type === HttpPathMatch.REGULAR_EXPRESSION) return;
  if (!problems.check(p.startsWith('/'), prop, p, 'must start with "/"')) return;
  const bad = !PATH_CHARS.test(p) || ['//', '/./', '/../', '%2f', '%2F'].some((x) => p.includes(x)) || p.endsWith('/.') || p.endsWith('/..');
  problems.check(!bad, prop, p, 'must not contain "//", "/./", "/../", "%2f", "#" or spaces, nor end in "/." or "/.." (the Gateway API rejects them)');
}

/**
 * A Gateway API HTTPRoute (gateway.networking.k8s.io/v1): L7 routing from a Gateway to the Services
 * of workloads by host, path and header, with weighted backends. The successor of Ingress; needs the
 * Gateway API CRDs and a Gateway in the cluster. Backend ports are checked against the Services at synth.
 * @see https://gateway-api.sigs.k8s.io/api-types/httproute/
 */
export class HttpRoute extends Construct {
  /** Name of the route. */
  public readonly name!: string;
  /** The HTTPRoute object. */
  public readonly apiObject!: ApiObject;

  constructor(scope: Construct, id: string, props: HttpRouteProps) {
    super(scope, id);
    try {
      const p = props ?? ({} as HttpRouteProps);
      const problems = new Problems(this);
      checkKnownKeys(problems, '', props, KNOWN_PROPS.HttpRouteProps, 'HttpRouteProps');
      this.name = p.name ?? defaultNameFromId(id);
      checkDnsSubdomain(problems, namePropOf(p.name), this.name);
      checkLabelValue(problems, namePropOf(p.name), this.name); // also the value of its instance label
      checkLabels(problems, 'labels', p.labels);
      for (const k of Object.keys(p.labels ?? {})) problems.check(!MANAGED_LABELS.includes(k), 'labels key', k, 'must not override a label this library manages');
      const g = p.gateway;
      if (problems.check(g !== undefined && g !== null && typeof g === 'object', 'gateway', g, 'is required: { name, namespace, sectionName }')) {
        checkDnsSubdomain(problems, 'gateway.name', g.name);
        if (g.namespace !== undefined) checkDnsLabel(problems, 'gateway.namespace', g.namespace);
        if (g.sectionName !== undefined) checkDnsLabel(problems, 'gateway.sectionName', g.sectionName);
      }
      if (p.hostnames !== undefined && !Array.isArray(p.hostnames)) problems.add('hostnames', p.hostnames, 'must be a list of host names');
      const hostnames = Array.isArray(p.hostnames) ? p.hostnames : [];
      problems.check(hostnames.length <= 16, 'hostnames', `${hostnames.length} host names`, 'must be at most 16 (the Gateway API limit)');
      hostnames.forEach((h, i) => problems.check(typeof h === 'string' && h.length <= 253
        && /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(h),
      `hostnames[${i}]`, h, 'must be a DNS name of at most 253 characters, optionally starting with "*."'));
      const rules = Array.isArray(p.rules) ? p.rules : [];
      problems.check(rules.length > 0 && rules.length <= 16, 'rules', Array.isArray(p.rules) ? `${rules.length} rules` : p.rules,
        'must be a list of 1 to 16 { path, pathMatch, headers, backends } (the Gateway API limit)');
      const backends: ResolvedBackend[] = [];
      const rendered = rules.map((r, i) => {
        const at = `rules[${i}]`;
        const path = r?.path ?? '/';
        const type = r?.pathMatch ?? HttpPathMatch.PATH_PREFIX;
        problems.check(Object.values(HttpPathMatch).includes(type), `${at}.pathMatch`, type, 'must be an HttpPathMatch');
        checkRoutePath(problems, `${at}.path`, path, type);
        if (r?.headers !== undefined && !Array.isArray(r.headers)) problems.add(`${at}.headers`, r.headers, 'must be a list of { name, value }');
        const headers = Array.isArray(r?.headers) ? r.headers : [];
        const headerNames = new Set<string>();
        headers.forEach((h, j) => {
          const ok = problems.check(typeof h?.name === 'string' && HEADER.test(h.name) && h.name.length <= 256, `${at}.headers[${j}].name`, h?.name,
            'must be an HTTP header name of at most 256 characters');
          problems.check(typeof h?.value === 'string' && h.value.length >= 1 && h.value.length <= 4096, `${at}.headers[${j}].value`, h?.value,
            'must be a string of 1 to 4096 characters');
          if (ok) {
            problems.check(!headerNames.has(h.name.toLowerCase()), `${at}.headers[${j}].name`, h.name, 'is matched twice in this rule');
            headerNames.add(h.name.toLowerCase());
          }
        });
        const list = Array.isArray(r?.backends) ? r.backends : [];
        problems.check(list.length > 0 && list.length <= 16, `${at}.backends`, r?.backends, 'must be a list of 1 to 16 { backend, weight }');
        const refs = list.flatMap((b, j) => {
          const bat = `${at}.backends[${j}]`;
          if (b?.weight !== undefined) problems.check(isInt(b.weight) && b.weight >= 0 && b.weight <= 1000000, `${bat}.weight`, b.weight, 'must be an integer from 0 to 1000000');
          if (!(b?.backend instanceof ServiceBackend)) {
            problems.add(`${bat}.backend`, b?.backend, 'must be created with ServiceBackend.workload() or service()');
            return [];
          }
          const resolved = b.backend._resolve(problems, `${bat}.backend`, this);
          if (!resolved) return [];
          backends.push({ prop: `${bat}.backend`, resolved });
          return [{
            group: '',
            kind: 'Service',
            name: resolved.name,
            port: resolved.port,
            ...(b.weight !== undefined ? { weight: b.weight } : {}),
          }];
        });
        return {
          matches: [{
            path: { type, value: path },
            ...(headers.length ? { headers: headers.map((h) => ({ type: 'Exact', name: h?.name, value: h?.value })) } : {}),
          }],
          backendRefs: refs,
        };
      });
      checkController(p.controller, problems);
      if (problems.isEmpty) admitController(p.controller, backends, problems);
      problems.throwIfAny();

      this.apiObject = new ApiObject(this, 'Resource', {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name: this.name, labels: { ...(p.labels ?? {}), ...standardLabels({ name: this.name, instance: this.name }) } },
        spec: {
          parentRefs: [{
            group: 'gateway.networking.k8s.io',
            kind: 'Gateway',
            name: g.name,
            ...(g.namespace ? { namespace: g.namespace } : {}),
            ...(g.sectionName ? { sectionName: g.sectionName } : {}),
          }],
          ...(p.hostnames?.length ? { hostnames: [...p.hostnames] } : {}),
          rules: rendered,
        },
      });
      registerAppChecks(this);
      checkBackendPortsAtSynth(this, backends);
    } catch (e) {
      return deferConstruction(this, e);
    }
  }
}
