import * as fs from 'fs';
import * as path from 'path';
import { CheckedSnippet, checkSnippets, extractSnippets, ROOT, Snippet, verifySnippet } from './helpers/readme-snippets';

/**
 * Every ```ts block of README.md compiles, runs and synthesises manifests that pass the strict
 * Kubernetes 1.28 schema check; a block that shows an error throws exactly that error. The blocks
 * are fragments: see test/helpers/readme-snippets.ts for the prelude and the markers
 * (`<!-- snippet-context: ... -->`, `<!-- snippet: throws ... -->`, ...).
 */
const README = path.join(ROOT, 'README.md');
const readme = extractSnippets(fs.readFileSync(README, 'utf8'), 'README.md');

/** At most this many blocks may be skipped (each with its reason): the README's code is meant to run. */
const MAX_SKIPPED = 3;

/**
 * A sample Markdown file for the self-test: one block that does not compile, one that fails at
 * synth although it claims to run, one that throws as its marker says, one skipped, and a
 * marker the extractor must refuse.
 */
const SAMPLE = [
  '# Sample',
  '<!-- snippet-context: const count: number = 3; -->',
  '```ts',
  'const label: string = count; // line 4: a number is not a string',
  '```',
  'Text.',
  '```ts',
  "new StatelessService(chart, 'web', { image: 'nginx' }); // unpinned: rejected at synth",
  '```',
  '<!-- snippet: throws PatternValidationError must be >= 0 -->',
  '```ts',
  "new StatelessService(chart, 'web', { image: 'ghcr.io/acme/web:1.0.0', replicas: -1 });",
  '```',
  '<!-- snippet: skip a shell line, not TypeScript -->',
  '```ts',
  'npm test',
  '```',
  '<!-- snippet: ignore -->',
  '```ts',
  "new StatelessService(chart, 'web', { image: 'ghcr.io/acme/web:1.0.0', port: 8080 });",
  '```',
  '- a list item',
  '  <!-- snippet-file config/a.txt: hello -->',
  '  ```ts',
  "  const config = new ConfigResource(chart, 'files', { files: { 'a.txt': 'config/a.txt' } });",
  '  ```',
  '```ts',
  "health: HealthCheck.http('/healthz') // a prop, not a statement",
  '```',
  '<!--',
  'snippet-context: const count = 2;',
  "const web = new StatelessService(chart, 'web', { image: 'ghcr.io/acme/web:1.0.0', replica: count }); -->",
  '```ts',
  "web.addContainer({ name: 'proxy', image: 'ghcr.io/acme/proxy:1.0.0' });",
  '```',
].join('\n');
const sample = extractSnippets(SAMPLE, 'sample.md');

const toCheck: Snippet[] = [...readme.snippets, ...sample.snippets];
let checked: Map<Snippet, CheckedSnippet>;

beforeAll(() => {
  // One TypeScript program for every block, the self-test's included.
  checked = new Map(checkSnippets(toCheck).map((c) => [c.snippet, c]));
}, 120_000);

const of = (s: Snippet): CheckedSnippet => {
  const c = checked.get(s);
  if (!c) throw new Error(`${s.id} was not type-checked`);
  return c;
};

describe('README.md snippets', () => {
  const skipped = readme.snippets.filter((s) => s.mode === 'skip');

  test('every ```ts block is found, its markers are valid, and few are skipped', () => {
    expect(readme.problems).toEqual([]);
    expect(readme.snippets.length).toBeGreaterThanOrEqual(40);
    const count = (mode: string) => readme.snippets.filter((s) => s.mode === mode).length;
    console.log(`README.md: ${readme.snippets.length} ts blocks: ${count('run')} run, ${count('throws')} throw as they show, `
      + `${count('known-bug')} known bugs, ${skipped.length} skipped${skipped.map((s) => `\n  skipped ${s.id}: ${s.reason}`).join('')}`);
    expect(skipped.length).toBeLessThanOrEqual(MAX_SKIPPED);
  });

  const runs = readme.snippets.filter((s) => s.mode === 'run').map((s) => [s.id, s] as const);
  test.each(runs)('%s compiles, synthesises and validates', (_id, s) => {
    verifySnippet(of(s));
  });

  const throwing = readme.snippets.filter((s) => s.mode === 'throws').map((s) => [s.id, s.error!.name, s] as const);
  if (throwing.length > 0) {
    test.each(throwing)('%s compiles and throws %s, as it shows', (_id, _name, s) => {
      verifySnippet(of(s));
    });
  }

  const bugs = readme.snippets.filter((s) => s.mode === 'known-bug').map((s) => [s.id, s.reason!, s] as const);
  if (bugs.length > 0) {
    test.each(bugs)('%s compiles and still shows a known library bug (%s)', (_id, _reason, s) => {
      verifySnippet(of(s));
    });
  }
});

describe('the README snippet check itself', () => {
  const [badType, failsAtSynth, throwsAsMarked, skipped, , withFile, propFragment, badContext] = sample.snippets;

  test('extracts every ts block with the line of its fence, and refuses an unknown marker', () => {
    expect(sample.snippets.map((s) => [s.id, s.mode])).toEqual([
      ['sample.md:3', 'run'], ['sample.md:7', 'run'], ['sample.md:11', 'throws'], ['sample.md:15', 'skip'], ['sample.md:19', 'run'],
      ['sample.md:24', 'run'], ['sample.md:27', 'run'], ['sample.md:33', 'run'],
    ]);
    expect(badContext.context).toEqual([{ line: 31, code: expect.stringMatching(/^const count = 2;\nconst web = /) }]);
    expect(skipped.reason).toBe('a shell line, not TypeScript');
    expect(throwsAsMarked.error).toEqual({ name: 'PatternValidationError', contains: 'must be >= 0' });
    expect(withFile.code).toBe("const config = new ConfigResource(chart, 'files', { files: { 'a.txt': 'config/a.txt' } });");
    expect(withFile.files).toEqual({ 'config/a.txt': 'hello' });
    expect(sample.problems).toEqual([expect.stringMatching(/^sample\.md:18: unknown marker "snippet: ignore"/)]);
    expect(extractSnippets('<!-- snippet: skip -->\n```ts\nx\n```', 'x.md').problems).toEqual([expect.stringMatching(/needs a reason/)]);
    expect(extractSnippets('<!-- snippet: skip why -->\n\n```ts\nx\n```', 'x.md').problems).toEqual([expect.stringMatching(/not directly above/)]);
  });

  test('a type error is reported at its line of the Markdown file, and fails the block', () => {
    expect(of(badType).diagnostics).toEqual([expect.stringMatching(/^sample\.md:4:7 TS2322: Type 'number' is not assignable to type 'string'/)]);
    expect(() => verifySnippet(of(badType))).toThrow(/sample\.md:3: the snippet does not compile/);
  });

  test('an error in a snippet-context is reported at its line', () => {
    expect(of(badContext).diagnostics).toEqual([
      expect.stringMatching(/^sample\.md:32 \(a snippet-context of sample\.md:33\) TS2561: .*'replica' does not exist/),
    ]);
  });

  test('a prop copied out of an object literal (a label to JavaScript) does not compile', () => {
    expect(of(propFragment).diagnostics).toEqual([expect.stringMatching(/^sample\.md:28:1 TS7028: Unused label/)]);
  });

  test('a block that compiles but fails at synth fails', () => {
    expect(of(failsAtSynth).diagnostics).toEqual([]);
    expect(() => verifySnippet(of(failsAtSynth))).toThrow(/sample\.md:7: the snippet compiles but fails when run and synthesised:[\s\S]*must be pinned/);
  });

  test('a block marked "throws" passes when it throws that error, and only then', () => {
    expect(() => verifySnippet(of(throwsAsMarked))).not.toThrow();
    const claimed = { ...of(throwsAsMarked), snippet: { ...throwsAsMarked, error: { name: 'PatternValidationError', contains: 'no such text' } } };
    expect(() => verifySnippet(claimed)).toThrow(/with "no such text" in its message/);
    const valid = { ...of(withFile), snippet: { ...withFile, mode: 'throws' as const, error: { name: 'PatternValidationError' } } };
    expect(() => verifySnippet(valid)).toThrow(/expected PatternValidationError to be thrown, but the snippet built and synthesised/);
  });

  test('a skipped block is neither compiled nor run; a snippet-file is in its working directory', () => {
    expect(checked.has(skipped)).toBe(false);
    const run = verifySnippet(of(withFile))!;
    expect(run.manifests.find((m) => m.kind === 'ConfigMap')?.data).toEqual({ 'a.txt': 'hello' });
  });
});
