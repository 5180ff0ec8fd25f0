import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { checkBackendPortsAtSynth, ResolvedBackend, ServiceBackend } from './ingress';
import { registerAppChecks } from '../core/app-checks';
import { MANAGED_LABELS, standardLabels } from '../core/labels';
import { checkDnsSubdomain, checkLabels, defaultNameFromId, namePropOf } from '../core/names';
import { isInt, Problems } from '../core/validation';
import { GatewayReference } from '../foundational/deployment-strategy';

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
}

const HEADER = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/;

/**
 * A Gateway API HTTPRoute (gateway.networking.k8s.io/v1): L7 routing from a Gateway to the Services
 * of workloads by host, path and header, with weighted backends. The successor of Ingress; needs the
 * Gateway API CRDs and a Gateway in the cluster. Backend ports are checked against the Services at synth.
 * @see https://gateway-api.sigs.k8s.io/api-types/httproute/
 */
export class HttpRoute extends Construct {
  /** Name of the route. */
  public readonly name: string;
  /** The HTTPRoute object. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: HttpRouteProps) {
    super(scope, id);
    const p = props ?? ({} as HttpRouteProps);
    const problems = new Problems(this);
    this.name = p.name ?? defaultNameFromId(id);
    checkDnsSubdomain(problems, namePropOf(p.name), this.name);
    checkLabels(problems, 'labels', p.labels);
    for (const k of Object.keys(p.labels ?? {})) problems.check(!MANAGED_LABELS.includes(k), 'labels key', k, 'must not override a label this library manages');
    const g = p.gateway;
    if (problems.check(g !== undefined && g !== null && typeof g === 'object', 'gateway', g, 'is required: { name, namespace, sectionName }')) {
      checkDnsSubdomain(problems, 'gateway.name', g.name);
      if (g.namespace !== undefined) checkDnsSubdomain(problems, 'gateway.namespace', g.namespace);
    }
    (p.hostnames ?? []).forEach((h, i) => problems.check(typeof h === 'string' && /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(h),
      `hostnames[${i}]`, h, 'must be a DNS name, optionally starting with "*."'));
    const rules = Array.isArray(p.rules) ? p.rules : [];
    problems.check(rules.length > 0, 'rules', p.rules, 'must be a non-empty list of { path, pathMatch, headers, backends }');
    const backends: ResolvedBackend[] = [];
    const rendered = rules.map((r, i) => {
      const at = `rules[${i}]`;
      const path = r?.path ?? '/';
      problems.check(typeof path === 'string' && path.startsWith('/'), `${at}.path`, path, 'must start with "/"');
      const type = r?.pathMatch ?? HttpPathMatch.PATH_PREFIX;
      problems.check(Object.values(HttpPathMatch).includes(type), `${at}.pathMatch`, type, 'must be an HttpPathMatch');
      (r?.headers ?? []).forEach((h, j) => {
        problems.check(typeof h?.name === 'string' && HEADER.test(h.name), `${at}.headers[${j}].name`, h?.name, 'must be an HTTP header name');
        problems.check(typeof h?.value === 'string', `${at}.headers[${j}].value`, h?.value, 'must be a string');
      });
      const list = Array.isArray(r?.backends) ? r.backends : [];
      problems.check(list.length > 0, `${at}.backends`, r?.backends, 'must be a non-empty list of { backend, weight }');
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
          ...(r?.headers?.length ? { headers: r.headers.map((h) => ({ type: 'Exact', name: h.name, value: h.value })) } : {}),
        }],
        backendRefs: refs,
      };
    });
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
  }
}
