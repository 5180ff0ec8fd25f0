import { Chart, Size } from 'cdk8s';
import {
  AccessMode, BatchJob, DeploymentStrategy, PatternLabels, PeriodicJob, PersistentVolumeClaim, PersistentVolumeClaimProps, StatelessService,
  VolumeMode,
} from '../../src';
import { errorOf } from '../helpers/errors';
import { findObject, Manifest, newChart, objectsOf, synth, validateManifests } from '../helpers/synth';

const JOB_IMAGE = 'ghcr.io/acme/report-builder:1.6.0';

/** A PersistentVolumeClaim `results` in a fresh chart (namespace `reports`) with `props` over a valid baseline. */
function claim(props: Partial<PersistentVolumeClaimProps> = {}, chart: Chart = newChart('reports', { namespace: 'reports' })): PersistentVolumeClaim {
  return new PersistentVolumeClaim(chart, 'results', { size: Size.gibibytes(20), ...props } as PersistentVolumeClaimProps);
}

/** Synthesises the chart of `c` (strict 1.28 schema included); the claim's manifest. */
function render(c: PersistentVolumeClaim): Manifest {
  const out = synth(c.node.scope as Chart);
  expect(() => validateManifests(out)).not.toThrow();
  return findObject(out, 'PersistentVolumeClaim', c.claimName);
}

describe('PersistentVolumeClaim defaults', () => {
  // GIVEN a claim with a size only
  const c = claim();
  // WHEN synthesised
  const pvc = render(c);

  test('named after the construct id, in the chart namespace, with the standard labels', () => {
    expect(c.claimName).toBe('results');
    expect(pvc.apiVersion).toBe('v1');
    expect(pvc.metadata).toEqual({
      name: 'results',
      namespace: 'reports',
      labels: { [PatternLabels.NAME]: 'results', [PatternLabels.INSTANCE]: 'results', [PatternLabels.MANAGED_BY]: 'cdk8s-patterns' },
    });
  });

  test('ReadWriteOnce, Filesystem, the requested size, and the cluster default class', () => {
    expect(pvc.spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '20Gi' } }, volumeMode: 'Filesystem' });
    expect(c.accessModes).toEqual([AccessMode.READ_WRITE_ONCE]);
  });

  test('a camel-case id becomes a kebab-case name', () => {
    const named = new PersistentVolumeClaim(newChart('reports'), 'ReportResults', { size: Size.gibibytes(1) });
    expect(named.claimName).toBe('report-results');
    expect(render(named).metadata.name).toBe('report-results');
  });
});

describe('PersistentVolumeClaim options', () => {
  test('an explicit name and extra labels (the standard ones kept)', () => {
    // GIVEN a name and a team label
    const pvc = render(claim({ name: 'report-results', labels: { team: 'finance' } }));
    // THEN both are rendered
    expect(pvc.metadata.name).toBe('report-results');
    expect(pvc.metadata.labels).toEqual({
      team: 'finance',
      [PatternLabels.NAME]: 'report-results',
      [PatternLabels.INSTANCE]: 'report-results',
      [PatternLabels.MANAGED_BY]: 'cdk8s-patterns',
    });
  });

  test.each([
    [Size.mebibytes(10), '10Mi'], [Size.gibibytes(10), '10Gi'], [Size.mebibytes(1536), '1536Mi'],
    [Size.kibibytes(2048), '2Mi'], [Size.tebibytes(1), '1Ti'],
  ])('size %o renders as %s', (size, expected) => {
    expect(render(claim({ size })).spec.resources).toEqual({ requests: { storage: expected } });
  });

  test('access modes, storage class and volume mode', () => {
    // GIVEN a shared NFS claim
    const c = claim({
      accessModes: [AccessMode.READ_WRITE_MANY, AccessMode.READ_ONLY_MANY], storageClassName: 'nfs-client', volumeMode: VolumeMode.FILESYSTEM,
    });
    const pvc = render(c);
    // THEN every field is rendered as given
    expect(pvc.spec.accessModes).toEqual(['ReadWriteMany', 'ReadOnlyMany']);
    expect(pvc.spec.storageClassName).toBe('nfs-client');
    expect(pvc.spec.volumeMode).toBe('Filesystem');
    expect(c.accessModes).toEqual([AccessMode.READ_WRITE_MANY, AccessMode.READ_ONLY_MANY]);
  });

  test('an empty storage class is rendered (a pre-provisioned volume of no class)', () => {
    expect(render(claim({ storageClassName: '' })).spec.storageClassName).toBe('');
  });

  test('a raw block claim (not mounted by this library) is allowed', () => {
    expect(render(claim({ volumeMode: VolumeMode.BLOCK })).spec.volumeMode).toBe('Block');
  });

  test('a selector renders as matchLabels, and volumeName binds by name', () => {
    const pvc = render(claim({ storageClassName: '', selector: { tier: 'archive' }, volumeName: 'archive-pv' }));
    expect(pvc.spec.selector).toEqual({ matchLabels: { tier: 'archive' } });
    expect(pvc.spec.volumeName).toBe('archive-pv');
  });

  test('a VolumeSnapshot data source gets the snapshot.storage.k8s.io API group', () => {
    // GIVEN a claim restored from a snapshot
    const pvc = render(claim({ dataSource: { kind: 'VolumeSnapshot', name: 'results-2024-06-01' } }));
    // THEN the API group is filled in
    expect(pvc.spec.dataSource).toEqual({ apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: 'results-2024-06-01' });
  });

  test('an explicit API group of a VolumeSnapshot is kept', () => {
    const pvc = render(claim({ dataSource: { kind: 'VolumeSnapshot', name: 'snap', apiGroup: 'snapshot.example.com' } }));
    expect(pvc.spec.dataSource.apiGroup).toBe('snapshot.example.com');
  });

  test('a PersistentVolumeClaim data source (a clone) has no API group', () => {
    const pvc = render(claim({ dataSource: { kind: 'PersistentVolumeClaim', name: 'results-old' } }));
    expect(pvc.spec.dataSource).toEqual({ kind: 'PersistentVolumeClaim', name: 'results-old' });
  });
});

describe('a claim shared by a BatchJob and a PeriodicJob', () => {
  // GIVEN one ReadWriteMany claim, mounted read-write by a Job and read-only by a CronJob
  const chart = newChart('reports', { namespace: 'reports' });
  const results = claim({ accessModes: [AccessMode.READ_WRITE_MANY], storageClassName: 'nfs-client' }, chart);
  new BatchJob(chart, 'import-orders', {
    image: JOB_IMAGE, volumes: [results.volume('results')], mounts: [{ volume: 'results', path: '/results' }],
  });
  new PeriodicJob(chart, 'nightly-report', {
    image: JOB_IMAGE, schedule: '0 3 * * *', volumes: [results.volume('input', { readOnly: true })], mounts: [{ volume: 'input', path: '/results' }],
  });
  // WHEN synthesised
  const out = synth(chart);
  const job = findObject(out, 'Job', 'import-orders').spec.template.spec;
  const cron = findObject(out, 'CronJob', 'nightly-report').spec.jobTemplate.spec.template.spec;

  test('passes the strict schema, with one claim object', () => {
    expect(() => validateManifests(out)).not.toThrow();
    expect(objectsOf(out, 'PersistentVolumeClaim').map((m) => m.metadata.name)).toEqual(['results']);
  });

  test('the Job mounts the claim through a pod volume of the given name', () => {
    expect(job.volumes).toContainEqual({ name: 'results', persistentVolumeClaim: { claimName: 'results' } });
    expect(job.containers[0].volumeMounts).toContainEqual({ name: 'results', mountPath: '/results' });
  });

  test('the CronJob mounts the same claim read-only through its own volume name', () => {
    expect(cron.volumes).toContainEqual({ name: 'input', persistentVolumeClaim: { claimName: 'results', readOnly: true } });
    expect(cron.containers[0].volumeMounts).toContainEqual({ name: 'input', mountPath: '/results' });
  });

  test('volume() returns a PodVolume of the given name', () => {
    expect(results.volume('x').name).toBe('x');
  });
});

describe('PersistentVolumeClaim bad input', () => {
  const cases: Array<[string, Partial<PersistentVolumeClaimProps>, string]> = [
    ['no size', { size: undefined }, 'size (undefined) is required: a Size such as Size.gibibytes(10)'],
    ['a size given as a number', { size: 10 as any }, 'size (10) is required: a Size such as Size.gibibytes(10)'],
    ['1 KiB', { size: Size.kibibytes(1) },
      'size ("1Ki") must be a whole, positive number of mebibytes (at most 8 Ei), e.g. Size.mebibytes(10) or Size.gibibytes(5)'],
    ['1.5 MiB', { size: Size.kibibytes(1536) }, 'size ("1536Ki") must be a whole, positive number of mebibytes'],
    ['zero', { size: Size.mebibytes(0) }, 'size ("0Ki") must be a whole, positive number of mebibytes'],
    ['an unknown access mode', { accessModes: ['RWO' as any] }, 'accessModes (["RWO"]) must be a non-empty list of AccessMode'],
    ['no access mode', { accessModes: [] }, 'accessModes ([]) must be a non-empty list of AccessMode'],
    ['a bad storage class name', { storageClassName: 'Fast SSD' }, 'storageClassName ("Fast SSD") must be a DNS-1123 subdomain'],
    ['an unknown volume mode', { volumeMode: 'Raw' as any }, 'volumeMode ("Raw") must be a VolumeMode'],
    ['a data source of another kind', { dataSource: { kind: 'Deployment', name: 'x' } },
      'dataSource.kind ("Deployment") must be VolumeSnapshot or PersistentVolumeClaim'],
    ['a data source with a bad name', { dataSource: { kind: 'VolumeSnapshot', name: 'Snap_1' } },
      'dataSource.name ("Snap_1") must be a DNS-1123 subdomain'],
    ['a null data source', { dataSource: null as any }, 'dataSource.kind (undefined) must be VolumeSnapshot or PersistentVolumeClaim'],
    ['a bad volume name', { volumeName: 'PV_1' }, 'volumeName ("PV_1") must be a DNS-1123 subdomain'],
    ['a bad selector value', { selector: { tier: 'bad value!' } }, 'selector["tier"] ("bad value!") must be a valid label value'],
    ['a bad name', { name: 'Bad' }, 'name ("Bad") must be a DNS-1123 subdomain'],
    ['a name too long for a label value', { name: 'a'.repeat(64) }, `name ("${'a'.repeat(64)}") must be a valid label value`],
    ['a bad label key', { labels: { 'bad key!': 'x' } }, 'labels key ("bad key!") must be a valid label key'],
    ['a label that overrides app.kubernetes.io/name', { labels: { [PatternLabels.NAME]: 'other' } },
      'labels key ("app.kubernetes.io/name") must not override a label this library manages'],
    ['a label that overrides managed-by', { labels: { [PatternLabels.MANAGED_BY]: 'helm' } },
      'labels key ("app.kubernetes.io/managed-by") must not override a label this library manages'],
  ];

  test.each(cases)('%s', (_name, props, expected) => {
    // WHEN built
    const message = errorOf(() => claim(props));
    // THEN a validation error names the construct, prop, value and rule
    expect(message).toContain('reports/results: ');
    expect(message).toContain(expected);
  });

  test('a missing props object gives a validation error, never a TypeError', () => {
    expect(errorOf(() => new PersistentVolumeClaim(newChart('reports'), 'results', undefined as any)))
      .toContain('reports/results: size (undefined) is required');
  });

  test('one error lists every problem', () => {
    const message = errorOf(() => claim({
      size: Size.kibibytes(1), accessModes: ['x' as any], storageClassName: 'A', dataSource: { kind: 'Pod', name: 'p' },
    }));
    expect(message).toMatch(/^cdk8s-patterns: 4 invalid values:/);
    for (const prop of ['size ("1Ki")', 'accessModes (["x"])', 'storageClassName ("A")', 'dataSource.kind ("Pod")']) {
      expect(message).toContain(`reports/results: ${prop}`);
    }
  });

  test('two claims of one name in one namespace fail at synth', () => {
    const chart = newChart('reports', { namespace: 'reports' });
    claim({}, chart);
    new PersistentVolumeClaim(chart, 'other', { name: 'results', size: Size.gibibytes(1) });
    expect(() => synth(chart)).toThrow(/must be unique per kind and namespace: PersistentVolumeClaim "results" in namespace "reports"/);
  });

  // Regression: the API server rejects a claim that combines ReadWriteOncePod with any other access mode
  // ("may not use ReadWriteOncePod with other access modes"); the construct accepts it.
  test('ReadWriteOncePod combined with another access mode is rejected', () => {
    const message = errorOf(() => claim({ accessModes: [AccessMode.READ_WRITE_ONCE_POD, AccessMode.READ_WRITE_ONCE] }));
    expect(message).toContain('reports/results: accessModes (["ReadWriteOncePod","ReadWriteOnce"])');
  });
});

describe('PersistentVolumeClaim: review findings', () => {
  test('a claim that picks a pre-provisioned volume (selector or volumeName) gets storageClassName "", so no default class is assigned', () => {
    const chart = newChart('reports', { namespace: 'reports' });
    new PersistentVolumeClaim(chart, 'by-label', { size: Size.gibibytes(1), selector: { tier: 'reports' } });
    new PersistentVolumeClaim(chart, 'by-name', { size: Size.gibibytes(1), volumeName: 'reports-nfs' });
    new PersistentVolumeClaim(chart, 'dynamic', { size: Size.gibibytes(1) });
    const out = synth(chart);
    expect(findObject(out, 'PersistentVolumeClaim', 'by-label').spec.storageClassName).toBe('');
    expect(findObject(out, 'PersistentVolumeClaim', 'by-name').spec.storageClassName).toBe('');
    expect(findObject(out, 'PersistentVolumeClaim', 'dynamic').spec.storageClassName).toBeUndefined();
  });

  test('a ReadWriteOncePod claim on a workload that runs more than one pod at once fails at synth', () => {
    const chart = newChart('reports', { namespace: 'reports' });
    const data = new PersistentVolumeClaim(chart, 'data', { size: Size.gibibytes(1), accessModes: [AccessMode.READ_WRITE_ONCE_POD] });
    new StatelessService(chart, 'web', { image: 'ghcr.io/acme/web:1.0.0', replicas: 3, volumes: [data.volume('d')], mounts: [{ volume: 'd', path: '/d' }] });
    expect(() => synth(chart)).toThrow(/volumes\[0\] \("data"\) is a ReadWriteOncePod claim, which one pod at a time can use, but up to 4 pods/);
    // One replica with Recreate is fine
    const ok = newChart('ok');
    const claim2 = new PersistentVolumeClaim(ok, 'data', { size: Size.gibibytes(1), accessModes: [AccessMode.READ_WRITE_ONCE_POD] });
    new StatelessService(ok, 'web', {
      image: 'ghcr.io/acme/web:1.0.0', replicas: 1, strategy: DeploymentStrategy.recreate(), volumes: [claim2.volume('d')], mounts: [{ volume: 'd', path: '/d' }],
    });
    expect(() => validateManifests(synth(ok))).not.toThrow();
  });
});
