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

  test('the queue admits exactly its producer, both sets of workers and KEDA, on the Redis port; its list survives restarts', () => {
    const ingress = findObject(out, 'NetworkPolicy', 'reencode-queue').spec.ingress;
    const callers = ingress.filter((r: any) => r.ports?.[0]?.port === 6379)
      .map((r: any) => r.from[0].podSelector?.matchLabels['app.kubernetes.io/name'] ?? `namespace ${r.from[0].namespaceSelector.matchLabels['kubernetes.io/metadata.name']}`);
    // KEDA's operator polls the uploads list's length from its own namespace
    expect(callers.sort()).toEqual(['catalogue-api', 'namespace keda', 'reencode', 'reencode-uploads']);
    expect(findObject(out, 'StatefulSet', 'reencode-queue').spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('5Gi');
  });
});

describe('examples/work-queue.ts: uploads, scaled by KEDA', () => {
  const out = runExample('work-queue.ts');

  test('a ScaledJob on the uploads list starts Jobs of the same workers; no Job is applied for it', () => {
    const scaled = findObject(out, 'ScaledJob', 'reencode-uploads');
    expect(out.filter((m) => m.kind === 'Job').map((m) => m.metadata.name)).toEqual(['reencode']);
    expect(scaled.spec).toMatchObject({
      maxReplicaCount: 10,
      scalingStrategy: { strategy: 'accurate' },
      triggers: [{ type: 'redis', metadata: { listName: 'images:uploaded', listLength: '100', addressFromEnv: 'QUEUE_ADDRESS' } }],
      jobTargetRef: { parallelism: 2, activeDeadlineSeconds: 3600 },
    });
    const env = scaled.spec.jobTargetRef.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'QUEUE_ADDRESS', value: 'reencode-queue.media.svc.cluster.local:6379' });
    expect(env).toContainEqual({ name: 'QUEUE_NAME', value: 'images:uploaded' });
  });
});
