import { Chart } from 'cdk8s';
import { HttpPathMatch, HttpRoute, HttpRouteProps, ServiceBackend, StatelessService } from '../../src';
import { errorOf, IMAGE, service } from '../helpers/errors';
import { CALLERS } from '../helpers/network';
import { findObject, newChart, synth, validateManifests } from '../helpers/synth';

/** A StatelessService `api` (port 8080) in chart `shop` and an HttpRoute `route` with `props` over a valid baseline. */
function withRoute(props: Partial<HttpRouteProps> = {}) {
  const svc = service({});
  const chart = Chart.of(svc) as Chart;
  const route = new HttpRoute(chart, 'route', {
    gateway: { name: 'public' },
    rules: [{ backends: [{ backend: ServiceBackend.workload(svc) }] }],
    ...props,
  });
  return { svc, chart, route };
}

describe('HttpRoute', () => {
  test('routes a Gateway\'s traffic to a workload\'s Service on its port, by path', () => {
    // GIVEN a route with one rule
    const { chart } = withRoute({ hostnames: ['shop.example.com'], gateway: { name: 'public', namespace: 'gateways', sectionName: 'https' } });
    // WHEN synthesised
    const out = synth(chart);
    validateManifests(out);
    const route = findObject(out, 'HTTPRoute', 'route');
    // THEN it attaches to the Gateway and sends / to the Service's port
    expect(route.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'gateways', sectionName: 'https' }]);
    expect(route.spec.hostnames).toEqual(['shop.example.com']);
    expect(route.spec.rules).toEqual([{
      matches: [{ path: { type: 'PathPrefix', value: '/' } }],
      backendRefs: [{ group: '', kind: 'Service', name: 'api', port: 8080 }],
    }]);
  });

  test('header matches, exact paths and weighted backends (a canary by share of traffic)', () => {
    const chart = newChart('shop');
    const stable = new StatelessService(chart, 'api', { image: IMAGE, port: 8080, network: CALLERS });
    const next = new StatelessService(chart, 'api-next', { image: IMAGE, port: 8080, network: CALLERS });
    new HttpRoute(chart, 'route', {
      gateway: { name: 'public' },
      rules: [
        { path: '/beta', pathMatch: HttpPathMatch.EXACT, headers: [{ name: 'x-beta', value: 'yes' }], backends: [{ backend: ServiceBackend.workload(next) }] },
        { backends: [{ backend: ServiceBackend.workload(stable), weight: 90 }, { backend: ServiceBackend.service('api-next', 8080), weight: 10 }] },
      ],
    });
    const out = synth(chart);
    validateManifests(out);
    const rules = findObject(out, 'HTTPRoute', 'route').spec.rules;
    expect(rules[0].matches).toEqual([{ path: { type: 'Exact', value: '/beta' }, headers: [{ type: 'Exact', name: 'x-beta', value: 'yes' }] }]);
    expect(rules[1].backendRefs.map((b: any) => [b.name, b.weight])).toEqual([['api', 90], ['api-next', 10]]);
  });

  test('a backend port that the Service does not have fails at synth; one added later with exposePort is accepted', () => {
    const { chart } = withRoute({ rules: [{ backends: [{ backend: ServiceBackend.workload(service({}, newChart('x')), 9999) }] }] });
    expect(() => synth(chart)).toThrow(/rules\[0\]\.backends\[0\]\.backend\.port \(9999\) must be a port of Service "api" \(it has 8080\)/);
    const ok = withRoute();
    ok.svc.addContainer({ name: 'metrics', image: IMAGE, port: 9100 });
    ok.svc.exposePort(9100, 'metrics');
    new HttpRoute(ok.chart, 'metrics-route', { gateway: { name: 'public' }, rules: [{ backends: [{ backend: ServiceBackend.workload(ok.svc, 9100) }] }] });
    expect(() => synth(ok.chart)).not.toThrow();
  });

  test('bad input is listed in one error', () => {
    const svc = service({});
    const message = errorOf(() => new HttpRoute(Chart.of(svc), 'route', {
      name: 'Bad_Name',
      gateway: { name: 'Public' },
      hostnames: ['Shop.example.com'],
      rules: [
        { path: 'api', pathMatch: 'Glob' as any, headers: [{ name: 'bad header', value: 1 as any }], backends: [{ backend: {} as any, weight: -1 }] },
        { backends: [] },
      ],
    }));
    for (const expected of [
      'shop/route: name ("Bad_Name") must be a DNS-1123 subdomain',
      'gateway.name ("Public") must be a DNS-1123 subdomain',
      'hostnames[0] ("Shop.example.com") must be a DNS name',
      'rules[0].path ("api") must start with "/"',
      'rules[0].pathMatch ("Glob") must be an HttpPathMatch',
      'rules[0].headers[0].name ("bad header") must be an HTTP header name of at most 256 characters',
      'rules[0].headers[0].value (1) must be a string of 1 to 4096 characters',
      'rules[0].backends[0].weight (-1) must be an integer from 0 to 1000000',
      'rules[0].backends[0].backend ({}) must be created with ServiceBackend.workload() or service()',
      'rules[1].backends ([]) must be a list of 1 to 16 { backend, weight }',
    ]) expect(message).toContain(expected);
  });

  test('no rules, no gateway, a workload without a Service', () => {
    const chart = newChart('shop');
    const worker = new StatelessService(chart, 'worker', { image: IMAGE });
    expect(errorOf(() => new HttpRoute(chart, 'r1', { gateway: { name: 'g' }, rules: [] })))
      .toContain('shop/r1: rules ("0 rules") must be a list of 1 to 16');
    expect(errorOf(() => new HttpRoute(chart, 'r2', { rules: [{ backends: [{ backend: ServiceBackend.workload(worker) }] }] } as any)))
      .toContain('shop/r2: gateway (undefined) is required');
    expect(errorOf(() => new HttpRoute(chart, 'r3', { gateway: { name: 'g' }, rules: [{ backends: [{ backend: ServiceBackend.workload(worker) }] }] })))
      .toContain('shop/r3: rules[0].backends[0].backend.workload ("worker") has no Service (give it a port)');
  });
});

describe('HttpRoute: what the Gateway API CRD enforces', () => {
  const route = (props: Partial<HttpRouteProps>) => errorOf(() => withRoute(props).route);
  const backends = () => [{ backend: ServiceBackend.service('api', 8080) }];

  test('paths the CRD rejects for Exact and PathPrefix; a regular expression need not start with "/"', () => {
    for (const path of ['/a//b', '/a/../b', '/a/./b', '/a%2fb', '/a b', '/a#b', '/a/.', '/a/..']) {
      expect(route({ rules: [{ path, backends: backends() }] })).toContain(`rules[0].path (${JSON.stringify(path)}) must not contain`);
    }
    const ok = withRoute({ rules: [{ path: '.*\\.png$', pathMatch: HttpPathMatch.REGULAR_EXPRESSION, backends: backends() }] });
    expect(findObject(synth(ok.chart), 'HTTPRoute', 'route').spec.rules[0].matches[0].path).toEqual({ type: 'RegularExpression', value: '.*\\.png$' });
  });

  test('a header matched twice, an empty value, more than 16 rules or host names, a bad listener or namespace', () => {
    expect(route({ rules: [{ headers: [{ name: 'x-a', value: '1' }, { name: 'X-A', value: '2' }], backends: backends() }] }))
      .toContain('rules[0].headers[1].name ("X-A") is matched twice in this rule');
    expect(route({ rules: [{ headers: [{ name: 'x-a', value: '' }], backends: backends() }] })).toContain('rules[0].headers[0].value ("") must be a string of 1 to 4096');
    expect(route({ rules: Array.from({ length: 17 }, () => ({ backends: backends() })) })).toContain('rules ("17 rules") must be a list of 1 to 16');
    expect(route({ hostnames: Array.from({ length: 17 }, (_, i) => `h${i}.example.com`) })).toContain('hostnames ("17 host names") must be at most 16');
    expect(route({ gateway: { name: 'public', sectionName: 'Bad Name!' } })).toContain('gateway.sectionName ("Bad Name!") must be a DNS-1123 label');
    expect(route({ gateway: { name: 'public', namespace: 'infra.prod' } })).toContain('gateway.namespace ("infra.prod") must be a DNS-1123 label');
  });

  test('lists that are not lists, and a null header, are validation errors, not TypeErrors', () => {
    expect(route({ hostnames: 'a.example.com' as any })).toContain('hostnames ("a.example.com") must be a list of host names');
    expect(route({ rules: [{ headers: { name: 'a', value: 'b' } as any, backends: backends() }] })).toContain('rules[0].headers ({"name":"a","value":"b"}) must be a list');
    expect(route({ rules: [{ headers: [null as any], backends: backends() }] })).toContain('rules[0].headers[0].name (undefined) must be an HTTP header name');
  });
});
