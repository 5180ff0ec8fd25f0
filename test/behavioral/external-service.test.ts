import { Chart } from 'cdk8s';
import { ExternalService, ExternalServiceProps, PatternLabels } from '../../src';
import { errorOf, service } from '../helpers/errors';
import { findObject, Manifest, newChart, objectsOf, synth, validateManifests } from '../helpers/synth';

const LABELS = { [PatternLabels.NAME]: 'db', [PatternLabels.INSTANCE]: 'db', [PatternLabels.MANAGED_BY]: 'cdk8s-patterns' };
const WAIVER_REASON = 'an ExternalName Service opens nothing: it is a DNS alias of a service outside the cluster';

/** Synthesises the app of `chart` and checks the result against the Kubernetes 1.28 schema. */
function render(chart: Chart): Manifest[] {
  const out = synth(chart);
  validateManifests(out);
  return out;
}

/** The error message of building an ExternalService `db` in the chart `shop` (and synthesising it). */
function externalError(props: Partial<ExternalServiceProps>, id = 'db'): string {
  return errorOf(() => new ExternalService(newChart('shop'), id, props as ExternalServiceProps));
}

describe('ExternalService with externalName (manual FQDN)', () => {
  // GIVEN a database outside the cluster, known by DNS name
  const chart = newChart('shop', { namespace: 'prod' });
  const db = new ExternalService(chart, 'db', { externalName: 'orders.db.example.com', port: 5432 });
  // WHEN synthesised
  const out = render(chart);
  const svc = findObject(out, 'Service', 'db');

  test('emits only a Service of type ExternalName, in the chart namespace', () => {
    expect(out.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual(['Service/db']);
    expect(svc.spec.type).toBe('ExternalName');
    expect(svc.spec.externalName).toBe('orders.db.example.com');
    expect(svc.metadata.namespace).toBe('prod');
    expect(db.endpointSlices).toEqual([]);
  });

  test('has no selector and no cluster IP', () => {
    expect(svc.spec.selector).toBeUndefined();
    expect(svc.spec.clusterIP).toBeUndefined();
  });

  test('lists the port, without a targetPort (DNS only)', () => {
    expect(svc.spec.ports).toEqual([{ name: 'tcp', port: 5432, protocol: 'TCP' }]);
  });

  test('carries the KBP114 waiver, since checkers count ExternalName as a public Service type', () => {
    expect(svc.metadata.annotations).toEqual({
      'patterns.cdk8s.io/checker-ignore': `KBP114: ${WAIVER_REASON}`,
      'ignore-check.kube-linter.io/exposed-services': WAIVER_REASON,
      'kube-score/ignore': 'service-type',
      'patterns.cdk8s.io/policy-ignore': `no-exposed-service: ${WAIVER_REASON}`,
    });
  });

  test('labels the Service and exposes its name and in-cluster DNS name', () => {
    expect(svc.metadata.labels).toEqual(LABELS);
    expect(db.name).toBe('db');
    expect(db.dnsName).toBe('db.prod.svc.cluster.local');
    expect(db.service.kind).toBe('Service');
  });
});

describe('ExternalService with externalName: options', () => {
  test('without a port: no ports at all', () => {
    const chart = newChart('shop');
    new ExternalService(chart, 'db', { externalName: 'db.example.com' });
    expect(findObject(render(chart), 'Service', 'db').spec.ports).toBeUndefined();
  });

  test('portName names the port', () => {
    const chart = newChart('shop');
    new ExternalService(chart, 'db', { externalName: 'db.example.com', port: 5432, portName: 'postgres' });
    expect(findObject(render(chart), 'Service', 'db').spec.ports).toEqual([{ name: 'postgres', port: 5432, protocol: 'TCP' }]);
  });

  test('an id with dots gives a kebab-case name', () => {
    const db = new ExternalService(newChart('shop'), 'orders.db', { externalName: 'db.example.com' });
    expect(db.name).toBe('orders-db');
  });

  test('a single-label externalName is accepted', () => {
    const chart = newChart('shop');
    new ExternalService(chart, 'db', { externalName: 'localhost' });
    expect(findObject(render(chart), 'Service', 'db').spec.externalName).toBe('localhost');
  });
});

describe('ExternalService with addresses (manual IP)', () => {
  // GIVEN a legacy service on two IPv4 and one IPv6 address, port 80 in the cluster, 8080 on the hosts
  const chart = newChart('shop', { namespace: 'prod' });
  const legacy = new ExternalService(chart, 'LegacyApi', {
    addresses: ['10.0.0.10', '2001:db8::10', '10.0.0.11'],
    port: 80,
    targetPort: 8080,
    portName: 'http',
  });
  // WHEN synthesised
  const out = render(chart);
  const svc = findObject(out, 'Service', 'legacy-api');
  const v4 = findObject(out, 'EndpointSlice', 'legacy-api-ipv4');
  const v6 = findObject(out, 'EndpointSlice', 'legacy-api-ipv6');
  const labels = { [PatternLabels.NAME]: 'legacy-api', [PatternLabels.INSTANCE]: 'legacy-api', [PatternLabels.MANAGED_BY]: 'cdk8s-patterns' };

  test('emits a Service and one EndpointSlice per address family', () => {
    expect(out.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual(['Service/legacy-api', 'EndpointSlice/legacy-api-ipv4', 'EndpointSlice/legacy-api-ipv6']);
    expect(legacy.endpointSlices).toHaveLength(2);
    expect(v4.apiVersion).toBe('discovery.k8s.io/v1');
  });

  test('the Service is a ClusterIP Service without a selector, forwarding to the target port', () => {
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.selector).toBeUndefined();
    expect(svc.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }]);
    expect(svc.metadata.annotations).toBeUndefined();
    expect(svc.metadata.labels).toEqual(labels);
  });

  test('each EndpointSlice is bound to the Service by kubernetes.io/service-name and marked as ours', () => {
    for (const slice of [v4, v6]) {
      expect(slice.metadata.labels).toEqual({
        ...labels, 'kubernetes.io/service-name': 'legacy-api', 'endpointslice.kubernetes.io/managed-by': 'cdk8s-patterns',
      });
      expect(slice.metadata.namespace).toBe('prod');
    }
  });

  test('each EndpointSlice has its address type, one endpoint per address and the target port', () => {
    expect(v4.addressType).toBe('IPv4');
    expect(v4.endpoints).toEqual([{ addresses: ['10.0.0.10'] }, { addresses: ['10.0.0.11'] }]);
    expect(v6.addressType).toBe('IPv6');
    expect(v6.endpoints).toEqual([{ addresses: ['2001:db8::10'] }]);
    for (const slice of [v4, v6]) expect(slice.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
  });

  test('the name comes from the id in kebab-case, and dnsName uses the namespace', () => {
    expect(legacy.name).toBe('legacy-api');
    expect(legacy.dnsName).toBe('legacy-api.prod.svc.cluster.local');
  });
});

describe('ExternalService with addresses: options', () => {
  test('IPv4 only: one slice, named <name>-ipv4; the target port defaults to the port; the port name to tcp', () => {
    // GIVEN one IPv4 address and no targetPort
    const chart = newChart('shop');
    const db = new ExternalService(chart, 'db', { name: 'orders-db', addresses: ['192.0.2.15'], port: 5432 });
    // WHEN synthesised
    const out = render(chart);
    // THEN
    expect(objectsOf(out, 'EndpointSlice').map((s) => s.metadata.name)).toEqual(['orders-db-ipv4']);
    expect(findObject(out, 'Service', 'orders-db').spec.ports).toEqual([{ name: 'tcp', port: 5432, targetPort: 5432, protocol: 'TCP' }]);
    expect(findObject(out, 'EndpointSlice', 'orders-db-ipv4').ports).toEqual([{ name: 'tcp', port: 5432, protocol: 'TCP' }]);
    expect(findObject(out, 'EndpointSlice', 'orders-db-ipv4').metadata.labels['kubernetes.io/service-name']).toBe('orders-db');
    expect(db.dnsName).toBe('orders-db');
  });

  test('IPv6 only: one slice, named <name>-ipv6', () => {
    const chart = newChart('shop');
    new ExternalService(chart, 'db', { addresses: ['2001:db8::1', '2001:db8::2'], port: 5432 });
    const out = render(chart);
    expect(objectsOf(out, 'EndpointSlice').map((s) => [s.metadata.name, s.addressType, s.endpoints.length])).toEqual([['db-ipv6', 'IPv6', 2]]);
  });

  test('addresses just outside the multicast range, and public IPv6 addresses, are fine', () => {
    const chart = newChart('shop');
    new ExternalService(chart, 'db', { addresses: ['223.255.255.1', '240.0.0.1', '2001:4860:4860::8888'], port: 53 });
    expect(objectsOf(render(chart), 'EndpointSlice')).toHaveLength(2);
  });

  test('a name clash with a workload Service is reported at synth', () => {
    // GIVEN a StatelessService "api" and an ExternalService named "api" in one namespace
    const chart = newChart('shop');
    service({}, chart);
    new ExternalService(chart, 'upstream', { name: 'api', externalName: 'api.example.com' });
    // WHEN synthesised THEN the app check names both
    expect(errorOf(() => synth(chart))).toContain('metadata.name ("api") must be unique per kind and namespace: Service "api"');
  });
});

describe('ExternalService bad input', () => {
  const cases: Array<[string, Partial<ExternalServiceProps>, string]> = [
    ['both externalName and addresses', { externalName: 'db.example.com', addresses: ['10.0.0.1'], port: 5432 },
      'shop/db: externalName ("db.example.com") exactly one of externalName (a DNS name) and addresses (IP addresses) must be given'],
    ['neither externalName nor addresses', { port: 5432 },
      'shop/db: externalName (undefined) exactly one of externalName (a DNS name) and addresses (IP addresses) must be given'],
    ['an externalName that is an IPv4 address', { externalName: '10.0.0.1' },
      'shop/db: externalName ("10.0.0.1") must be a DNS name, not an IP address (use addresses)'],
    ['an externalName that is an IPv6 address', { externalName: '2001:db8::1' }, 'externalName ("2001:db8::1") must be a DNS name, not an IP address'],
    ['an externalName with upper case', { externalName: 'DB.example.com' },
      'shop/db: externalName ("DB.example.com") must be a DNS-1123 subdomain'],
    ['an externalName with an underscore', { externalName: 'orders_db.example.com' }, 'externalName ("orders_db.example.com") must be a DNS-1123 subdomain'],
    ['an externalName that is a URL', { externalName: 'https://db.example.com' }, 'externalName ("https://db.example.com") must be a DNS-1123 subdomain'],
    ['an empty externalName', { externalName: '' }, 'externalName ("") must be a DNS-1123 subdomain'],
    ['an empty address list', { addresses: [], port: 80 }, 'shop/db: addresses ([]) must be a non-empty list of IP addresses'],
    ['addresses that are not a list', { addresses: '10.0.0.1' as any, port: 80 }, 'addresses ("10.0.0.1") must be a non-empty list of IP addresses'],
    ['an address that is a DNS name', { addresses: ['10.0.0.1', 'db.example.com'], port: 80 },
      'shop/db: addresses[1] ("db.example.com") must be an IPv4 or IPv6 address'],
    ['an address with a prefix length', { addresses: ['10.0.0.0/24'], port: 80 }, 'addresses[0] ("10.0.0.0/24") must be an IPv4 or IPv6 address'],
    ['an address with an octet above 255', { addresses: ['10.0.0.256'], port: 80 }, 'addresses[0] ("10.0.0.256") must be an IPv4 or IPv6 address'],
    ['a loopback address', { addresses: ['127.0.0.1'], port: 80 },
      'shop/db: addresses[0] ("127.0.0.1") must not be a loopback, link-local or multicast address (the API server rejects them as endpoints)'],
    ['another loopback address', { addresses: ['127.10.0.1'], port: 80 }, 'addresses[0] ("127.10.0.1") must not be a loopback'],
    ['a link-local address (the cloud metadata endpoint)', { addresses: ['169.254.169.254'], port: 80 },
      'addresses[0] ("169.254.169.254") must not be a loopback, link-local or multicast address'],
    ['a multicast address', { addresses: ['224.0.0.1'], port: 80 }, 'addresses[0] ("224.0.0.1") must not be a loopback, link-local or multicast address'],
    ['the last multicast address', { addresses: ['239.255.255.255'], port: 80 }, 'addresses[0] ("239.255.255.255") must not be a loopback'],
    ['the IPv6 loopback', { addresses: ['::1'], port: 80 }, 'addresses[0] ("::1") must not be a loopback, link-local or multicast address'],
    ['an IPv6 link-local address', { addresses: ['fe80::1'], port: 80 }, 'addresses[0] ("fe80::1") must not be a loopback'],
    ['an upper-case IPv6 link-local address', { addresses: ['FEBF::1'], port: 80 }, 'addresses[0] ("FEBF::1") must not be a loopback'],
    ['an IPv6 multicast address', { addresses: ['ff02::1'], port: 80 }, 'addresses[0] ("ff02::1") must not be a loopback'],
    ['addresses without a port', { addresses: ['10.0.0.1'] }, 'shop/db: port (undefined) is required with addresses'],
    ['a targetPort with externalName', { externalName: 'db.example.com', port: 5432, targetPort: 15432 },
      'shop/db: targetPort (15432) does not apply to an ExternalName Service (DNS only; clients use the port they know)'],
    ['a port above 65535', { externalName: 'db.example.com', port: 65536 }, 'shop/db: port (65536) must be an integer from 1 to 65535'],
    ['a targetPort of 0', { addresses: ['10.0.0.1'], port: 80, targetPort: 0 }, 'shop/db: targetPort (0) must be an integer from 1 to 65535'],
    ['a portName that is not an IANA service name', { externalName: 'db.example.com', port: 5432, portName: 'PostgreSQL' },
      'shop/db: portName ("PostgreSQL") must be an IANA service name'],
    ['a name with upper case', { name: 'OrdersDB', externalName: 'db.example.com' },
      'shop/db: name ("OrdersDB") must be a DNS-1035 label (it names a Service)'],
    ['a name starting with a digit', { name: '1db', externalName: 'db.example.com' }, 'shop/db: name ("1db") must be a DNS-1035 label'],
    ['a name of 64 characters', { name: 'a'.repeat(64), addresses: ['10.0.0.1'], port: 80 }, 'must be a DNS-1035 label'],
  ];

  test.each(cases)('%s', (_title, props, message) => {
    // GIVEN an ExternalService with one bad prop WHEN built THEN a validation error names it
    const error = externalError(props);
    expect(error).toContain('cdk8s-patterns:');
    expect(error).toContain(message);
  });

  test('a name derived from an id that is not a DNS-1035 label blames the construct id', () => {
    expect(externalError({ externalName: 'db.example.com' }, '2db')).toContain('shop/2db: name (from the construct id) ("2db") must be a DNS-1035 label');
  });

  test('no props at all is a validation error, not a TypeError', () => {
    expect(errorOf(() => new ExternalService(newChart('shop'), 'db', undefined as any))).toContain(
      'shop/db: externalName (undefined) exactly one of externalName (a DNS name) and addresses (IP addresses) must be given');
  });

  test('every problem is listed in one error', () => {
    // GIVEN bad addresses, no port and a bad port name
    const error = externalError({ name: 'DB', addresses: ['localhost', '127.0.0.1'], portName: '--' });
    // THEN one error lists all of them
    expect(error).toContain('cdk8s-patterns: 5 invalid values:');
    for (const part of ['name ("DB")', 'portName ("--")', 'port (undefined) is required with addresses', 'addresses[0] ("localhost")',
      'addresses[1] ("127.0.0.1")']) {
      expect(error).toContain(part);
    }
  });
});

describe('ExternalService edge cases that once slipped through', () => {
  // Regression: isSpecial() misses the unspecified addresses and spelled-out or IPv4-mapped forms of
  // special addresses; the API server rejects all of these as endpoint addresses
  // (ValidateNonSpecialIP / IsValidIPv6Address), so the EndpointSlice cannot be applied.
  test('the unspecified IPv4 address 0.0.0.0 is rejected', () => {
    expect(externalError({ addresses: ['0.0.0.0'], port: 80 })).toContain('addresses[0] ("0.0.0.0")');
  });

  test('the unspecified IPv6 address :: is rejected', () => {
    expect(externalError({ addresses: ['::'], port: 80 })).toContain('addresses[0] ("::")');
  });

  test('the IPv6 loopback written out in full (0:0:0:0:0:0:0:1) is rejected', () => {
    expect(externalError({ addresses: ['0:0:0:0:0:0:0:1'], port: 80 })).toContain('addresses[0] ("0:0:0:0:0:0:0:1") must not be a loopback');
  });

  test('an IPv4-mapped IPv6 address (::ffff:10.0.0.1) is rejected (not a valid IPv6 endpoint)', () => {
    expect(externalError({ addresses: ['::ffff:10.0.0.1'], port: 80 })).toContain('addresses[0] ("::ffff:10.0.0.1")');
  });
});

describe('ExternalService: review findings', () => {
  test('an IPv6 address with a zone is rejected, not a TypeError', () => {
    expect(errorOf(() => new ExternalService(newChart('shop'), 'x', { addresses: ['fe80::1%eth0'], port: 80 })))
      .toContain('shop/x: addresses[0] ("fe80::1%eth0") must be an IPv4 or IPv6 address (without a zone)');
  });

  test('more than 1000 addresses (the size limit of an EndpointSlice) are rejected', () => {
    const addresses = Array.from({ length: 1001 }, (_, i) => `10.1.${Math.floor(i / 250)}.${(i % 250) + 1}`);
    expect(errorOf(() => new ExternalService(newChart('shop'), 'x', { addresses, port: 80 })))
      .toContain('shop/x: addresses ("1001 addresses") must be at most 1000');
  });

  test('a fully qualified externalName with a trailing dot is accepted, as Kubernetes does', () => {
    const chart = newChart('shop');
    new ExternalService(chart, 'x', { externalName: 'db.example.com.' });
    expect(findObject(synth(chart), 'Service', 'x').spec.externalName).toBe('db.example.com.');
  });
});
