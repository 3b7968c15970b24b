/**
 * The transitions table is the only list of commands: the functions' contracts, the offered
 * actions and the labels come from it, and no shipped source restates a list of command names.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { api } from '../../shared/contracts/api';
import { commandTypes } from '../../shared/contracts/commands';
import { COMMAND_FUNCTIONS, GUARDS, STAFF_ACTION_ORDER, TRANSITIONS, actionLabel, commandsAcceptedBy, eventLabel, offeredActions, type CommandFunction } from '../../shared/workflow/transitions';
import { actors, pingli, ticketIn } from '../support/domainFixtures';

const ROOT = join(__dirname, '..', '..');

describe('the transitions table', () => {
  it('has one row per command, and every guard it names exists and is used', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...commandTypes].sort());
    const used = new Set(Object.values(TRANSITIONS).flatMap((r) => r.guards as readonly string[]));
    expect([...used].sort()).toEqual(Object.keys(GUARDS).sort());
  });

  it.each(Object.keys(COMMAND_FUNCTIONS) as CommandFunction[])('%s.command accepts exactly the commands of its roles', (fn) => {
    const schema = api[fn].command.shape.command;
    const accepted = schema.options.map((o: { shape: { type: { value: string } } }) => o.shape.type.value);
    expect(accepted).toEqual(commandsAcceptedBy(fn));
    const roles: readonly string[] = COMMAND_FUNCTIONS[fn];
    for (const c of commandTypes) expect(accepted.includes(c)).toBe((TRANSITIONS[c].roles as readonly string[]).some((r) => roles.includes(r)));
  });

  it('orders the staff action bar over exactly the staff commands', () => {
    expect([...STAFF_ACTION_ORDER].sort()).toEqual([...commandsAcceptedBy('staff')].sort());
    expect(commandTypes.filter((c) => (TRANSITIONS[c] as { oneTap?: boolean }).oneTap)).toEqual(['accept', 'revealPhone', 'close', 'resumeClock']);
  });

  it('only system commands are accepted by no function', () => {
    const anywhere = new Set<string>((Object.keys(COMMAND_FUNCTIONS) as CommandFunction[]).flatMap((f) => commandsAcceptedBy(f) as string[]));
    expect(commandTypes.filter((c) => !anywhere.has(c))).toEqual(commandTypes.filter((c) => (TRANSITIONS[c].roles as readonly string[]).every((r) => r === 'system')));
  });

  it('gives every command a timeline label and a button text, with a role’s own where it differs', () => {
    for (const c of commandTypes) {
      expect(eventLabel(c)).toMatch(/[\u4e00-\u9fa5]/);
      expect(actionLabel(c)).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect(actionLabel('requestRework', 'resident')).toBe('申请重办');
    expect(actionLabel('requestRework', 'operator')).toBe('代诉求人申请重办');
    expect(eventLabel('submit')).toBe('提交诉求');
  });

  it('offers a requester of a resolved ticket the rating, and the operator the revisit and archive', () => {
    const s = ticketIn('resolved', pingli);
    expect(offeredActions('resident', s.ticket, actors.resident, pingli)).toEqual(['rate']);
    expect(offeredActions('operator', s.ticket, actors.operator, pingli)).toEqual(['revisit', 'recordRevisit', 'recordMalicious', 'close', 'link']);
    // The unit may still appeal how the ticket is counted (pingli 31).
    expect(offeredActions('staff', s.ticket, actors.leadStaff, pingli)).toEqual(['appealCounting']);
  });
});

/** Shipped source outside shared/workflow: no array or union restates three or more command names. */
const SHIPPED = ['cloudfunctions', 'shared', 'miniprogram/src', 'scripts', 'bench'];
const isCommand = (s: string) => (commandTypes as string[]).includes(s);

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'dist' ? [] : files(p);
    return /\.(ts|tsx)$/.test(e.name) ? [p] : [];
  });
}

function commandLists(path: string, text = readFileSync(path, 'utf8')): string[] {
  const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, path.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (n: ts.Node) => {
    let names: string[] = [];
    if (ts.isArrayLiteralExpression(n)) names = n.elements.filter(ts.isStringLiteral).map((e) => e.text);
    if (ts.isUnionTypeNode(n)) names = n.types.filter((t): t is ts.LiteralTypeNode => ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal)).map((t) => (t.literal as ts.StringLiteral).text);
    if (names.filter(isCommand).length >= 3) found.push(`${relative(ROOT, path)}:${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1}: ${names.join(', ')}`);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

describe('no copies of the table', () => {
  it('no shipped file outside shared/workflow lists command names', () => {
    const all = SHIPPED.flatMap((d) => files(join(ROOT, d))).filter((p) => !relative(ROOT, p).startsWith(join('shared', 'workflow')));
    expect(all.length).toBeGreaterThan(100);
    expect(all.flatMap((p) => commandLists(p))).toEqual([]);
  });

  it('the scan finds a list when there is one', () => {
    expect(commandLists(join(ROOT, 'probe.ts'), "const A = ['sign', 'reply', 'close'];\ntype B = 'x' | 'accept' | 'refuse' | 'rate';")).toEqual([
      'probe.ts:1: sign, reply, close',
      'probe.ts:2: x, accept, refuse, rate',
    ]);
    expect(commandLists(join(ROOT, 'probe.ts'), "const A = ['sign', 'reply'];")).toEqual([]);
  });
});
