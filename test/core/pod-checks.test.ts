import * as kplus from 'cdk8s-plus-28';
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
    expect(err).toThrow(/\[shop\/api\] deployment.spec.template.spec.containers\["sidecar"\].securityContext.capabilities.drop \(\[\]\) must include "ALL"/);
    expect(err).toThrow(/containers\["sidecar"\].securityContext.seccompProfile.type \("RuntimeDefault"\)|containers\["sidecar"\].securityContext.runAsNonRoot/);
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

  test('a Service changed to select nothing, or a port no pod has, is rejected', () => {
    const svc = service({});
    svc.service!.selectLabel('tier', 'frontend');
    svc.service!.bind(9999, { name: 'metrics' });
    const err = () => synth(svc.node.scope as any);
    expect(err).toThrow(/service.spec.selector .* must match the pods of a Deployment of this service/);
  });

  test('a Service port whose target no pod exposes is rejected', () => {
    const svc = service({});
    svc.service!.bind(9999, { name: 'metrics' });
    expect(() => synth(svc.node.scope as any)).toThrow(/service.spec.ports\["metrics"\].targetPort \(9999\) must be a container port of the selected pods/);
  });
});
