/**
 * Synth speed and memory: the library against raw cdk8s-plus-28 and stock cdk8s writing exactly
 * the same objects.
 *
 *   npx projen bench                                            # N = 10,100,1000,5000,10000; 3 runs each
 *   BENCH_N=1000,5000 BENCH_REPEATS=1 npx projen bench          # fewer cases
 *
 * Variants, each in a fresh node process per (N, layout, repeat):
 *   patterns-fast   the library's constructs, `new PatternApp()` + `app.synth()`
 *   patterns        the library's constructs, stock `new App()` + `app.synth()`
 *   raw             raw cdk8s-plus-28 building the same objects by hand (bench/raw-kplus.ts),
 *                   stock `new App()` + `app.synth()`
 *   stock           stock cdk8s `ApiObject`s of the very JSON the library renders, `app.synth()`
 *   json            `JSON.stringify` of those objects: the floor of this work
 * Layouts: `one` (one Chart) and `per` (one Chart per service). A service is one workload of a
 * kind that rotates through every kind the library has. Stock `app.synth()` validates the whole
 * app once per chart, so `patterns`, `raw` and `stock` are quadratic in the `per` layout: they run
 * there only up to BENCH_QUADRATIC_MAX (default 1000). Before timing, the parent proves at a small
 * N that every variant writes files that parse to the same objects. See bench/README.md.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import {
  BatchJob, DaemonService, HealthCheck, NetworkPeer, PatternApp, PeriodicJob, SingletonLocking, SingletonService, StatelessService,
} from 'cdk8s-patterns';
import { Construct } from 'constructs';
import { parseAllDocuments } from 'yaml';
import { buildRaw } from './raw-kplus';

type Variant = 'patterns-fast' | 'patterns' | 'raw' | 'stock' | 'json';
type Layout = 'one' | 'per';
const VARIANTS: Variant[] = ['patterns-fast', 'patterns', 'raw', 'stock', 'json'];
/** Stock `App.synth()` validates the whole app and resolves its dependencies once per chart: quadratic in the `per` layout. */
const QUADRATIC: Variant[] = ['patterns', 'raw', 'stock'];
const LAYOUTS: Layout[] = ['one', 'per'];
const IMAGE = 'ghcr.io/acme/api:1.4.2';
const MIB = 1024 * 1024;

/** Service `i`: one workload, its kind rotating through every kind the library has. */
function service(scope: Construct, i: number): void {
  const id = `s${i}`;
  const network = { allowFrom: [{ peer: NetworkPeer.namespace('clients') }] };
  switch (i % 6) {
    case 0: new StatelessService(scope, id, { image: IMAGE, port: 8080, replicas: 3, health: HealthCheck.http('/healthz'), network }); break;
    case 1: new BatchJob(scope, id, { image: IMAGE }); break;
    case 2: new PeriodicJob(scope, id, { image: IMAGE, schedule: '30 2 * * *' }); break;
    case 3: new DaemonService(scope, id, { image: IMAGE, port: 9100, network }); break;
    case 4: new SingletonService(scope, id, { image: IMAGE, port: 8080, locking: SingletonLocking.outOfApplication(), network }); break;
    default: new SingletonService(scope, id, { image: IMAGE, port: 8080, locking: SingletonLocking.inApplication(), network }); break;
  }
}

function buildPatterns(app: App, n: number, layout: Layout): void {
  let chart = layout === 'one' ? new Chart(app, 'bench') : undefined;
  for (let i = 0; i < n; i++) service(layout === 'one' ? chart! : (chart = new Chart(app, `c${i}`)), i);
}

/** Renders the library's app of size n to NDJSON lines `[chartIndex, json]`, the stock variant's input. */
function writeReference(n: number, layout: Layout, file: string): void {
  const app = new PatternApp({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'bench-ref-')) });
  buildPatterns(app, n, layout);
  app.synthYaml(); // validation, as in a real synth (once: PatternApp)
  const fd = fs.openSync(file, 'w');
  // No dependencies here, so each chart's objects come in tree order, as cdk8s writes them.
  app.node.children.filter(Chart.isChart).forEach((chart, c) => {
    for (const o of chart.node.findAll().filter(ApiObject.isApiObject)) fs.writeSync(fd, JSON.stringify([c, o.toJson()]) + '\n');
  });
  fs.closeSync(fd);
}

/** Reads NDJSON in chunks (never the whole file as one string). */
function readReference(file: string): Array<[number, any]> {
  const out: Array<[number, any]> = [];
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.alloc(MIB);
  let rest = '';
  for (let k; (k = fs.readSync(fd, buf, 0, buf.length, null)) > 0;) {
    const lines = (rest + buf.toString('utf8', 0, k)).split('\n');
    rest = lines.pop()!;
    for (const l of lines) if (l) out.push(JSON.parse(l));
  }
  fs.closeSync(fd);
  return out;
}

interface Sample {
  readonly n: number;
  readonly layout: Layout;
  readonly variant: Variant;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly peakRssMiB: number;
  readonly files: number;
}

function worker(variant: Variant, n: number, layout: Layout, ref: string, outdir: string): void {
  const docs = variant === 'stock' || variant === 'json' ? readReference(ref) : [];
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  if (variant === 'json') {
    let bytes = 0;
    for (const [, d] of docs) bytes += JSON.stringify(d).length;
    if (bytes === 0) throw new Error('nothing to stringify');
  } else if (variant === 'stock') {
    const app = new App({ outdir });
    const charts = new Map<number, Chart>();
    docs.forEach(([c, d], i) => {
      if (!charts.has(c)) charts.set(c, new Chart(app, layout === 'one' ? 'bench' : `c${c}`));
      new ApiObject(charts.get(c)!, `o${i}`, d);
    });
    app.synth();
  } else if (variant === 'raw') {
    const app = new App({ outdir });
    buildRaw(app, n, layout);
    app.synth();
  } else {
    const app = variant === 'patterns-fast' ? new PatternApp({ outdir }) : new App({ outdir });
    buildPatterns(app, n, layout);
    app.synth();
  }
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  const sample: Sample = {
    n,
    layout,
    variant,
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    files: variant === 'json' ? 0 : fs.readdirSync(outdir).length,
  };
  process.stdout.write(JSON.stringify(sample) + '\n');
}

function runChild(variant: Variant, n: number, layout: Layout, ref: string, outdir: string): Sample {
  const out = execFileSync(process.execPath, [
    '--expose-gc', ...process.execArgv, __filename, '--worker', variant, String(n), layout, ref, outdir,
  ], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 * MIB });
  return JSON.parse(out.trim().split('\n').pop()!) as Sample;
}

/** Every YAML document under `dir`, parsed, file by file in name order. */
function objectsIn(dir: string): unknown[] {
  return fs.readdirSync(dir).sort().flatMap((f) =>
    parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8'), { version: '1.1' }).map((d) => [f, d.toJS()]));
}

/** JSON with sorted keys: equal for objects that are deeply equal, whatever their key order. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x)
    ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, x[k]])) : x));
}

/** Proves that the variants write the same objects (same files, same documents, same order). */
function verify(tmp: string): void {
  for (const layout of LAYOUTS) {
    const n = 24;
    const ref = path.join(tmp, `verify-${layout}.ndjson`);
    writeReference(n, layout, ref);
    const outputs = (['patterns-fast', 'patterns', 'raw', 'stock'] as Variant[]).map((v) => {
      const dir = fs.mkdtempSync(path.join(tmp, `verify-${v}-`));
      runChild(v, n, layout, ref, dir);
      return [v, objectsIn(dir).map(canonical)] as const;
    });
    const [first, expected] = outputs[0];
    for (const [v, docs] of outputs) {
      const k = docs.findIndex((d, i) => d !== expected[i]);
      if (k < 0 && docs.length === expected.length) continue;
      const at = k < 0 ? `has ${docs.length} documents, not ${expected.length}` : `differs at document ${k}:\n  ${docs[k]}\nnot\n  ${expected[k]}`;
      throw new Error(`bench: ${v} (${layout}) does not write the same objects as ${first}: it ${at}`);
    }
    console.error(`bench: verified, layout ${layout}: patterns-fast, patterns, raw and stock write the same objects (N=${n})`);
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function list(raw: string | undefined, fallback: number[]): number[] {
  if (!raw) return fallback;
  const xs = raw.split(',').map(Number);
  if (xs.some((x) => !Number.isInteger(x) || x < 1)) throw new Error(`expected positive integers, got "${raw}"`);
  return xs;
}

/** Time to import cdk8s-plus-28, and the library on top of it, from the compiled lib/ (median of 5). */
function importCost(): string {
  const lib = path.join(__dirname, '..', 'lib', 'index.js');
  if (!fs.existsSync(lib)) return 'import: lib/ not built (npx projen compile), not measured';
  const time = (mods: string[]) => median([0, 1, 2, 3, 4].map(() => Number(execFileSync(process.execPath, ['-e',
    `const t=process.hrtime.bigint();${mods.map((m) => `require(${JSON.stringify(m)});`).join('')}console.log(Number(process.hrtime.bigint()-t)/1e6)`],
  { encoding: 'utf8', cwd: path.join(__dirname, '..') }))));
  const plus = time(['cdk8s-plus-28']);
  const both = time(['cdk8s-plus-28', lib]);
  return `import: cdk8s-plus-28 ${plus.toFixed(0)} ms; cdk8s-plus-28 + cdk8s-patterns ${both.toFixed(0)} ms (+${(both - plus).toFixed(0)} ms)`;
}

function main(argv: string[]): void {
  if (argv[0] === '--worker') {
    worker(argv[1] as Variant, Number(argv[2]), argv[3] as Layout, argv[4], argv[5]);
    return;
  }
  const ns = list(process.env.BENCH_N, [10, 100, 1000, 5000, 10000]);
  const [repeats] = list(process.env.BENCH_REPEATS, [3]);
  const [quadMax] = list(process.env.BENCH_QUADRATIC_MAX, [1000]);
  const cpus = os.cpus();
  console.error(`bench: N=${ns.join(',')}, ${repeats} runs per case, node ${process.version}, ${cpus.length} cores (${cpus[0]?.model ?? '?'})`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
  try {
    verify(tmp);
    const rows: Array<Sample & { runs: number }> = [];
    for (const n of ns) {
      for (const layout of LAYOUTS) {
        const ref = path.join(tmp, `ref-${n}-${layout}.ndjson`);
        writeReference(n, layout, ref);
        for (const variant of VARIANTS) {
          if (layout === 'per' && n > quadMax && QUADRATIC.includes(variant)) continue;
          const runs: Sample[] = [];
          for (let r = 0; r < repeats; r++) {
            const outdir = fs.mkdtempSync(path.join(tmp, 'out-'));
            runs.push(runChild(variant, n, layout, ref, outdir));
            fs.rmSync(outdir, { recursive: true, force: true });
          }
          const med = (f: (x: Sample) => number) => median(runs.map(f));
          const s = { ...runs[0], wallMs: med((x) => x.wallMs), cpuMs: med((x) => x.cpuMs), peakRssMiB: med((x) => x.peakRssMiB), runs: runs.length };
          rows.push(s);
          console.error(`  N=${n} ${layout} ${variant}: ${s.wallMs.toFixed(0)} ms wall, ${s.cpuMs.toFixed(0)} ms cpu, ${s.peakRssMiB.toFixed(0)} MiB`);
        }
        fs.rmSync(ref, { force: true });
      }
    }
    const get = (n: number, layout: Layout, v: Variant) => rows.find((r) => r.n === n && r.layout === layout && r.variant === v);
    console.log(`\nMedian of ${repeats} fresh processes; wall and CPU time of building the app and app.synth() (files written), peak RSS of the process.\n`);
    console.log('| N | layout | variant | wall ms | CPU ms | peak RSS MiB | files |\n|---:|---|---|---:|---:|---:|---:|');
    for (const r of rows) console.log(`| ${r.n} | ${r.layout} | ${r.variant} | ${r.wallMs.toFixed(0)} | ${r.cpuMs.toFixed(0)} | ${r.peakRssMiB.toFixed(0)} | ${r.files} |`);
    console.log('\nRatios (same run):');
    const ratio = (a?: Sample, b?: Sample, f: (s: Sample) => number = (s) => s.wallMs) => (a && b ? `${(f(a) / f(b)).toFixed(2)}x` : 'n/a');
    for (const n of ns) {
      for (const layout of LAYOUTS) {
        const fast = get(n, layout, 'patterns-fast');
        const lib = get(n, layout, 'patterns');
        const stock = get(n, layout, 'stock');
        const raw = get(n, layout, 'raw');
        console.log(`N=${n} ${layout}: stock/patterns-fast time ${ratio(stock, fast)} (cpu ${ratio(stock, fast, (s) => s.cpuMs)}), `
          + `patterns/stock time ${ratio(lib, stock)} rss ${ratio(lib, stock, (s) => s.peakRssMiB)}, `
          + `patterns-fast/stock rss ${ratio(fast, stock, (s) => s.peakRssMiB)}, patterns-fast/json ${ratio(fast, get(n, layout, 'json'))}`);
        console.log(`N=${n} ${layout}: raw/patterns-fast time ${ratio(raw, fast)} (cpu ${ratio(raw, fast, (s) => s.cpuMs)}) `
          + `rss ${ratio(raw, fast, (s) => s.peakRssMiB)}, patterns/raw time ${ratio(lib, raw)} rss ${ratio(lib, raw, (s) => s.peakRssMiB)}, `
          + `raw/stock time ${ratio(raw, stock)}`);
      }
      console.log(`N=${n} patterns-fast per/one: ${ratio(get(n, 'per', 'patterns-fast'), get(n, 'one', 'patterns-fast'))}`);
    }
    const big = ns.filter((n) => n > 1000);
    for (const n of big) {
      for (const layout of LAYOUTS) {
        console.log(`patterns-fast ${layout} N=${n}/N=1000: ${ratio(get(n, layout, 'patterns-fast'), get(1000, layout, 'patterns-fast'))} (linear: ${(n / 1000).toFixed(1)}x)`);
      }
    }
    console.log(importCost());
    const outDir = path.join(__dirname, 'results');
    fs.mkdirSync(outDir, { recursive: true });
    const result = { date: new Date().toISOString(), node: process.version, cpu: cpus[0]?.model, cores: cpus.length, repeats, rows };
    fs.writeFileSync(path.join(outDir, 'latest.json'), JSON.stringify(result, undefined, 2) + '\n');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main(process.argv.slice(2));
