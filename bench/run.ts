/**
 * Synth-time and memory benchmark: N `StatelessService`s versus the equivalent raw cdk8s-plus-28
 * objects (Deployment + Service + PodDisruptionBudget each), in one Chart.
 *
 *   npx projen bench                                                   # N = 200 and 1000, 3 runs each
 *   npx tsx --tsconfig bench/tsconfig.json bench/run.ts --n 100 --repeats 5
 *   BENCH_N=100 npx projen bench                                       # same, through projen
 *
 * Every (N, variant, repeat) runs in a fresh node process, so the heap and JIT state of one case
 * never leak into another; the parent only schedules the children and aggregates medians.
 * See bench/README.md.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { HealthCheck, StatelessService } from 'cdk8s-patterns';
import * as kplus from 'cdk8s-plus-28';

type Variant = 'patterns' | 'raw';
const VARIANTS: Variant[] = ['patterns', 'raw'];

const IMAGE = 'ghcr.io/acme/api:1.4.2';
const PORT = 8080;
const REPLICAS = 3;
const MIB = 1024 * 1024;

/** What one child process measures. */
interface Sample {
  readonly n: number;
  readonly variant: Variant;
  /** Building the construct tree (new App .. last service), ms. */
  readonly constructMs: number;
  /** `app.synthYaml()`: dependency resolution, validation, rendering, YAML serialisation, ms. */
  readonly synthMs: number;
  readonly totalMs: number;
  /** RSS after imports, before any construct exists (the fixed cost of node + tsx + libraries). */
  readonly baseRssBytes: number;
  /** RSS sampled right after synth. */
  readonly rssAfterSynthBytes: number;
  /** Peak RSS of the whole child process (`process.resourceUsage().maxRSS`). */
  readonly peakRssBytes: number;
  readonly heapUsedAfterSynthBytes: number;
  /** Kubernetes objects in the YAML (sanity check: 3 per service for both variants). */
  readonly objects: number;
  readonly yamlBytes: number;
}

/** Medians over the repeats of one (N, variant). */
interface CaseResult {
  readonly n: number;
  readonly variant: Variant;
  readonly constructMs: number;
  readonly synthMs: number;
  readonly totalMs: number;
  readonly peakRssMiB: number;
  readonly baseRssMiB: number;
  readonly yamlKiB: number;
  readonly objects: number;
  readonly runs: Sample[];
}

interface Ratio {
  readonly n: number;
  readonly time: number;
  readonly construct: number;
  readonly synth: number;
  readonly rss: number;
  /** Ratio of peak RSS above the common baseline (what the constructs themselves cost). */
  readonly rssAboveBase: number;
  readonly yaml: number;
}

// ---------------------------------------------------------------------------------------------
// Child: build and synthesise one app, print one JSON line.

function buildPatterns(chart: Chart, n: number): void {
  for (let i = 0; i < n; i++) {
    new StatelessService(chart, `svc${i}`, {
      image: IMAGE,
      port: PORT,
      replicas: REPLICAS,
      health: HealthCheck.http('/healthz'),
    });
  }
}

/** The same three objects per service with plain cdk8s-plus-28 and its defaults. */
function buildRaw(chart: Chart, n: number): void {
  for (let i = 0; i < n; i++) {
    const deployment = new kplus.Deployment(chart, `svc${i}`, {
      replicas: REPLICAS,
      containers: [{
        image: IMAGE,
        ports: [{ number: PORT }],
        readiness: kplus.Probe.fromHttpGet('/healthz', { port: PORT }),
        liveness: kplus.Probe.fromHttpGet('/healthz', { port: PORT }),
      }],
    });
    deployment.exposeViaService();
    new kplus.k8s.KubePodDisruptionBudget(chart, `svc${i}-pdb`, {
      spec: {
        maxUnavailable: kplus.k8s.IntOrString.fromNumber(1),
        selector: { matchLabels: deployment.matchLabels },
      },
    });
  }
}

function worker(variant: Variant, n: number): void {
  const baseRssBytes = process.memoryUsage().rss;

  const t0 = process.hrtime.bigint();
  const app = new App();
  const chart = new Chart(app, 'bench');
  if (variant === 'patterns') buildPatterns(chart, n);
  else buildRaw(chart, n);
  const t1 = process.hrtime.bigint();
  const yaml = app.synthYaml();
  const t2 = process.hrtime.bigint();

  const mem = process.memoryUsage();
  const sample: Sample = {
    n,
    variant,
    constructMs: Number(t1 - t0) / 1e6,
    synthMs: Number(t2 - t1) / 1e6,
    totalMs: Number(t2 - t0) / 1e6,
    baseRssBytes,
    rssAfterSynthBytes: mem.rss,
    // maxRSS is in KiB; it is the kernel's high-water mark, so it also catches transient peaks.
    peakRssBytes: Math.max(process.resourceUsage().maxRSS * 1024, mem.rss),
    heapUsedAfterSynthBytes: mem.heapUsed,
    objects: (yaml.match(/^kind: /gm) ?? []).length,
    yamlBytes: Buffer.byteLength(yaml),
  };
  process.stdout.write(JSON.stringify(sample) + '\n');
}

// ---------------------------------------------------------------------------------------------
// Parent: schedule the children, aggregate, report.

function runChild(variant: Variant, n: number): Sample {
  // process.execArgv carries tsx's loader (--require preflight, --import loader) and the
  // environment carries TSX_TSCONFIG_PATH, so the child resolves 'cdk8s-patterns' like the parent.
  const out = execFileSync(process.execPath, [...process.execArgv, __filename, '--worker', '--variant', variant, '--n', String(n)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 * MIB,
  });
  const line = out.trim().split('\n').pop() ?? '';
  const sample = JSON.parse(line) as Sample;
  if (sample.objects !== 3 * n) {
    throw new Error(`${variant} N=${n}: expected ${3 * n} objects in the YAML, got ${sample.objects}`);
  }
  return sample;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function aggregate(n: number, variant: Variant, runs: Sample[]): CaseResult {
  const med = (f: (s: Sample) => number) => median(runs.map(f));
  return {
    n,
    variant,
    constructMs: med((s) => s.constructMs),
    synthMs: med((s) => s.synthMs),
    totalMs: med((s) => s.totalMs),
    peakRssMiB: med((s) => s.peakRssBytes) / MIB,
    baseRssMiB: med((s) => s.baseRssBytes) / MIB,
    yamlKiB: med((s) => s.yamlBytes) / 1024,
    objects: runs[0].objects,
    runs,
  };
}

function ratioOf(p: CaseResult, r: CaseResult): Ratio {
  return {
    n: p.n,
    time: p.totalMs / r.totalMs,
    construct: p.constructMs / r.constructMs,
    synth: p.synthMs / r.synthMs,
    rss: p.peakRssMiB / r.peakRssMiB,
    rssAboveBase: (p.peakRssMiB - p.baseRssMiB) / (r.peakRssMiB - r.baseRssMiB),
    yaml: p.yamlKiB / r.yamlKiB,
  };
}

const f1 = (x: number) => x.toFixed(1);
const fx = (x: number) => `${x.toFixed(2)}x`;

function table(cases: CaseResult[]): string {
  const rows = [
    '| N | variant | construct ms | synth ms | total ms | RSS MiB | base RSS MiB | YAML KiB |',
    '|---:|---|---:|---:|---:|---:|---:|---:|',
    ...cases.map((c) =>
      `| ${c.n} | ${c.variant} | ${f1(c.constructMs)} | ${f1(c.synthMs)} | ${f1(c.totalMs)} | ${f1(c.peakRssMiB)} | ${f1(c.baseRssMiB)} | ${f1(c.yamlKiB)} |`),
  ];
  return rows.join('\n');
}

function ratioLine(r: Ratio): string {
  return `N=${r.n} patterns/raw: time ${fx(r.time)} (construct ${fx(r.construct)}, synth ${fx(r.synth)}), `
    + `rss ${fx(r.rss)} (above base ${fx(r.rssAboveBase)}), yaml ${fx(r.yaml)}`;
}

function parseList(flag: string, raw: string | undefined, fallback: number[]): number[] {
  if (raw === undefined || raw === '') return fallback;
  const xs = raw.split(',').map((s) => Number(s.trim()));
  if (xs.length === 0 || xs.some((x) => !Number.isInteger(x) || x < 1)) {
    throw new Error(`${flag} must be a comma-separated list of positive integers, got "${raw}"`);
  }
  return xs;
}

function argValue(argv: string[], flag: string): string | undefined {
  const i = argv.indexOf(flag);
  if (i >= 0) return argv[i + 1];
  const eq = argv.find((a) => a.startsWith(`${flag}=`));
  return eq?.slice(flag.length + 1);
}

function main(argv: string[]): void {
  if (argv.includes('--worker')) {
    const variant = argValue(argv, '--variant') as Variant;
    if (!VARIANTS.includes(variant)) throw new Error(`--variant must be one of ${VARIANTS.join(', ')}`);
    const [n] = parseList('--n', argValue(argv, '--n'), [NaN]);
    worker(variant, n);
    return;
  }

  const ns = parseList('--n', argValue(argv, '--n') ?? process.env.BENCH_N, [200, 1000]);
  const [repeats] = parseList('--repeats', argValue(argv, '--repeats') ?? process.env.BENCH_REPEATS, [3]);
  const cpus = os.cpus();
  console.error(`bench: N=${ns.join(',')}, ${repeats} runs per case, node ${process.version}, ${cpus.length} cores (${cpus[0]?.model ?? '?'})`);

  const cases: CaseResult[] = [];
  const ratios: Ratio[] = [];
  for (const n of ns) {
    const runs: Record<Variant, Sample[]> = { patterns: [], raw: [] };
    for (let rep = 0; rep < repeats; rep++) {
      // Alternate the order so neither variant always runs on a cooler (or warmer) machine.
      const order = rep % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
      for (const variant of order) {
        const s = runChild(variant, n);
        runs[variant].push(s);
        console.error(`  N=${n} ${variant.padEnd(8)} run ${rep + 1}/${repeats}: `
          + `construct ${f1(s.constructMs)} ms, synth ${f1(s.synthMs)} ms, peak RSS ${f1(s.peakRssBytes / MIB)} MiB`);
      }
    }
    const p = aggregate(n, 'patterns', runs.patterns);
    const r = aggregate(n, 'raw', runs.raw);
    cases.push(p, r);
    ratios.push(ratioOf(p, r));
  }

  console.log(`\nMedian of ${repeats} fresh processes per row; RSS = peak RSS of the process, base = RSS before the first construct.\n`);
  console.log(table(cases));
  console.log('');
  for (const r of ratios) console.log(ratioLine(r));

  const outDir = path.join(__dirname, 'results');
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, 'latest.json');
  fs.writeFileSync(file, JSON.stringify({
    date: new Date().toISOString(),
    machine: { node: process.version, platform: `${os.platform()} ${os.release()}`, arch: os.arch(), cores: cpus.length, cpu: cpus[0]?.model },
    repeats,
    ns,
    cases,
    ratios,
  }, undefined, 2) + '\n');
  console.log(`\nwrote ${path.relative(process.cwd(), file)}`);
}

main(process.argv.slice(2));
