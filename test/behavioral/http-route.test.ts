import { Chart } from 'cdk8s';
import { HttpPathMatch, HttpRoute, HttpRouteProps, ServiceBackend, StatelessService } from '../../src';
import { errorOf, IMAGE, service } from '../helpers/errors';
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
    const stable = new StatelessService(chart, 'api', { image: IMAGE, port: 8080 });
    const next = new StatelessService(chart, 'api-next', { image: IMAGE, port: 8080 });
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
      'rules[0].headers[0].name ("bad header") must be an HTTP header name',
      'rules[0].headers[0].value (1) must be a string',
      'rules[0].backends[0].weight (-1) must be an integer from 0 to 1000000',
      'rules[0].backends[0].backend ({}) must be created with ServiceBackend.workload() or service()',
      'rules[1].backends ([]) must be a non-empty list of { backend, weight }',
    ]) expect(message).toContain(expected);
  });

  test('no rules, no gateway, a workload without a Service', () => {
    const chart = newChart('shop');
    const worker = new StatelessService(chart, 'worker', { image: IMAGE });
    expect(errorOf(() => new HttpRoute(chart, 'r1', { gateway: { name: 'g' }, rules: [] })))
      .toContain('shop/r1: rules ([]) must be a non-empty list');
    expect(errorOf(() => new HttpRoute(chart, 'r2', { rules: [{ backends: [{ backend: ServiceBackend.workload(worker) }] }] } as any)))
      .toContain('shop/r2: gateway (undefined) is required');
    expect(errorOf(() => new HttpRoute(chart, 'r3', { gateway: { name: 'g' }, rules: [{ backends: [{ backend: ServiceBackend.workload(worker) }] }] })))
      .toContain('shop/r3: rules[0].backends[0].backend.workload ("worker") has no Service (give it a port)');
  });
});
