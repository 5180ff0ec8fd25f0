import { Duration } from 'cdk8s';
import { HealthCheck, HealthProbe, ProbeScheme } from '../../src';
import { errorOf, service } from '../helpers/errors';
import { findObject, mainContainer, synth } from '../helpers/synth';

describe('HealthCheck', () => {
  test('HealthCheck.of sets separate probes with explicit timing', () => {
    // GIVEN different handlers per role
    const svc = service({
      health: HealthCheck.of({
        liveness: HealthProbe.http('/livez', { period: Duration.seconds(20), timeout: Duration.seconds(3), failureThreshold: 5 }),
        readiness: HealthProbe.http('/readyz', { port: 9000, scheme: ProbeScheme.HTTPS, successThreshold: 2 }),
        startup: HealthProbe.tcp({ initialDelay: Duration.seconds(5) }),
      }),
    });
    // WHEN synthesised
    const c = mainContainer(findObject(synth(svc.node.scope as any), 'Deployment', 'api'));
    // THEN each probe carries its own handler and timing
    expect(c.livenessProbe).toEqual({ httpGet: { path: '/livez', port: 8080, scheme: 'HTTP' }, initialDelaySeconds: 0, periodSeconds: 20, timeoutSeconds: 3, failureThreshold: 5, successThreshold: 1 });
    expect(c.readinessProbe).toMatchObject({ httpGet: { path: '/readyz', port: 9000, scheme: 'HTTPS' }, successThreshold: 2 });
    expect(c.startupProbe).toMatchObject({ tcpSocket: { port: 8080 }, initialDelaySeconds: 5, failureThreshold: 30 });
  });

  test('liveness and startup probes need successThreshold 1', () => {
    const msg = errorOf(() => service({
      health: HealthCheck.of({ liveness: HealthProbe.tcp({ successThreshold: 2 }), startup: HealthProbe.tcp({ successThreshold: 3 }) }),
    }));
    expect(msg).toContain('shop/api: health.liveness.successThreshold (2) must be 1 for a liveness probe');
    expect(msg).toContain('shop/api: health.startup.successThreshold (3) must be 1 for a startup probe');
  });

  test('an HTTP path must start with "/"', () => {
    // the path is checked on the probes that use it: readiness and startup (liveness of the shorthand is a TCP check)
    const msg = errorOf(() => service({ health: HealthCheck.http('healthz') }));
    expect(msg).toContain('health.readiness.path ("healthz") must start with "/"');
    expect(msg).toContain('health.startup.path ("healthz") must start with "/"');
    expect(msg).not.toContain('health.liveness.path');
  });

  test('a network probe needs a port', () => {
    const msg = errorOf(() => service({ port: undefined, health: HealthCheck.http('/healthz') }));
    expect(msg).toContain('health.readiness.port (undefined) is required for a http probe when the container has no port');
    expect(msg).toContain('health.startup.port (undefined) is required for a http probe when the container has no port');
    expect(msg).toContain('health.liveness.port (undefined) is required for a tcp probe when the container has no port');
  });

  test('ports, thresholds and durations are range-checked', () => {
    const msg = errorOf(() => service({
      health: HealthCheck.of({
        readiness: HealthProbe.grpc({ port: 70000, failureThreshold: 0, period: Duration.millis(500), timeout: Duration.millis(1500) }),
      }),
    }));
    expect(msg).toContain('health.readiness.port (70000) must be an integer from 1 to 65535');
    expect(msg).toContain('health.readiness.failureThreshold (0) must be >= 1');
    expect(msg).toContain('health.readiness.period ("0.5s") must be a whole number of seconds, at least 1');
    expect(msg).toContain('health.readiness.timeout ("1.5s") must be a whole number of seconds, at least 1');
  });

  test('an exec probe needs a command', () => {
    expect(errorOf(() => service({ health: HealthCheck.exec([]) }))).toContain('health.liveness.command ([]) must be a non-empty list');
  });

  test('a probe not made by the factories is rejected, not a TypeError', () => {
    expect(errorOf(() => service({ health: HealthCheck.of({ liveness: { path: '/x' } as any }) })))
      .toContain('health.liveness ({"path":"/x"}) must be created with HealthProbe.http(), tcp(), grpc() or exec()');
    expect(errorOf(() => service({ health: { liveness: 1 } as any }))).toContain('health ({"liveness":1}) must be created with HealthCheck');
  });
});
