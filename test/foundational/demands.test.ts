import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Demands, QosClass } from '../../src';
import { errorOf, service } from '../helpers/errors';
import { findObject, mainContainer, synth } from '../helpers/synth';

const resourcesOf = (demands: Demands) => {
  const svc = service({ demands });
  return mainContainer(findObject(synth(svc.node.scope as any), 'Deployment', 'api')).resources;
};

describe('Demands', () => {
  test('guaranteed: limits equal requests', () => {
    const d = Demands.guaranteed({ cpu: kplus.Cpu.millis(500), memory: Size.mebibytes(512), ephemeralStorage: Size.gibibytes(1) });
    expect(d.qosClass).toBe(QosClass.GUARANTEED);
    expect(resourcesOf(d)).toEqual({
      requests: { 'cpu': '500m', 'memory': '512Mi', 'ephemeral-storage': '1Gi' },
      limits: { 'cpu': '500m', 'memory': '512Mi', 'ephemeral-storage': '1Gi' },
    });
  });

  test('burstable: requests with optional limits', () => {
    const d = Demands.burstable({ requests: { cpu: kplus.Cpu.millis(250), memory: Size.mebibytes(256) }, limits: { memory: Size.mebibytes(512) } });
    expect(d.qosClass).toBe(QosClass.BURSTABLE);
    expect(resourcesOf(d)).toEqual({
      requests: { 'cpu': '250m', 'memory': '256Mi', 'ephemeral-storage': '128Mi' },
      limits: { 'memory': '512Mi', 'ephemeral-storage': '1Gi' },
    });
  });

  test('bestEffort: no cpu or memory at all (not cdk8s-plus-28 defaults), ephemeral storage keeps its default', () => {
    expect(Demands.bestEffort().qosClass).toBe(QosClass.BEST_EFFORT);
    // ephemeral storage does not decide the QoS class: the pod stays BestEffort
    expect(resourcesOf(Demands.bestEffort())).toEqual({ requests: { 'ephemeral-storage': '128Mi' }, limits: { 'ephemeral-storage': '1Gi' } });
  });

  test('limits lower than requests are rejected', () => {
    const msg = errorOf(() => service({
      demands: Demands.burstable({
        requests: { cpu: kplus.Cpu.units(2), memory: Size.gibibytes(1) },
        limits: { cpu: kplus.Cpu.millis(500), memory: Size.mebibytes(512) },
      }),
    }));
    expect(msg).toContain('shop/api: demands.limits.cpu ("500m") must not be lower than the request (2)');
    expect(msg).toContain('shop/api: demands.limits.memory ("512Mi") must not be lower than the request (1Gi)');
  });

  test('equal amounts written differently are equal (exact arithmetic: 0.7 cores is 700m)', () => {
    const d = Demands.burstable({ requests: { cpu: kplus.Cpu.millis(700) }, limits: { cpu: kplus.Cpu.units(0.7) } });
    expect(resourcesOf(d)).toEqual({ requests: { 'cpu': '700m', 'ephemeral-storage': '128Mi' }, limits: { 'cpu': '0.7', 'ephemeral-storage': '1Gi' } });
  });

  test('a Burstable tier must request cpu or memory', () => {
    expect(errorOf(() => service({ demands: Demands.burstable({ requests: {} }) })))
      .toContain('demands.requests ({}) must set cpu or memory for the Burstable tier');
  });

  test('amounts that cannot be rendered exactly (in whole MiB) are rejected, not rounded', () => {
    const msg = errorOf(() => service({
      demands: Demands.guaranteed({ cpu: kplus.Cpu.millis(100), memory: Size.kibibytes(1536), ephemeralStorage: Size.kibibytes(1536) }),
    }));
    expect(msg).toContain('demands.requests.memory ("1536Ki") must be a whole number of mebibytes');
    expect(msg).toContain('demands.limits.ephemeralStorage ("1536Ki") must be a whole number of mebibytes');
  });

  test('ephemeral storage has MiB precision: a non-whole GiB such as 512Mi is rendered exactly', () => {
    const d = Demands.guaranteed({ cpu: kplus.Cpu.millis(100), memory: Size.mebibytes(128), ephemeralStorage: Size.mebibytes(512) });
    expect(resourcesOf(d)).toEqual({
      requests: { 'cpu': '100m', 'memory': '128Mi', 'ephemeral-storage': '512Mi' },
      limits: { 'cpu': '100m', 'memory': '128Mi', 'ephemeral-storage': '512Mi' },
    });
  });
});
