#!/usr/bin/env node
// Synthesise every example app into YAML:  examples/<name>.ts  ->  cdk8s.out/<name>/*.yaml
//
//   node scripts/synth-examples.mjs [examplesDir] [outDir]     (defaults: examples cdk8s.out)
//
// Each example is a cdk8s app that calls `app.synth()`, which writes to $CDK8S_OUTDIR. It runs with
// tsx (no compile step) using examples/tsconfig.json, which maps `cdk8s-patterns` to src/.
// Never synthesise into dist/: jsii packaging owns it. Exits 1 if an example fails or writes no
// YAML; 0 with a notice if there are no examples yet.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const EXAMPLES_DIR = process.argv[2] ?? 'examples';
const OUT_DIR = process.argv[3] ?? 'cdk8s.out';
const CONCURRENCY = Math.max(1, Math.min(2, os.availableParallelism?.() ?? os.cpus().length));
const TIMEOUT_MS = 120_000; // per example; a hung synth must not hang CI

process.chdir(ROOT);

// The tsx CLI, resolved from node_modules/.bin and run with this node: no shell, no npx lookup.
const tsxBin = path.join(ROOT, 'node_modules', '.bin', 'tsx');
if (!fs.existsSync(tsxBin)) {
  console.error(`synth-examples: ${tsxBin} not found; run \`npm ci\` first`);
  process.exit(1);
}
const tsxCli = fs.realpathSync(tsxBin);
const tsconfig = fs.existsSync(path.join(EXAMPLES_DIR, 'tsconfig.json'))
  ? path.join(EXAMPLES_DIR, 'tsconfig.json')
  : path.join('examples', 'tsconfig.json');

fs.rmSync(OUT_DIR, { recursive: true, force: true });

const examples = fs.existsSync(EXAMPLES_DIR)
  ? fs.readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).sort()
  : [];
if (examples.length === 0) {
  console.log(`synth-examples: no examples under ${EXAMPLES_DIR}/ yet; nothing to synthesise`);
  process.exit(0);
}

/** Run one example; resolves to { name, ok, files, detail, ms }. */
function synth(file) {
  const name = path.basename(file, '.ts');
  const outdir = path.join(OUT_DIR, name);
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tsxCli, '--tsconfig', tsconfig, path.join(EXAMPLES_DIR, file)], {
      cwd: ROOT,
      env: { ...process.env, CDK8S_OUTDIR: outdir, CDK8S_CHECK_UPGRADE: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      stderr += `\nsynth-examples: timed out after ${TIMEOUT_MS / 1000} s`;
      child.kill('SIGKILL');
    }, TIMEOUT_MS);
    const finish = (code, signal, error) => {
      clearTimeout(timer);
      const ms = Date.now() - started;
      const files = fs.existsSync(outdir)
        ? fs.readdirSync(outdir).filter((f) => /\.ya?ml$/.test(f)).sort()
        : [];
      if (error || code !== 0) {
        const why = error ? error.message : signal ? `killed by ${signal}` : `exit code ${code}`;
        resolve({ name, ok: false, files, ms, detail: `${why}\n${stderr || stdout}`.trim() });
      } else if (files.length === 0) {
        resolve({ name, ok: false, files, ms, detail: `wrote no *.yaml into ${outdir} (does it call app.synth()?)\n${stderr}`.trim() });
      } else {
        resolve({ name, ok: true, files, ms });
      }
    };
    child.on('error', (err) => finish(null, null, err));
    child.on('close', (code, signal) => finish(code, signal));
  });
}

// A tiny worker pool: CONCURRENCY examples at a time, results reported in sorted order.
const results = new Array(examples.length);
let next = 0;
async function worker() {
  while (next < examples.length) {
    const i = next++;
    results[i] = await synth(examples[i]);
  }
}
await Promise.all(Array.from({ length: Math.min(CONCURRENCY, examples.length) }, worker));

let failed = 0;
for (const r of results) {
  if (r.ok) {
    console.log(`synth-examples: ${r.name}: ${r.files.length} file(s) in ${path.join(OUT_DIR, r.name)}/ (${r.files.join(', ')}) [${r.ms} ms]`);
  } else {
    failed++;
    console.error(`synth-examples: ${r.name}: FAILED [${r.ms} ms]\n${r.detail.replace(/^/gm, '  ')}`);
  }
}
console.log(`synth-examples: ${results.length - failed}/${results.length} examples synthesised`);
process.exit(failed > 0 ? 1 : 0);
