import { Size } from 'cdk8s';
import { StatefulService } from '../../src';
import { newChart, synth } from '../helpers/synth';

const IMG = 'ghcr.io/acme/kv:3.1.0';
test('dump', () => {
  const c = newChart('a');
  const s = new StatefulService(c, 'kv', { image: IMG, replicas: 1, mounts: [{ volume: 'tmp', path: '/x' }], volumeClaimTemplates: [{ name: 'tmp', size: Size.gibibytes(1) }] });
  s.addContainer({ name: 'side', image: IMG });
  const o = synth(c);
  console.log(JSON.stringify(o.find((m) => m.kind === 'StatefulSet')!.spec.template.spec.containers.map((x: any) => x.volumeMounts)), JSON.stringify(o.find((m) => m.kind === 'StatefulSet')!.spec.template.spec.volumes));
  const c2 = newChart('b');
  const s2 = new StatefulService(c2, 'kv', { image: IMG, replicas: 1, security: { shareTmp: true } as any, mounts: [{ volume: 'tmp', path: '/x' }], volumeClaimTemplates: [{ name: 'tmp', size: Size.gibibytes(1) }] });
  console.log(JSON.stringify(synth(c2).find((m) => m.kind === 'StatefulSet')!.spec.template.spec));
});
