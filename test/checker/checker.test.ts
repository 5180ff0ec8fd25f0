// Tests of the independent manifest checker (scripts/check-manifests.mjs). @monokle/validation is
// ESM-only, so the checker runs as a separate node process, exactly as CI runs it.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { NetworkPeer, StatelessService } from '../../src';

const ROOT = path.resolve(__dirname, '..', '..');
const CHECKER = path.join(ROOT, 'scripts', 'check-manifests.mjs');
const FIXTURES = path.join(ROOT, 'test', 'fixtures');
const TIMEOUT = 60_000;

interface Finding {
  readonly object: string;
  readonly kind: string;
  readonly name: string;
  readonly ruleId: string;
  readonly level: string;
  readonly message: string;
  readonly reason?: string;
}

interface Report {
  readonly files: number;
  readonly objects: number;
  readonly findings: Finding[];
  readonly suppressed: Finding[];
  readonly passed: number;
  readonly failed: number;
  readonly rules: { id: string; plugin: string; level: string }[];
}

interface CheckerRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly report?: Report;
}

let tmp: string;

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'check-manifests-'));
});

afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Run the checker on the given paths with --json and parse the report (if one was written). */
function runChecker(...inputs: string[]): CheckerRun {
  const jsonOut = path.join(tmp, 'out', 'report.json');
  const result = spawnSync(process.execPath, [CHECKER, ...inputs, '--json', jsonOut], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: TIMEOUT,
  });
  const report = fs.existsSync(jsonOut) ? (JSON.parse(fs.readFileSync(jsonOut, 'utf8')) as Report) : undefined;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, report };
}

/** Write a manifest into its own directory (resource links resolve per directory) and return it. */
function writeManifest(name: string, yaml: string): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'manifest.yaml'), yaml);
  return dir;
}

/**
 * secure.yaml with `hostNetwork: true` on the Deployment (so exactly PSS102 fires) and, if given,
 * the checker-ignore annotation on the Deployment.
 */
function secureWithHostNetwork(ignoreAnnotation?: string): string {
  let yaml = fs.readFileSync(path.join(FIXTURES, 'secure.yaml'), 'utf8');
  yaml = yaml.replace(
    '      automountServiceAccountToken: false\n',
    '      automountServiceAccountToken: false\n      hostNetwork: true\n',
  );
  if (ignoreAnnotation !== undefined) {
    // The first `name: api` is the Deployment's (it is the first document).
    yaml = yaml.replace(
      'metadata:\n  name: api\n',
      `metadata:\n  name: api\n  annotations:\n    patterns.cdk8s.io/checker-ignore: ${JSON.stringify(ignoreAnnotation)}\n`,
    );
  }
  return yaml;
}

const ruleIds = (findings: Finding[]): string[] => [...new Set(findings.map((f) => f.ruleId))].sort();

describe('check-manifests', () => {
  test('flags every insecure setting of insecure.yaml by rule id', () => {
    // GIVEN a privileged, root, hostNetwork, hostPath Deployment with a :latest image and no
    //       resources, plus a Service whose selector matches nothing
    const fixture = path.join(FIXTURES, 'insecure.yaml');

    // WHEN the checker runs on it
    const run = runChecker(fixture);

    // THEN it fails with findings, and the report names the rules that fired
    expect(run.status).toBe(1);
    const report = run.report!;
    expect(report.files).toBe(1);
    expect(report.objects).toBe(2);
    expect(report.failed).toBe(2);
    expect(report.passed).toBe(0);
    const ids = ruleIds(report.findings);
    expect(ids).toEqual(expect.arrayContaining([
      'PSS103', // privileged container
      'PSS102', // host namespaces (hostNetwork)
      'PSS105', // hostPath volume
      'PSS201', // restricted: volume types
      'PSS202', // restricted: allowPrivilegeEscalation
      'PSS203', // restricted: runAsNonRoot missing
      'PSS204', // restricted: runAsUser 0
      'PSS205', // restricted: no seccomp profile
      'PSS104', // capabilities beyond the baseline set
      'PSS206', // restricted: capabilities not dropped / added
      'KBP100', // SYS_ADMIN
      'KBP103', // capabilities not dropped
      'KBP001', // :latest image
      'KBP002', 'KBP003', 'KBP004', 'KBP005', // no cpu/memory requests and limits
      'KBP102', // writable root filesystem
      'KBP104', // low user id
      'LNK001', // Service selector matches nothing
    ]));
    expect(report.findings.filter((f) => f.ruleId === 'LNK001').map((f) => `${f.kind}/${f.name}`))
      .toEqual(['Service/insecure-orphan']);
    expect(run.stdout).toMatch(/checker: 1 files, 2 objects, \d+ findings, 0 suppressed/);
  }, TIMEOUT);

  test('passes secure.yaml with zero findings and every rule on', () => {
    // GIVEN the hardened Deployment + Service fixture
    const fixture = path.join(FIXTURES, 'secure.yaml');

    // WHEN the checker runs on it
    const run = runChecker(fixture);

    // THEN nothing is found, nothing is suppressed, both objects pass
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const report = run.report!;
    expect(report.findings).toEqual([]);
    expect(report.suppressed).toEqual([]);
    expect(report.objects).toBe(2);
    expect(report.passed).toBe(2);
    expect(report.failed).toBe(0);

    // AND the restricted pod-security rules (off by default in monokle) were active
    const active = report.rules.map((r) => r.id);
    expect(active).toEqual(expect.arrayContaining(['PSS201', 'PSS202', 'PSS203', 'PSS204', 'PSS205', 'PSS206']));
    expect(active.filter((id) => id.startsWith('PSS'))).toHaveLength(17);
    expect(active.filter((id) => id.startsWith('KBP'))).toHaveLength(22);
    expect(active.some((id) => id.startsWith('K8S'))).toBe(false); // kubernetes-schema needs the network
    expect(run.stdout).toContain('checker: 1 files, 2 objects, 0 findings, 0 suppressed');
  }, TIMEOUT);

  test('refuses to pass when there is nothing to check', () => {
    // GIVEN an empty directory
    const empty = path.join(tmp, 'empty');
    fs.mkdirSync(empty);

    // WHEN the checker runs on it
    const run = runChecker(empty);

    // THEN it exits 2: a checker that checked nothing must not pass
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('nothing was checked');
  }, TIMEOUT);

  test('a checker-ignore annotation with a reason moves the finding to suppressed', () => {
    // GIVEN the secure Deployment with hostNetwork, annotated to ignore PSS102 with a reason
    const dir = writeManifest('with-reason', secureWithHostNetwork('PSS102: node agent must see the host network'));

    // WHEN the checker runs on it
    const run = runChecker(dir);

    // THEN PSS102 is reported as suppressed with its reason and does not count
    expect(run.status).toBe(0);
    const report = run.report!;
    expect(report.findings).toEqual([]);
    expect(report.suppressed.map((s) => [s.ruleId, s.reason])).toEqual([['PSS102', 'node agent must see the host network']]);
    expect(report.passed).toBe(2);
    expect(run.stdout).toContain('PSS102 (host-namespaces) suppressed (node agent must see the host network)');
  }, TIMEOUT);

  test('a NetworkPolicy peer in a namespace the app does not make: exempted on the NetworkPolicy, where the checker reports it', () => {
    // GIVEN a workload admitting Prometheus' pods of the monitoring namespace, which the app does not make
    const app = new App();
    new StatelessService(new Chart(app, 'shop', { namespace: 'shop' }), 'api', {
      image: 'ghcr.io/acme/api:1.0.0',
      port: 8080,
      network: { allowFrom: [{ peer: NetworkPeer.podsInNamespace('monitoring', { 'app.kubernetes.io/name': 'prometheus' }), ports: [8080] }] },
    });
    const dir = writeManifest('external-peer', app.synthYaml());

    // WHEN the checker runs on the synthesised YAML
    const run = runChecker(dir);

    // THEN the unresolvable link is suppressed on the NetworkPolicy, with the library's reason, and nothing is found
    expect(run.report!.findings).toEqual([]);
    expect(run.report!.suppressed.map((f) => [f.ruleId, f.kind, f.name])).toEqual([['LNK001', 'NetworkPolicy', 'api']]);
    expect(run.stdout).toContain('names pods of monitoring, which this app does not make');
  }, TIMEOUT);

  test('a checker-ignore annotation without a reason is itself a finding and suppresses nothing', () => {
    // GIVEN the secure Deployment with hostNetwork, annotated to ignore PSS102 with no reason
    const dir = writeManifest('without-reason', secureWithHostNetwork('PSS102:'));

    // WHEN the checker runs on it
    const run = runChecker(dir);

    // THEN the empty reason is a finding (CHK001) and PSS102 still counts
    expect(run.status).toBe(1);
    const report = run.report!;
    expect(ruleIds(report.findings)).toEqual(['CHK001', 'PSS102']);
    expect(report.suppressed).toEqual([]);
    expect(report.failed).toBe(1);
  }, TIMEOUT);

  test('a checker-ignore annotation naming an unknown rule is a finding', () => {
    // GIVEN the secure Deployment with hostNetwork, annotated to ignore a rule id monokle does not have
    const dir = writeManifest('unknown-rule', secureWithHostNetwork('KSV009: wrong tool'));

    // WHEN the checker runs on it
    const run = runChecker(dir);

    // THEN the typo is reported (CHK002) and PSS102 still counts
    expect(run.status).toBe(1);
    expect(ruleIds(run.report!.findings)).toEqual(['CHK002', 'PSS102']);
  }, TIMEOUT);
});
