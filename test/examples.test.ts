/* eslint-disable @typescript-eslint/no-require-imports */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { Manifest, validateManifests } from './helpers/synth';
import { tempDir } from './helpers/tmp';

/**
 * Every example under examples/ synthesises, in-process, and its YAML passes the strict
 * Kubernetes 1.28 schema check. (The independent checker runs on the same output in the test task.)
 */
const EXAMPLES = path.join(__dirname, '..', 'examples');
const files = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).sort();

/** Runs one example app and returns the manifests it wrote. */
export function runExample(file: string): Manifest[] {
  const outdir = tempDir('example-');
  const before = process.env.CDK8S_OUTDIR;
  process.env.CDK8S_OUTDIR = outdir;
  try {
    jest.isolateModules(() => require(path.join(EXAMPLES, file)));
  } finally {
    if (before === undefined) delete process.env.CDK8S_OUTDIR;
    else process.env.CDK8S_OUTDIR = before;
  }
  const yamls = fs.readdirSync(outdir).filter((f) => f.endsWith('.yaml'));
  return yamls.flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(outdir, f), 'utf8')).map((d) => d.toJSON()))
    .filter((m) => m !== null);
}

describe('examples', () => {
  test('there are examples', () => expect(files.length).toBeGreaterThanOrEqual(6));

  test.each(files)('%s synthesises valid Kubernetes 1.28 manifests', (file) => {
    const manifests = runExample(file);
    expect(manifests.length).toBeGreaterThan(0);
    expect(() => validateManifests(manifests)).not.toThrow();
    for (const m of manifests) expect(m.metadata.labels['app.kubernetes.io/managed-by']).toBe('cdk8s-patterns');
  });
});
