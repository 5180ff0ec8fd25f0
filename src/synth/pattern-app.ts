import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, AppProps, Chart, DependencyGraph, Names, YamlOutputType } from 'cdk8s';
import { IConstruct } from 'constructs';
import { DOCUMENT_SEPARATOR, yamlDocument } from './yaml';
import { asValidationError, withSynthSession } from '../core/synth-session';

/** Write to the file system in chunks of about this many characters. */
const FLUSH_AT = 1024 * 1024;

/**
 * A cdk8s `App` with a faster synthesis that writes the same objects.
 *
 * Stock `App.synth()` validates the whole app and resolves its dependencies once more for every
 * chart, so an app of one chart per service takes time quadratic in the number of services; and
 * its YAML serializer is most of the rest. `PatternApp` validates every construct once, renders
 * every object once, and writes each document as soon as it is rendered, so time and memory grow
 * linearly, whatever the layout.
 *
 * The output parses to exactly the objects stock cdk8s writes, in the same files and order,
 * for every `yamlOutputType`. The YAML is laid out as cdk8s lays it out; a few strings that stock
 * cdk8s writes plain may be quoted, so that every YAML 1.1 and 1.2 reader (kubectl's included)
 * reads them back unchanged. Nothing is written when validation or rendering fails: files are
 * written to a temporary folder in `outdir` and moved into place at the end.
 *
 * @example
 * const app = new PatternApp(); // instead of new App()
 * new StatelessService(new Chart(app, 'shop'), 'api', { image: 'ghcr.io/acme/api:1.4.2', port: 8080 });
 * app.synth();
 */
export class PatternApp extends App {
  private readonly recordMetadata: boolean;

  constructor(props: AppProps = {}) {
    super(props);
    // As stock cdk8s decides it (App keeps its own copy private).
    this.recordMetadata = props.recordConstructMetadata ?? process.env.CDK8S_RECORD_CONSTRUCT_METADATA === 'true';
  }

  /**
   * Validates every construct once and writes every chart's objects to `outdir` as
   * `yamlOutputType` says, each document as soon as it is rendered. Throws one error listing every
   * validation problem, and then writes nothing.
   */
  public synth(): void {
    withSynthSession(() => {
      fs.mkdirSync(this.outdir, { recursive: true });
      const staging = fs.mkdtempSync(path.join(this.outdir, '.cdk8s-patterns-'));
      try {
        const files = new OutputFiles(staging, this.yamlOutputType, this.outputFileExtension);
        const written = this.produce(files);
        const rels = files.close();
        if (this.recordMetadata) {
          const resources: { [name: string]: { path: string } } = {};
          for (const o of written) resources[o.name] = { path: o.node.path };
          fs.writeFileSync(path.join(staging, 'construct-metadata.json'), JSON.stringify({ version: '1.0.0', resources }));
          rels.push('construct-metadata.json');
        }
        for (const rel of rels) {
          const target = path.join(this.outdir, rel);
          fs.mkdirSync(path.dirname(target), { recursive: true });
          fs.renameSync(path.join(staging, rel), target);
        }
      } finally {
        fs.rmSync(staging, { recursive: true, force: true });
      }
    });
  }

  /**
   * Validates every construct once and returns the YAML of every chart's objects, in the order
   * `synth()` writes them.
   */
  public synthYaml(): string {
    return withSynthSession(() => {
      const parts: string[] = [];
      this.produce({ chart: () => undefined, object: (json) => { parts.push(yamlDocument(json)); } });
      return parts.join(DOCUMENT_SEPARATOR);
    });
  }

  /**
   * Validates every construct once and hands every object's JSON to `sink`, chart by chart, in
   * the order stock cdk8s writes them. Returns the objects written. Throws, after the last
   * construct is validated, one error listing every validation (and rendering) problem.
   */
  private produce(sink: Sink): ApiObject[] {
    const all = this.node.findAll();
    const { indexed } = resolveDependencies(all);
    const errors: string[] = [];
    const written: ApiObject[] = [];
    const validate = (c: IConstruct) => {
      for (const error of c.node.validate()) errors.push(`[${c.node.path}] ${error}`);
    };
    const write = (o: ApiObject) => {
      if (errors.length > 0) return; // never render what failed validation
      let json: any;
      try {
        json = o.toJson();
      } catch (e) {
        errors.push(`[${o.node.path}] ${(e as Error).message ?? e}`);
        return;
      }
      sink.object(json, o);
      written.push(o);
    };

    if (!indexed) {
      // No chart depends on another: stock cdk8s writes the charts in tree order (see
      // `chartOrder`), each with the objects whose closest chart it is, in the order of its
      // dependency graph: a depth-first walk from each construct that nothing depends on, in tree
      // order, writing what it depends on before it. So each chart's subtree is walked on its own:
      // every construct is validated, and written as soon as that order allows; a render made for
      // a check is written at once and memory stays flat.
      const dependedOn = new Set(dependenciesOf(all).map((d) => d.target));
      const charts: Chart[] = [];
      const outside: IConstruct[] = [];
      const collect = (c: IConstruct, inChart: boolean) => {
        if (Chart.isChart(c)) charts.push(c);
        else if (!inChart) outside.push(c);
        for (const child of c.node.children) collect(child, inChart || Chart.isChart(c));
      };
      collect(this, false);
      outside.forEach(validate);
      for (const chart of chartOrder(charts)) {
        if (errors.length === 0) sink.chart(chart, indexed);
        const done = new Set<IConstruct>();
        const emit = (c: IConstruct) => {
          if (done.has(c)) return;
          done.add(c);
          for (const d of c.node.dependencies) if (Chart.of(d) === chart) emit(d);
          if (ApiObject.isApiObject(c)) write(c);
        };
        const walk = (c: IConstruct) => {
          validate(c);
          if (!dependedOn.has(c)) emit(c);
          for (const child of c.node.children) if (!Chart.isChart(child)) walk(child);
        };
        walk(chart);
      }
    } else {
      for (const c of all) validate(c);
      if (errors.length === 0) {
        for (const chart of this.charts) {
          sink.chart(chart, indexed);
          for (const o of objectsOf(chart)) write(o);
        }
      }
    }
    if (errors.length > 0) {
      throw asValidationError(new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`));
    }
    return written;
  }
}

/** Where `produce` hands charts and objects. */
interface Sink {
  /** A chart starts (before its objects); `indexed`: charts depend on each other, so file names carry an index. */
  chart(chart: Chart, indexed: boolean): void;
  /** An object of the chart that started last, rendered. */
  object(json: any, apiObject: ApiObject): void;
}

/**
 * The files of one synthesis, named and laid out as stock cdk8s names and lays them out, each
 * written as its documents arrive; one file is open at a time.
 */
class OutputFiles implements Sink {
  private readonly paths: string[] = [];
  private readonly owners = new Map<string, string>();
  private current?: YamlFile;
  private folder = '';
  private index = 0;

  constructor(private readonly dir: string, private readonly type: YamlOutputType, private readonly ext: string) {
    if (!Object.values(YamlOutputType).includes(type)) {
      throw new Error(`PatternApp: yamlOutputType (${type}) must be one of cdk8s's YamlOutputType values`);
    }
  }

  public chart(chart: Chart, indexed: boolean): void {
    switch (this.type) {
      case YamlOutputType.FILE_PER_APP:
        if (!this.current) this.current = this.open(`app${this.ext}`, chart);
        break;
      case YamlOutputType.FILE_PER_CHART:
        this.current?.close();
        this.current = this.open(this.chartName(chart, indexed) + this.ext, chart);
        break;
      case YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE:
        this.folder = this.chartName(chart, indexed);
        fs.mkdirSync(path.join(this.dir, this.folder), { recursive: true });
        break;
      default:
        break;
    }
  }

  public object(json: any, apiObject: ApiObject): void {
    if (this.type === YamlOutputType.FILE_PER_APP || this.type === YamlOutputType.FILE_PER_CHART) {
      this.current!.document(json);
      return;
    }
    const rel = path.join(this.folder, `${json.kind}.${json.metadata?.name}`.replace(/[^0-9a-zA-Z-_.]/g, '') + this.ext);
    const file = this.open(rel, apiObject);
    file.document(json);
    file.close();
  }

  /** Closes the open file; returns the paths of every file written, relative to the folder. */
  public close(): string[] {
    this.current?.close();
    this.current = undefined;
    return this.paths;
  }

  /** A chart's file or folder name as stock cdk8s makes it: `0000-name` when charts depend on each other. */
  private chartName(chart: Chart, indexed: boolean): string {
    const name = Names.toDnsLabel(chart);
    return indexed ? `${(this.index++).toString().padStart(4, '0')}-${name}` : name;
  }

  /** Opens a new file for `owner`; stock cdk8s would let a second owner overwrite the first: never silently. */
  private open(rel: string, owner: IConstruct): YamlFile {
    const first = this.owners.get(rel);
    if (first !== undefined) {
      throw new Error(`${owner.node.path}: would be written to ${rel}, the file of ${first}: `
        + 'give them different names (ids for charts, kinds or names for objects), or choose another yamlOutputType');
    }
    this.owners.set(rel, owner.node.path);
    this.paths.push(rel);
    return new YamlFile(path.join(this.dir, rel));
  }
}

/** A YAML file written document by document, in chunks. */
class YamlFile {
  private readonly fd: number;
  private pending = '';
  private documents = 0;

  constructor(file: string) {
    this.fd = fs.openSync(file, 'w');
  }

  public document(doc: unknown): void {
    if (this.documents++ > 0) this.pending += DOCUMENT_SEPARATOR;
    this.pending += yamlDocument(doc);
    if (this.pending.length >= FLUSH_AT) this.flush();
  }

  public close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }

  private flush(): void {
    if (this.pending.length > 0) fs.writeSync(this.fd, this.pending);
    this.pending = '';
  }
}

/**
 * The dependencies stock cdk8s derives before synthesis, derived once: a chart depends on the
 * charts nested in it and on charts its constructs depend on, and every object of a construct
 * depends on every object of the constructs it depends on (in the same chart). Returns whether
 * any chart depends on another (`indexed`: file names then carry an index, as in stock cdk8s).
 */
function resolveDependencies(all: IConstruct[]): { indexed: boolean } {
  let hasDependantCharts = false;
  const declared = dependenciesOf(all);
  const chartOf = memo((c: IConstruct) => Chart.of(c));
  for (const parent of all.filter(Chart.isChart)) {
    for (const child of parent.node.children.filter(Chart.isChart)) {
      parent.node.addDependency(child);
      hasDependantCharts = true;
    }
  }
  for (const { source, target } of declared) {
    const sourceChart = chartOf(source);
    const targetChart = chartOf(target);
    if (sourceChart !== targetChart) {
      sourceChart.node.addDependency(targetChart);
      hasDependantCharts = true;
    }
  }
  const objectsUnder = memo((c: IConstruct) => c.node.findAll().filter(ApiObject.isApiObject));
  // Again, as stock cdk8s does: now with the chart dependencies just added.
  for (const { source, target } of dependenciesOf(all)) {
    const sourceChart = chartOf(source);
    const targetChart = chartOf(target);
    const targets = objectsUnder(target).filter((x) => chartOf(x) === targetChart);
    const sources = objectsUnder(source).filter((x) => chartOf(x) === sourceChart);
    for (const t of targets) {
      for (const s of sources) if (t !== s) s.node.addDependency(t);
    }
  }
  return { indexed: hasDependantCharts };
}

function dependenciesOf(all: IConstruct[]): Array<{ source: IConstruct; target: IConstruct }> {
  const deps: Array<{ source: IConstruct; target: IConstruct }> = [];
  for (const source of all) for (const target of source.node.dependencies) deps.push({ source, target });
  return deps;
}

/** The objects of a chart in the order stock cdk8s writes them (dependencies first). */
function objectsOf(chart: Chart): ApiObject[] {
  return new DependencyGraph(chart.node).topology()
    .filter(ApiObject.isApiObject)
    .filter((o) => Chart.of(o) === chart); // an object belongs to its closest chart only
}

/**
 * Charts (given in tree order) in the order stock cdk8s writes them when nothing depends on
 * anything: tree order, except that charts whose path is an array index ("0", "1", ...: top-level
 * charts with such ids) come first, in numeric order. Stock cdk8s keys its dependency graph by path
 * in a plain object, which orders such keys first.
 */
function chartOrder(charts: Chart[]): Chart[] {
  const isIndex = (c: Chart) => /^(0|[1-9][0-9]*)$/.test(c.node.path) && Number(c.node.path) < 2 ** 32 - 1;
  return [
    ...charts.filter(isIndex).sort((a, b) => Number(a.node.path) - Number(b.node.path)),
    ...charts.filter((c) => !isIndex(c)),
  ];
}

function memo<K, V>(f: (k: K) => V): (k: K) => V {
  const cache = new Map<K, V>();
  return (k) => {
    if (!cache.has(k)) cache.set(k, f(k));
    return cache.get(k)!;
  };
}
