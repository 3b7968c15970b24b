/**
 * shared/ is pure (style.md habit 1): no platform SDKs, no Node built-ins, no wall clock, no randomness.
 * Each file is parsed with the TypeScript compiler, so comments and strings never trip the check.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import ts from 'typescript';

const ROOT = join(__dirname, '..', '..');
const SHARED = join(ROOT, 'shared');

const FORBIDDEN_MODULES: { test: (m: string) => boolean; why: string }[] = [
  { test: (m) => m.startsWith('@tarojs/'), why: 'Taro' },
  { test: (m) => m.startsWith('@cloudbase/'), why: 'CloudBase' },
  { test: (m) => m === 'wx-server-sdk' || m.startsWith('wx-server-sdk/'), why: 'WeChat server SDK' },
  { test: (m) => m.startsWith('node:') || builtinModules.includes(m.split('/')[0]!), why: 'Node built-in' },
];

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(path);
    return e.isFile() && path.endsWith('.ts') ? [path] : [];
  });
}

/** Every impurity in one source text, as 'line: what'. */
function impurities(fileName: string, text: string): string[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const at = (n: ts.Node, what: string) => found.push(`${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1}: ${what}`);
  const checkModule = (n: ts.Node, spec: ts.Expression | undefined) => {
    if (!spec || !ts.isStringLiteralLike(spec)) return;
    const hit = FORBIDDEN_MODULES.find((f) => f.test(spec.text));
    if (hit) at(n, `imports ${spec.text} (${hit.why})`);
  };
  const isName = (e: ts.Expression, name: string) => ts.isIdentifier(e) && e.text === name;
  const isMember = (e: ts.Node, obj: string, prop: string) =>
    (ts.isPropertyAccessExpression(e) && isName(e.expression, obj) && e.name.text === prop) ||
    (ts.isElementAccessExpression(e) && isName(e.expression, obj) && ts.isStringLiteralLike(e.argumentExpression) && e.argumentExpression.text === prop);

  const visit = (n: ts.Node): void => {
    if (ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) checkModule(n, n.moduleSpecifier);
    if (ts.isImportEqualsDeclaration(n) && ts.isExternalModuleReference(n.moduleReference)) checkModule(n, n.moduleReference.expression);
    if (ts.isCallExpression(n) && (isName(n.expression, 'require') || n.expression.kind === ts.SyntaxKind.ImportKeyword)) checkModule(n, n.arguments[0]);
    if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument)) checkModule(n, n.argument.literal as ts.Expression);
    // Any reference, called or not: `const clock = Date.now` is as impure as calling it.
    if (isMember(n, 'Date', 'now')) at(n, 'reads the clock (Date.now)');
    if (isMember(n, 'Math', 'random')) at(n, 'draws a random number (Math.random)');
    if (ts.isNewExpression(n) && isName(n.expression, 'Date') && (n.arguments?.length ?? 0) === 0) at(n, 'reads the clock (new Date())');
    if (ts.isCallExpression(n) && isName(n.expression, 'Date')) at(n, 'reads the clock (Date())');
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

describe('shared/ is pure', () => {
  const files = tsFiles(SHARED);

  it('finds the domain sources', () => {
    const names = files.map((f) => relative(ROOT, f).split('\\').join('/'));
    expect(names).toEqual(expect.arrayContaining(['shared/workflow/transition.ts', 'shared/metrics/assessment.ts', 'shared/calendar/deadlines.ts', 'shared/profiles/pingli.profile.ts']));
  });

  it.each(files.map((f) => [relative(ROOT, f).split('\\').join('/'), f]))('%s', (_name, path) => {
    expect(impurities(path, readFileSync(path, 'utf8'))).toEqual([]);
  });
});

describe('the purity scanner', () => {
  it.each([
    ["import Taro from '@tarojs/taro';", 'Taro'],
    ["import { init } from '@cloudbase/node-sdk';", 'CloudBase'],
    ["import cloud = require('wx-server-sdk');", 'WeChat'],
    ["const cloud = require('wx-server-sdk');", 'WeChat'],
    ["import { readFileSync } from 'node:fs';", 'Node built-in'],
    ["import { createHash } from 'crypto';", 'Node built-in'],
    ["export { x } from 'node:path';", 'Node built-in'],
    ["const m = await import('node:os');", 'Node built-in'],
    ['type T = typeof import("@tarojs/taro");', 'Taro'],
    ['const now = Date.now();', 'Date.now'],
    ['const clock = Date.now;', 'Date.now'],
    ["const now = Date['now']();", 'Date.now'],
    ['const d = new Date();', 'new Date()'],
    ['const d = new Date;', 'new Date()'],
    ['const s = Date();', 'Date()'],
    ['const r = Math.random();', 'Math.random'],
  ])('catches %s', (source, what) => {
    expect(impurities('probe.ts', source).join('\n')).toContain(what);
  });

  it.each([
    ['const d = new Date(ms);'],
    ['const t = Date.UTC(2026, 2, 2);'],
    ["// never call Date.now() or new Date() here\nconst s = 'Math.random() and @tarojs/taro in a string';"],
    ["import { z } from 'zod';"],
    ["import data from 'chinese-days/dist/chinese-days.json';"],
    ['const rnd = seeded.random();'],
  ])('lets pass %s', (source) => {
    expect(impurities('probe.ts', source)).toEqual([]);
  });
});
