import { App, Chart, Testing } from 'cdk8s';
import {
  BlueGreenTrack, DaemonExposure, DaemonService, DeploymentStrategy, Ingress, IngressProps, NetworkPeer, PathType, PatternLabels, ServiceBackend,
  StatefulService, StatelessService,
} from '../../src';
import { errorOf, IMAGE, service } from '../helpers/errors';
import { CALLERS } from '../helpers/network';
import { findObject, Manifest, newChart, objectsOf, synth, validateManifests } from '../helpers/synth';

const HELPER_IMAGE = 'ghcr.io/acme/metrics-exporter:0.3.1';

/** Synthesises the app of `chart` and checks the result against the Kubernetes 1.28 schema. */
function render(chart: Chart | App): Manifest[] {
  const out = synth(chart);
  validateManifests(out);
  return out;
}

/** A chart `shop` with the StatelessService `api` (Service port 80 forwarding to 8080). */
function shop(namespace?: string): { chart: Chart; api: StatelessService } {
  const chart = newChart('shop', { namespace });
  const api = service({ servicePort: 80 }, chart);
  return { chart, api };
}

/** The error message of building an Ingress `ing` in the chart `shop` with `props` (and synthesising it). */
function ingressError(props: (api: StatelessService) => IngressProps): string {
  const { chart, api } = shop();
  return errorOf(() => new Ingress(chart, 'ing', props(api)));
}

const legacy = () => ServiceBackend.service('legacy', 8080);

describe('Ingress with only a default backend', () => {
  // GIVEN a workload and an Ingress that sends every request to it
  const { chart, api } = shop('prod');
  const ing = new Ingress(chart, 'ShopIngress', { className: 'nginx', defaultBackend: ServiceBackend.workload(api) });
  // WHEN synthesised
  const out = render(chart);
  const ingress = findObject(out, 'Ingress', 'shop-ingress');

  test('emits one networking.k8s.io/v1 Ingress named after the id, in the chart namespace', () => {
    expect(objectsOf(out, 'Ingress')).toHaveLength(1);
    expect(ingress.apiVersion).toBe('networking.k8s.io/v1');
    expect(ing.name).toBe('shop-ingress');
    expect(ingress.metadata.namespace).toBe('prod');
  });

  test('points the default backend at the workload Service and its first (service) port', () => {
    expect(ingress.spec.defaultBackend).toEqual({ service: { name: 'api', port: { number: 80 } } });
  });

  test('renders the class, and no rules or TLS', () => {
    expect(ingress.spec.ingressClassName).toBe('nginx');
    expect(ingress.spec.rules).toBeUndefined();
    expect(ingress.spec.tls).toBeUndefined();
  });

  test('labels the Ingress like every object of this library, without annotations', () => {
    expect(ingress.metadata.labels).toEqual({
      [PatternLabels.NAME]: 'shop-ingress', [PatternLabels.INSTANCE]: 'shop-ingress', [PatternLabels.MANAGED_BY]: 'cdk8s-patterns',
    });
    expect(ingress.metadata.annotations).toBeUndefined();
    expect(ing.apiObject.kind).toBe('Ingress');
  });
});

describe('Ingress with host and path rules and TLS', () => {
  // GIVEN two workloads and rules on two hosts, one rule for every host, and TLS for both hosts
  const { chart, api } = shop();
  const web = new StatelessService(chart, 'web', { image: IMAGE, port: 3000, network: CALLERS });
  new Ingress(chart, 'shop', {
    name: 'shop-public',
    className: 'ingress.example.com',
    rules: [
      { host: 'shop.example.com', path: '/', pathType: PathType.PREFIX, backend: ServiceBackend.workload(web) },
      { host: 'api.example.com', path: '/v1', pathType: PathType.PREFIX, backend: ServiceBackend.workload(api, 80) },
      { host: 'shop.example.com', path: '/healthz', pathType: PathType.EXACT, backend: ServiceBackend.workload(api) },
      { path: '/legacy', pathType: PathType.IMPLEMENTATION_SPECIFIC, backend: legacy() },
      { host: '*.example.com', path: '/', pathType: PathType.PREFIX, backend: ServiceBackend.workload(web, 3000) },
    ],
    tls: [
      { hosts: ['shop.example.com', 'api.example.com'], secretName: 'shop-example-com-tls' },
      { hosts: ['*.example.com'], secretName: 'wildcard.example.com' },
    ],
    annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt', 'nginx.ingress.kubernetes.io/ssl-redirect': 'true' },
    labels: { team: 'storefront' },
  });
  // WHEN synthesised
  const ingress = findObject(render(chart), 'Ingress', 'shop-public');

  test('groups the rules per host, in order of first appearance, with the rendered pathType', () => {
    expect(ingress.spec.rules).toEqual([
      {
        host: 'shop.example.com',
        http: {
          paths: [
            { path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 3000 } } } },
            { path: '/healthz', pathType: 'Exact', backend: { service: { name: 'api', port: { number: 80 } } } },
          ],
        },
      },
      { host: 'api.example.com', http: { paths: [{ path: '/v1', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 80 } } } }] } },
      {
        http: {
          paths: [{ path: '/legacy', pathType: 'ImplementationSpecific', backend: { service: { name: 'legacy', port: { number: 8080 } } } }],
        },
      },
      { host: '*.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 3000 } } } }] } },
    ]);
  });

  test('a rule without a host applies to every host (no host field)', () => {
    expect(ingress.spec.rules[2]).not.toHaveProperty('host');
  });

  test('renders TLS hosts and secret names', () => {
    expect(ingress.spec.tls).toEqual([
      { hosts: ['shop.example.com', 'api.example.com'], secretName: 'shop-example-com-tls' },
      { hosts: ['*.example.com'], secretName: 'wildcard.example.com' },
    ]);
  });

  test('renders the class, annotations and extra labels, without a default backend', () => {
    expect(ingress.spec.ingressClassName).toBe('ingress.example.com');
    expect(ingress.spec.defaultBackend).toBeUndefined();
    expect(ingress.metadata.annotations).toEqual({
      'cert-manager.io/cluster-issuer': 'letsencrypt', 'nginx.ingress.kubernetes.io/ssl-redirect': 'true',
    });
    expect(ingress.metadata.labels).toMatchObject({ team: 'storefront', [PatternLabels.NAME]: 'shop-public', [PatternLabels.INSTANCE]: 'shop-public' });
  });
});

describe('Ingress backends', () => {
  test('ServiceBackend.service names any Service and port, unchecked', () => {
    // GIVEN an Ingress on a Service made elsewhere
    const chart = newChart('shop');
    new Ingress(chart, 'ing', { defaultBackend: ServiceBackend.service('legacy-api', 8443) });
    // WHEN synthesised THEN the backend is rendered as given
    expect(findObject(render(chart), 'Ingress', 'ing').spec.defaultBackend).toEqual({ service: { name: 'legacy-api', port: { number: 8443 } } });
  });

  test('a blue-green workload: the active Service, never the preview', () => {
    const chart = newChart('shop');
    const api = service({ strategy: DeploymentStrategy.blueGreen({ active: BlueGreenTrack.GREEN }) }, chart);
    new Ingress(chart, 'ing', { defaultBackend: ServiceBackend.workload(api) });
    expect(findObject(render(chart), 'Ingress', 'ing').spec.defaultBackend.service).toEqual({ name: 'api', port: { number: 8080 } });
  });

  test('a StatefulService: its client Service', () => {
    const chart = newChart('data');
    const kv = new StatefulService(chart, 'kv', { image: IMAGE, port: 7000, network: CALLERS });
    new Ingress(chart, 'ing', { rules: [{ path: '/', pathType: PathType.PREFIX, backend: ServiceBackend.workload(kv) }] });
    expect(findObject(render(chart), 'Ingress', 'ing').spec.rules[0].http.paths[0].backend.service).toEqual({ name: 'kv', port: { number: 7000 } });
  });

  test('a DaemonService with an exposure: its Service', () => {
    const chart = newChart('ops');
    const agent = new DaemonService(chart, 'agent', { image: IMAGE, port: 9100, exposure: DaemonExposure.NODE_LOCAL, network: CALLERS });
    new Ingress(chart, 'ing', { defaultBackend: ServiceBackend.workload(agent, 9100) });
    expect(findObject(render(chart), 'Ingress', 'ing').spec.defaultBackend.service).toEqual({ name: 'agent', port: { number: 9100 } });
  });

  test('a port added later with exposePort is accepted as a backend port', () => {
    // GIVEN an Ingress on port 9090 of the workload, before the workload exposes 9090
    const { chart, api } = shop();
    new Ingress(chart, 'ing', { rules: [{ path: '/metrics', pathType: PathType.EXACT, backend: ServiceBackend.workload(api, 9090) }] });
    api.addContainer({ name: 'metrics', image: HELPER_IMAGE, port: 9090 });
    api.exposePort(9090, 'metrics');
    // WHEN synthesised THEN the port check (at synth) sees the new port
    const out = render(chart);
    expect(findObject(out, 'Service', 'api').spec.ports.map((p: any) => p.port)).toEqual([80, 9090]);
    expect(findObject(out, 'Ingress', 'ing').spec.rules[0].http.paths[0].backend.service.port).toEqual({ number: 9090 });
  });

  test('the same path on two hosts, or with two path types on one host, is not a duplicate', () => {
    const chart = newChart('shop');
    new Ingress(chart, 'ing', {
      rules: [
        { host: 'a.example.com', path: '/api', pathType: PathType.PREFIX, backend: legacy() },
        { host: 'b.example.com', path: '/api', pathType: PathType.PREFIX, backend: legacy() },
        { host: 'a.example.com', path: '/api', pathType: PathType.EXACT, backend: legacy() },
      ],
    });
    const rules = findObject(render(chart), 'Ingress', 'ing').spec.rules;
    expect(rules.map((r: any) => [r.host, r.http.paths.length])).toEqual([['a.example.com', 2], ['b.example.com', 1]]);
  });
});

describe('Ingress bad input', () => {
  const prefix = (path: string, backend: ServiceBackend = legacy()) => ({ path, pathType: PathType.PREFIX, backend });
  const cases: Array<[string, (api: StatelessService) => IngressProps, string]> = [
    ['no rules and no default backend', () => ({}),
      'shop/ing: rules (undefined) must not be empty when there is no defaultBackend'],
    ['an empty rule list and no default backend', () => ({ rules: [] }), 'rules ([]) must not be empty when there is no defaultBackend'],
    ['rules that are not a list', () => ({ rules: prefix('/') as any }), 'rules ({"path":"/","pathType":"Prefix"'],
    ['a path without a leading "/"', () => ({ rules: [prefix('api')] }), 'shop/ing: rules[0].path ("api") must start with "/"'],
    ['an empty path', () => ({ rules: [prefix('')] }), 'rules[0].path ("") must start with "/"'],
    ['a missing pathType', () => ({ rules: [{ path: '/', backend: legacy() } as any] }),
      'shop/ing: rules[0].pathType (undefined) is required: PathType.PREFIX, EXACT or IMPLEMENTATION_SPECIFIC'],
    ['a pathType that is not a PathType', () => ({ rules: [{ path: '/', pathType: 'Regex' as any, backend: legacy() }] }),
      'shop/ing: rules[0].pathType ("Regex") must be a PathType'],
    ['a lower-case pathType', () => ({ rules: [{ path: '/', pathType: 'prefix' as any, backend: legacy() }] }), 'rules[0].pathType ("prefix") must be a PathType'],
    ['a host with upper case', () => ({ rules: [{ host: 'Shop.example.com', ...prefix('/') }] }),
      'shop/ing: rules[0].host ("Shop.example.com") must be a DNS name, optionally starting with "*." (lower case, no port, no IP address)'],
    ['a host with a port', () => ({ rules: [{ host: 'shop.example.com:443', ...prefix('/') }] }), 'rules[0].host ("shop.example.com:443") must be a DNS name'],
    ['an IPv6 host', () => ({ rules: [{ host: '2001:db8::1', ...prefix('/') }] }), 'rules[0].host ("2001:db8::1") must be a DNS name'],
    ['a host with a wildcard in the middle', () => ({ rules: [{ host: 'shop.*.com', ...prefix('/') }] }), 'rules[0].host ("shop.*.com") must be a DNS name'],
    ['a host with a scheme', () => ({ rules: [{ host: 'https://shop.example.com', ...prefix('/') }] }), 'rules[0].host ("https://shop.example.com")'],
    ['a host longer than 253 characters', () => ({ rules: [{ host: `${'a'.repeat(60)}.`.repeat(4) + 'example.com', ...prefix('/') }] }),
      'rules[0].host ("aaaa'],
    ['the same path twice for a host', () => ({
      rules: [{ host: 'shop.example.com', ...prefix('/api') }, { host: 'shop.example.com', ...prefix('/api') }],
    }), 'shop/ing: rules[1].path ("/api") is listed twice for this host'],
    ['the same path twice for every host', () => ({ rules: [prefix('/'), prefix('/')] }), 'rules[1].path ("/") is listed twice for this host'],
    ['a TLS secretName that is not a DNS subdomain', (api) => ({
      defaultBackend: ServiceBackend.workload(api), tls: [{ hosts: ['shop.example.com'], secretName: 'Shop_TLS' }],
    }), 'shop/ing: tls[0].secretName ("Shop_TLS") must be a DNS-1123 subdomain'],
    ['a TLS entry without a secretName', (api) => ({ defaultBackend: ServiceBackend.workload(api), tls: [{ hosts: ['shop.example.com'] } as any] }),
      'tls[0].secretName (undefined) must be a DNS-1123 subdomain'],
    ['TLS with no hosts', (api) => ({ defaultBackend: ServiceBackend.workload(api), tls: [{ hosts: [], secretName: 'shop-tls' }] }),
      'shop/ing: tls[0].hosts ([]) must be a non-empty list of hosts'],
    ['TLS without a hosts list', (api) => ({ defaultBackend: ServiceBackend.workload(api), tls: [{ secretName: 'shop-tls' } as any] }),
      'tls[0].hosts (undefined) must be a non-empty list of hosts'],
    ['a TLS host that is not a DNS name', (api) => ({
      defaultBackend: ServiceBackend.workload(api), tls: [{ hosts: ['shop.example.com', 'Shop.Example.com'], secretName: 'shop-tls' }],
    }), 'shop/ing: tls[0].hosts[1] ("Shop.Example.com") must be a DNS name'],
    ['a backend workload without a Service', (api) => ({
      defaultBackend: ServiceBackend.workload(new StatelessService(Chart.of(api), 'worker', { image: IMAGE })),
    }), 'defaultBackend.workload ("worker") has no Service (give it a port)'],
    ['a backend that is not a workload of this library', () => ({ defaultBackend: ServiceBackend.workload({ name: 'api' } as any) }),
      'shop/ing: defaultBackend.workload ({"name":"api"}) must be a workload of this library'],
    ['a backend not created with ServiceBackend', () => ({ rules: [{ path: '/', pathType: PathType.PREFIX, backend: { name: 'api', port: 80 } as any }] }),
      'shop/ing: rules[0].backend ({"name":"api","port":80}) must be created with ServiceBackend.workload() or service()'],
    ['a default backend given as a string', () => ({ defaultBackend: 'api' as any }),
      'defaultBackend ("api") must be created with ServiceBackend.workload() or service()'],
    ['a rule without a backend', () => ({ rules: [{ path: '/', pathType: PathType.PREFIX } as any] }),
      'rules[0].backend (undefined) must be created with ServiceBackend.workload() or service()'],
    ['a Service name that is not a DNS-1035 label', () => ({ defaultBackend: ServiceBackend.service('Legacy_API', 80) }),
      'shop/ing: defaultBackend.serviceName ("Legacy_API") must be a DNS-1035 label'],
    ['a backend port above 65535', () => ({ defaultBackend: ServiceBackend.service('legacy', 70000) }),
      'shop/ing: defaultBackend.port (70000) must be an integer from 1 to 65535'],
    ['a workload backend port of 0', (api) => ({ rules: [prefix('/', ServiceBackend.workload(api, 0))] }),
      'rules[0].backend.port (0) must be an integer from 1 to 65535'],
    ['a name that is not a DNS subdomain', () => ({ name: 'Shop Ingress', defaultBackend: legacy() }),
      'shop/ing: name ("Shop Ingress") must be a DNS-1123 subdomain'],
    ['a className that is not a DNS subdomain', () => ({ className: 'NGINX', defaultBackend: legacy() }),
      'shop/ing: className ("NGINX") must be a DNS-1123 subdomain'],
    ['a label overriding a label the library manages', () => ({ labels: { [PatternLabels.NAME]: 'x' }, defaultBackend: legacy() }),
      'shop/ing: labels key ("app.kubernetes.io/name") must not override a label this library manages'],
    ['a label value that is not a label value', () => ({ labels: { team: 'store front' }, defaultBackend: legacy() }),
      'labels["team"] ("store front") must be a valid label value'],
    ['an annotation key that is not a label key', () => ({ annotations: { 'bad key': 'x' }, defaultBackend: legacy() }),
      'shop/ing: annotations key ("bad key") must be a valid label key'],
  ];

  test.each(cases)('%s', (_title, props, message) => {
    // GIVEN an Ingress with one bad prop WHEN built THEN a validation error names it
    const error = ingressError(props);
    expect(error).toContain('cdk8s-patterns:');
    expect(error).toContain(message);
  });

  test('an Ingress without props is a validation error', () => {
    expect(errorOf(() => new Ingress(newChart('shop'), 'ing'))).toContain('shop/ing: rules (undefined) must not be empty when there is no defaultBackend');
    expect(errorOf(() => new Ingress(newChart('shop'), 'ing', null as any))).toContain('rules (undefined) must not be empty');
  });

  test('a null rule is reported field by field, not as a TypeError', () => {
    const error = ingressError(() => ({ rules: [null as any] }));
    expect(error).toContain('cdk8s-patterns: 3 invalid values:');
    expect(error).toContain('rules[0].path (undefined) must start with "/"');
    expect(error).toContain('rules[0].backend (undefined) must be created with ServiceBackend.workload() or service()');
  });

  test('every problem is listed in one error', () => {
    const error = ingressError(() => ({
      className: 'X',
      rules: [{ host: 'A.com', path: 'x', pathType: 'y' as any, backend: ServiceBackend.service('legacy', 0) }],
      tls: [{ hosts: [], secretName: '_' }],
    }));
    expect(error).toContain('cdk8s-patterns: 7 invalid values:');
    for (const part of ['className ("X")', 'rules[0].host ("A.com")', 'rules[0].path ("x")', 'rules[0].pathType ("y")',
      'rules[0].backend.port (0)', 'tls[0].secretName ("_")', 'tls[0].hosts ([])']) {
      expect(error).toContain(part);
    }
  });

  describe('backend ports are checked against the workload Service at synth', () => {
    test('the container port of a workload whose Service listens elsewhere', () => {
      // GIVEN a default backend on 8080, but the Service listens on 80
      const { chart, api } = shop();
      new Ingress(chart, 'ing', { defaultBackend: ServiceBackend.workload(api, 8080) });
      // WHEN synthesised THEN the synth-time check fails
      const error = errorOf(() => synth(chart));
      expect(error).toMatch(/^cdk8s-patterns: 1 invalid value:/);
      expect(error).toContain('  - shop/ing: defaultBackend.port (8080) must be a port of Service "api" (it has 80)');
    });

    test('a rule backend port that no port of the Service matches', () => {
      const { chart, api } = shop();
      new Ingress(chart, 'ing', { rules: [{ path: '/', pathType: PathType.PREFIX, backend: legacy() }, prefix('/api', ServiceBackend.workload(api, 81))] });
      expect(errorOf(() => synth(chart))).toContain('shop/ing: rules[1].backend.port (81) must be a port of Service "api" (it has 80)');
    });

    test('a port named for exposePort that was never exposed', () => {
      const { chart, api } = shop();
      new Ingress(chart, 'ing', { defaultBackend: ServiceBackend.workload(api, 9090) });
      api.addContainer({ name: 'metrics', image: HELPER_IMAGE, port: 9090 });
      expect(errorOf(() => synth(chart))).toContain('defaultBackend.port (9090) must be a port of Service "api" (it has 80)');
    });
  });
});

describe('Ingress edge cases that once slipped through', () => {
  // Regression: the host pattern accepts dotted digits, so an IPv4 address passes although the message
  // promises "no IP address"; the API server rejects it ("must be a DNS name, not an IP address").
  test('an IPv4 address as a rule host is rejected', () => {
    expect(ingressError(() => ({ rules: [{ host: '10.0.0.1', path: '/', pathType: PathType.PREFIX, backend: legacy() }] })))
      .toContain('rules[0].host ("10.0.0.1") must be a DNS name');
  });

  // Regression: the API server rejects Prefix and Exact paths containing "//", "/./", "/../" or "%2f", or
  // ending in "/." or "/..": the Ingress synthesises but cannot be applied.
  test('a Prefix path with "//" is rejected', () => {
    expect(ingressError(() => ({ rules: [{ path: '/api//v1', pathType: PathType.PREFIX, backend: legacy() }] }))).toContain('rules[0].path ("/api//v1")');
  });

  // Regression: checkPort skips undefined, so ServiceBackend.service('db', undefined) from JavaScript
  // renders `port: {}`, which the API server rejects (a port name or number is required).
  test('ServiceBackend.service without a port is rejected', () => {
    expect(ingressError(() => ({ defaultBackend: ServiceBackend.service('legacy', undefined as any) }))).toContain('defaultBackend.port');
  });

  // Regression: a port-less StatefulService resolves to its headless Service, whose kplus port list holds
  // the placeholder port 1 (patched away in the YAML): the Ingress routes to port 1 of a Service
  // with no ports, and the synth check cannot fire because no port was given.
  test('a port-less StatefulService as backend is rejected (its headless Service has no port)', () => {
    const chart = newChart('data');
    const kv = new StatefulService(chart, 'kv', { image: IMAGE });
    expect(errorOf(() => new Ingress(chart, 'ing', { defaultBackend: ServiceBackend.workload(kv) }))).toContain('defaultBackend');
  });

  // Regression: an Ingress can only route to Services of its own namespace; a workload in another chart
  // namespace is accepted and the backend silently points at a Service that does not exist there.
  test('a workload backend in another namespace is rejected', () => {
    const app = Testing.app();
    const api = service({}, new Chart(app, 'shop', { namespace: 'shop' }));
    const edge = new Chart(app, 'edge', { namespace: 'edge' });
    expect(errorOf(() => new Ingress(edge, 'ing', { defaultBackend: ServiceBackend.workload(api) }))).toContain('namespace');
  });

  // Regression: tls that is not a list is silently ignored (no TLS at all), while rules that are not a
  // list are reported.
  test('tls that is not a list is rejected', () => {
    expect(ingressError((api) => ({ defaultBackend: ServiceBackend.workload(api), tls: { hosts: ['shop.example.com'], secretName: 'x' } as any })))
      .toContain('tls (');
  });

  // Regression: ServiceBackend.workload(undefined) falls through to the by-name branch and reports
  // "defaultBackend.serviceName (undefined) must be a DNS-1035 label": misleading, the caller gave no workload.
  test('ServiceBackend.workload(undefined) names the missing workload', () => {
    const error = ingressError(() => ({ defaultBackend: ServiceBackend.workload(undefined as any) }));
    expect(error).toContain('defaultBackend.workload (undefined)');
    expect(error).not.toContain('serviceName');
  });
});

describe('Ingress: review findings', () => {
  test('a legacy class annotation that contradicts className is rejected', () => {
    const svc = service({});
    expect(errorOf(() => new Ingress(Chart.of(svc), 'i', {
      className: 'nginx', annotations: { 'kubernetes.io/ingress.class': 'traefik' }, defaultBackend: ServiceBackend.workload(svc),
    }))).toContain('shop/i: annotations["kubernetes.io/ingress.class"] ("traefik") must match className (nginx)');
  });

  test('a port-less StatefulService as a backend: no placeholder port, but "has no port" is reported for the Ingress', () => {
    const portless = (chart: Chart) => new StatefulService(chart, 'kv', { image: IMAGE, additionalPorts: [{ number: 9000, name: 'metrics' }], network: CALLERS });
    const chart = newChart('shop');
    const kv = portless(chart);
    expect(errorOf(() => new Ingress(chart, 'i', { defaultBackend: ServiceBackend.workload(kv) })))
      .toContain('shop/i: defaultBackend.workload ("kv") has no port on Service "kv-headless"');
    // WHEN the port is exposed, THEN it is the default backend port (rendered without synth: the app keeps the problem of "i")
    kv.exposePort(9000, 'http');
    const j = new Ingress(chart, 'j', { defaultBackend: ServiceBackend.workload(kv) });
    expect(j.apiObject.toJson().spec.defaultBackend.service).toEqual({ name: 'kv-headless', port: { number: 9000 } });
    // AND in an app without the failed Ingress, that passes synth
    const clean = newChart('shop');
    const kv2 = portless(clean);
    kv2.exposePort(9000, 'http');
    new Ingress(clean, 'j', { defaultBackend: ServiceBackend.workload(kv2) });
    expect(findObject(synth(clean), 'Ingress', 'j').spec.defaultBackend.service).toEqual({ name: 'kv-headless', port: { number: 9000 } });
  });
});

describe('Ingress controller: checked whatever else fails, and never half applied', () => {
  test('a bad controller is reported with the other problems, and the backend\'s NetworkPolicy is left as it was', () => {
    const api = service({});
    const before = JSON.stringify(api.networkPolicy.toJson().spec);
    const message = errorOf(() => new Ingress(Chart.of(api), 'edge', {
      className: 'Bad Class',
      controller: NetworkPeer.pods({ 'bad key!': 'x' }),
      rules: [{ path: '/', pathType: PathType.PREFIX, backend: ServiceBackend.workload(api) }],
    }));
    expect(message).toContain('shop/edge: className ("Bad Class")');
    expect(message).toContain('shop/edge: controller.labels key ("bad key!")');
    expect(JSON.stringify(api.networkPolicy.toJson().spec)).toBe(before);
  });

  test('a controller that is no NetworkPeer is reported with the other problems', () => {
    const api = service({});
    const message = errorOf(() => new Ingress(Chart.of(api), 'edge', {
      className: 'Bad Class', controller: 'ingress-nginx' as any, rules: [{ path: '/', pathType: PathType.PREFIX, backend: ServiceBackend.workload(api) }],
    }));
    expect(message).toContain('shop/edge: className ("Bad Class")');
    expect(message).toContain('shop/edge: controller ("ingress-nginx") must be a NetworkPeer');
  });
});
