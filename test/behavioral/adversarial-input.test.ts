/* eslint-disable @stylistic/max-len */
import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  Demands, DeploymentStrategy, DisruptionBudget, HealthCheck, HealthProbe, LifecycleHook,
} from '../../src';
import { errorOf, service } from '../helpers/errors';

// Props as JavaScript callers (or a bad cast) can pass them: each must give a validation error
// naming the prop, never a TypeError or a half-rendered object.
describe('adversarial input', () => {
  const cases: Array<[string, () => unknown, string]> = [
    ['canary(undefined)', () => service({ strategy: DeploymentStrategy.canary(undefined as any) }), 'strategy.canary.image (undefined)'],
    ['blueGreen(undefined)', () => service({ strategy: DeploymentStrategy.blueGreen(undefined as any) }), 'strategy.blueGreen.active (undefined)'],
    ['rollingUpdate with a number', () => service({ strategy: DeploymentStrategy.rollingUpdate({ maxSurge: 1 as any }) }), 'strategy.rollingUpdate.maxSurge (1) must be PercentOrAbsolute'],
    ['a plain-object budget', () => service({ disruptionBudget: { maxUnavailable: 1 } as any }), 'disruptionBudget ({"maxUnavailable":1}) must be created with DisruptionBudget'],
    ['a plain-object preStop', () => service({ lifecycle: { preStop: { exec: ['x'] } as any } }), 'lifecycle.preStop ({"exec":["x"]}) must be created with LifecycleHook'],
    ['preStopSleep as a number', () => service({ lifecycle: { preStopSleep: 5 as any } }), 'lifecycle.preStopSleep (5) must be a Duration'],
    ['preStopSleep of 2.5 s', () => service({ lifecycle: { preStopSleep: Duration.millis(2500) } }), 'lifecycle.preStop.duration ("2.5s") must be a whole number of seconds'],
    ['sleep(undefined)', () => service({ lifecycle: { preStop: LifecycleHook.sleep(undefined as any) } }), 'lifecycle.preStop.duration (undefined) is required'],
    ['a NaN duration', () => service({ health: HealthCheck.of({ liveness: HealthProbe.tcp({ period: Duration.seconds(NaN) }) }) }), 'health.liveness.period ("invalid Duration") must be a finite'],
    ['tmpSizeLimit as a number', () => service({ security: { tmpSizeLimit: 64 as any } }), 'security.tmpSizeLimit (64) must be a Size'],
    ['tmpSizeLimit of 1.5 MiB', () => service({ security: { tmpSizeLimit: Size.kibibytes(1536) } }), 'security.tmpSizeLimit ("1536Ki") must be a Size of a whole'],
    ['memory as a number', () => service({ demands: Demands.guaranteed({ cpu: kplus.Cpu.millis(100), memory: 512 as any }) }), 'demands.requests.memory (512) must be a Size'],
    ['guaranteed(undefined)', () => service({ demands: Demands.guaranteed(undefined as any) }), 'demands.cpu (undefined) is required for the Guaranteed tier'],
    ['a negative cpu limit', () => service({ demands: Demands.burstable({ requests: { memory: Size.mebibytes(64) }, limits: { cpu: kplus.Cpu.millis(-100) } }) }), 'demands.limits.cpu ("-100m") must be greater than zero'],
    ['command as a string', () => service({ command: 'ls -l' as any }), 'command ("ls -l") must be a list of strings'],
    ['a number env value', () => service({ env: { A: 5 as any } }), 'env["A"] (5) must be a string'],
    ['minReady after the deadline', () => service({ minReady: Duration.seconds(700) }), 'progressDeadline ("600s") must be longer than minReady (700s)'],
    ['a gateway with no name', () => service({ strategy: DeploymentStrategy.canary({ image: 'ghcr.io/acme/api:1.5.0', weight: 5, gateway: {} as any }) }), 'strategy.canary.gateway.name (undefined) must be a DNS-1123 subdomain'],
    ['bad host names', () => service({ strategy: DeploymentStrategy.canary({ image: 'ghcr.io/acme/api:1.5.0', weight: 5, gateway: { name: 'gw' }, hostnames: ['Not A Host'] }) }), 'strategy.canary.hostnames (["Not A Host"]) must be a list of lower-case DNS host names'],
    ['host names on a Service parent', () => service({ strategy: DeploymentStrategy.canary({ image: 'ghcr.io/acme/api:1.5.0', weight: 5, hostnames: ['a.example.com'] }) }), 'strategy.canary.hostnames (["a.example.com"]) only applies with a gateway'],
    ['allowUnpinnedImage as a string', () => service({ image: 'nginx', allowUnpinnedImage: 'false' as any }), 'image ("nginx") must be pinned'],
  ];

  test.each(cases)('%s', (_name, build, expected) => {
    const message = errorOf(build);
    expect(message).toContain('shop/api: ');
    expect(message).toContain(expected);
  });

  test('the exact-budget ratio canary with an explicit none budget still works', () => {
    expect(() => service({ disruptionBudget: DisruptionBudget.none() })).not.toThrow();
  });
});
