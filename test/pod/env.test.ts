import { Chart } from 'cdk8s';
import {
  ConfigMapReference, EnvFrom, EnvVariable, IConfigMapReference, PodField, PolicyRule, ResourceField, StatelessServiceProps, Waiver,
} from '../../src';
import { PatternValidationError, Problems } from '../../src/core/validation';
import { checkCommandReferences, resolveEnv, variableReferences } from '../../src/pod/env';
import { errorOf, service as baseService } from '../helpers/errors';
import { findObject, mainContainer, newChart, synth, validateManifests } from '../helpers/synth';

/** Secrets in env are an opt-in: the services of these tests waive it unless a test says otherwise. */
const SECRET_IN_ENV = [Waiver.of(PolicyRule.SECRET_IN_ENV, 'tests of env rendering')];
function service(props: Partial<StatelessServiceProps>) {
  return baseService({ waivers: SECRET_IN_ENV, ...props });
}

/** A ConfigMap whose keys the library knows (what a ConfigResource of this library is). */
function knownConfigMap(name: string, keys: string[]): IConfigMapReference {
  return { configMapName: name, knownKeys: keys };
}

/** The rendered main container of a service built with `props` (synthesised, schema-checked). */
function appContainer(props: Partial<StatelessServiceProps>): any {
  const svc = service(props);
  const manifests = synth(Chart.of(svc));
  validateManifests(manifests);
  return mainContainer(findObject(manifests, 'Deployment', 'api'));
}

/** Runs resolveEnv on its own and returns the problems it records. */
function envProblems(literal?: { [k: string]: string }, variables?: EnvVariable[], envFrom?: EnvFrom[]): string[] {
  const problems = new Problems('shop/api');
  resolveEnv(literal, variables, envFrom, problems, '');
  return problems.messages();
}

describe('EnvVariable rendering', () => {
  test('literal renders as a plain value', () => {
    // GIVEN a literal variable
    const c = appContainer({ envVariables: [EnvVariable.literal('MODE', 'production')] });
    // THEN it renders as name/value, with no valueFrom
    expect(c.env).toEqual([{ name: 'MODE', value: 'production' }]);
  });

  test('fromConfigMap reads a key of a ConfigMap referenced by name; optional survives and false is omitted', () => {
    // GIVEN two ConfigMap key references, one optional
    const ref = ConfigMapReference.fromName('app-config');
    const c = appContainer({
      envVariables: [
        EnvVariable.fromConfigMap('LEVEL', ref, 'log.level'),
        EnvVariable.fromConfigMap('FLAGS', ref, 'flags', { optional: true }),
        EnvVariable.fromConfigMap('STRICT', ref, 'strict', { optional: false }),
      ],
    });
    // THEN each renders a configMapKeyRef with the name and key; only the optional one carries optional
    expect(c.env).toEqual([
      { name: 'LEVEL', valueFrom: { configMapKeyRef: { name: 'app-config', key: 'log.level' } } },
      { name: 'FLAGS', valueFrom: { configMapKeyRef: { name: 'app-config', key: 'flags', optional: true } } },
      { name: 'STRICT', valueFrom: { configMapKeyRef: { name: 'app-config', key: 'strict' } } },
    ]);
  });

  test('fromSecret reads a key of an existing Secret; optional survives', () => {
    const c = appContainer({
      envVariables: [
        EnvVariable.fromSecret('DB_PASSWORD', 'db-credentials', 'password'),
        EnvVariable.fromSecret('API_TOKEN', 'api-token', 'token', { optional: true }),
      ],
    });
    expect(c.env).toEqual([
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'password' } } },
      { name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 'api-token', key: 'token', optional: true } } },
    ]);
  });

  test.each(Object.entries(PodField))('fromPodField(%s) renders a fieldRef the API accepts', (_key, field) => {
    // GIVEN a variable for one pod field
    const c = appContainer({ envVariables: [EnvVariable.fromPodField('FIELD', field)] });
    // THEN it is a fieldRef of exactly that path (and the manifest passes the 1.28 schema)
    expect(c.env).toEqual([{ name: 'FIELD', valueFrom: { fieldRef: { fieldPath: field } } }]);
  });

  test('fromPodLabel and fromPodAnnotation render quoted label and annotation field paths', () => {
    const c = appContainer({
      envVariables: [
        EnvVariable.fromPodLabel('INSTANCE', 'app.kubernetes.io/instance'),
        EnvVariable.fromPodAnnotation('OWNER', 'example.com/owner'),
      ],
    });
    expect(c.env).toEqual([
      { name: 'INSTANCE', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app.kubernetes.io/instance']" } } },
      { name: 'OWNER', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['example.com/owner']" } } },
    ]);
  });

  test('fromResource renders a resourceFieldRef; containerName and divisor are set only when given', () => {
    const c = appContainer({
      envVariables: [
        EnvVariable.fromResource('CPU', ResourceField.CPU_LIMIT),
        EnvVariable.fromResource('MEM_MIB', ResourceField.MEMORY_LIMIT, { divisor: '1Mi' }),
        EnvVariable.fromResource('APP_CPU_M', ResourceField.CPU_REQUEST, { containerName: 'app', divisor: '1m' }),
      ],
    });
    expect(c.env).toEqual([
      { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
      { name: 'MEM_MIB', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
      { name: 'APP_CPU_M', valueFrom: { resourceFieldRef: { resource: 'requests.cpu', containerName: 'app', divisor: '1m' } } },
    ]);
  });

  test('every ResourceField renders its resource name', () => {
    const vars = Object.values(ResourceField).map((f, i) => EnvVariable.fromResource(`R${i}`, f));
    const c = appContainer({ envVariables: vars });
    expect(c.env.map((e: any) => e.valueFrom.resourceFieldRef.resource)).toEqual(Object.values(ResourceField));
  });

  test('the factories keep the name and report it back', () => {
    expect(EnvVariable.literal('A', 'x').name).toBe('A');
    expect(EnvVariable.fromSecret('B', 's', 'k').name).toBe('B');
  });
});

describe('ConfigMapReference.fromName', () => {
  test('references a ConfigMap by name with unknown keys', () => {
    const ref = ConfigMapReference.fromName('settings');
    expect(ref.configMapName).toBe('settings');
    expect(ref.knownKeys).toBeUndefined();
  });

  test('a key reference to a ConfigMap with unknown keys is not checked', () => {
    // GIVEN a reference by name (keys unknown) and any key
    // THEN it is accepted (Kubernetes checks it when the pod starts)
    expect(envProblems(undefined, [EnvVariable.fromConfigMap('A', ConfigMapReference.fromName('settings'), 'anything')])).toEqual([]);
  });

  test('an invalid name is rejected', () => {
    expect(errorOf(() => service({ envVariables: [EnvVariable.fromConfigMap('A', ConfigMapReference.fromName('Not_Valid'), 'k')] })))
      .toContain('shop/api: envVariables[0].configMap.configMapName ("Not_Valid") must be a DNS-1123 subdomain');
  });
});

describe('EnvFrom', () => {
  test('configMap and secret render configMapRef and secretRef; prefix and optional survive', () => {
    // GIVEN envFrom sources with and without prefix and optional
    const c = appContainer({
      envFrom: [
        EnvFrom.configMap(ConfigMapReference.fromName('app-config')),
        EnvFrom.configMap(ConfigMapReference.fromName('feature-flags'), { prefix: 'FF_', optional: true }),
        EnvFrom.secret('app-secrets', { prefix: 'SECRET_' }),
        EnvFrom.secret('extra-secrets', { optional: true }),
      ],
    });
    // THEN each renders exactly, optional only when true
    expect(c.envFrom).toEqual([
      { configMapRef: { name: 'app-config' } },
      { configMapRef: { name: 'feature-flags', optional: true }, prefix: 'FF_' },
      { secretRef: { name: 'app-secrets' }, prefix: 'SECRET_' },
      { secretRef: { name: 'extra-secrets', optional: true } },
    ]);
  });

  test('an empty prefix and optional: false are omitted', () => {
    const c = appContainer({ envFrom: [EnvFrom.secret('app-secrets', { prefix: '', optional: false })] });
    expect(c.envFrom).toEqual([{ secretRef: { name: 'app-secrets' } }]);
  });

  test('an invalid prefix is rejected', () => {
    expect(errorOf(() => service({ envFrom: [EnvFrom.secret('s', { prefix: '1_' })] })))
      .toContain('shop/api: envFrom[0].prefix ("1_") must be a valid environment variable name');
  });

  test('an invalid Secret name is rejected', () => {
    expect(errorOf(() => service({ envFrom: [EnvFrom.secret('Bad Secret')] })))
      .toContain('shop/api: envFrom[0].secretName ("Bad Secret") must be a DNS-1123 subdomain');
  });

  test('a ConfigMap that is not a reference is rejected', () => {
    expect(errorOf(() => service({ envFrom: [EnvFrom.configMap({ name: 'x' } as any)] })))
      .toContain('shop/api: envFrom[0].configMap ({"name":"x"}) must be a ConfigResource or ConfigMapReference.fromName("<name>")');
  });

  test('a known key that is no valid variable name with the prefix is rejected (Kubernetes would skip it)', () => {
    // GIVEN a ConfigMap with a key starting with a digit, read without a prefix
    const cm = knownConfigMap('cfg', ['1st']);
    expect(errorOf(() => service({ envFrom: [EnvFrom.configMap(cm)] })))
      .toContain('shop/api: envFrom[0] ("1st") key "1st" of ConfigMap "cfg" is not a valid environment variable name with this prefix');
    // WHEN a prefix makes the name valid THEN it is accepted
    expect(appContainer({ envFrom: [EnvFrom.configMap(cm, { prefix: 'K_' })] }).envFrom).toEqual([{ configMapRef: { name: 'cfg' }, prefix: 'K_' }]);
  });

  test('envFrom that is not a list, and entries not made with EnvFrom, are rejected', () => {
    expect(errorOf(() => service({ envFrom: EnvFrom.secret('s') as any }))).toContain('shop/api: envFrom ({"_source":');
    expect(errorOf(() => service({ envFrom: EnvFrom.secret('s') as any }))).toContain('must be a list of EnvFrom');
    expect(errorOf(() => service({ envFrom: [{ secretRef: { name: 's' } } as any] })))
      .toContain('shop/api: envFrom[0] ({"secretRef":{"name":"s"}}) must be created with EnvFrom.configMap() or EnvFrom.secret()');
  });
});

describe('resolveEnv: ordering', () => {
  test('the env map comes first in its order, then envVariables in theirs; envFrom renders separately', () => {
    // GIVEN a literal map, ordered variables and an envFrom source
    const c = appContainer({
      env: { ZETA: 'z', ALPHA: 'a' },
      envVariables: [EnvVariable.literal('MIDDLE', 'm'), EnvVariable.fromPodField('POD', PodField.NAME), EnvVariable.literal('BETA', 'b')],
      envFrom: [EnvFrom.secret('s')],
    });
    // THEN the order is exactly the given one (no sorting), so $(NAME) references resolve as written
    expect(c.env.map((e: any) => e.name)).toEqual(['ZETA', 'ALPHA', 'MIDDLE', 'POD', 'BETA']);
    expect(c.envFrom).toEqual([{ secretRef: { name: 's' } }]);
  });

  test('resolveEnv reports the names defined, including the known keys of envFrom sources, and whether the set is open-ended', () => {
    const problems = new Problems('shop/api');
    const closed = resolveEnv({ A: '1' }, [EnvVariable.literal('B', '2')], [EnvFrom.configMap(knownConfigMap('cfg', ['C']), { prefix: 'P_' })], problems, '');
    expect([...closed.defined].sort()).toEqual(['A', 'B', 'P_C']);
    expect(closed.openEnded).toBe(false);
    const open = resolveEnv(undefined, undefined, [EnvFrom.secret('s')], problems, '');
    expect(open.openEnded).toBe(true);
    const byName = resolveEnv(undefined, undefined, [EnvFrom.configMap(ConfigMapReference.fromName('cfg'))], problems, '');
    expect(byName.openEnded).toBe(true);
    expect(problems.messages()).toEqual([]);
  });
});

describe('$(VAR) references', () => {
  test('a reference to an earlier variable is accepted and left for Kubernetes to expand', () => {
    const c = appContainer({
      envVariables: [EnvVariable.fromPodField('POD_IP', PodField.POD_IP), EnvVariable.literal('LISTEN', '$(POD_IP):8080')],
    });
    expect(c.env[1]).toEqual({ name: 'LISTEN', value: '$(POD_IP):8080' });
  });

  test('a reference from envVariables to the env map is accepted (the map is set first)', () => {
    expect(envProblems({ HOST: 'db' }, [EnvVariable.literal('URL', 'postgres://$(HOST)/app')])).toEqual([]);
  });

  test('a reference to a later variable is rejected: Kubernetes would leave it as literal text', () => {
    // GIVEN a variable that refers to one defined after it
    const message = errorOf(() => service({ envVariables: [EnvVariable.literal('URL', 'http://$(HOST)'), EnvVariable.literal('HOST', 'h')] }));
    // THEN the message names the variable, the value and the reference
    expect(message).toContain('shop/api: envVariables[0] ("http://$(HOST)") refers to $(HOST), which is not defined earlier in this container');
    expect(message).toContain('write $$(HOST) for the literal text');
  });

  test('a reference from the env map to envVariables is rejected (the map comes first)', () => {
    expect(envProblems({ URL: 'http://$(HOST)' }, [EnvVariable.literal('HOST', 'h')]))
      .toEqual([expect.stringContaining('env["URL"] ("http://$(HOST)") refers to $(HOST), which is not defined earlier in this container')]);
  });

  test('a reference to an undefined variable or to itself is rejected', () => {
    expect(envProblems({ A: '$(NOPE)' })).toEqual([expect.stringContaining('refers to $(NOPE)')]);
    expect(envProblems(undefined, [EnvVariable.literal('SELF', 'x$(SELF)')])).toEqual([expect.stringContaining('refers to $(SELF)')]);
  });

  test('$$(VAR) is the escape for literal text and is never a reference', () => {
    // GIVEN an escaped reference to a name that does not exist
    const c = appContainer({ env: { TEMPLATE: 'echo $$(NOT_A_VAR)' } });
    // THEN it is accepted and rendered unchanged (Kubernetes turns $$ into $)
    expect(c.env).toEqual([{ name: 'TEMPLATE', value: 'echo $$(NOT_A_VAR)' }]);
  });

  test('references to known keys of an envFrom ConfigMap (with its prefix) are accepted', () => {
    const cm = knownConfigMap('cfg', ['HOST']);
    expect(envProblems({ URL: 'http://$(CFG_HOST)' }, undefined, [EnvFrom.configMap(cm, { prefix: 'CFG_' })])).toEqual([]);
    expect(envProblems({ URL: 'http://$(HOST)' }, undefined, [EnvFrom.configMap(cm, { prefix: 'CFG_' })]))
      .toEqual([expect.stringContaining('refers to $(HOST)')]);
  });

  test('with an envFrom source of unknown keys, references cannot be checked and are accepted', () => {
    expect(envProblems({ URL: 'http://$(MAYBE)' }, undefined, [EnvFrom.secret('s')])).toEqual([]);
    expect(envProblems({ URL: 'http://$(MAYBE)' }, undefined, [EnvFrom.configMap(ConfigMapReference.fromName('cfg'))])).toEqual([]);
  });

  test('references in values read from a ConfigMap or Secret are not literal text and are not checked', () => {
    expect(envProblems(undefined, [EnvVariable.fromSecret('A', 's', 'k')])).toEqual([]);
  });

  describe('variableReferences', () => {
    test.each<[string, string[]]>([
      ['plain text', []],
      ['$(A)', ['A']],
      ['$(A)-$(B_2)', ['A', 'B_2']],
      ['$$(A)', []],
      ['$$$(A)', ['A']],
      ['$$$$(A)', []],
      ['$(unterminated', []],
      ['$()', []],
      ['$A and ${B}', []],
      ['cost: $5 $(PRICE)', ['PRICE']],
    ])('%j refers to %j', (value, refs) => {
      expect(variableReferences(value)).toEqual(refs);
    });
  });
});

describe('duplicate names', () => {
  test('a name in env and in envVariables is rejected', () => {
    expect(errorOf(() => service({ env: { A: '1' }, envVariables: [EnvVariable.literal('A', '2')] })))
      .toContain('shop/api: envVariables[0].name ("A") is defined twice (also by env["A"])');
  });

  test('a name twice in envVariables is rejected', () => {
    expect(errorOf(() => service({ envVariables: [EnvVariable.literal('A', '1'), EnvVariable.fromPodField('A', PodField.NAME)] })))
      .toContain('shop/api: envVariables[1].name ("A") is defined twice (also by envVariables[0])');
  });

  test('a name that is also a known key of an envFrom ConfigMap is rejected', () => {
    const cm = knownConfigMap('cfg', ['A', 'B']);
    expect(errorOf(() => service({ env: { B: 'x' }, envFrom: [EnvFrom.configMap(cm)] })))
      .toContain('shop/api: env["B"].name ("B") is defined twice (also by envFrom[0])');
  });

  test('two envFrom ConfigMaps with a common key are rejected, unless a prefix separates them', () => {
    const a = knownConfigMap('a', ['HOST']);
    const b = knownConfigMap('b', ['HOST']);
    expect(errorOf(() => service({ envFrom: [EnvFrom.configMap(a), EnvFrom.configMap(b)] })))
      .toContain('shop/api: envFrom[1] ("HOST") duplicates the variable from envFrom[0]');
    const c = appContainer({ envFrom: [EnvFrom.configMap(a), EnvFrom.configMap(b, { prefix: 'B_' })] });
    expect(c.envFrom).toEqual([{ configMapRef: { name: 'a' } }, { configMapRef: { name: 'b' }, prefix: 'B_' }]);
  });

  test('names from an envFrom source of unknown keys cannot clash and are accepted', () => {
    expect(envProblems({ A: '1' }, undefined, [EnvFrom.secret('s'), EnvFrom.configMap(ConfigMapReference.fromName('c'))])).toEqual([]);
  });
});

describe('known keys', () => {
  test('a key the ConfigMap does not have is rejected, naming the keys it has', () => {
    const cm = knownConfigMap('cfg', ['host', 'port']);
    expect(errorOf(() => service({ envVariables: [EnvVariable.fromConfigMap('A', cm, 'user')] })))
      .toContain('shop/api: envVariables[0].configMap key ("user") must be a key of ConfigMap "cfg" (it has: host, port)');
  });

  test('a ConfigMap with no keys says so', () => {
    expect(errorOf(() => service({ envVariables: [EnvVariable.fromConfigMap('A', knownConfigMap('empty', []), 'k')] })))
      .toContain('must be a key of ConfigMap "empty" (it has: no keys)');
  });

  test('a key the ConfigMap has is accepted', () => {
    const c = appContainer({ envVariables: [EnvVariable.fromConfigMap('PORT', knownConfigMap('cfg', ['port']), 'port')] });
    expect(c.env).toEqual([{ name: 'PORT', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'port' } } }]);
  });
});

describe('checkCommandReferences', () => {
  test('command and args may refer to any variable of the container, whatever its position', () => {
    const c = appContainer({
      command: ['/bin/server', '--listen=$(LISTEN)'],
      args: ['--pod=$(POD)', 'literal $$(TEXT)'],
      env: { LISTEN: ':8080' },
      envVariables: [EnvVariable.fromPodField('POD', PodField.NAME)],
    });
    expect(c.command).toEqual(['/bin/server', '--listen=$(LISTEN)']);
    expect(c.args).toEqual(['--pod=$(POD)', 'literal $$(TEXT)']);
  });

  test('a reference in command or args to no variable is rejected, naming the index', () => {
    const message = errorOf(() => service({ command: ['/bin/server', '$(MISSING)'], args: ['--x=$(ALSO_MISSING)'] }));
    expect(message).toContain('shop/api: command[1] ("$(MISSING)") refers to $(MISSING), which is not an environment variable of this container');
    expect(message).toContain('shop/api: args[0] ("--x=$(ALSO_MISSING)") refers to $(ALSO_MISSING)');
    expect(message).toContain('(write $$(ALSO_MISSING) for the literal text)');
  });

  test('with an envFrom source of unknown keys, command references are not checked', () => {
    expect(() => appContainer({ args: ['$(FROM_SECRET)'], envFrom: [EnvFrom.secret('s')] })).not.toThrow();
  });

  test('a known key of an envFrom ConfigMap counts as a variable', () => {
    expect(() => appContainer({ args: ['$(APP_MODE)'], envFrom: [EnvFrom.configMap(knownConfigMap('cfg', ['MODE']), { prefix: 'APP_' })] })).not.toThrow();
  });

  test('works on its own: prop prefix, non-string entries skipped, missing list ignored', () => {
    const problems = new Problems('shop/api');
    const env = resolveEnv({ A: '1' }, undefined, undefined, problems, '');
    checkCommandReferences(problems, 'addContainer("x").args', ['$(A)', 5 as any, '$(B)'], env);
    checkCommandReferences(problems, 'command', undefined, env);
    expect(problems.messages()).toEqual([expect.stringMatching(/^addContainer\("x"\)\.args\[2\] \("\$\(B\)"\) refers to \$\(B\)/)]);
  });

  test('a helper container is checked against its own environment, not the main one', () => {
    const svc = service({ env: { MAIN_ONLY: 'x' } });
    expect(errorOf(() => svc.addContainer({ name: 'proxy', image: 'ghcr.io/acme/proxy:2.0.1', args: ['$(MAIN_ONLY)'] })))
      .toContain('shop/api: addContainer("proxy").args[0] ("$(MAIN_ONLY)") refers to $(MAIN_ONLY), which is not an environment variable of this container');
  });
});

describe('bad input', () => {
  test.each<[string, Partial<StatelessServiceProps>, string]>([
    ['an invalid literal name', { env: { '1A': 'x' } }, 'env["1A"].name ("1A") must be a valid environment variable name'],
    ['an empty name', { envVariables: [EnvVariable.literal('', 'x')] }, 'envVariables[0].name ("") must be a valid environment variable name'],
    ['a name with a space', { envVariables: [EnvVariable.literal('MY VAR', 'x')] }, 'envVariables[0].name ("MY VAR") must be a valid environment variable name'],
    ['a number in the env map', { env: { A: 5 as any } }, 'env["A"] (5) must be a string (quote numbers and booleans)'],
    ['a number literal', { envVariables: [EnvVariable.literal('A', 5 as any)] }, 'envVariables[0] (5) must be a string (quote numbers and booleans)'],
    ['env as a list', { env: ['A=1'] as any }, 'env (["A=1"]) must be a map of names to strings'],
    ['envVariables not a list', { envVariables: 'A=1' as any }, 'envVariables ("A=1") must be a list of EnvVariable'],
    ['a plain-object variable', { envVariables: [{ name: 'A', value: '1' } as any] },
      'envVariables[0] ({"name":"A","value":"1"}) must be created with EnvVariable.literal(), fromConfigMap(), fromSecret(), fromPodField(), ...'],
    ['an invalid Secret name', { envVariables: [EnvVariable.fromSecret('A', 'Bad_Name', 'k')] }, 'envVariables[0].secretName ("Bad_Name") must be a DNS-1123 subdomain'],
    ['an invalid key', { envVariables: [EnvVariable.fromSecret('A', 's', 'a/b')] },
      'envVariables[0].key ("a/b") must be a ConfigMap or Secret key: letters, digits, "-", "_" and "." (at most 253 characters, not "." and not starting with "..")'],
    ['the key "."', { envVariables: [EnvVariable.fromSecret('A', 's', '.')] }, 'envVariables[0].key (".") must be a ConfigMap or Secret key'],
    ['a key of 254 characters', { envVariables: [EnvVariable.fromSecret('A', 's', 'k'.repeat(254))] }, 'envVariables[0].key ("kkk'],
    ['a ConfigMap that is no reference', { envVariables: [EnvVariable.fromConfigMap('A', 'cfg' as any, 'k')] },
      'envVariables[0].configMap ("cfg") must be a ConfigResource or ConfigMapReference.fromName("<name>")'],
    ['an invalid label key', { envVariables: [EnvVariable.fromPodLabel('A', 'bad key!')] }, 'envVariables[0].labelKey ("bad key!") must be a valid label or annotation key'],
    ['an empty annotation key', { envVariables: [EnvVariable.fromPodAnnotation('A', '')] }, 'envVariables[0].annotationKey ("") must be a valid label or annotation key'],
    ['a zero divisor', { envVariables: [EnvVariable.fromResource('A', ResourceField.CPU_LIMIT, { divisor: '0' })] },
      'envVariables[0].divisor ("0") must be one of 1m, 1 for limits.cpu'],
    ['a word divisor', { envVariables: [EnvVariable.fromResource('A', ResourceField.MEMORY_LIMIT, { divisor: 'lots' })] }, 'envVariables[0].divisor ("lots") must be one of 1, 1k, 1M'],
    ['a negative divisor', { envVariables: [EnvVariable.fromResource('A', ResourceField.MEMORY_LIMIT, { divisor: '-1Mi' })] }, 'envVariables[0].divisor ("-1Mi") must be one of 1, 1k, 1M'],
  ])('%s is rejected', (_name, props, expected) => {
    expect(errorOf(() => service(props))).toContain(`shop/api: ${expected}`);
  });

  test('every problem of the environment is listed in one PatternValidationError', () => {
    // GIVEN several bad environment props at once
    const chart = newChart('shop');
    baseService({
      waivers: SECRET_IN_ENV,
      env: { '1BAD': 'x', 'GOOD': '$(LATER)' },
      envVariables: [EnvVariable.fromSecret('S', 'Bad_Secret', 'k'), EnvVariable.literal('GOOD', 'dup'), EnvVariable.literal('LATER', 'x')],
      envFrom: [EnvFrom.configMap(knownConfigMap('cfg', ['K']), { prefix: '9' }), 'nope' as any],
      command: ['$(NOWHERE)'],
    }, chart);
    // WHEN the app is synthesised
    let error: any;
    try {
      synth(chart);
    } catch (e) {
      error = e;
    }
    // THEN one validation error (not a TypeError) lists every problem
    expect(error).toBeInstanceOf(PatternValidationError);
    const lines = (error as PatternValidationError).problems.map((p) => `${p.prop} (${p.value})`);
    expect(lines).toEqual([
      'envFrom[0].prefix ("9")',
      'envFrom[0] ("9K")',
      'envFrom[1] ("nope")',
      'env["1BAD"].name ("1BAD")',
      'env["GOOD"] ("$(LATER)")',
      'envVariables[0].secretName ("Bad_Secret")',
      'envVariables[1].name ("GOOD")',
      'command[0] ("$(NOWHERE)")',
    ]);
    expect(error.message).toMatch(/^cdk8s-patterns: 8 invalid values:\n {2}- shop\/api: envFrom\[0\]\.prefix/);
  });

  test('helpers get the same checks, with their prop prefix', () => {
    const svc = service({});
    const message = errorOf(() => svc.addContainer({
      name: 'proxy', image: 'ghcr.io/acme/proxy:2.0.1', env: { 'BAD NAME': 'x' }, envVariables: [EnvVariable.literal('A', '$(B)')],
    }));
    expect(message).toContain('shop/api: addContainer("proxy").env["BAD NAME"].name ("BAD NAME") must be a valid environment variable name');
    expect(message).toContain('shop/api: addContainer("proxy").envVariables[0] ("$(B)") refers to $(B)');
  });
});

describe('edge cases that once crashed or slipped through', () => {
  // Regression: EnvFrom.configMap(undefined) falls into the Secret branch of resolveEnv and is reported as a bad secretName.
  test('EnvFrom.configMap(undefined) is reported as a bad ConfigMap, not as a bad secretName', () => {
    const message = errorOf(() => service({ envFrom: [EnvFrom.configMap(undefined as any)] }));
    expect(message).toContain('shop/api: envFrom[0].configMap (undefined) must be a ConfigResource or ConfigMapReference.fromName("<name>")');
    expect(message).not.toContain('secretName');
  });

  // Regression: the divisor check accepts any positive quantity, but the API server accepts only 1m or 1 for cpu and
  // 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei for memory and ephemeral storage.
  test.each<[ResourceField, string]>([
    [ResourceField.MEMORY_LIMIT, '2Mi'],
    [ResourceField.MEMORY_LIMIT, '1m'],
    [ResourceField.CPU_LIMIT, '1Mi'],
    [ResourceField.CPU_REQUEST, '10m'],
  ])('a %s divisor of %s, which the API server rejects, is rejected', (field, divisor) => {
    expect(errorOf(() => service({ envVariables: [EnvVariable.fromResource('A', field, { divisor })] })))
      .toContain(`shop/api: envVariables[0].divisor ("${divisor}")`);
  });

  // Regression: checkKey accepts keys starting with ".." (other than ".." itself); Kubernetes' IsConfigMapKey rejects them.
  test('a key starting with ".." is rejected, as the API server does', () => {
    expect(errorOf(() => service({ envVariables: [EnvVariable.fromSecret('A', 's', '..data')] })))
      .toContain('shop/api: envVariables[0].key ("..data")');
  });

  // Regression: null options make the factories throw a TypeError (`options.optional` / `options.prefix` on null).
  test.each<[string, () => unknown]>([
    ['fromConfigMap', () => EnvVariable.fromConfigMap('A', ConfigMapReference.fromName('c'), 'k', null as any)],
    ['fromSecret', () => EnvVariable.fromSecret('A', 's', 'k', null as any)],
    ['fromResource', () => EnvVariable.fromResource('A', ResourceField.CPU_LIMIT, null as any)],
    ['EnvFrom.configMap', () => EnvFrom.configMap(ConfigMapReference.fromName('c'), null as any)],
    ['EnvFrom.secret', () => EnvFrom.secret('s', null as any)],
  ])('%s with null options is treated like no options, not a TypeError', (_name, make) => {
    expect(make).not.toThrow();
  });

  // Regression: a ConfigMap reference whose knownKeys is not a list makes checkConfigMapRef throw a TypeError (knownKeys.join).
  test('a reference with knownKeys that is not a list gives a validation error, not a TypeError', () => {
    const bad = { configMapName: 'cfg', knownKeys: 'host' } as any;
    expect(errorOf(() => service({ envVariables: [EnvVariable.fromConfigMap('A', bad, 'port')] }))).toContain('shop/api: envVariables[0].configMap');
  });
});

describe('review findings', () => {
  test('$(NAME) may refer to the variables the kubelet sets for Services (service links)', () => {
    // GIVEN values and args that use KUBERNETES_SERVICE_HOST and another Service's variables
    const svc = service({
      env: { API: 'https://$(KUBERNETES_SERVICE_HOST):$(KUBERNETES_SERVICE_PORT)', DB: '$(ORDERS_DB_PORT_5432_TCP_ADDR)' },
      args: ['--cache=$(REDIS_SERVICE_HOST):$(REDIS_SERVICE_PORT_REDIS)'],
    });
    // THEN they are accepted and rendered as given
    expect(mainContainer(findObject(synth(Chart.of(svc)), 'Deployment', 'api')).env[0].value)
      .toBe('https://$(KUBERNETES_SERVICE_HOST):$(KUBERNETES_SERVICE_PORT)');
    // AND a name that is neither defined nor a Service variable is still rejected
    expect(errorOf(() => service({ env: { A: '$(SERVICE_HOSTNAME)' } }))).toContain('refers to $(SERVICE_HOSTNAME)');
  });

  test('a resource field of a container the pod does not have fails at synth (the kubelet could not start the pod)', () => {
    expect(errorOf(() => service({ envVariables: [EnvVariable.fromResource('M', ResourceField.MEMORY_LIMIT, { containerName: 'nope' })] })))
      .toContain('shop/api: deployment.spec.template.spec.containers["app"].env["M"].resourceFieldRef.containerName ("nope") must name a container of the pod');
    const svc = service({ envVariables: [EnvVariable.fromResource('M', ResourceField.MEMORY_LIMIT, { containerName: 'proxy' })] });
    svc.addContainer({ name: 'proxy', image: 'ghcr.io/acme/proxy:2.0.1' });
    expect(() => synth(Chart.of(svc))).not.toThrow();
  });

  test('a field that is no PodField or ResourceField, or a label key that is not a string, is rejected (JavaScript callers)', () => {
    const message = errorOf(() => service({
      envVariables: [
        EnvVariable.fromPodField('A', 'status.bogus' as any),
        EnvVariable.fromResource('B', 'limits.gpu' as any),
        EnvVariable.fromPodLabel('C', null as any),
      ],
    }));
    expect(message).toContain('envVariables[0].field ("status.bogus") must be a PodField');
    expect(message).toContain('envVariables[1].field ("limits.gpu") must be a ResourceField');
    expect(message).toContain('envVariables[2].labelKey ("") must be a valid label or annotation key');
  });
});

describe('Secrets in the environment are an explicit opt-in', () => {
  test('without a SECRET_IN_ENV waiver, fromSecret and EnvFrom.secret are rejected, naming the way out', () => {
    const message = errorOf(() => baseService({
      envVariables: [EnvVariable.fromSecret('DB_USER', 'db', 'username')],
      envFrom: [EnvFrom.secret('app-secrets')],
    }));
    expect(message).toContain('shop/api: envVariables[0] ("a Secret") reads a Secret into the environment, where it leaks into crash dumps');
    expect(message).toContain('envFrom[0] ("a Secret") reads a Secret into the environment');
    expect(message).toContain('mount it as a file (PodVolume.secret), or opt in with waivers: [Waiver.of(PolicyRule.SECRET_IN_ENV, reason)]');
  });

  test('a helper reading a Secret into its environment needs the waiver too', () => {
    const svc = baseService({});
    expect(errorOf(() => svc.addContainer({ name: 'proxy', image: 'ghcr.io/acme/proxy:2.0.1', envVariables: [EnvVariable.fromSecret('T', 's', 'k')] })))
      .toContain('shop/api: addContainer("proxy").envVariables[0] ("a Secret") reads a Secret into the environment');
  });

  test('with the waiver, the variable is rendered and the checkers\' annotations are written', () => {
    const svc = service({ envVariables: [EnvVariable.fromSecret('DB_USER', 'db', 'username')] });
    const out = synth(Chart.of(svc));
    expect(findObject(out, 'Deployment', 'api').metadata.annotations['ignore-check.kube-linter.io/env-var-secret']).toBe('tests of env rendering');
  });
});
