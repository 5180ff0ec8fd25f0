/* eslint-disable @typescript-eslint/no-require-imports */
/**
 * The README's TypeScript snippets as tests: extracts every ```ts block of a Markdown text, turns each
 * into a module (a prelude that imports the library and makes an app and a chart, then the block),
 * type-checks all of them in one TypeScript program, and runs each one in-process against src/.
 *
 * Markers, HTML comments directly above a block (no blank line between), invisible on GitHub:
 * - `<!-- snippet-context: <code> -->`: code run before the block, for the variables an earlier
 *   block or the surrounding text defines (several allowed, in order);
 * - `<!-- snippet-file <path>: <content> -->`: a file in the block's working directory (a fresh
 *   temporary one per block), for constructs that read files at synth;
 * - `<!-- snippet: skip <reason> -->`: not code to run (a shell line, a type signature);
 * - `<!-- snippet: throws <ErrorName> [<text of the message>] -->`: the block shows an error: building
 *   or synthesising it must throw that error;
 * - `<!-- snippet: known-bug <one line> -->`: valid input the library gets wrong: it must still
 *   compile, and still fail when run (so that the marker goes once the bug is fixed).
 */
import * as fs from 'fs';
import { builtinModules } from 'module';
import * as path from 'path';
import { App } from 'cdk8s';
import * as ts from 'typescript';
import { synth, Manifest } from './synth';
import { tempDir } from './tmp';

/** The repository root. */
export const ROOT = path.join(__dirname, '..', '..');

/** The library's entry point, which snippets import as 'cdk8s-patterns'. */
const LIBRARY_ENTRY = path.join(ROOT, 'src', 'index.ts');

/** What the test does with a block. */
export type SnippetMode = 'run' | 'skip' | 'throws' | 'known-bug';

/** One ```ts block of a Markdown file. */
export interface Snippet {
  /** `<file>:<line of the opening fence>`, e.g. `README.md:118`. */
  readonly id: string;
  readonly file: string;
  /** Line of the opening fence (1-based). */
  readonly line: number;
  /** The block's code, de-indented; its first line is line `line + 1` of the file. */
  readonly code: string;
  /** The code of its `snippet-context` markers, run before it, each with the line it starts on. */
  readonly context: ReadonlyArray<{ readonly line: number; readonly code: string }>;
  /** Files its `snippet-file` markers put in its working directory. */
  readonly files: { readonly [path: string]: string };
  readonly mode: SnippetMode;
  /** Why it is skipped, or the known bug. */
  readonly reason?: string;
  /** For `throws`: the error's name and, optionally, text its message contains. */
  readonly error?: { readonly name: string; readonly contains?: string };
}

/** The blocks of a Markdown text and the problems of its markers (unknown, misplaced, incomplete). */
export interface Extraction {
  readonly snippets: Snippet[];
  readonly problems: string[];
}

const TS_LANGUAGES = new Set(['ts', 'typescript']);

/** Every ```ts block of `markdown`, with the markers directly above it. */
export function extractSnippets(markdown: string, file: string): Extraction {
  const lines = markdown.split(/\r?\n/);
  const snippets: Snippet[] = [];
  const problems: string[] = [];
  type Marker = { line: number; text: string };
  let pending: Marker[] = [];
  const dangling = (): void => {
    for (const m of pending.filter((x) => /^snippet\b/.test(x.text))) {
      problems.push(`${file}:${m.line}: marker "${m.text.slice(0, 60)}" is not directly above a \`\`\`ts block`);
    }
    pending = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)/.exec(line);
    if (fence) {
      const [, indent, marks, language] = fence;
      const close = new RegExp(`^\\s*${marks[0] === '`' ? '`' : '~'}{${marks.length},}\\s*$`);
      let end = i + 1;
      while (end < lines.length && !close.test(lines[end])) end++;
      if (end >= lines.length) problems.push(`${file}:${i + 1}: code block is never closed`);
      if (TS_LANGUAGES.has(language.toLowerCase())) {
        const body = lines.slice(i + 1, end).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l.trimStart()));
        snippets.push(snippetOf(file, i + 1, body.join('\n'), pending, problems));
        pending = [];
      } else {
        dangling();
      }
      i = end;
      continue;
    }
    const comment = /^\s*<!--/.exec(line);
    if (comment) {
      // An HTML comment, possibly over several lines.
      let end = i;
      while (end < lines.length && !lines[end].includes('-->')) end++;
      const raw = lines.slice(i, end + 1).join('\n').replace(/^\s*<!--/, '').replace(/-->\s*$/, '');
      const text = raw.trim();
      if (end < lines.length && lines[end].trimEnd().endsWith('-->')) {
        // The line the text starts on (`<!--` may stand alone on the line above).
        pending.push({ line: i + 1 + newlines(raw.slice(0, raw.length - raw.trimStart().length)), text });
      } else {
        dangling(); // text after the comment on its line: not a marker line
      }
      i = end;
      continue;
    }
    dangling();
  }
  dangling();
  return { snippets, problems };
}

const newlines = (text: string): number => text.split('\n').length - 1;

function snippetOf(file: string, line: number, code: string, markers: { line: number; text: string }[], problems: string[]): Snippet {
  const id = `${file}:${line}`;
  const context: { line: number; code: string }[] = [];
  const files: { [path: string]: string } = {};
  let mode: SnippetMode = 'run';
  let reason: string | undefined;
  let error: { name: string; contains?: string } | undefined;
  const setMode = (m: SnippetMode, at: number): void => {
    if (mode !== 'run') problems.push(`${file}:${at}: a block takes one of skip, throws and known-bug, not both ${mode} and ${m}`);
    mode = m;
  };
  for (const m of markers) {
    let match: RegExpExecArray | null;
    if ((match = /^snippet-context:\s*([\s\S]*)$/.exec(m.text))) {
      if (match[1].trim() === '') problems.push(`${file}:${m.line}: snippet-context without code`);
      context.push({ line: m.line + newlines(m.text.slice(0, m.text.length - match[1].length)), code: match[1] });
    } else if ((match = /^snippet-file\s+(\S+?):\s?([\s\S]*)$/.exec(m.text))) {
      files[match[1]] = match[2];
    } else if ((match = /^snippet:\s*(skip|known-bug)\b\s*([\s\S]*)$/.exec(m.text))) {
      setMode(match[1] as SnippetMode, m.line);
      reason = match[2].trim();
      if (reason === '') problems.push(`${file}:${m.line}: "${match[1]}" needs a reason: <!-- snippet: ${match[1]} <why> -->`);
    } else if ((match = /^snippet:\s*throws\s+([A-Za-z_$][\w$]*)\s*([\s\S]*)$/.exec(m.text))) {
      setMode('throws', m.line);
      error = { name: match[1], contains: match[2].trim() || undefined };
    } else if (/^snippet/.test(m.text)) {
      problems.push(`${file}:${m.line}: unknown marker "${m.text.slice(0, 60)}" (snippet-context:, snippet-file <path>:, `
        + 'snippet: skip <reason>, snippet: throws <Error> [<text>], snippet: known-bug <reason>)');
    }
  }
  return { id, file, line, code, context, files, mode, reason, error };
}

// ---------------------------------------------------------------------------------------------
// The prelude

/**
 * Variables the prelude declares for a block that does not declare them itself (in this order,
 * so that one may use an earlier one): `app` and `chart` always, the others when the block uses
 * them. A block that makes its own `app` gets none of them: it is a program of its own. Keep them
 * few and generic: a block that needs a particular object says so with a `snippet-context`
 * marker, next to the block.
 */
export const PRELUDE_VARIABLES: ReadonlyArray<{ readonly name: string; readonly code: string; readonly always?: boolean }> = [
  { name: 'app', code: 'const app = new App();', always: true },
  { name: 'chart', code: "const chart = new Chart(app, 'readme', { namespace: 'shop' });", always: true },
  { name: 'image', code: "const image = 'ghcr.io/acme/app:1.0.0';" },
];

/**
 * The modules a snippet may import without saying so, by precedence: a name the library exports
 * wins over cdk8s's, cdk8s's over constructs', constructs' over cdk8s-plus-28's. cdk8s-plus-28 is
 * also there as `kplus`. Only the names a block uses are imported.
 */
const IMPLICIT_MODULES = ['cdk8s-patterns', 'cdk8s', 'constructs', 'cdk8s-plus-28'];
const NAMESPACE_IMPORTS: { [name: string]: string } = { kplus: 'cdk8s-plus-28' };

/** The resolved entry file of an implicit module. */
function entryOf(module: string): string {
  if (module === 'cdk8s-patterns') return LIBRARY_ENTRY;
  return require.resolve(`${module}/lib/index.d.ts`, { paths: [ROOT] });
}

/** The names a TypeScript file exports, following `export * from` (read syntactically: fast). */
export function exportedNames(file: string, seen = new Set<string>()): Set<string> {
  const names = new Set<string>();
  if (seen.has(file)) return names;
  seen.add(file);
  const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, false);
  const resolve = (spec: string): string | undefined => {
    const base = path.resolve(path.dirname(file), spec);
    return [`${base}.ts`, `${base}.d.ts`, path.join(base, 'index.ts'), path.join(base, 'index.d.ts')].find((f) => fs.existsSync(f));
  };
  for (const st of sf.statements) {
    if (ts.isExportDeclaration(st)) {
      if (!st.exportClause) {
        const target = st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier) ? resolve(st.moduleSpecifier.text) : undefined;
        if (!target) throw new Error(`${file}: cannot follow ${st.getText(sf)}`);
        exportedNames(target, seen).forEach((n) => names.add(n));
      } else if (ts.isNamespaceExport(st.exportClause)) {
        names.add(st.exportClause.name.text);
      } else {
        st.exportClause.elements.forEach((e) => names.add(e.name.text));
      }
      continue;
    }
    const exported = ts.canHaveModifiers(st) && ts.getModifiers(st)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (!exported) continue;
    if (ts.isVariableStatement(st)) {
      st.declarationList.declarations.forEach((d) => bindingNames(d.name).forEach((n) => names.add(n)));
    } else if ((ts.isClassDeclaration(st) || ts.isFunctionDeclaration(st) || ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)
      || ts.isEnumDeclaration(st) || ts.isModuleDeclaration(st)) && st.name && ts.isIdentifier(st.name)) {
      names.add(st.name.text);
    }
  }
  return names;
}

function bindingNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((e) => (ts.isOmittedExpression(e) ? [] : bindingNames(e.name)));
}

let implicitCache: Map<string, string> | undefined;

/** Each implicit name and the module it comes from. */
function implicitNames(): Map<string, string> {
  if (!implicitCache) {
    implicitCache = new Map();
    for (const module of IMPLICIT_MODULES) {
      for (const name of exportedNames(entryOf(module))) if (!implicitCache.has(name)) implicitCache.set(name, module);
    }
  }
  return implicitCache;
}

/** The names a piece of code declares at its top level, and those it imports. */
function topLevelNames(code: string): { declared: Set<string>; imported: Set<string> } {
  const sf = ts.createSourceFile('x.ts', code, ts.ScriptTarget.ES2022, false);
  const declared = new Set<string>();
  const imported = new Set<string>();
  for (const st of sf.statements) {
    if (ts.isVariableStatement(st)) {
      st.declarationList.declarations.forEach((d) => bindingNames(d.name).forEach((n) => declared.add(n)));
    } else if ((ts.isClassDeclaration(st) || ts.isFunctionDeclaration(st) || ts.isEnumDeclaration(st)) && st.name) {
      declared.add(st.name.text);
    } else if (ts.isImportDeclaration(st) && st.importClause) {
      const c = st.importClause;
      if (c.name) imported.add(c.name.text);
      if (c.namedBindings && ts.isNamespaceImport(c.namedBindings)) imported.add(c.namedBindings.name.text);
      if (c.namedBindings && ts.isNamedImports(c.namedBindings)) c.namedBindings.elements.forEach((e) => imported.add(e.name.text));
    }
  }
  return { declared, imported };
}

/**
 * The names some code refers to: its identifiers, but for property names (`{ image: ... }`,
 * `x.image`), which name no variable. A shorthand property (`{ image }`) is a reference.
 */
function referencedNames(code: string): Set<string> {
  const sf = ts.createSourceFile('x.ts', code, ts.ScriptTarget.ES2022, true);
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) {
      const p = node.parent;
      const propertyName = ((ts.isPropertyAssignment(p) || ts.isPropertySignature(p) || ts.isPropertyDeclaration(p) || ts.isMethodDeclaration(p)
        || ts.isGetAccessor(p) || ts.isSetAccessor(p)) && p.name === node)
        || (ts.isPropertyAccessExpression(p) && p.name === node) || (ts.isQualifiedName(p) && p.right === node)
        || (ts.isBindingElement(p) && p.propertyName === node);
      if (!propertyName) names.add(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return names;
}

/** Where a line of a generated module comes from. */
type Origin = { kind: 'prelude' } | { kind: 'context' | 'snippet'; line: number };

/** A snippet as a module of its own. */
export interface SnippetModule {
  readonly snippet: Snippet;
  /** The module's (virtual) file name. */
  readonly fileName: string;
  readonly source: string;
  /** Origin of each line of `source`. */
  readonly origins: Origin[];
}

/** The module of a snippet: implicit imports, prelude variables, context, the block, and the app it made. */
export function moduleOf(snippet: Snippet): SnippetModule {
  const all = [...snippet.context.map((c) => c.code), snippet.code].join('\n');
  const { declared, imported } = topLevelNames(all);
  const ownApp = declared.has('app');
  const variables = ownApp ? [] : PRELUDE_VARIABLES.filter((v) => !declared.has(v.name) && !imported.has(v.name));
  const referenced = referencedNames(all);
  const used = variables.filter((v) => v.always || referenced.has(v.name));
  const inBody = referencedNames([...used.map((v) => v.code), all].join('\n'));
  const byModule = new Map<string, string[]>();
  for (const [name, module] of implicitNames()) {
    if (!inBody.has(name) || declared.has(name) || imported.has(name)) continue;
    byModule.set(module, [...(byModule.get(module) ?? []), name]);
  }
  const lines: string[] = [];
  const origins: Origin[] = [];
  const add = (text: string, origin: Origin): void => {
    for (const l of text.split('\n')) {
      lines.push(l);
      origins.push(origin);
    }
  };
  for (const [module, names] of byModule) add(`import { ${names.sort().join(', ')} } from '${module}';`, { kind: 'prelude' });
  for (const [name, module] of Object.entries(NAMESPACE_IMPORTS)) {
    if (inBody.has(name) && !declared.has(name) && !imported.has(name)) add(`import * as ${name} from '${module}';`, { kind: 'prelude' });
  }
  for (const v of used) add(v.code, { kind: 'prelude' });
  for (const c of snippet.context) c.code.split('\n').forEach((l, i) => add(l, { kind: 'context', line: c.line + i }));
  snippet.code.split('\n').forEach((l, i) => add(l, { kind: 'snippet', line: snippet.line + 1 + i }));
  add('export const __readmeApp = app;', { kind: 'prelude' });
  const safe = snippet.id.replace(/[^\w.-]/g, '_');
  return { snippet, fileName: path.join(ROOT, 'test', '__readme-snippets__', `${safe}.ts`), source: lines.join('\n'), origins };
}

// ---------------------------------------------------------------------------------------------
// Type-checking, all snippets in one program

/** A snippet, type-checked. */
export interface CheckedSnippet extends SnippetModule {
  /** Its compiler errors, `<file>:<line>:<column> TS<code>: <message>`; none when it compiles. */
  readonly diagnostics: string[];
}

/** The compiler options of the tests (test/tsconfig.json), with 'cdk8s-patterns' resolved to src/. */
export function compilerOptions(): ts.CompilerOptions {
  const configFile = path.join(ROOT, 'test', 'tsconfig.json');
  const read = ts.readConfigFile(configFile, ts.sys.readFile);
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(configFile), undefined, configFile);
  return {
    ...parsed.options,
    noEmit: true,
    // Snippets show a step, not a whole program: a variable made for the reader need not be used.
    noUnusedLocals: false,
    noUnusedParameters: false,
    // A prop list pasted as statements parses as labels (`strategy: ...`): make that an error.
    allowUnusedLabels: false,
    baseUrl: ROOT,
    paths: { 'cdk8s-patterns': [LIBRARY_ENTRY] },
  };
}

/** Type-checks every snippet to run (all but the skipped ones) in one TypeScript program. */
export function checkSnippets(snippets: Snippet[]): CheckedSnippet[] {
  const modules = snippets.filter((s) => s.mode !== 'skip').map(moduleOf);
  const options = compilerOptions();
  const host = ts.createCompilerHost(options, true);
  const virtual = new Map(modules.map((m) => [path.resolve(m.fileName), m.source]));
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const text = virtual.get(path.resolve(fileName));
    if (text !== undefined) return ts.createSourceFile(fileName, text, languageVersion, true);
    return getSourceFile.call(host, fileName, languageVersion, onError, shouldCreate);
  };
  host.fileExists = (fileName) => virtual.has(path.resolve(fileName)) || fileExists.call(host, fileName);
  host.readFile = (fileName) => virtual.get(path.resolve(fileName)) ?? readFile.call(host, fileName);
  const program = ts.createProgram({ rootNames: modules.map((m) => m.fileName), options, host });
  const global = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()].map((d) => formatDiagnostic(d));
  if (global.length > 0) throw new Error(`the snippets' compiler options are wrong:\n  ${global.join('\n  ')}`);
  return modules.map((m) => {
    const sf = program.getSourceFile(m.fileName)!;
    const diagnostics = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].map((d) => formatDiagnostic(d, m));
    return { ...m, diagnostics };
  });
}

function formatDiagnostic(d: ts.Diagnostic, m?: SnippetModule): string {
  const message = `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n    ')}`;
  if (!m || !d.file || d.start === undefined || path.resolve(d.file.fileName) !== path.resolve(m.fileName)) {
    return d.file && d.start !== undefined
      ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1} ${message}`
      : message;
  }
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  const origin = m.origins[line];
  const where = !origin || origin.kind === 'prelude'
    ? `${m.snippet.id} (in the prelude: ${m.source.split('\n')[line].trim().slice(0, 100)})`
    : origin.kind === 'context'
      ? `${m.snippet.file}:${origin.line} (a snippet-context of ${m.snippet.id})`
      : `${m.snippet.file}:${origin.line}:${character + 1}`;
  return `${where} ${message}`;
}

// ---------------------------------------------------------------------------------------------
// Running

/** The outcome of running a snippet: the app it made, synthesised, and its manifests (validated). */
export interface SnippetRun {
  readonly app: App;
  readonly manifests: Manifest[];
}

/**
 * Runs a compiled snippet in-process, in a fresh working directory (with its `snippet-file`s) and
 * with CDK8S_OUTDIR there, so that an `app.synth()` of the block writes nothing to the repository;
 * then synthesises its app and validates every manifest (test/helpers/synth.ts). Throws what the
 * block, the synthesis or the validation throws.
 */
export function runSnippet(m: SnippetModule): SnippetRun {
  const js = ts.transpileModule(m.source, {
    fileName: m.fileName,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, inlineSourceMap: false },
  }).outputText;
  const dir = tempDir('readme-snippet-');
  for (const [file, content] of Object.entries(m.snippet.files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  const cwd = process.cwd();
  const outdir = process.env.CDK8S_OUTDIR;
  process.chdir(dir);
  process.env.CDK8S_OUTDIR = path.join(dir, 'cdk8s.out');
  try {
    const module = { exports: {} as { __readmeApp?: App } };
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    new Function('exports', 'require', 'module', '__filename', '__dirname', js)(module.exports, snippetRequire, module, m.fileName, dir);
    const app = module.exports.__readmeApp;
    if (!(app instanceof App)) throw new Error(`${m.snippet.id}: the block made no app`);
    return { app, manifests: synth(app) };
  } finally {
    process.chdir(cwd);
    if (outdir === undefined) delete process.env.CDK8S_OUTDIR;
    else process.env.CDK8S_OUTDIR = outdir;
  }
}

/** `require` for a snippet: the library is src/ (the same module instances as the tests'). */
function snippetRequire(id: string): unknown {
  if (id === 'cdk8s-patterns') return require('../../src');
  if (['cdk8s', 'cdk8s-plus-28', 'constructs'].includes(id) || builtinModules.includes(id.replace(/^node:/, ''))) return require(id);
  throw new Error(`a README snippet may import cdk8s-patterns, cdk8s, cdk8s-plus-28, constructs and Node's modules, not "${id}"`);
}

/**
 * Checks a type-checked snippet as its mode asks; throws, with the snippet's place in the file,
 * when it does not hold:
 * - `run`: compiles, runs, synthesises, and every manifest passes the schema check;
 * - `throws`: compiles, and running or synthesising it throws the named error (with the text);
 * - `known-bug`: compiles, and still fails when run (remove the marker once it passes).
 */
export function verifySnippet(m: CheckedSnippet): SnippetRun | undefined {
  const s = m.snippet;
  if (s.mode === 'skip') throw new Error(`${s.id} is skipped (${s.reason}): nothing to verify`);
  if (m.diagnostics.length > 0) {
    throw new Error(`${s.id}: the snippet does not compile:\n  ${m.diagnostics.join('\n  ')}\n\nThe module it became:\n${numbered(m)}`);
  }
  let outcome: SnippetRun | undefined;
  let error: any;
  try {
    outcome = runSnippet(m);
  } catch (e) {
    error = e ?? new Error(String(e));
  }
  if (s.mode === 'run') {
    if (error) throw new Error(`${s.id}: the snippet compiles but fails when run and synthesised:\n${error?.stack ?? error}`);
    if (outcome!.manifests.length === 0) throw new Error(`${s.id}: the snippet synthesises no manifest`);
    return outcome;
  }
  if (s.mode === 'known-bug') {
    if (!error) throw new Error(`${s.id}: marked known-bug (${s.reason}), but it now runs and validates: remove the marker`);
    return undefined;
  }
  const expected = s.error!;
  if (!error) throw new Error(`${s.id}: expected ${expected.name} to be thrown, but the snippet built and synthesised`);
  const name = error?.name ?? error?.constructor?.name;
  if (name !== expected.name && error?.constructor?.name !== expected.name) {
    throw new Error(`${s.id}: expected ${expected.name}, got ${name}: ${error?.message ?? error}`);
  }
  if (expected.contains && !String(error?.message).includes(expected.contains)) {
    throw new Error(`${s.id}: expected ${expected.name} with "${expected.contains}" in its message, got: ${error?.message}`);
  }
  return undefined;
}

/** A generated module with its lines numbered as the Markdown file numbers them (`*`: a snippet-context line). */
function numbered(m: SnippetModule): string {
  return m.source.split('\n').map((l, i) => {
    const o = m.origins[i];
    const tag = o.kind === 'prelude' ? '' : `${o.line}${o.kind === 'context' ? '*' : ' '}`;
    return `${tag.padStart(6)} | ${l}`;
  }).join('\n');
}
