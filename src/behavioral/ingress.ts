import { isIP } from 'net';
import { ApiObject, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { deferConstruction, registerAppChecks } from '../core/app-checks';
import { KNOWN_PROPS } from '../core/known-props';
import { MANAGED_LABELS, standardLabels } from '../core/labels';
import { checkAnnotations, checkDns1035Label, checkDnsSubdomain, checkLabels, checkLabelValue, checkPort, defaultNameFromId, namePropOf } from '../core/names';
import { addSynthValidation, renderForChecks } from '../core/synth-session';
import { checkKnownKeys, Problems, renderValue, showList, showText } from '../core/validation';
import { NetworkPeer } from '../pod/network';
import { PatternWorkload } from '../workload/workload';

/** How an Ingress path matches. */
export enum PathType {
  /** The path and everything below it, by path element (`/api` matches `/api/v1`, not `/apiv1`). */
  PREFIX = 'Prefix',
  /** Exactly this path. */
  EXACT = 'Exact',
  /** As the ingress controller decides (often a regular expression). */
  IMPLEMENTATION_SPECIFIC = 'ImplementationSpecific',
}

/** Where an Ingress or an HTTPRoute sends matching requests: a Service and one of its ports. */
export class ServiceBackend {
  /**
   * The Service of a workload of this library (its ClusterIP Service), on `port` (default: the
   * Service's first port). The port is checked against the Service at synth.
   */
  public static workload(workload: PatternWorkload, port?: number): ServiceBackend {
    return new ServiceBackend('workload', undefined, workload, port);
  }

  /** Any Service by name, e.g. one made elsewhere; its port cannot be checked. */
  public static service(serviceName: string, port: number): ServiceBackend {
    return new ServiceBackend('service', serviceName, undefined, port);
  }

  private constructor(
    private readonly kind: 'workload' | 'service',
    private readonly serviceName: string | undefined,
    private readonly workload: PatternWorkload | undefined,
    private readonly port: number | undefined,
  ) {}

  /** Validates and returns the Service and port; the port of a workload's Service is resolved at synth. @internal */
  public _resolve(problems: Problems, prop: string, from: Construct): ResolvedBackend['resolved'] | undefined {
    checkPort(problems, `${prop}.port`, this.port);
    if (this.kind === 'workload') {
      if (!(this.workload instanceof PatternWorkload)) {
        problems.add(`${prop}.workload`, this.workload, 'must be a workload of this library');
        return undefined;
      }
      const service = this.workload._exposingServices()[0];
      if (!problems.check(service !== undefined, `${prop}.workload`, this.workload.name, 'has no Service (give it a port)')) return undefined;
      const theirs = Chart.of(this.workload).namespace;
      const mine = Chart.of(from).namespace;
      problems.check(theirs === mine, `${prop}.workload`, this.workload.name,
        `is in namespace ${theirs ?? '(none)'}, but routes reach Services of their own namespace (${mine ?? '(none)'}) only`);
      // The port used is checked against the rendered Service at synth (ports may be added later).
      const port = this.port ?? this.workload._servicePorts(service)[0]?.port;
      problems.check(port !== undefined, `${prop}.workload`, this.workload.name, `has no port on Service "${service.name}" (give it a port, or name one)`);
      return { service, name: service.name, port, workload: this.workload };
    }
    checkDns1035Label(problems, `${prop}.serviceName`, this.serviceName!);
    problems.check(this.port !== undefined, `${prop}.port`, this.port, 'is required for a Service given by name');
    return { name: this.serviceName!, port: this.port };
  }
}

/** One rule of an Ingress. */
export interface IngressRule {
  /**
   * Host the rule applies to, e.g. `shop.example.com` or `*.example.com`.
   * @default - every host
   */
  readonly host?: string;
  /** Path, starting with `/`. */
  readonly path: string;
  /** How the path matches. */
  readonly pathType: PathType;
  /** Where matching requests go. */
  readonly backend: ServiceBackend;
}

/** TLS for some hosts of an Ingress. */
export interface IngressTls {
  /** The hosts the certificate covers. */
  readonly hosts: string[];
  /** The Secret (type kubernetes.io/tls) with the certificate and key, in the Ingress' namespace. */
  readonly secretName: string;
}

/** Props of an `Ingress`. */
export interface IngressProps {
  /**
   * Name of the Ingress.
   * @default - the construct id in kebab-case
   */
  readonly name?: string;
  /**
   * IngressClass, i.e. which controller serves it (e.g. `nginx`).
   * @default - the cluster's default IngressClass
   */
  readonly className?: string;
  /**
   * Where requests that match no rule go.
   * @default - none (the controller's default: usually 404)
   */
  readonly defaultBackend?: ServiceBackend;
  /**
   * Host and path rules.
   * @default - none
   */
  readonly rules?: IngressRule[];
  /**
   * TLS certificates by host.
   * @default - none (plain HTTP)
   */
  readonly tls?: IngressTls[];
  /**
   * Annotations for the ingress controller.
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
  /**
   * Where the ingress controller's pods run, e.g. `NetworkPeer.namespace('ingress-nginx')`: the
   * NetworkPolicy of every backend workload admits them on the backend's port.
   * @default - no rule: each backend workload must admit the controller itself (`network.allowFrom`)
   */
  readonly controller?: NetworkPeer;
  /**
   * Extra labels.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
}

const HOST = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Ingress (Service Discovery, L7): HTTP routing from outside the cluster to the Services of
 * workloads, by host and path, with TLS, through the cluster's ingress controller. Each backend's
 * port is checked against its Service at synth.
 * @see https://kubernetes.io/docs/concepts/services-networking/ingress/
 */
export class Ingress extends Construct {
  /** Name of the Ingress. */
  public readonly name!: string;
  /** The Ingress object. */
  public readonly apiObject!: ApiObject;

  constructor(scope: Construct, id: string, props: IngressProps = {}) {
    super(scope, id);
    try {
      const p = props ?? {};
      const problems = new Problems(this);
      checkKnownKeys(problems, '', props, KNOWN_PROPS.IngressProps, 'IngressProps');
      this.name = p.name ?? defaultNameFromId(id);
      checkDnsSubdomain(problems, namePropOf(p.name), this.name);
      checkLabelValue(problems, namePropOf(p.name), this.name); // also the value of its instance label
      if (p.className !== undefined) checkDnsSubdomain(problems, 'className', p.className);
      checkLabels(problems, 'labels', p.labels);
      for (const k of Object.keys(p.labels ?? {})) problems.check(!MANAGED_LABELS.includes(k), 'labels key', k, 'must not override a label this library manages');
      checkAnnotations(problems, 'annotations', p.annotations);
      const legacyClass = p.annotations?.['kubernetes.io/ingress.class'];
      problems.check(legacyClass === undefined || p.className === undefined || legacyClass === p.className, 'annotations["kubernetes.io/ingress.class"]', legacyClass,
        `must match className (${showText(p.className)}) when both are given (the API server rejects the Ingress otherwise); prefer className alone`);
      const rules = Array.isArray(p.rules) ? p.rules : [];
      if (p.rules !== undefined && !Array.isArray(p.rules)) problems.add('rules', p.rules, 'must be a list of { host, path, pathType, backend }');
      problems.check(p.defaultBackend !== undefined || rules.length > 0, 'rules', p.rules, 'must not be empty when there is no defaultBackend');

      const backends: ResolvedBackend[] = [];
      const backend = (b: ServiceBackend, prop: string): kplus.k8s.IngressBackend | undefined => {
        if (!(b instanceof ServiceBackend)) {
          problems.add(prop, b, 'must be created with ServiceBackend.workload() or service()');
          return undefined;
        }
        const resolved = b._resolve(problems, prop, this);
        if (!resolved) return undefined;
        backends.push({ prop, resolved });
        return { service: { name: resolved.name, port: { number: resolved.port } } };
      };
      const defaultBackend = p.defaultBackend !== undefined ? backend(p.defaultBackend, 'defaultBackend') : undefined;
      const byHost = new Map<string | undefined, kplus.k8s.HttpIngressPath[]>();
      rules.forEach((r, i) => {
        const at = `rules[${i}]`;
        if (r?.host !== undefined) {
          problems.check(typeof r.host === 'string' && HOST.test(r.host) && r.host.length <= 253 && isIP(r.host) === 0, `${at}.host`, r.host,
            'must be a DNS name, optionally starting with "*." (lower case, no port, no IP address)');
        }
        if (problems.check(typeof r?.path === 'string' && r.path.startsWith('/'), `${at}.path`, r?.path, 'must start with "/"')
          && r.pathType !== PathType.IMPLEMENTATION_SPECIFIC) {
          const bad = ['//', '/./', '/../', '%2f', '%2F'].some((x) => r.path.includes(x)) || r.path.endsWith('/.') || r.path.endsWith('/..');
          problems.check(!bad, `${at}.path`, r.path, 'must not contain "//", "/./", "/../" or "%2f", nor end in "/." or "/.." (the API server rejects them)');
        }
        problems.check(r?.pathType !== undefined, `${at}.pathType`, r?.pathType, 'is required: PathType.PREFIX, EXACT or IMPLEMENTATION_SPECIFIC');
        if (r?.pathType !== undefined) problems.check(Object.values(PathType).includes(r.pathType), `${at}.pathType`, r.pathType, 'must be a PathType');
        const b = backend(r?.backend, `${at}.backend`);
        if (b === undefined) return;
        const paths = byHost.get(r.host) ?? [];
        problems.check(!paths.some((x) => x.path === r.path && x.pathType === r.pathType), `${at}.path`, r.path, 'is listed twice for this host');
        paths.push({ path: r.path, pathType: r.pathType, backend: b });
        byHost.set(r.host, paths);
      });
      const tls = Array.isArray(p.tls) ? p.tls : [];
      if (p.tls !== undefined && !Array.isArray(p.tls)) problems.add('tls', p.tls, 'must be a list of { hosts, secretName }');
      tls.forEach((t, i) => {
        checkDnsSubdomain(problems, `tls[${i}].secretName`, t?.secretName);
        problems.check(Array.isArray(t?.hosts) && t.hosts.length > 0, `tls[${i}].hosts`, t?.hosts, 'must be a non-empty list of hosts');
        (Array.isArray(t?.hosts) ? t.hosts : []).forEach((h, j) => problems.check(typeof h === 'string' && HOST.test(h), `tls[${i}].hosts[${j}]`, h, 'must be a DNS name'));
      });
      checkController(p.controller, problems);
      if (problems.isEmpty) admitController(p.controller, backends, problems);
      problems.throwIfAny();

      this.apiObject = new kplus.k8s.KubeIngress(this, 'Resource', {
        metadata: {
          name: this.name,
          labels: { ...(p.labels ?? {}), ...standardLabels({ name: this.name, instance: this.name }) },
          ...(p.annotations ? { annotations: { ...p.annotations } } : {}),
        },
        spec: {
          ...(p.className !== undefined ? { ingressClassName: p.className } : {}),
          ...(defaultBackend ? { defaultBackend } : {}),
          ...(byHost.size > 0 ? {
            rules: [...byHost.entries()].map(([host, paths]) => ({ ...(host !== undefined ? { host } : {}), http: { paths } })),
          } : {}),
          ...(tls.length > 0 ? { tls: tls.map((t) => ({ hosts: [...t.hosts], secretName: t.secretName })) } : {}),
        },
      });
      registerAppChecks(this);
      checkBackendPortsAtSynth(this, backends);
    } catch (e) {
      return deferConstruction(this, e);
    }
  }
}

/** A resolved backend and the prop it came from. @internal */
export interface ResolvedBackend {
  readonly prop: string;
  readonly resolved: { service?: kplus.Service; name: string; port?: number; workload?: PatternWorkload };
}

/**
 * Checks the `controller` prop (a NetworkPeer that renders), whatever else failed, before any
 * backend is changed.
 * @internal
 */
export function checkController(controller: unknown, problems: Problems): void {
  if (controller === undefined) return;
  if (!(controller instanceof NetworkPeer)) {
    problems.add('controller', controller, 'must be a NetworkPeer, e.g. NetworkPeer.namespace("ingress-nginx")');
    return;
  }
  controller._render(problems, 'controller');
}

/**
 * Admits the controller's pods (an ingress controller, a Gateway's data plane) to the pods of
 * every backend workload, on the backend's port, through the workload's NetworkPolicy.
 * @internal
 */
export function admitController(controller: NetworkPeer | undefined, backends: ResolvedBackend[], problems: Problems): void {
  if (!(controller instanceof NetworkPeer)) return; // none, or reported by checkController
  for (const { resolved } of backends) {
    if (resolved.workload && resolved.service) resolved.workload._admitToServicePort(controller, resolved.service, resolved.port, 'controller', problems);
  }
}

/**
 * Checks, at synth, that each backend on a workload's Service uses a port of that Service (ports
 * may be added after construction, e.g. by `exposePort`).
 * @internal
 */
export function checkBackendPortsAtSynth(scope: Construct, backends: ResolvedBackend[]): void {
  addSynthValidation(scope, () => {
    const later = new Problems(scope);
    for (const { prop, resolved } of backends) {
      if (!resolved.service) continue;
      const ports = (renderForChecks(ApiObject.of(resolved.service)).spec?.ports ?? []).map((x: any) => x.port);
      later.check(resolved.port === undefined || ports.includes(resolved.port), `${prop}.port`, resolved.port,
        `must be a port of Service ${renderValue(resolved.name)} (it has ${showList(ports) || 'none'})`);
    }
    return later.messages();
  });
}
