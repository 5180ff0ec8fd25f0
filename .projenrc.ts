import { cdk8s, javascript, JsonFile } from 'projen';

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-patterns',
  description:
    'The Kubernetes Patterns (Ibryam & Huß) as typed, secure-by-default cdk8s constructs on cdk8s-plus-28.',
  keywords: ['cdk8s', 'kubernetes', 'patterns', 'constructs', 'cdk8s-plus'],
  author: 'cdk8s-patterns authors',
  authorAddress: 'maintainers@cdk8s-patterns.invalid',
  repositoryUrl: 'https://example.invalid/cdk8s-patterns.git',
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  projenrcTs: true,
  packageManager: javascript.NodePackageManager.NPM,

  // Toolchain pins (see shared/TOOLCHAIN.md).
  cdk8sVersion: '2.70.0',
  constructsVersion: '10.3.0',
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~5.9.3',
  minNodeVersion: '20.16.0',
  peerDeps: ['cdk8s-plus-28@^2.5.6'],
  devDeps: [
    'kubernetes-models@4.5.1',
    '@kubernetes-models/gateway-api@0.5.1',
    // Schema of the prometheus-operator ServiceMonitor the Adapter pattern can emit.
    '@kubernetes-models/prometheus-operator@4.4.4',
    '@monokle/validation@0.33.0',
    'tsx@^4.20.0',
    'yaml@^2.2.2',
    // A third YAML reader for the YAML writer's round-trip tests (test/synth/yaml.test.ts).
    'js-yaml@^4.1.0',
    '@types/js-yaml@^4.0.9',
    // Property-based robustness tests (test/robustness/).
    'fast-check@^4.10.2',
  ],

  // Everything below needs a network or a live cluster: off.
  release: false,
  depsUpgrade: false,
  github: false,
  integrationTestAutoDiscover: false,

  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    extraCliOptions: ['--json', '--outputFile=test-reports/jest-results.json'],
    jestConfig: {
      coveragePathIgnorePatterns: ['/node_modules/', '/test/'],
      // Examples import the library by its npm name; tests run them against src/.
      moduleNameMapper: { '^cdk8s-patterns$': '<rootDir>/src/index.ts' },
      // Jest's default is one worker fewer than the CPUs: on a 2-CPU CI runner one worker, which
      // doubles the test time (measured: 24 s against 13 s for test/advanced and test/behavioral).
      maxWorkers: '100%',
    },
  },

  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'examples', 'bench', 'projenrc'],
  },

  gitignore: ['/cdk8s.out/', '/bench/results/', '/scratch/'],
});

// Examples and benchmarks import 'cdk8s-patterns' through a tsconfig path that the import plugin
// cannot see; `tsc -p examples/tsconfig.json` (in the examples task) proves they resolve.
project.eslint?.addOverride({
  files: ['examples/**/*.ts', 'bench/**/*.ts'],
  rules: { 'import/no-unresolved': 'off' },
});

for (const p of ['/examples/', '/bench/', '/scripts/', '/cdk8s.out/', '/.ci/', '/test-reports/']) {
  project.addPackageIgnore(p);
}

// npm ci rejects the lock file with unrs-resolver 1.13 (non-Linux bindings missing here).
project.package.addField('overrides', { 'unrs-resolver': '1.12.2' });

// Stale compiled files must never be packaged.
project.preCompileTask.exec('rm -rf lib');

// Silence jsii's end-of-life banner on node 20.
project.tasks.addEnvironment('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '20');
project.tasks.addEnvironment('CDK8S_CHECK_UPGRADE', 'false');

// Examples and benchmarks import the library by its npm name, exactly as a user would; this
// tsconfig maps that name to src/ so they run (with tsx) and type-check without a build.
for (const dir of ['examples', 'bench']) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: {
      extends: '../tsconfig.json',
      compilerOptions: {
        noEmit: true,
        rootDir: '..',
        baseUrl: '..',
        paths: { 'cdk8s-patterns': ['src/index.ts'] },
      },
      include: ['**/*.ts', '../src/**/*.ts'],
    },
  });
}

// ts-jest only transpiles (isolatedModules): type-check the tests themselves in the test task.
new JsonFile(project, 'test/tsconfig.typecheck.json', {
  obj: {
    extends: './tsconfig.json',
    compilerOptions: { isolatedModules: false, noEmit: true },
  },
});
const typecheckTests = project.addTask('typecheck:test', {
  description: 'Type-check the tests (ts-jest transpiles them without type-checking)',
  exec: 'tsc -p test/tsconfig.typecheck.json',
});
project.testTask.prependSpawn(typecheckTests);

// The names of every exported interface's props, for the unknown-prop check (src/core/known-props.ts):
// regenerated before each compile, and the tests fail if the committed file is out of date.
const genProps = project.addTask('gen:props', {
  description: 'Regenerate src/core/known-props.ts from the interfaces src/index.ts exports',
  exec: 'node scripts/gen-known-props.mjs',
});
project.preCompileTask.spawn(genProps);
project.testTask.prependExec('node scripts/gen-known-props.mjs --check');

// Synthesise every example into cdk8s.out/<example>/ (never dist/: jsii packaging owns it).
const examples = project.addTask('examples', {
  description: 'Synthesise every app under examples/ into YAML under cdk8s.out/',
});
examples.exec('tsc -p examples/tsconfig.json');
examples.exec('node scripts/synth-examples.mjs');

// The independent checker (@monokle/validation, offline plugins only) over every example's output.
const checkExamples = project.addTask('check:examples', {
  description: 'Run the independent manifest checker over cdk8s.out/',
  exec: 'node scripts/check-manifests.mjs cdk8s.out --json test-reports/checker-results.json',
});

project.testTask.spawn(examples);
project.testTask.spawn(checkExamples);

project.addTask('bench', {
  description: 'Benchmarks against raw cdk8s-plus-28 (on demand, never part of test)',
  exec: 'tsx --tsconfig bench/tsconfig.json bench/run.ts',
  receiveArgs: true,
});

project.synth();
