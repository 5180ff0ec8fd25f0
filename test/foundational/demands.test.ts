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
    expect(resourcesOf(d)).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } });
  });

  test('bestEffort: no resources at all (not cdk8s-plus-28 defaults)', () => {
    expect(Demands.bestEffort().qosClass).toBe(QosClass.BEST_EFFORT);
    expect(resourcesOf(Demands.bestEffort())).toBeUndefined();
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
    expect(resourcesOf(d)).toEqual({ requests: { cpu: '700m' }, limits: { cpu: '0.7' } });
  });

  test('a Burstable tier must request cpu or memory', () => {
    expect(errorOf(() => service({ demands: Demands.burstable({ requests: {} }) })))
      .toContain('demands.requests ({}) must set cpu or memory for the Burstable tier');
  });

  test('amounts cdk8s-plus-28 cannot render exactly are rejected, not rounded', () => {
    const msg = errorOf(() => service({
      demands: Demands.guaranteed({ cpu: kplus.Cpu.millis(100), memory: Size.kibibytes(1536), ephemeralStorage: Size.mebibytes(512) }),
    }));
    expect(msg).toContain('demands.requests.memory ("1536Ki") must be a whole number of mebibytes');
    expect(msg).toContain('demands.limits.ephemeralStorage ("512Mi") must be a whole number of gibibytes');
  });
});
