import { isIP } from 'net';
import { ApiObject, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { exposedServiceWaiver } from './service-exposure';
import { deferConstruction, registerAppChecks } from '../core/app-checks';
import { KNOWN_PROPS } from '../core/known-props';
import { standardLabels } from '../core/labels';
import { checkDns1035Label, checkDnsSubdomain, checkPort, checkPortName, defaultNameFromId, namePropOf } from '../core/names';
import { checkKnownKeys, Problems } from '../core/validation';

/** Props of an `ExternalService`: exactly one of `externalName` and `addresses`. */
export interface ExternalServiceProps {
  /**
   * Name of the Service, which in-cluster clients resolve.
   * @default - the construct id in kebab-case
   */
  readonly name?: string;
  /**
   * Manual FQDN: a DNS name outside the cluster (a Service of type ExternalName, a CNAME).
   * @default - none
   */
  readonly externalName?: string;
  /**
   * Manual IP: addresses outside the cluster (a Service without a selector and an EndpointSlice).
   * @default - none
   */
  readonly addresses?: string[];
  /**
   * Port of the Service (required with `addresses`).
   * @default - none
   */
  readonly port?: number;
  /**
   * Port on the addresses.
   * @default - the same as `port`
   */
  readonly targetPort?: number;
  /**
   * Name of the port.
   * @default 'tcp'
   */
  readonly portName?: string;
}

/**
 * A service outside the cluster with an in-cluster name (Service Discovery): clients use
 * `<name>` (or `dnsName`) as for any Service, and the cluster resolves it to a DNS name
 * (`externalName`, manual FQDN) or to fixed addresses (`addresses`, manual IP, through a
 * selector-less Service and an EndpointSlice). Moving the service into the cluster later changes
 * this object only, not its clients.
 * @see https://kubernetes.io/docs/concepts/services-networking/service/#services-without-selectors
 */
export class ExternalService extends Construct {
  /** Name of the Service. */
  public readonly name!: string;
  /** The Service. */
  public readonly service!: ApiObject;
  /** The EndpointSlices of `addresses` (one per address family). */
  public readonly endpointSlices!: ApiObject[];
  /** The in-cluster DNS name: `<name>.<namespace>.svc.cluster.local`, or `<name>` without a namespace. */
  public readonly dnsName!: string;

  constructor(scope: Construct, id: string, props: ExternalServiceProps) {
    super(scope, id);
    try {
      const p = props ?? ({} as ExternalServiceProps);
      const problems = new Problems(this);
      checkKnownKeys(problems, '', props, KNOWN_PROPS.ExternalServiceProps, 'ExternalServiceProps');
      this.name = p.name ?? defaultNameFromId(id);
      checkDns1035Label(problems, namePropOf(p.name), this.name);
      problems.check((p.externalName !== undefined) !== (p.addresses !== undefined), 'externalName', p.externalName,
        'exactly one of externalName (a DNS name) and addresses (IP addresses) must be given');
      checkPort(problems, 'port', p.port);
      checkPort(problems, 'targetPort', p.targetPort);
      const portName = p.portName ?? 'tcp';
      checkPortName(problems, 'portName', portName);
      if (p.externalName !== undefined) {
        // Kubernetes strips one trailing dot (a fully qualified name) before it validates.
        checkDnsSubdomain(problems, 'externalName', typeof p.externalName === 'string' ? p.externalName.replace(/\.$/, '') : p.externalName);
        problems.check(typeof p.externalName !== 'string' || isIP(p.externalName) === 0, 'externalName', p.externalName, 'must be a DNS name, not an IP address (use addresses)');
        problems.check(p.targetPort === undefined, 'targetPort', p.targetPort, 'does not apply to an ExternalName Service (DNS only; clients use the port they know)');
      }
      const addresses = Array.isArray(p.addresses) ? p.addresses : [];
      if (p.addresses !== undefined) {
        problems.check(Array.isArray(p.addresses) && p.addresses.length > 0, 'addresses', p.addresses, 'must be a non-empty list of IP addresses');
        problems.check(p.port !== undefined, 'port', p.port, 'is required with addresses');
        problems.check(addresses.length <= 1000, 'addresses', `${addresses.length} addresses`, 'must be at most 1000 (the size limit of an EndpointSlice)');
        addresses.forEach((a, i) => {
          const family = typeof a !== 'string' || a.includes('%') ? 0 : isIP(a);
          problems.check(family !== 0, `addresses[${i}]`, a, 'must be an IPv4 or IPv6 address (without a zone)');
          problems.check(family === 0 || !isSpecial(a), `addresses[${i}]`, a,
            'must not be a loopback, link-local or multicast address (the API server rejects them as endpoints)');
        });
      }
      problems.throwIfAny();

      const labels = standardLabels({ name: this.name, instance: this.name });
      const ports = p.port !== undefined ? [{ name: portName, port: p.port, targetPort: p.targetPort ?? p.port, protocol: kplus.Protocol.TCP }] : [];
      if (p.externalName !== undefined) {
        this.service = new kplus.k8s.KubeService(this, 'Resource', {
          // Checkers count ExternalName among the public Service types; it only aliases a DNS name.
          metadata: { name: this.name, labels, annotations: exposedServiceWaiver('an ExternalName Service opens nothing: it is a DNS alias of a service outside the cluster') },
          spec: {
            type: 'ExternalName',
            externalName: p.externalName,
            ...(p.port !== undefined ? { ports: [{ name: portName, port: p.port, protocol: 'TCP' }] } : {}),
          },
        });
        this.endpointSlices = [];
      } else {
        this.service = new kplus.k8s.KubeService(this, 'Resource', {
          metadata: { name: this.name, labels },
          spec: {
            type: 'ClusterIP',
            ports: ports.map((x) => ({ name: x.name, port: x.port, targetPort: kplus.k8s.IntOrString.fromNumber(x.targetPort), protocol: 'TCP' })),
          },
        });
        const families: Array<['IPv4' | 'IPv6', string[]]> = [
          ['IPv4', addresses.filter((a) => isIP(a) === 4)],
          ['IPv6', addresses.filter((a) => isIP(a) === 6)],
        ];
        this.endpointSlices = families.filter(([, list]) => list.length > 0).map(([family, list]) => new kplus.k8s.KubeEndpointSlice(this, family, {
          metadata: {
            name: `${this.name}-${family.toLowerCase()}`,
            labels: { ...labels, 'kubernetes.io/service-name': this.name, 'endpointslice.kubernetes.io/managed-by': 'cdk8s-patterns' },
          },
          addressType: family,
          endpoints: list.map((a) => ({ addresses: [a] })),
          ports: [{ name: portName, port: p.targetPort ?? p.port!, protocol: 'TCP' }],
        }));
      }
      const ns = Chart.of(this).namespace;
      this.dnsName = ns !== undefined ? `${this.name}.${ns}.svc.cluster.local` : this.name;
      registerAppChecks(this);
    } catch (e) {
      return deferConstruction(this, e);
    }
  }
}

/**
 * Addresses an EndpointSlice may not hold (the API server's ValidateNonSpecialIP and IPv6 checks):
 * unspecified, loopback, link-local and multicast, and IPv4-mapped IPv6 addresses.
 */
function isSpecial(a: string): boolean {
  if (isIP(a) === 4) return /^(0\.|127\.|169\.254\.|22[4-9]\.|23[0-9]\.)/.test(a);
  // The URL parser writes an IPv6 address in its canonical, compressed form: "0:0::1" becomes "::1".
  const canonical = new URL(`http://[${a}]/`).hostname.slice(1, -1).toLowerCase();
  return canonical === '::' || canonical === '::1' || /^fe[89ab]/.test(canonical) || canonical.startsWith('ff') || canonical.startsWith('::ffff:');
}
