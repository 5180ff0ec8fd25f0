#!/usr/bin/env node
// Prints the CI verdict. CI only counts a run whose output ENDS with one plain line
// `N passed, N failed`, so that is always the last line printed here, whatever happens.
//
//   node scripts/ci-summary.mjs [--npm-exit <code>] [--reports <dir>]
//
// Counted stages:
// - jest:    test-reports/jest-results.json (jest --json --outputFile): numPassedTests passed;
//            numFailedTests + numRuntimeErrorTestSuites failed (a suite that could not run has no
//            test results of its own); `success: false` with nothing failed counts 1 failed.
// - checker: test-reports/checker-results.json (check-manifests --json): each checked object is
//            one test, passed or failed.
// A missing or unreadable report means the stage never ran (e.g. npm ci failed): 1 failed.
// A non-zero npm exit with nothing else failed (e.g. eslint) also counts 1 failed, so the line
// never claims success for a red run. Exit code: 1 if anything failed, else 0.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const reportsDir = path.resolve(ROOT, option('--reports', 'test-reports'));
const npmExit = Number(option('--npm-exit', '0'));

/** Read a JSON report; undefined (with a reason printed) if missing or unreadable. */
function readReport(file, stage) {
  const full = path.join(reportsDir, file);
  if (!fs.existsSync(full)) {
    console.log(`ci-summary: ${stage}: ${path.relative(ROOT, full)} missing (stage did not run): counted as 1 failed`);
    return undefined;
  }
  try {
    return JSON.parse(fs.readFileSync(full, 'utf8'));
  } catch (err) {
    console.log(`ci-summary: ${stage}: ${path.relative(ROOT, full)} unreadable (${err.message}): counted as 1 failed`);
    return undefined;
  }
}

const num = (v) => (Number.isFinite(v) ? v : 0);

function jestCounts() {
  const r = readReport('jest-results.json', 'jest');
  if (!r) return { passed: 0, failed: 1 };
  const passed = num(r.numPassedTests);
  let failed = num(r.numFailedTests) + num(r.numRuntimeErrorTestSuites);
  if (failed === 0 && r.success === false) failed = 1; // e.g. coverage threshold, obsolete snapshots
  console.log(`ci-summary: jest: ${passed} passed, ${failed} failed (${num(r.numTotalTests)} tests, `
    + `${num(r.numFailedTestSuites)} failed suites, ${num(r.numRuntimeErrorTestSuites)} suites that could not run)`);
  return { passed, failed };
}

function checkerCounts() {
  const r = readReport('checker-results.json', 'checker');
  if (!r) return { passed: 0, failed: 1 };
  const passed = num(r.passed);
  let failed = num(r.failed);
  if (failed === 0 && Array.isArray(r.findings) && r.findings.length > 0) failed = 1; // defensive
  if (passed + failed === 0) failed = 1; // checked nothing: never a pass
  console.log(`ci-summary: checker: ${passed} passed, ${failed} failed (${num(r.objects)} objects in ${num(r.files)} files, `
    + `${Array.isArray(r.suppressed) ? r.suppressed.length : 0} suppressed findings)`);
  return { passed, failed };
}

let passed = 0;
let failed = 0;
try {
  for (const counts of [jestCounts(), checkerCounts()]) {
    passed += counts.passed;
    failed += counts.failed;
  }
  if (npmExit !== 0 && failed === 0) {
    console.log(`ci-summary: npm exited ${npmExit} although no counted stage failed (e.g. eslint): counted as 1 failed`);
    failed = 1;
  }
} catch (err) {
  console.log(`ci-summary: internal error: ${err?.stack ?? err}`);
  failed += 1;
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
