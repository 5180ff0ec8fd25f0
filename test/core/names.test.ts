import { StatelessService } from '../../src';
import { errorOf, service } from '../helpers/errors';
import { findObject, newChart, synth } from '../helpers/synth';

describe('names and labels', () => {
  test('the default name comes from the construct id in kebab-case', () => {
    expect(new StatelessService(newChart(), 'PaymentApi', { image: 'ghcr.io/acme/api:1.0.0' }).name).toBe('payment-api');
    expect(new StatelessService(newChart(), 'api_v2', { image: 'ghcr.io/acme/api:1.0.0' }).name).toBe('api-v2');
  });

  test('a name that is not a DNS-1035 label (it names a Service) is rejected', () => {
    expect(errorOf(() => service({ name: 'Shop_API' }))).toContain('shop/api: name ("Shop_API") must be a DNS-1035 label (it names a Service)');
    expect(errorOf(() => service({ name: '-api' }))).toContain('name ("-api") must be a DNS-1035 label');
    // Service names must start with a letter, though other object names may start with a digit.
    expect(errorOf(() => service({ name: '1api' }))).toContain('name ("1api") must be a DNS-1035 label');
  });

  test('an id that cannot become a name says so, and points at the name prop', () => {
    expect(errorOf(() => new StatelessService(newChart(), 'api!', { image: 'ghcr.io/acme/api:1.0.0' })))
      .toContain('name (from the construct id) ("api!") must be a DNS-1035 label');
  });

  test('names too long for the derived objects are rejected', () => {
    const long = 'a'.repeat(48);
    expect(errorOf(() => service({ name: long }))).toContain(`name ("${long}") must be at most 47 characters`);
    expect(errorOf(() => service({ name: 'a'.repeat(64) }))).toContain('must be a DNS-1035 label');
  });

  test('invalid label keys and values are rejected', () => {
    const msg = errorOf(() => service({ labels: { 'bad key!': 'x', 'team': 'a'.repeat(64), 'Example.COM/x': 'y' } }));
    expect(msg).toContain('labels key ("bad key!") must be a valid label key');
    expect(msg).toContain(`labels["team"] ("${'a'.repeat(64)}") must be a valid label value`);
    expect(msg).toContain('labels key ("Example.COM/x") must be a valid label key');
  });

  test('label values derived from props are checked too', () => {
    expect(errorOf(() => service({ partOf: 'the shop' }))).toContain('partOf ("the shop") must be a valid label value');
    expect(errorOf(() => service({ appName: 'a'.repeat(64) }))).toContain('appName ("');
    expect(errorOf(() => service({ component: '-x' }))).toContain('component ("-x") must be a valid label value');
  });

  test('managed labels cannot be overridden', () => {
    const msg = errorOf(() => service({ labels: { 'app.kubernetes.io/name': 'x', 'patterns.cdk8s.io/track': 'y' } }));
    expect(msg).toContain('labels key ("app.kubernetes.io/name") must not override a label this library manages');
    expect(msg).toContain('labels key ("patterns.cdk8s.io/track") must not override');
  });

  test('other recommended labels, such as app.kubernetes.io/version, are allowed', () => {
    const svc = service({ labels: { 'app.kubernetes.io/version': '1.4.2' } });
    expect(findObject(synth(svc.node.scope as any), 'Deployment', 'api').metadata.labels['app.kubernetes.io/version']).toBe('1.4.2');
  });

  test('counts beyond int32 are rejected', () => {
    expect(errorOf(() => service({ replicas: 2 ** 31 }))).toContain('replicas (2147483648) must be >= 0 (and at most 2147483647)');
  });

  test('port names must be IANA service names, ports in range', () => {
    const msg = errorOf(() => service({ port: 0, servicePort: 70000, portName: 'a-very-long-port-name' }));
    expect(msg).toContain('port (0) must be an integer from 1 to 65535');
    expect(msg).toContain('servicePort (70000) must be an integer from 1 to 65535');
    expect(msg).toContain('portName ("a-very-long-port-name") must be an IANA service name: at most 15 characters');
    expect(errorOf(() => service({ portName: '8080' }))).toContain('portName ("8080") must be an IANA service name');
    expect(errorOf(() => service({ portName: 'a--b' }))).toContain('portName ("a--b") must be an IANA service name');
  });

  test('servicePort needs a port', () => {
    expect(errorOf(() => service({ port: undefined, servicePort: 80 }))).toContain('servicePort (80) requires port');
  });

  test('counts must be non-negative integers', () => {
    const msg = errorOf(() => service({ replicas: -1, revisionHistoryLimit: -2 }));
    expect(msg).toContain('replicas (-1) must be >= 0');
    expect(msg).toContain('revisionHistoryLimit (-2) must be >= 0');
    expect(errorOf(() => service({ replicas: 1.5 }))).toContain('replicas (1.5) must be an integer');
  });

  test('environment variable names are checked', () => {
    expect(errorOf(() => service({ env: { '1BAD': 'x' } }))).toContain('env["1BAD"].name ("1BAD") must be a valid environment variable name');
  });
});
