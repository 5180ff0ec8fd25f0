/* eslint-disable @typescript-eslint/no-require-imports */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { Manifest } from './synth';
import { tempDir } from './tmp';

/** The examples folder. */
export const EXAMPLES = path.join(__dirname, '..', '..', 'examples');

/** Runs one example app (`app.synth()` into a fresh CDK8S_OUTDIR), as a user would, and returns the manifests it wrote. */
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
