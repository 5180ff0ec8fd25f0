import { runExample } from '../helpers/examples';
import { findObject, mainContainer } from '../helpers/synth';

describe('examples/work-queue.ts', () => {
  const out = runExample('work-queue.ts');
  const job = findObject(out, 'Job', 'reencode');

  test('six workers in work-queue mode, finding the Redis queue by its Service', () => {
    expect(job.spec.parallelism).toBe(6);
    expect(job.spec.completions).toBeUndefined();
    const env = Object.fromEntries(mainContainer(job).env.map((e: any) => [e.name, e.value]));
    expect(env).toMatchObject({
      QUEUE_HOST: 'reencode-queue.media.svc.cluster.local', QUEUE_PORT: '6379', QUEUE_NAME: 'images:reencode', TARGET_FORMAT: 'avif',
    });
    expect(findObject(out, 'Service', 'reencode-queue').spec.ports[0].port).toBe(6379);
  });

  test('the queue admits exactly its producer and its workers, on the Redis port; its list survives restarts', () => {
    const ingress = findObject(out, 'NetworkPolicy', 'reencode-queue').spec.ingress;
    const callers = ingress.filter((r: any) => r.ports?.[0]?.port === 6379).map((r: any) => r.from[0].podSelector.matchLabels['app.kubernetes.io/name']);
    expect(callers.sort()).toEqual(['catalogue-api', 'reencode']);
    expect(findObject(out, 'StatefulSet', 'reencode-queue').spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('5Gi');
  });
});
