import { Yaml } from 'cdk8s';
import * as jsyaml from 'js-yaml';
import { parseAllDocuments } from 'yaml';
import { yamlDocument, yamlDocuments } from '../../src/synth/yaml';

/** Parses a YAML stream as YAML 1.1 (kubectl's go-yaml, cdk8s's Yaml.load), YAML 1.2 and js-yaml read it. */
function readers(text: string): Array<[string, unknown[]]> {
  return [
    ['yaml 1.1', parseAllDocuments(text, { version: '1.1' }).map((d) => d.toJS())],
    ['yaml 1.2', parseAllDocuments(text, { version: '1.2' }).map((d) => d.toJS())],
    ['js-yaml', jsyaml.loadAll(text)],
  ];
}

/** Strings that a careless writer leaves plain and some reader then reads as something else. */
const TRICKY = [
  // YAML 1.1 booleans and nulls (go-yaml reads y/n/on/off as booleans)
  'y', 'Y', 'n', 'N', 'yes', 'No', 'on', 'OFF', 'true', 'False', 'null', 'Null', '~', '',
  // numbers in one schema or another: octal, hex, binary, underscores, exponents, sexagesimal, .inf
  '0775', '0o17', '0x1F', '0b101', '1_000', '1e3', '1E3', '1:20', '12:30:45', '.inf', '-.inf', '.NaN', '+1', '-1', '.5', '1.', '.', '00',
  // timestamps (go-yaml reads the spaced form too), merge keys, indicators, comments
  '2001-12-14', '2001-12-14 21:59:43.10', '2001-12-14t21:59:43.10-05:00',
  '<<', '=', '-', '---', '...', '- a', '? x', ': x',
  '#x', 'a #b', 'a: b', 'x:', '@x', '`x', '!x', '&x', '*x', '%x', '|', '>', '[a]', '{a}', '"q"', "'q'", ',x',
  // white space and line breaks
  ' lead', 'trail ', 'a  b', '\ttab', 'a\tb', 'multi\nline', 'x\n', 'x\n\n', '\nx', ' lead\nx',
  'a\r\nb', 'x\u2028y', 'x\u0085y', '\ufeffbom', '\u0000nul',
  // unicode
  'é', 'ü\nline', '日本', '😀',
  // what manifests are full of, which must stay readable
  '100m', '128Mi', '1.5Gi', '25%', '0%', '30s', '--flag=1', '-H', 'ghcr.io/acme/api:1.4.2', 'http://x/y', 'app.kubernetes.io/name',
  '30 2 * * *', '0 0 1 1 *', '/var/log/*.log', 'path=/var/log/containers/*.log', 'RuntimeDefault', 'KBP105: a reason here',
];

describe('YAML writer: every reader gets back exactly what was written', () => {
  test.each(TRICKY.map((s) => [JSON.stringify(s), s]))('%s as a value, a key and a list item', (_name, s) => {
    const doc = { value: s, list: [s, { [s === '' ? 'empty' : s]: s }], [s === '' ? 'empty' : s]: [s] };
    for (const [reader, back] of readers(yamlDocument(doc))) {
      expect([reader, back[0]]).toEqual([reader, doc]);
    }
  });

  test('numbers, booleans, null, empty collections and nesting', () => {
    const docs = [
      {
        n: [0, -1, 2147483647, 0.5, -0.25, 1e21, 1.5e-7, 123456789012],
        b: [true, false],
        z: null,
        e: {},
        a: [],
        nested: [[1, [2, []]], [{ x: {} }]],
      },
      [1, 'a', { k: 'v' }],
      {},
      [],
    ];
    for (const [reader, back] of readers(yamlDocuments(docs))) {
      expect([reader, back]).toEqual([reader, docs]);
    }
  });

  test('random documents: 2000 seeded cases', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const pick = () => TRICKY[Math.floor(rnd() * TRICKY.length)];
    const gen = (depth: number): unknown => {
      const r = rnd();
      if (depth > 3 || r < 0.45) {
        const k = rnd();
        if (k < 0.6) return pick();
        if (k < 0.75) return Math.floor(rnd() * 1e6) - 5e5;
        if (k < 0.8) return rnd();
        if (k < 0.9) return rnd() < 0.5;
        if (k < 0.95) return null;
        return rnd() < 0.5 ? [] : {};
      }
      if (r < 0.7) {
        const o: { [k: string]: unknown } = {};
        for (let i = Math.floor(rnd() * 5); i > 0; i--) o[pick()] = gen(depth + 1);
        return o;
      }
      return Array.from({ length: Math.floor(rnd() * 4) }, () => gen(depth + 1));
    };
    const failures: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const docs = [gen(0), gen(0)];
      for (const [reader, back] of readers(yamlDocuments(docs))) {
        if (JSON.stringify(back) !== JSON.stringify(docs)) failures.push(`${reader}: ${JSON.stringify(docs)}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('YAML writer: laid out as stock cdk8s lays it out', () => {
  test('a typical manifest is byte-identical to Yaml.stringify', () => {
    const docs = [{
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'api', labels: { 'app.kubernetes.io/name': 'api' }, annotations: { 'patterns.cdk8s.io/checker-ignore': 'KBP105: reason' } },
      spec: {
        replicas: 3,
        strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 }, type: 'RollingUpdate' },
        template: {
          spec: {
            containers: [{
              name: 'app',
              image: 'ghcr.io/acme/api:1.4.2',
              args: ['--port=8080', '-v'],
              env: [{ name: 'CONFIG', value: 'line one\nline two\n' }, { name: 'PORT', value: '8080' }],
              resources: { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
              volumeMounts: [{ mountPath: '/tmp', name: 'tmp' }],
            }],
            volumes: [{ emptyDir: {}, name: 'tmp' }],
          },
        },
      },
    }, { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'nightly' }, spec: { schedule: '30 2 * * *', jobTemplate: { spec: {} } } }];
    expect(yamlDocuments(docs)).toBe(Yaml.stringify(...docs));
  });

  test('strings that stock writes plain but some reader misreads are quoted', () => {
    expect(yamlDocument({ a: '1_000' })).toBe('a: "1_000"\n'); // YAML 1.1 reads 1000
    expect(yamlDocument({ a: '<<' })).toBe('a: "<<"\n'); // a merge key in YAML 1.1
    expect(yamlDocument({ a: '2001-12-14 21:59:43' })).toBe('a: "2001-12-14 21:59:43"\n'); // a go-yaml timestamp
    expect(yamlDocument({ y: 'n' })).toBe('"y": "n"\n'); // booleans in YAML 1.1
  });

  test('multi-line strings are literal blocks with the right chomping', () => {
    expect(yamlDocument({ a: 'x\ny' })).toBe('a: |-\n  x\n  y\n');
    expect(yamlDocument({ a: 'x\ny\n' })).toBe('a: |\n  x\n  y\n');
    expect(yamlDocument({ a: 'x\n\n' })).toBe('a: |+\n  x\n\n');
    expect(yamlDocument({ a: ['x\ny'] })).toBe('a:\n  - |-\n    x\n    y\n');
    expect(yamlDocument({ a: ' x\ny' })).toBe('a: " x\\ny"\n'); // would need an indentation indicator
  });

  test('an undefined document and an undefined value are written as stock writes them', () => {
    expect(yamlDocuments([undefined, { a: undefined }])).toBe(Yaml.stringify(undefined, { a: undefined }));
  });

  test('a key longer than YAML allows for an implicit key is written as an explicit key', () => {
    const key = 'k'.repeat(1200);
    const doc = { [key]: { nested: 'v' }, other: 1 };
    for (const [reader, back] of readers(yamlDocument(doc))) expect([reader, back[0]]).toEqual([reader, doc]);
  });

  test('values that are not JSON are refused with a message', () => {
    expect(() => yamlDocument({ f: () => 1 })).toThrow('cannot write a function as YAML');
  });
});
