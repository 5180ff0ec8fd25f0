import { Duration } from 'cdk8s';
import { LifecycleHook } from '../../src';
import { errorOf, service } from '../helpers/errors';
import { findObject, mainContainer, synth } from '../helpers/synth';

describe('Managed lifecycle', () => {
  test('postStart and preStop hooks: exec and HTTP', () => {
    const svc = service({ lifecycle: { postStart: LifecycleHook.exec(['/bin/warm-up']), preStop: LifecycleHook.httpGet('/drain') } });
    const c = mainContainer(findObject(synth(svc.node.scope as any), 'Deployment', 'api'));
    expect(c.lifecycle.postStart).toEqual({ exec: { command: ['/bin/warm-up'] } });
    expect(c.lifecycle.preStop).toEqual({ httpGet: { path: '/drain', port: 8080, scheme: 'HTTP' } });
  });

  test('LifecycleHook.sleep renders an exec sleep (no native sleep action in 1.28)', () => {
    const svc = service({ lifecycle: { preStop: LifecycleHook.sleep(Duration.seconds(10)) } });
    const c = mainContainer(findObject(synth(svc.node.scope as any), 'Deployment', 'api'));
    expect(c.lifecycle.preStop).toEqual({ exec: { command: ['sleep', '10'] } });
  });

  test('preStop and preStopSleep cannot both be set', () => {
    expect(errorOf(() => service({ lifecycle: { preStop: LifecycleHook.exec(['x']), preStopSleep: Duration.seconds(5) } })))
      .toContain('shop/api: lifecycle.preStopSleep ("5s") cannot be combined with preStop');
  });

  test('a preStop sleep must end before the grace period does', () => {
    expect(errorOf(() => service({ lifecycle: { gracePeriod: Duration.seconds(10), preStopSleep: Duration.seconds(10) } })))
      .toContain('lifecycle.preStopSleep ("10s") must be shorter than gracePeriod (10s)');
  });

  test('hook commands, paths and ports are checked', () => {
    const msg = errorOf(() => service({ port: undefined, lifecycle: { postStart: LifecycleHook.exec([]), preStop: LifecycleHook.httpGet('drain') } }));
    expect(msg).toContain('lifecycle.postStart.command ([]) must be a non-empty list');
    expect(msg).toContain('lifecycle.preStop.path ("drain") must start with "/"');
    expect(msg).toContain('lifecycle.preStop.port (undefined) is required when the container has no port');
  });

  test('the grace period must be whole seconds', () => {
    expect(errorOf(() => service({ lifecycle: { gracePeriod: Duration.millis(2500) } })))
      .toContain('lifecycle.gracePeriod ("2.5s") must be a whole number of seconds, at least 0');
  });
});
