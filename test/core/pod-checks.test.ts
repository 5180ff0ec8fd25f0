import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { DeploymentStrategy } from '../../src';
import { service } from '../helpers/errors';
import { synth } from '../helpers/synth';

// Things users can add through the raw kplus objects after construction: checked at synth.
describe('rendered pod checks', () => {
  test('a container added with the raw kplus API must be hardened too', () => {
    // GIVEN a sidecar added without the library's hardened defaults
    const svc = service({});
    svc.deployment.addContainer({ name: 'sidecar', image: 'ghcr.io/acme/proxy:1.0.0', securityContext: { ensureNonRoot: false } });
    // THEN synth lists what the restricted standard requires
    const err = () => synth(svc.node.scope as any);
    expect(err).toThrow(/shop\/api: deployment.spec.template.spec.containers\["sidecar"\].securityContext.capabilities.drop \(\[\]\) must include "ALL"/);
    expect(err).toThrow(/containers\["sidecar"\].securityContext.runAsNonRoot \(false\) must be true/);
    expect(err).toThrow(/containers\["sidecar"\].securityContext.capabilities.drop \(\[\]\) must include "ALL"/);
  });

  test('a hardened raw container passes', () => {
    const svc = service({});
    svc.deployment.addContainer({
      name: 'sidecar',
      image: 'ghcr.io/acme/proxy:1.0.0',
      securityContext: { ensureNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: [kplus.Capability.ALL] } },
      resources: { cpu: { request: kplus.Cpu.millis(10) } },
    });
    expect(() => synth(svc.node.scope as any)).not.toThrow();
  });

  test('duplicate port names and mount paths are rejected', () => {
    const svc = service({});
    const vol = kplus.Volume.fromEmptyDir(svc, 'Cache', 'cache');
    svc.deployment.containers[0].mount('/tmp', vol);
    svc.deployment.addContainer({
      name: 'sidecar',
      image: 'ghcr.io/acme/proxy:1.0.0',
      ports: [{ number: 9090, name: 'http' }],
      securityContext: { ensureNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: [kplus.Capability.ALL] } },
    });
    const err = () => synth(svc.node.scope as any);
    expect(err).toThrow(/containers\["app"\].volumeMounts.mountPath \("\/tmp"\) must not be mounted twice in one container/);
    expect(err).toThrow(/containers\["sidecar"\].ports.name \("http"\) must be unique within the pod \(also used by container "app"\)/);
  });

  test('a Service changed to select nothing is rejected', () => {
    const svc = service({});
    svc.service!.selectLabel('tier', 'frontend');
    svc.service!.bind(9999, { name: 'metrics' });
    const err = () => synth(svc.node.scope as any);
    expect(err).toThrow(/service.spec.selector .* must match the pods of a Deployment of this construct/);
  });

  test('a Service port whose target no pod exposes is rejected', () => {
    const svc = service({});
    svc.service!.bind(9999, { name: 'metrics' });
    expect(() => synth(svc.node.scope as any)).toThrow(/service.spec.ports\["metrics"\].targetPort \(9999\) must be a container port of every selected pod \(missing in Deployment "api"\)/);
  });
});

describe('rendered pod checks: every track', () => {
  test('a Service port must exist on every selected Deployment, not just one', () => {
    // GIVEN a canary whose stable track alone gains a metrics port the Service exposes
    const svc = service({ replicas: 3, strategy: DeploymentStrategy.canary({ image: 'ghcr.io/acme/api:1.5.0' }) });
    svc.deployment.containers[0].addPort({ number: 9000, name: 'metrics' });
    svc.service!.bind(9000, { name: 'metrics', targetPort: 9000 });
    // THEN the canary track is named as missing it
    expect(() => synth(svc.node.scope as any)).toThrow(/service.spec.ports\["metrics"\].targetPort \(9000\) must be a container port of every selected pod \(missing in Deployment "api-canary"\)/);
  });

  test('host namespaces and a mount with no volume are rejected', () => {
    const svc = service({});
    const apiObject = ApiObject.of(svc.deployment);
    apiObject.addJsonPatch(JsonPatch.add('/spec/template/spec/hostNetwork', true));
    apiObject.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/volumeMounts/-', { name: 'ghost', mountPath: '/ghost' }));
    const err = () => synth(svc.node.scope as any);
    expect(err).toThrow(/deployment.spec.template.spec.hostNetwork \(true\) must not be set under the restricted Pod Security Standard/);
    expect(err).toThrow(/containers\["app"\].volumeMounts.name \("ghost"\) must name a volume of the pod/);
  });

  test('a probe with two handlers and added capabilities are rejected', () => {
    const svc = service({});
    const apiObject = ApiObject.of(svc.deployment);
    apiObject.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/livenessProbe/exec', { command: ['true'] }));
    apiObject.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/securityContext/capabilities/add', ['NET_ADMIN']));
    const err = () => synth(svc.node.scope as any);
    expect(err).toThrow(/containers\["app"\].livenessProbe \(\["tcpSocket","exec"\]\) must have exactly one handler/);
    expect(err).toThrow(/containers\["app"\].securityContext.capabilities.add \(\["NET_ADMIN"\]\) may only add NET_BIND_SERVICE/);
  });
});
