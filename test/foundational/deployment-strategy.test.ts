import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { BlueGreenTrack, DeploymentStrategy, DeploymentStrategyKind, NetworkPeer, PatternLabels } from '../../src';
import { errorOf, service } from '../helpers/errors';
import { findObject, synth } from '../helpers/synth';

describe('DeploymentStrategy validation', () => {
  test('a rolling update with maxSurge and maxUnavailable both 0 is rejected', () => {
    const msg = errorOf(() => service({
      strategy: DeploymentStrategy.rollingUpdate({
        maxSurge: kplus.PercentOrAbsolute.absolute(0),
        maxUnavailable: kplus.PercentOrAbsolute.percent(0),
      }),
    }));
    expect(msg).toContain('shop/api: strategy.rollingUpdate.maxUnavailable ("0%") must not be 0 when maxSurge is also 0');
  });

  test('percentages over 100 and negative numbers are rejected', () => {
    const msg = errorOf(() => service({
      strategy: DeploymentStrategy.rollingUpdate({
        maxSurge: kplus.PercentOrAbsolute.percent(150),
        maxUnavailable: kplus.PercentOrAbsolute.absolute(-1),
      }),
    }));
    expect(msg).toContain('strategy.rollingUpdate.maxSurge ("150%") must be a percentage from 0% to 100%');
    expect(msg).toContain('strategy.rollingUpdate.maxUnavailable (-1) must be a non-negative integer');
  });

  test('canary replicas must stay below stable replicas when splitting by ratio', () => {
    const msg = errorOf(() => service({ replicas: 3, strategy: DeploymentStrategy.canary({ image: 'ghcr.io/acme/api:1.5.0', replicas: 5 }) }));
    expect(msg).toContain('shop/api: strategy.canary.replicas (5) must be less than the stable replicas (3) when traffic splits by replica ratio');
  });

  test('canary weight outside 0-100 is rejected', () => {
    expect(errorOf(() => service({ strategy: DeploymentStrategy.canary({ image: 'ghcr.io/acme/api:1.5.0', weight: 120 }) })))
      .toContain('strategy.canary.weight (120) must be between 0 and 100');
    expect(errorOf(() => service({ strategy: DeploymentStrategy.canary({ image: 'ghcr.io/acme/api:1.5.0', weight: -5 }) })))
      .toContain('strategy.canary.weight (-5) must be between 0 and 100');
  });

  test('a weight that sends traffic to a canary with no replicas is rejected', () => {
    expect(errorOf(() => service({ strategy: DeploymentStrategy.canary({ image: 'ghcr.io/acme/api:1.5.0', weight: 10, replicas: 0 }) })))
      .toContain('strategy.canary.replicas (0) must be at least 1 when weight (10) sends traffic to the canary');
  });

  test('gateway and hostnames without weight are rejected', () => {
    const msg = errorOf(() => service({ strategy: DeploymentStrategy.canary({ image: 'ghcr.io/acme/api:1.5.0', gateway: { name: 'gw' }, hostnames: ['a.example.com'] }) }));
    expect(msg).toContain('strategy.canary.gateway ({"name":"gw"}) only applies with weight');
    expect(msg).toContain('strategy.canary.hostnames (["a.example.com"]) only applies with weight');
  });

  test('a weighted canary needs a port', () => {
    expect(errorOf(() => service({ port: undefined, strategy: DeploymentStrategy.canary({ image: 'ghcr.io/acme/api:1.5.0', weight: 10 }) })))
      .toContain('port (undefined) is required for a weighted canary');
  });

  test('the canary image must be pinned', () => {
    expect(errorOf(() => service({ strategy: DeploymentStrategy.canary({ image: 'ghcr.io/acme/api:latest' }) })))
      .toContain('strategy.canary.image ("ghcr.io/acme/api:latest") must be pinned');
  });

  test('blue-green cannot switch to a track that has no pods', () => {
    const msg = errorOf(() => service({ replicas: 0, strategy: DeploymentStrategy.blueGreen({ active: BlueGreenTrack.GREEN }) }));
    expect(msg).toContain('shop/api: replicas (0) must be at least 1: the active track (green) needs pods to switch traffic to');
  });

  test('blue-green rejects an unknown track and negative inactive replicas', () => {
    const msg = errorOf(() => service({ strategy: DeploymentStrategy.blueGreen({ active: 'purple' as BlueGreenTrack, inactiveReplicas: -1 }) }));
    expect(msg).toContain('strategy.blueGreen.active ("purple") must be BlueGreenTrack.BLUE or BlueGreenTrack.GREEN');
    expect(msg).toContain('strategy.blueGreen.inactiveReplicas (-1) must be >= 0');
  });

  test('kind tells which strategy it is', () => {
    expect(DeploymentStrategy.recreate().kind).toBe(DeploymentStrategyKind.RECREATE);
    expect(DeploymentStrategy.canary({ image: 'x:1' }).kind).toBe(DeploymentStrategyKind.CANARY);
  });
});

describe('canary controller: the Gateway data plane admitted to both tracks', () => {
  const CANARY = 'ghcr.io/acme/api:1.5.0';

  test('with a gateway, the NetworkPolicy admits the controller on the container port, and no other caller is needed', () => {
    const svc = service({
      port: 8080,
      servicePort: 80,
      replicas: 3,
      network: undefined,
      strategy: DeploymentStrategy.canary({
        image: CANARY, weight: 10, gateway: { name: 'public', namespace: 'gateways' }, controller: NetworkPeer.namespace('gateways'),
      }),
    });
    const policy = findObject(synth(Chart.of(svc)), 'NetworkPolicy', 'api');
    expect(policy.spec.podSelector.matchLabels).not.toHaveProperty(PatternLabels.TRACK); // both tracks
    expect(policy.spec.ingress).toEqual([{
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gateways' } } }],
      ports: [{ port: 8080, protocol: 'TCP' }],
    }]);
  });

  test('without a gateway, or without weight, a controller is reported as having no effect; one that is no NetworkPeer too', () => {
    const controller = NetworkPeer.namespace('gateways');
    expect(errorOf(() => service({ replicas: 3, strategy: DeploymentStrategy.canary({ image: CANARY, weight: 10, controller }) })))
      .toContain('strategy.canary.controller ("NetworkPeer") only applies with a gateway');
    expect(errorOf(() => service({ replicas: 3, strategy: DeploymentStrategy.canary({ image: CANARY, controller }) })))
      .toContain('strategy.canary.controller ("NetworkPeer") only applies with weight and a gateway');
    expect(errorOf(() => service({
      replicas: 3,
      strategy: DeploymentStrategy.canary({ image: CANARY, weight: 10, gateway: { name: 'public' }, controller: 'gateways' as any }),
    }))).toContain('shop/api: strategy.canary.controller ("gateways") must be a NetworkPeer');
  });
});

describe('strategy options from JavaScript: an unknown key is reported, never ignored', () => {
  test('a key of another strategy, with the nearest known one', () => {
    expect(errorOf(() => service({ strategy: DeploymentStrategy.blueGreen({ active: BlueGreenTrack.BLUE, image: 'ghcr.io/acme/api:1.5.0' } as any) })))
      .toContain('shop/api: strategy.blueGreen.image ("ghcr.io/acme/api:1.5.0") is not a prop of BlueGreenOptions');
    expect(errorOf(() => service({ replicas: 3, strategy: DeploymentStrategy.canary({ image: 'ghcr.io/acme/api:1.5.0', wieght: 5 } as any) })))
      .toContain('shop/api: strategy.canary.wieght (5) is not a prop of CanaryOptions: did you mean "weight"?');
  });
});
