#!/usr/bin/env node
// The independent manifest checker: validates synthesised Kubernetes YAML with @monokle/validation,
// using only the plugins that work offline, with EVERY rule of those plugins switched on.
//
//   node scripts/check-manifests.mjs <dir-or-file>... [--json <out.json>]
//
// Exit codes: 0 no findings, 1 findings, 2 usage error / nothing checked / checker broken
// (a plugin failed to load, a rule crashed, or something tried to reach the network).
//
// Why it is built by hand rather than with createDefaultMonokleValidator():
// - the default validator enables `kubernetes-schema`, whose schemas (like the OPA wasm and the
//   admission-policy CEL wasm) are fetched from plugins.monokle.com; offline they fail silently;
// - its RemotePluginLoader falls back to downloading any plugin name it does not know;
// - monokle swallows plugin load failures, plugin configure failures, crashed validation runs and
//   crashed rules (Promise.allSettled / try-catch, logged only with `settings.debug`).
// So this script uses the bundled DefaultPluginLoader restricted to the offline plugins, turns on
// `settings.debug` and treats every swallowed failure it logs as a hard error, and installs a
// network trap (fetch + raw sockets) so any download attempt fails the run loudly.

import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** Plugins that work offline: all of their rules are enabled. */
const ENABLED_PLUGINS = ['pod-security-standards', 'practices', 'resource-links', 'yaml-syntax'];
/**
 * Explicitly disabled and never constructed. The first three download at run time (kubernetes-schema:
 * JSON schemas; open-policy-agent: policy wasm; admission-policy: CEL wasm). `metadata` is offline
 * but checks project-specific label conventions that need configuring: out of scope here.
 */
const NETWORK_PLUGINS = ['kubernetes-schema', 'open-policy-agent', 'admission-policy'];
const DISABLED_PLUGINS = [...NETWORK_PLUGINS, 'metadata'];

/** Per-object suppression: `"<ruleId>[,<ruleId>...]: <reason>"`. */
const IGNORE_ANNOTATION = 'patterns.cdk8s.io/checker-ignore';

/** Findings raised by this script itself (not by monokle). */
const CHECKER_RULES = {
  CHK001: { name: 'suppression-needs-reason', message: `${IGNORE_ANNOTATION} must be "<ruleId>[,<ruleId>...]: <reason>" with a non-empty reason` },
  CHK002: { name: 'suppression-unknown-rule', message: `${IGNORE_ANNOTATION} names a rule that is not active` },
  CHK003: { name: 'not-a-kubernetes-object', message: 'YAML document is not a Kubernetes object (needs apiVersion, kind and metadata.name)' },
  // monokle parses with `uniqueKeys: false`, so its own YML010 (DUPLICATE_KEY) can never fire.
  CHK004: { name: 'no-duplicate-keys', message: 'YAML mapping has a duplicate key' },
};

const EXIT_OK = 0;
const EXIT_FINDINGS = 1;
const EXIT_BROKEN = 2;

/** Print an error and exit 2: the checker could not do its job, so it must not pass. */
function fatal(message) {
  process.stderr.write(`check-manifests: error: ${message}\n`);
  process.exit(EXIT_BROKEN);
}

// ---------------------------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------------------------

function parseArgs(argv) {
  const inputs = [];
  let jsonOut;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') {
      jsonOut = argv[++i];
      if (!jsonOut) fatal('--json needs a file name');
    } else if (arg.startsWith('--json=')) {
      jsonOut = arg.slice('--json='.length);
    } else if (arg === '-h' || arg === '--help') {
      process.stdout.write('usage: node scripts/check-manifests.mjs <dir-or-file>... [--json <out.json>]\n');
      process.exit(EXIT_OK);
    } else if (arg.startsWith('-')) {
      fatal(`unknown option ${arg}`);
    } else {
      inputs.push(arg);
    }
  }
  if (inputs.length === 0) fatal('usage: node scripts/check-manifests.mjs <dir-or-file>... [--json <out.json>]');
  return { inputs, jsonOut };
}

/** Every *.yaml / *.yml file under the given paths, recursively, sorted. */
function findYamlFiles(inputs) {
  const files = new Set();
  const isYaml = (f) => /\.ya?ml$/i.test(f);
  const walk = (p) => {
    const stat = fs.statSync(p);
    if (stat.isDirectory()) {
      for (const entry of fs.readdirSync(p)) {
        if (entry === 'node_modules' || entry.startsWith('.')) continue;
        walk(path.join(p, entry));
      }
    } else if (stat.isFile() && isYaml(p)) {
      const rel = path.relative(process.cwd(), path.resolve(p));
      files.add(rel.startsWith('..') || path.isAbsolute(rel) ? path.resolve(p) : rel);
    }
  };
  for (const input of inputs) {
    if (!fs.existsSync(input)) fatal(`no such file or directory: ${input}`);
    const stat = fs.statSync(input);
    if (stat.isFile() && !isYaml(input)) fatal(`not a YAML file: ${input}`);
    walk(input);
  }
  return [...files].sort();
}

// ---------------------------------------------------------------------------------------------
// Network trap: nothing in this checker may download anything.
// ---------------------------------------------------------------------------------------------

const networkAttempts = [];

function installNetworkTrap() {
  const trappedFetch = async (input) => {
    const url = typeof input === 'string' ? input : (input?.url ?? String(input));
    networkAttempts.push(`fetch ${url}`);
    throw new Error(`check-manifests: network access is forbidden (fetch ${url})`);
  };
  globalThis.fetch = trappedFetch;
  // node-fetch / isomorphic-fetch / http(s) all end in net.Socket#connect.
  net.Socket.prototype.connect = function trappedConnect(...args) {
    const target = typeof args[0] === 'object' ? JSON.stringify(args[0]) : args.slice(0, 2).join(':');
    networkAttempts.push(`socket ${target}`);
    throw new Error(`check-manifests: network access is forbidden (connect ${target})`);
  };
}

/**
 * Run `fn` with console.error / console.debug captured. With `settings.debug` on, monokle reports
 * the failures it otherwise swallows through these (e.g. `rule_failed`).
 */
async function captureConsole(fn) {
  const captured = [];
  const saved = { error: console.error, debug: console.debug, warn: console.warn };
  const capture = (...args) => captured.push(args.map((a) => (a instanceof Error ? a.stack : typeof a === 'string' ? a : safeJson(a))).join(' '));
  console.error = capture;
  console.debug = capture;
  console.warn = capture;
  try {
    return { value: await fn(), captured };
  } finally {
    Object.assign(console, saved);
  }
}

/** One line per swallowed monokle failure, e.g. `rule no-secret-env crashed: TypeError: ...`. */
function summariseFailure(line) {
  const match = /^rule_failed (\{.*\})$/s.exec(line);
  if (!match) return line;
  try {
    const { rule, error } = JSON.parse(match[1]);
    return `  rule ${rule} crashed: ${String(error).split('\n')[0]}`;
  } catch {
    return line;
  }
}

function safeJson(value) {
  try {
    return JSON.stringify(value, (_k, v) => (v instanceof Error ? v.stack : v));
  } catch {
    return String(value);
  }
}

// ---------------------------------------------------------------------------------------------
// Loading YAML into monokle resources
// ---------------------------------------------------------------------------------------------

/**
 * Split every file into monokle `Resource`s (one per YAML document). Documents that are not
 * Kubernetes objects become CHK003 findings. `text` is the document's own source (not a
 * re-serialisation) so the yaml-syntax plugin sees the original text, and `fileOffset` makes
 * monokle's line numbers file-relative.
 */
function loadResources(files, YAML) {
  const resources = [];
  const invalidDocs = []; // { file, line, index }: documents that are not Kubernetes objects
  const duplicateKeys = []; // { file, line, index, message }
  for (const file of files) {
    const source = fs.readFileSync(file, 'utf8');
    const lineCounter = new YAML.LineCounter();
    // Same options as monokle's own ResourceParser: tolerate errors so yaml-syntax can report them.
    const docs = YAML.parseAllDocuments(source, { lineCounter, uniqueKeys: false, strict: false });
    const docList = Array.isArray(docs) ? docs : [];
    // Duplicate keys, which monokle's lenient parse (uniqueKeys: false) lets through silently.
    const strictDocs = YAML.parseAllDocuments(source); // default options: uniqueKeys true
    (Array.isArray(strictDocs) ? strictDocs : []).forEach((doc, index) => {
      for (const err of doc.errors.filter((e) => e.code === 'DUPLICATE_KEY')) {
        duplicateKeys.push({ file, index, line: lineCounter.linePos(err.pos[0]).line, message: err.message.split(' at line')[0] });
      }
    });
    docList.forEach((doc, index) => {
      let content;
      try {
        content = doc.toJS({ maxAliasCount: 100 });
      } catch {
        content = undefined;
      }
      const start = doc.range[0];
      const { line, col } = lineCounter.linePos(start);
      if (content === null || content === undefined) {
        if (doc.errors.length === 0) return; // an empty document (e.g. a trailing `---`)
      }
      const isK8s = content && typeof content === 'object' && !Array.isArray(content)
        && typeof content.apiVersion === 'string' && typeof content.kind === 'string'
        && typeof content.metadata?.name === 'string';
      if (!isK8s) {
        const errors = doc.errors.map((e) => e.message.split('\n')[0]).join('; ');
        invalidDocs.push({ file, line: lineCounter.linePos(doc.contents?.range?.[0] ?? start).line, index, errors });
        return;
      }
      resources.push({
        id: `${file}#${index}`,
        fileId: file,
        filePath: file,
        fileOffset: line - 1,
        name: content.metadata.name,
        apiVersion: content.apiVersion,
        kind: content.kind,
        namespace: content.metadata.namespace,
        content,
        text: source.slice(start - (col - 1), doc.range[2]),
      });
    });
  }
  return { resources, invalidDocs, duplicateKeys };
}

// ---------------------------------------------------------------------------------------------
// Suppressions
// ---------------------------------------------------------------------------------------------

/** Parse the ignore annotation of one object: `{ ids, reason }` or undefined when absent. */
function parseIgnore(resource) {
  const value = resource.content?.metadata?.annotations?.[IGNORE_ANNOTATION];
  if (value === undefined) return undefined;
  const text = String(value);
  const colon = text.indexOf(':');
  const idsPart = colon < 0 ? text : text.slice(0, colon);
  const reason = colon < 0 ? '' : text.slice(colon + 1).trim();
  const ids = idsPart.split(',').map((s) => s.trim()).filter(Boolean);
  return { raw: text, ids, reason };
}

/** Whether a suppression entry (`KBP106`, `no-automount-service-account-token`, `practices/...`) names a rule. */
function suppressionMatches(entry, rule) {
  const e = entry.toLowerCase();
  return e === rule.id.toLowerCase() || e === rule.name.toLowerCase() || e === `${rule.plugin}/${rule.name}`.toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

async function main() {
  const started = Date.now();
  const { inputs, jsonOut } = parseArgs(process.argv.slice(2));
  const files = findYamlFiles(inputs);
  if (files.length === 0) fatal(`no *.yaml / *.yml files under ${inputs.join(', ')}: nothing was checked`);

  installNetworkTrap();
  const monokleEntry = import.meta.resolve('@monokle/validation');
  const monokle = await import(monokleEntry);
  installNetworkTrap(); // again, in case an import replaced globalThis.fetch
  // The `yaml` package monokle itself uses (so documents parse exactly as monokle parses them).
  const YAML = createRequire(fileURLToPath(monokleEntry))('yaml');
  const monokleVersion = JSON.parse(fs.readFileSync(new URL('../package.json', monokleEntry), 'utf8')).version;

  const { MonokleValidator, DefaultPluginLoader, ResourceParser, SchemaLoader, DisabledFixer, processRefs, getRuleForResultV2, getPluginForResult } = monokle;

  /** The bundled loader (no remote fallback), refusing every plugin that is not offline-safe. */
  class OfflinePluginLoader extends DefaultPluginLoader {
    constructor() {
      super();
      for (const name of DISABLED_PLUGINS) this.unregister(name);
    }
    async load(plugin, ctx, settings) {
      if (!ENABLED_PLUGINS.includes(plugin)) throw new Error(`${plugin} is not an offline plugin: refused`);
      return super.load(plugin, ctx, settings);
    }
  }

  const parser = new ResourceParser();
  const validator = new MonokleValidator({
    loader: new OfflinePluginLoader(),
    parser,
    schemaLoader: new SchemaLoader(), // only used by kubernetes-schema, which is never constructed
    suppressors: [], // monokle's own `monokle.io/suppress.*` annotations are NOT honoured
    fixer: new DisabledFixer(),
  });

  const plugins = Object.fromEntries([
    ...ENABLED_PLUGINS.map((p) => [p, true]),
    ...DISABLED_PLUGINS.map((p) => [p, false]),
  ]);
  const settings = { debug: true, noInSourceSuppressions: true, noExternalSuppressions: true };

  // Phase 1: load the plugins to learn their rules.
  const load1 = await captureConsole(() => validator.preload({ plugins, settings }));
  const failed = validator.getFailedPlugins().filter((p) => ENABLED_PLUGINS.includes(p));
  if (failed.length > 0) fatal(`plugin(s) failed to load: ${failed.join(', ')}\n${load1.captured.join('\n')}`);
  for (const name of ENABLED_PLUGINS) {
    if (!validator.getPlugin(name)?.enabled) fatal(`plugin ${name} is not loaded and enabled`);
  }
  for (const name of DISABLED_PLUGINS) {
    if (validator.getPlugin(name)) fatal(`plugin ${name} must not be loaded (it needs the network)`);
  }

  // Phase 2: switch every rule of every enabled plugin on. Rules with a security severity of 7+
  // (and rules without one: resource-links, yaml-syntax) are errors, the others warnings; both
  // count as findings.
  const rules = {};
  for (const name of ENABLED_PLUGINS) {
    for (const rule of validator.rules[name]) {
      const severity = rule.properties?.['security-severity'];
      rules[rule.id] = severity === undefined || severity >= 7 ? 'err' : 'warn';
    }
  }
  const load2 = await captureConsole(() => validator.preload({ plugins, rules, settings }));
  if (load2.captured.length > 0) fatal(`plugin configuration reported problems:\n${load2.captured.join('\n')}`);

  // Prove it: every rule of every enabled plugin is enabled and each plugin got configured.
  const activeRules = new Map(); // ruleId -> { id, name, plugin, level }
  const pluginSummaries = [];
  for (const name of ENABLED_PLUGINS) {
    const plugin = validator.getPlugin(name);
    if (!plugin.configured) fatal(`plugin ${name} failed to configure`);
    const pluginRules = validator.rules[name];
    const off = pluginRules.filter((r) => !r.configuration.enabled).map((r) => r.id);
    if (off.length > 0) fatal(`plugin ${name}: rules still disabled: ${off.join(', ')}`);
    for (const r of pluginRules) activeRules.set(r.id, { id: r.id, name: r.name, plugin: name, level: r.configuration.level });
    pluginSummaries.push(`${name} (${pluginRules.length} rules)`);
  }
  for (const [id, { name }] of Object.entries(CHECKER_RULES)) activeRules.set(id, { id, name, plugin: 'checker', level: 'error' });

  console.log(`checker: @monokle/validation ${monokleVersion}; plugins enabled: ${pluginSummaries.join(', ')}; disabled: ${NETWORK_PLUGINS.join(', ')} (need network), metadata (not configured)`);
  console.log(`checker: ${activeRules.size} rules active (every rule of the enabled plugins, PSS baseline + restricted): ${[...activeRules.keys()].join(' ')}`);

  // Load the YAML; resource links are resolved among the files of one directory (one cdk8s app's
  // output), so objects of unrelated apps/fixtures never satisfy each other's references.
  const { resources, invalidDocs, duplicateKeys } = loadResources(files, YAML);
  const groups = new Map();
  for (const r of resources) {
    const dir = path.dirname(r.filePath);
    if (!groups.has(dir)) groups.set(dir, []);
    groups.get(dir).push(r);
  }

  const raw = []; // { resource, rule, level, message, line, path }
  for (const group of groups.values()) {
    processRefs(group, parser);
    const { value: response, captured: all } = await captureConsole(() => validator.validate({ resources: group }));
    // A CustomResourceDefinition in the app: monokle would register its schema with the
    // kubernetes-schema plugin, which needs the network and is off. Its instances are checked
    // against it by the tests (test/helpers/crd-instances.ts); every other rule still runs on them.
    const captured = all.filter((line) => !/^\[validation\] Cannot register custom schema\. .*Kubernetes Schema plugin must be loaded/.test(line));
    if (captured.length > 0) {
      const dirs = [...new Set(group.map((r) => path.dirname(r.filePath)))].join(', ');
      fatal(`monokle failed internally while checking ${dirs} (these rules did not run; is a manifest malformed?):\n${captured.map(summariseFailure).join('\n')}`);
    }
    const byId = new Map(group.map((r) => [r.id, r]));
    for (const run of response.runs) {
      for (const result of run.results) {
        const rule = getRuleForResultV2(run, result);
        const pluginName = getPluginForResult(run, result)?.name ?? '?';
        const resourceId = result.locations?.[1]?.physicalLocation?.artifactLocation?.uri;
        const resource = byId.get(resourceId);
        if (!resource) fatal(`finding ${rule.id} refers to an unknown object ${resourceId}`);
        raw.push({
          resource,
          rule: { id: rule.id, name: rule.name, plugin: pluginName },
          level: result.level ?? 'warning',
          message: result.message?.text ?? rule.shortDescription?.text ?? '',
          line: result.locations?.[0]?.physicalLocation?.region?.startLine,
          path: result.locations?.[1]?.logicalLocations?.[1]?.fullyQualifiedName,
        });
      }
    }
  }
  if (networkAttempts.length > 0) fatal(`network access was attempted: ${networkAttempts.join('; ')}`);

  // Apply our suppression annotation.
  const findings = [];
  const suppressed = [];
  const notes = [];
  const toEntry = (f, extra = {}) => ({
    object: f.resource.id, // `<file>#<document index>`
    file: f.resource.filePath,
    line: f.line,
    kind: f.resource.kind,
    name: f.resource.name,
    namespace: f.resource.namespace,
    ruleId: f.rule.id,
    ruleName: f.rule.name,
    plugin: f.rule.plugin,
    level: f.level,
    message: f.path ? `${f.message} (${f.path})` : f.message,
    ...extra,
  });
  const checkerFinding = (resource, id, detail, line) => toEntry({
    resource,
    rule: { id, name: CHECKER_RULES[id].name, plugin: 'checker' },
    level: 'error',
    message: `${CHECKER_RULES[id].message}: ${detail}`,
    line,
  });

  for (const resource of resources) {
    const ignore = parseIgnore(resource);
    const own = raw.filter((f) => f.resource === resource);
    let valid = false;
    if (ignore) {
      const annotationLine = resource.text.split('\n').findIndex((l) => l.includes(IGNORE_ANNOTATION));
      const line = resource.fileOffset + 1 + Math.max(annotationLine, 0);
      if (ignore.ids.length === 0 || !ignore.reason) {
        findings.push(checkerFinding(resource, 'CHK001', JSON.stringify(ignore.raw), line));
      } else {
        valid = true;
      }
      for (const id of ignore.ids) {
        if (![...activeRules.values()].some((r) => r.plugin !== 'checker' && suppressionMatches(id, r))) {
          findings.push(checkerFinding(resource, 'CHK002', id, line));
        } else if (valid && !own.some((f) => suppressionMatches(id, f.rule))) {
          notes.push(`${resource.filePath}: ${resource.kind}/${resource.name}: suppression of ${id} is unused`);
        }
      }
    }
    for (const f of own) {
      // An invalid annotation (no reason) suppresses nothing.
      if (valid && ignore.ids.some((id) => suppressionMatches(id, f.rule))) {
        suppressed.push(toEntry(f, { reason: ignore.reason }));
      } else {
        findings.push(toEntry(f));
      }
    }
  }
  for (const dup of duplicateKeys) {
    const resource = resources.find((r) => r.id === `${dup.file}#${dup.index}`);
    if (resource) {
      findings.push(checkerFinding(resource, 'CHK004', dup.message, dup.line));
    } else if (!invalidDocs.some((d) => d.file === dup.file && d.index === dup.index)) {
      invalidDocs.push({ file: dup.file, line: dup.line, index: dup.index });
    }
  }
  for (const doc of invalidDocs) {
    findings.push({
      object: `${doc.file}#${doc.index}`, file: doc.file, line: doc.line, kind: '?', name: `document#${doc.index}`,
      ruleId: 'CHK003', ruleName: CHECKER_RULES.CHK003.name, plugin: 'checker', level: 'error',
      message: doc.errors ? `${CHECKER_RULES.CHK003.message}; YAML errors: ${doc.errors}` : CHECKER_RULES.CHK003.message,
    });
  }

  // Report.
  const label = (f) => `${f.file}: ${f.kind}/${f.name}: ${f.ruleId} (${f.ruleName})`;
  for (const f of findings) console.log(`${label(f)} ${f.level}: ${f.message}${f.line ? ` [line ${f.line}]` : ''}`);
  for (const s of suppressed) console.log(`${label(s)} suppressed (${s.reason})`);
  for (const n of notes) console.log(`note: ${n}`);

  const objects = resources.length + invalidDocs.length;
  const failedObjects = new Set(findings.map((f) => f.object)).size;
  console.log(`checker: ${files.length} files, ${objects} objects, ${findings.length} findings, ${suppressed.length} suppressed`);

  if (jsonOut) {
    fs.mkdirSync(path.dirname(path.resolve(jsonOut)), { recursive: true });
    const report = {
      files: files.length,
      objects,
      findings,
      suppressed,
      passed: objects - failedObjects,
      failed: failedObjects,
      monokleVersion,
      plugins: ENABLED_PLUGINS,
      disabledPlugins: DISABLED_PLUGINS,
      rules: [...activeRules.values()],
      durationMs: Date.now() - started,
    };
    fs.writeFileSync(jsonOut, `${JSON.stringify(report, null, 2)}\n`);
  }
  return findings.length > 0 ? EXIT_FINDINGS : EXIT_OK;
}

main().then(
  (code) => process.exit(code),
  (err) => fatal(err instanceof Error ? err.stack : String(err)),
);
