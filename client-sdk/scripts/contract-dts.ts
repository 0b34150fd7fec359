// Generates the published package's contract.d.ts: every type of schema/contract without zod. Interfaces and
// plain aliases are copied as written; zod-inferred aliases are expanded to the structural type they denote;
// zod schema values are left out (the SDK never ships them); other constants become `declare const`.
import { resolve } from 'node:path';
import ts from 'typescript';

const CONTRACT_FILES = [
  'errors',
  'giveaways',
  'realtime',
  'requirements',
  'exports',
  'draws',
  'telegram',
  'ton',
  'webhook-event-types',
  'webhooks',
  'operations/routes',
];
const ZOD_TEXT = /\bz\.|\bZod[A-Z]|\$strip|\$ZodType|\bcore\./;

/** `program` must include the contract files (the SDK's own program does, through src/contract.ts). */
export function contractDeclarations(repoRoot: string, program: ts.Program): string {
  const files = CONTRACT_FILES.map((f) => resolve(repoRoot, 'schema/contract', `${f}.ts`));
  const checker = program.getTypeChecker();
  const expand = (node: ts.Node, type: ts.Type) =>
    checker.typeToString(
      type,
      node,
      ts.TypeFormatFlags.NoTruncation |
        ts.TypeFormatFlags.InTypeAlias |
        ts.TypeFormatFlags.MultilineObjectLiterals,
    );
  const out: string[] = [
    '// Generated from schema/contract by client-sdk/scripts/contract-dts.ts: the wire contract without zod.',
  ];
  for (const file of files) {
    const source = program.getSourceFile(file);
    if (!source) throw new Error(`cannot read ${file}`);
    out.push('', `// --- ${file.slice(file.indexOf('schema/contract/'))}`);
    for (const statement of source.statements) {
      const text = declaration(statement, source, checker, expand);
      if (text) out.push(docOf(statement, source) + text);
    }
  }
  return `${out.join('\n')}\n`;
}

function declaration(
  s: ts.Statement,
  source: ts.SourceFile,
  checker: ts.TypeChecker,
  expand: (node: ts.Node, type: ts.Type) => string,
): string | null {
  const exported = ts.getCombinedModifierFlags(s as unknown as ts.Declaration) & ts.ModifierFlags.Export;
  if (ts.isInterfaceDeclaration(s)) return ZOD_TEXT.test(s.getText(source)) ? null : s.getText(source);
  if (ts.isTypeAliasDeclaration(s)) {
    if (!ZOD_TEXT.test(s.type.getText(source))) return s.getText(source);
    const params = s.typeParameters ? `<${s.typeParameters.map((p) => p.getText(source)).join(', ')}>` : '';
    return `${exported ? 'export ' : ''}type ${s.name.text}${params} = ${expand(s, checker.getTypeAtLocation(s.name))};`;
  }
  if (ts.isVariableStatement(s) && exported) {
    const decls = s.declarationList.declarations.map((d) => {
      const type = expand(d, checker.getTypeAtLocation(d.name));
      return ZOD_TEXT.test(type) ? null : `export declare const ${d.name.getText(source)}: ${type};`;
    });
    return decls.filter((d) => d !== null).join('\n') || null;
  }
  if (ts.isFunctionDeclaration(s) && exported) {
    const signature = s.name && checker.getSignatureFromDeclaration(s);
    if (!s.name || !signature) throw new Error('unsupported anonymous function');
    const text = checker.signatureToString(signature, s, ts.TypeFormatFlags.NoTruncation);
    return `export declare function ${s.name.text}${text.replace(/\) => /, '): ')};`;
  }
  return null;
}

function docOf(node: ts.Node, source: ts.SourceFile): string {
  const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
  return docs.map((d) => `${d.getText(source)}\n`).join('');
}
