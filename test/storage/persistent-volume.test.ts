import { Chart, Size } from 'cdk8s';
import {
  AccessMode, PatternLabels, PersistentVolume, PersistentVolumeClaim, PersistentVolumeProps, PersistentVolumeSource, ReclaimPolicy, VolumeMode,
} from '../../src';
import { errorOf } from '../helpers/errors';
import { findObject, Manifest, newChart, synth, validateManifests } from '../helpers/synth';

const NFS = PersistentVolumeSource.nfs('nfs.internal.example', '/exports/archive');

/** A PersistentVolume `archive` in a fresh chart (namespace `storage`) with `props` over a valid baseline. */
function volume(props: Partial<PersistentVolumeProps> = {}, chart: Chart = newChart('storage', { namespace: 'storage' })): PersistentVolume {
  return new PersistentVolume(chart, 'archive', { capacity: Size.gibibytes(100), source: NFS, ...props } as PersistentVolumeProps);
}

/** Synthesises the chart of `v` (strict 1.28 schema included); the volume's manifest. */
function render(v: PersistentVolume): Manifest {
  const out = synth(v.node.scope as Chart);
  expect(() => validateManifests(out)).not.toThrow();
  return findObject(out, 'PersistentVolume', v.volumeName);
}

describe('PersistentVolume defaults (NFS)', () => {
  // GIVEN an NFS volume in a chart that has a namespace
  const v = volume();
  // WHEN synthesised
  const pv = render(v);

  test('is cluster-scoped: no metadata.namespace even in a chart with a namespace', () => {
    expect(pv.apiVersion).toBe('v1');
    expect(pv.metadata.namespace).toBeUndefined();
    expect(v.apiObject.metadata.namespace).toBeUndefined();
    expect(pv.metadata.name).toBe('archive');
    expect(pv.metadata.labels).toEqual({
      [PatternLabels.NAME]: 'archive', [PatternLabels.INSTANCE]: 'archive', [PatternLabels.MANAGED_BY]: 'cdk8s-patterns',
    });
  });

  test('capacity, ReadWriteOnce, Retain, no class, Filesystem and the NFS export', () => {
    expect(pv.spec).toEqual({
      capacity: { storage: '100Gi' },
      accessModes: ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: 'Retain',
      storageClassName: '',
      volumeMode: 'Filesystem',
      nfs: { server: 'nfs.internal.example', path: '/exports/archive' },
    });
    expect(pv.spec.nodeAffinity).toBeUndefined();
  });
});

describe('PersistentVolume sources and options', () => {
  test('hostPath pinned to a node: DirectoryOrCreate and a kubernetes.io/hostname node affinity', () => {
    // GIVEN a node directory on node-1
    const pv = render(volume({ source: PersistentVolumeSource.hostPath('/srv/data', 'node-1'), capacity: Size.gibibytes(5) }));
    // THEN the path and the pinning
    expect(PersistentVolumeSource.hostPath('/srv/data').kind).toBe('hostPath');
    expect(pv.spec.hostPath).toEqual({ path: '/srv/data', type: 'DirectoryOrCreate' });
    expect(pv.spec.nodeAffinity).toEqual({
      required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node-1'] }] }] },
    });
    expect(pv.spec.nfs).toBeUndefined();
  });

  test('hostPath without a node: no node affinity', () => {
    const pv = render(volume({ source: PersistentVolumeSource.hostPath('/srv/data') }));
    expect(pv.spec.hostPath).toEqual({ path: '/srv/data', type: 'DirectoryOrCreate' });
    expect(pv.spec.nodeAffinity).toBeUndefined();
  });

  test('a read-only NFS export', () => {
    const source = PersistentVolumeSource.nfs('10.0.0.5', '/exports', { readOnly: true });
    const pv = render(volume({ source, accessModes: [AccessMode.READ_ONLY_MANY] }));
    expect(pv.spec.nfs).toEqual({ server: '10.0.0.5', path: '/exports', readOnly: true });
    expect(pv.spec.accessModes).toEqual(['ReadOnlyMany']);
  });

  test('a CSI volume with fsType, attributes and readOnly', () => {
    // GIVEN an existing cloud disk
    const source = PersistentVolumeSource.csi('ebs.csi.aws.com', 'vol-0123456789abcdef0', {
      fsType: 'ext4', attributes: { partition: '1' }, readOnly: true,
    });
    const pv = render(volume({ source, reclaimPolicy: ReclaimPolicy.DELETE, storageClassName: 'gp3' }));
    // THEN the CSI source and the options
    expect(source.kind).toBe('csi');
    expect(pv.spec.csi).toEqual({
      driver: 'ebs.csi.aws.com', volumeHandle: 'vol-0123456789abcdef0', fsType: 'ext4', volumeAttributes: { partition: '1' }, readOnly: true,
    });
    expect(pv.spec.persistentVolumeReclaimPolicy).toBe('Delete');
    expect(pv.spec.storageClassName).toBe('gp3');
  });

  test('a CSI volume with no options renders only driver and handle', () => {
    const pv = render(volume({ source: PersistentVolumeSource.csi('pd.csi.storage.gke.io', 'projects/p/zones/z/disks/d') }));
    expect(pv.spec.csi).toEqual({ driver: 'pd.csi.storage.gke.io', volumeHandle: 'projects/p/zones/z/disks/d' });
  });

  test('an explicit name, extra labels, a Block mode and several access modes', () => {
    const v = volume({
      name: 'archive-pv',
      labels: { tier: 'archive' },
      volumeMode: VolumeMode.BLOCK,
      source: PersistentVolumeSource.csi('ebs.csi.aws.com', 'vol-1'),
      accessModes: [AccessMode.READ_WRITE_ONCE, AccessMode.READ_ONLY_MANY],
    });
    const pv = render(v);
    expect(v.volumeName).toBe('archive-pv');
    expect(pv.metadata.labels).toMatchObject({ tier: 'archive', [PatternLabels.INSTANCE]: 'archive-pv' });
    expect(pv.spec.volumeMode).toBe('Block');
    expect(pv.spec.accessModes).toEqual(['ReadWriteOnce', 'ReadOnlyMany']);
  });

  test('sizes render in the largest whole binary unit', () => {
    expect(render(volume({ capacity: Size.mebibytes(500) })).spec.capacity).toEqual({ storage: '500Mi' });
    expect(render(volume({ capacity: Size.tebibytes(2) })).spec.capacity).toEqual({ storage: '2Ti' });
  });
});

describe('a claim binding to a static volume', () => {
  test('by selector labels: the claim selects the volume labels, both of no class', () => {
    // GIVEN a labelled volume and a claim in a namespaced chart selecting it
    const chart = newChart('storage', { namespace: 'storage' });
    const v = volume({ labels: { tier: 'archive' } }, chart);
    new PersistentVolumeClaim(chart, 'archive-claim', { size: Size.gibibytes(100), storageClassName: '', selector: { tier: 'archive' } });
    // WHEN synthesised
    const out = synth(chart);
    validateManifests(out);
    const pv = findObject(out, 'PersistentVolume', v.volumeName);
    const pvc = findObject(out, 'PersistentVolumeClaim', 'archive-claim');
    // THEN the selector matches the volume's labels, the classes agree, the size fits and the modes agree
    for (const [k, val] of Object.entries(pvc.spec.selector.matchLabels)) expect(pv.metadata.labels[k]).toBe(val);
    expect(pvc.spec.storageClassName).toBe(pv.spec.storageClassName);
    expect(pvc.spec.resources.requests.storage).toBe(pv.spec.capacity.storage);
    expect(pvc.spec.accessModes).toEqual(pv.spec.accessModes);
    // AND only the claim is namespaced
    expect(pvc.metadata.namespace).toBe('storage');
    expect(pv.metadata.namespace).toBeUndefined();
  });

  test('by volumeName', () => {
    const chart = newChart('storage', { namespace: 'storage' });
    const v = volume({ name: 'archive-pv' }, chart);
    new PersistentVolumeClaim(chart, 'archive-claim', { size: Size.gibibytes(50), storageClassName: '', volumeName: v.volumeName });
    const out = synth(chart);
    validateManifests(out);
    expect(findObject(out, 'PersistentVolumeClaim', 'archive-claim').spec).toMatchObject({ volumeName: 'archive-pv', storageClassName: '' });
    expect(findObject(out, 'PersistentVolume', 'archive-pv').spec.storageClassName).toBe('');
  });

  test('two volumes of one name in charts of different namespaces clash (a volume has no namespace)', () => {
    // GIVEN the same volume name in two namespaced charts of one app
    const a = newChart('team-a', { namespace: 'team-a' });
    const b = new Chart(a.node.root, 'team-b', { namespace: 'team-b' });
    volume({}, a);
    volume({}, b);
    // THEN synth fails: both are the cluster-wide PersistentVolume "archive"
    expect(() => synth(a))
      .toThrow(/metadata\.name \("archive"\) must be unique per kind and namespace: PersistentVolume "archive" is also defined at team-a\/archive/);
  });
});

describe('PersistentVolume bad input', () => {
  const cases: Array<[string, Partial<PersistentVolumeProps>, string]> = [
    ['no source', { source: undefined }, 'source (undefined) is required: PersistentVolumeSource.nfs(), csi() or hostPath()'],
    ['a plain-object source', { source: { kind: 'nfs' } as any },
      'source ({"kind":"nfs"}) is required: PersistentVolumeSource.nfs(), csi() or hostPath()'],
    ['no capacity', { capacity: undefined },
      'capacity (undefined) is required: a Size such as Size.gibibytes(10)'],
    ['a capacity given as a number', { capacity: 5 as any }, 'capacity (5) is required: a Size'],
    ['a relative hostPath', { source: PersistentVolumeSource.hostPath('data') }, 'source.path ("data") must be an absolute path other than "/"'],
    ['hostPath "/"', { source: PersistentVolumeSource.hostPath('/') }, 'source.path ("/") must be an absolute path other than "/"'],
    ['a hostPath without a path', { source: PersistentVolumeSource.hostPath(undefined as any) },
      'source.path (undefined) must be an absolute path other than "/"'],
    ['a bad hostPath node name', { source: PersistentVolumeSource.hostPath('/srv', 'Node_1') },
      'source.nodeName ("Node_1") must be a DNS-1123 subdomain'],
    ['an empty NFS server', { source: PersistentVolumeSource.nfs('', '/exports') }, 'source.server ("") must be a host name or IP address'],
    ['a relative NFS path', { source: PersistentVolumeSource.nfs('nfs', 'exports') }, 'source.path ("exports") must be an absolute path'],
    ['a bad CSI driver name', { source: PersistentVolumeSource.csi('Bad Driver', 'h') }, 'source.driver ("Bad Driver") must be a DNS-1123 subdomain'],
    ['an empty CSI volume handle', { source: PersistentVolumeSource.csi('ebs.csi.aws.com', '') },
      'source.volumeHandle ("") must be a non-empty string'],
    ['a non-string CSI attribute', { source: PersistentVolumeSource.csi('ebs.csi.aws.com', 'h', { attributes: { partition: 1 as any } }) },
      'source.attributes["partition"] (1) must be a string'],
    ['the Recycle reclaim policy', { reclaimPolicy: 'Recycle' as any }, 'reclaimPolicy ("Recycle") must be a ReclaimPolicy'],
    ['an unknown access mode', { accessModes: ['RWX' as any] }, 'accessModes (["RWX"]) must be a non-empty list of AccessMode'],
    ['no access mode', { accessModes: [] }, 'accessModes ([]) must be a non-empty list of AccessMode'],
    ['an unknown volume mode', { volumeMode: 'Raw' as any }, 'volumeMode ("Raw") must be a VolumeMode'],
    ['a bad storage class name', { storageClassName: 'Fast SSD' }, 'storageClassName ("Fast SSD") must be a DNS-1123 subdomain'],
    ['a bad name', { name: 'Archive_PV' }, 'name ("Archive_PV") must be a DNS-1123 subdomain'],
    ['a label that overrides a managed label', { labels: { [PatternLabels.INSTANCE]: 'other' } },
      'labels key ("app.kubernetes.io/instance") must not override a label this library manages'],
  ];

  test.each(cases)('%s', (_name, props, expected) => {
    // WHEN built
    const message = errorOf(() => volume(props));
    // THEN a validation error names the construct, prop, value and rule
    expect(message).toContain('storage/archive: ');
    expect(message).toContain(expected);
  });

  test('a missing props object lists both required props, never a TypeError', () => {
    const message = errorOf(() => new PersistentVolume(newChart('storage'), 'archive', undefined as any));
    expect(message).toMatch(/^cdk8s-patterns: 2 invalid values:/);
    expect(message).toContain('storage/archive: capacity (undefined) is required');
    expect(message).toContain('storage/archive: source (undefined) is required');
  });

  test('NFS and CSI sources with undefined arguments give validation errors', () => {
    const nfs = errorOf(() => volume({ source: PersistentVolumeSource.nfs(undefined as any, undefined as any, null as any) }));
    expect(nfs).toContain('source.server (undefined) must be a host name or IP address');
    expect(nfs).toContain('source.path (undefined) must be an absolute path');
    const csi = errorOf(() => volume({ source: PersistentVolumeSource.csi(undefined as any, undefined as any, null as any) }));
    expect(csi).toContain('source.driver (undefined) must be a DNS-1123 subdomain');
    expect(csi).toContain('source.volumeHandle (undefined) must be a non-empty string');
  });

  // Regression: a capacity that is a Size, just not whole mebibytes, is reported as "is required", which reads as if it
  // were missing (the claim's size check says "must be a whole, positive number of mebibytes" for the same input).
  test('a 1 KiB capacity is reported as not whole mebibytes, not as missing', () => {
    const message = errorOf(() => volume({ capacity: Size.kibibytes(1) }));
    expect(message).toContain('storage/archive: capacity ("1Ki") must be a whole, positive number of mebibytes');
  });

  // Regression: the API server rejects a hostPath path with ".." ("must not contain '..'") and a PersistentVolume whose
  // cleaned hostPath is "/" ("may not be '/'"); the construct only rejects the literal "/".
  test('a hostPath with ".." is rejected', () => {
    expect(errorOf(() => volume({ source: PersistentVolumeSource.hostPath('/srv/../etc') })))
      .toContain('storage/archive: source.path ("/srv/../etc")');
  });

  test('a hostPath that cleans to "/" is rejected', () => {
    expect(errorOf(() => volume({ source: PersistentVolumeSource.hostPath('//') }))).toContain('storage/archive: source.path ("//")');
  });

  // Regression: the API server limits a CSI driver name to 63 characters (ValidateCSIDriverName); the construct checks a
  // DNS-1123 subdomain (253).
  test('a CSI driver name longer than 63 characters is rejected', () => {
    const driver = `${'a'.repeat(60)}.example.com`;
    expect(errorOf(() => volume({ source: PersistentVolumeSource.csi(driver, 'h') }))).toContain(`storage/archive: source.driver ("${driver}")`);
  });

  // Regression: the API server rejects ReadWriteOncePod combined with another access mode, on volumes as on claims.
  test('ReadWriteOncePod combined with another access mode is rejected', () => {
    const message = errorOf(() => volume({ accessModes: [AccessMode.READ_WRITE_ONCE_POD, AccessMode.READ_ONLY_MANY] }));
    expect(message).toContain('storage/archive: accessModes (["ReadWriteOncePod","ReadOnlyMany"])');
  });
});
