import { Chart } from 'cdk8s';
import { attachAutoscaler, namespaceProblem } from '../../src/advanced/attach';
import { Problems } from '../../src/core/validation';
import { service } from '../helpers/errors';

describe('attachAutoscaler: the autoscalers of one workload must not fight', () => {
  const hpa = (resources: string[]) => ({ kind: 'HorizontalPodAutoscaler', path: 'shop/hpa', horizontal: true, resources });
  const vpa = (resources: string[]) => ({ kind: 'VerticalPodAutoscaler', path: 'shop/vpa', horizontal: false, resources });

  function attach(first: any, second: any): string[] {
    const api = service({});
    attachAutoscaler(api, first, new Problems(api));
    const problems = new Problems(api);
    attachAutoscaler(api, second, problems);
    expect(api._autoscalers).toHaveLength(problems.isEmpty ? 2 : 1); // a refused autoscaler is not recorded
    return problems.messages();
  }

  test('two horizontal scalers clash; a vertical one that changes a resource the horizontal one scales on clashes, in either order', () => {
    expect(attach(hpa(['cpu']), { ...hpa([]), kind: 'ScaledObject', path: 'shop/keda' })[0]).toMatch(/^workload \("api"\) is already scaled by the HorizontalPodAutoscaler at shop\/hpa/);
    expect(attach(hpa(['cpu']), vpa(['cpu', 'memory']))[0]).toMatch(/^workload \("api"\) has a vertical autoscaler \(shop\/vpa\) that changes the cpu requests, which a horizontal one \(shop\/hpa\)/);
    expect(attach(vpa(['memory']), hpa(['memory', 'cpu']))[0]).toContain('changes the memory requests');
  });

  test('a vertical scaler on other resources, or one that only recommends (no resources), is fine', () => {
    expect(attach(hpa(['cpu']), vpa(['memory']))).toEqual([]);
    expect(attach(vpa([]), hpa(['cpu']))).toEqual([]);
    expect(attach(hpa([]), vpa(['cpu']))).toEqual([]); // the HPA scales on a custom metric
  });

  test('an autoscaler in another namespace than its workload', () => {
    const api = service({});
    const other = new Chart(Chart.of(api).node.scope!, 'ops', { namespace: 'ops' });
    const problems = new Problems(other);
    namespaceProblem(other, api, problems);
    expect(problems.messages()).toEqual([
      'workload ("api") is in namespace (none) and the autoscaler in ops: an autoscaler scales a workload of its own namespace (create it in the workload\'s chart)',
    ]);
  });
});
