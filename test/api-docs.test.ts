import * as path from 'path';
import * as ts from 'typescript';

/**
 * The public API is documented: every exported class, interface, enum and function of
 * src/index.ts, every public member of them, and every enum member has a doc comment; every
 * optional prop of an interface says `@default`. (jsii-docgen writes API.md from these comments.)
 */
const ROOT = path.resolve(__dirname, '..');
const INDEX = path.join(ROOT, 'src', 'index.ts');

/** Every gap in the docs of the exports of `file`, as `Name.member: what is missing`, and how many items were checked. */
function docGaps(file: string): { gaps: string[]; checked: number } {
  const program = ts.createProgram([file], { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS, strict: true, noEmit: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file)!;
  const gaps: string[] = [];
  let checked = 0;
  const hasDoc = (node: ts.Node) => {
    checked++;
    return documented(node);
  };
  const documented = (node: ts.Node) => ts.getJSDocCommentsAndTags(node)
    .some((d) => ts.isJSDoc(d) && (d.comment !== undefined || (d.tags?.length ?? 0) > 0));
  const docText = (node: ts.Node) => ts.getJSDocCommentsAndTags(node).map((d) => d.getText()).join('\n');
  const isInternal = (node: ts.Node) => /@internal/.test(docText(node));
  const visibleMember = (m: ts.ClassElement | ts.TypeElement) => {
    const hidden = [ts.SyntaxKind.PrivateKeyword, ts.SyntaxKind.ProtectedKeyword];
    if ((ts.canHaveModifiers(m) ? ts.getModifiers(m) ?? [] : []).some((mod) => hidden.includes(mod.kind))) return false;
    const name = m.name?.getText() ?? '';
    return !name.startsWith('_') && !name.startsWith('#') && !isInternal(m);
  };
  for (const symbol of checker.getExportsOfModule(checker.getSymbolAtLocation(source)!)) {
    // src/index.ts re-exports: follow each alias to the declaration
    const isAlias = (symbol.declarations ?? []).some((d) => ts.isExportSpecifier(d));
    const target = isAlias ? checker.getAliasedSymbol(symbol) : symbol;
    for (const decl of target.declarations ?? []) {
      const name = target.getName();
      if (isInternal(decl)) continue;
      if (!hasDoc(decl)) gaps.push(`${name}: no doc comment`);
      if (ts.isClassDeclaration(decl)) {
        for (const m of decl.members) {
          if (ts.isConstructorDeclaration(m) || ts.isSemicolonClassElement(m) || !visibleMember(m)) continue;
          if (!hasDoc(m)) gaps.push(`${name}.${m.name?.getText()}: no doc comment`);
        }
      } else if (ts.isInterfaceDeclaration(decl)) {
        for (const m of decl.members) {
          if (!visibleMember(m)) continue;
          const member = `${name}.${m.name?.getText()}`;
          if (!hasDoc(m)) gaps.push(`${member}: no doc comment`);
          else if (ts.isPropertySignature(m) && m.questionToken && !/@default/.test(docText(m))) gaps.push(`${member}: optional, but no @default`);
        }
      } else if (ts.isEnumDeclaration(decl)) {
        for (const m of decl.members) if (!hasDoc(m)) gaps.push(`${name}.${m.name.getText()}: no doc comment`);
      }
    }
  }
  return { gaps, checked };
}

describe('the public API is documented', () => {
  test('every export, public member and enum member has a doc comment; every optional prop says @default', () => {
    const { gaps, checked } = docGaps(INDEX);
    expect(checked).toBeGreaterThan(1000); // the whole API was read
    expect(gaps).toEqual([]);
  });

  test('the check finds every kind of gap', () => {
    expect(docGaps(path.join(ROOT, 'test', 'fixtures', 'undocumented-api.ts')).gaps.sort()).toEqual([
      'ExampleProps.colour: optional, but no @default',
      'ExampleProps.size: no doc comment',
      'Shade.DARK: no doc comment',
      'Undocumented.run: no doc comment',
      'Undocumented.value: no doc comment',
      'Undocumented: no doc comment',
    ]);
  });
});
