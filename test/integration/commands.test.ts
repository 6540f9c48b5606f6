// The /mo subcommands end to end on a real database, without Slack: what `mo run` does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../commands/router.js';
import type { CommandEnv, CommandResult } from '../../commands/types.js';
import { messageToText } from '../../src/slack/render-text.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

const TEAM = 'T0CMD';
const ADMIN = 'U0ADMIN';
const MEMBER = 'U0MEMBER';

let t: TestDatabase;
let env: CommandEnv;

const text = (r: CommandResult) => {
  if (r.kind !== 'message') throw new Error(`expected a message, got a ${r.kind}`);
  return messageToText(r.message);
};
const run = (line: string, userId = ADMIN) =>
  runCommand(line, { teamId: TEAM, userId, channelId: 'C1' }, env);

beforeAll(async () => {
  t = await createTestDatabase('2026-11-16T17:00:00Z');
  env = {
    mo: t.mo.forTeam(TEAM),
    isAdmin: async (user) => user === ADMIN,
    userTimezone: async () => 'America/New_York',
  };
});
afterAll(() => t.close());

describe('/mo', () => {
  it('lists the subcommands for /mo and /mo help', async () => {
    for (const line of ['', 'help']) {
      const out = text(await run(line));
      expect(out).toContain('/mo budget [period] [category]');
      expect(out).toContain('/mo spend add AMOUNT CATEGORY');
    }
  });

  it('answers an unknown subcommand with what was wrong and where to look', async () => {
    const out = text(await run('budgte'));
    expect(out).toContain('"budgte" is not a Mo command');
    expect(out).toContain('/mo help');
    expect(text(await run('spend'))).toContain('Did you mean /mo spend add');
  });

  it('answers a bad argument with the reason and the usage', async () => {
    const out = text(await run('budget FY2027 2026-13'));
    expect(out).toContain('two periods given');
    expect(out).toContain('Usage: /mo budget [period] [category]');
    const amount = text(await run('budget set Events 12.345'));
    expect(amount).toContain('more decimals than USD allows');
    expect(amount).toContain(
      'Usage: /mo budget set CATEGORY AMOUNT [PERIOD] [--owner @user] [--phasing 40,30,30] [--new]',
    );
  });

  it('creates the workspace on first use with the first user’s timezone', async () => {
    await run('help');
    await run('budget');
    expect(await t.mo.workspaces.get(TEAM)).toMatchObject({
      currency: 'USD',
      fiscalStartMonth: 1,
      timezone: 'America/New_York',
    });
  });

  it('refuses /mo budget set to a non-admin and changes nothing', async () => {
    const out = text(await run('budget set Events 5000 FY2026-Q4', MEMBER));
    expect(out).toContain('only Mo admins can change the budget');
    expect(await t.mo.budgets.categories(TEAM)).toEqual([]);
  });

  it('sets a plan, records spend and shows them in /mo budget, audited', async () => {
    // A category nobody has planned or spent in is created on purpose only.
    expect(text(await run('budget set "Paid Media/Search" $12,000 FY2026-Q4'))).toBe(
      '⚠️ /mo budget set: There is no category "Paid Media/Search" yet. To create it, add --new.',
    );
    expect(await t.mo.budgets.categories(TEAM)).toEqual([]);
    expect(
      text(await run('budget set "Paid Media/Search" $12,000 FY2026-Q4 --owner <@U0DANA|dana> --new')),
    ).toContain('Plan for Paid Media/Search in FY2026-Q4 is now $12,000');
    expect(text(await run('budget set Paid Meda/Serch 5000 FY2026-Q4'))).toBe(
      '⚠️ /mo budget set: There is no category "Paid Meda/Serch" yet. Did you mean Paid Media/Search? To create it, add --new.',
    );
    expect(text(await run('budget set paid media/search 10000 FY2026-Q4'))).toContain('(was $12,000)');
    // spend_entry defaults to owners: a member who owns no line in the category is refused.
    expect(text(await run('spend add 1,500.50 Paid Media/Search Brand Exact 2026-11-02', MEMBER))).toBe(
      '⛔ Sorry, only Mo admins and the owners of a budget line in Paid Media/Search can book spend there (setting spend_entry: owners).',
    );
    expect(await t.mo.db.spend.count({ where: { teamId: TEAM } })).toBe(0);
    expect(
      text(await run('spend add 1,500.50 Paid Media/Search Brand Exact 2026-11-02', 'U0DANA')),
    ).toContain('Recorded actual spend of $1,501 in Paid Media/Search (Brand Exact) on 2026-11-02');
    expect(text(await run('spend add 2000 Paid Media/Search --committed 2026-11-03'))).toContain('committed');
    const out = text(await run('budget FY2026-Q4'));
    // FY2026 Q4 (fiscal year from January) is Oct–Dec 2026; the plan phased by days: Oct
    // 3369.57, Nov 3260.87, Dec 3369.56. Oct has ended with nothing spent: 0. Nov 16 is day 16
    // of 30: run rate 1500.50 × 30 / 16 = 2813.44 < actual + committed 3500.50. Dec has not
    // started: its plan. Forecast 3500.50 + 3369.56 = $6,870: −31 %, under.
    expect(out).toMatch(/Paid Media\s+\$10,000\s+\$1,501\s+\$2,000\s+\$6,500\s+\$6,870\s+-31 %\s+under/);
    const audit = await t.mo.audit.recent(TEAM);
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['budget.create', 'budget.update', 'spend.create', 'spend.create']),
    );
    const update = audit.find((a) => a.action === 'budget.update');
    expect(JSON.parse(update?.before ?? '{}')).toMatchObject({
      plannedMinor: '1200000',
      ownerUserId: 'U0DANA',
    });
    expect(JSON.parse(update?.after ?? '{}')).toMatchObject({ plannedMinor: '1000000' });
  });

  it('narrows to a category and refuses an unknown one with the known ones', async () => {
    expect(text(await run('budget FY2026-Q4 Paid Media'))).toContain('Paid Media/Search');
    const out = text(await run('budget FY2026-Q4 Payd Media'));
    expect(out).toContain('No category "Payd Media" has a plan or spend yet');
    expect(out).toContain('Paid Media');
  });

  it('sets and lists targets (admins), counts and money apart, audited', async () => {
    expect(text(await run('target set leads 1,200 FY2026-Q4'))).toContain(
      'Target for leads in FY2026-Q4 is now 1,200.',
    );
    expect(text(await run('target set pipeline $250,000 FY2026-Q4'))).toContain('is now $250,000.');
    expect(text(await run('target set leads 1500 FY2026-Q4'))).toContain('(was 1,200)');
    expect(text(await run('target set leads 10 FY2026-Q4', MEMBER))).toContain(
      'only Mo admins can set targets',
    );
    expect(text(await run('target set visits 10 FY2026-Q4'))).toContain(
      'the metric is one of leads, mqls, sqls, pipeline, won',
    );
    expect(text(await run('target set mqls 2.5 FY2026-Q4'))).toContain('"2.5" is not a whole number of mqls');
    const list = text(await run('target list', MEMBER));
    expect(list).toContain('FY2026-Q4 · leads: 1,500');
    expect(list).toContain('FY2026-Q4 · pipeline: $250,000');
    const audit = await t.mo.audit.recent(TEAM);
    expect(audit.filter((a) => a.action.startsWith('target.')).length).toBe(3);
  });

  it('locks spend in a month that ended more than lock_days ago, except for an admin with --unlocked', async () => {
    // Today is Nov 16: October ended 16 days ago (more than 10), November is open.
    await t.mo.workspaces.update(TEAM, { spendEntry: 'everyone' }, ADMIN);
    const before = await t.mo.db.spend.count();
    const locked = '2026-10 is locked: the month ended more than 10 days ago (setting lock_days)';
    expect(text(await run('spend add 100 Events 2026-10-31 --new', MEMBER))).toContain(locked);
    expect(text(await run('spend add 100 Events 2026-10-31 --new --unlocked', MEMBER))).toContain(
      '2026-10 is locked (setting lock_days: 10): only a Mo admin can change its spend with --unlocked.',
    );
    expect(await t.mo.db.spend.count()).toBe(before);
    expect(text(await run('spend add 100 Events 2026-10-31 --new --unlocked'))).toContain('$100');
    const audit = await t.mo.db.auditEvent.findMany({
      where: { action: 'spend.create', actor: 'U0ADMIN (--unlocked)' },
    });
    expect(audit.map((a) => JSON.parse(a.after ?? '{}').date)).toEqual(['2026-10-31']);
    const id = (audit[0]?.entityId ?? '').slice(-8);
    // Its author cannot change it either, without --unlocked; undo is refused the same way.
    expect(text(await run('spend undo'))).toContain(locked);
    expect(text(await run(`spend edit ${id} 150`))).toContain(locked);
    expect(text(await run(`spend delete ${id}`))).toContain(locked);
    expect(text(await run(`spend edit ${id} 150 --unlocked`))).toContain('$150');
    // Moving a November entry into October is a change to October.
    expect(text(await run('spend add 20 Events 2026-11-02', MEMBER))).toContain('$20');
    // The member's own entry: other rows dated that day belong to the fixtures.
    const nov =
      (
        await t.mo.db.spend.findFirst({
          where: { teamId: TEAM, date: '2026-11-02', amountMinor: 2000n, enteredBy: MEMBER },
        })
      )?.id ?? '';
    expect(nov).not.toBe('');
    expect(text(await run(`spend edit ${nov.slice(-8)} --date 2026-10-30`, MEMBER))).toContain(locked);
    // A commitment dated in a locked month stays open unless an admin closes it with --unlocked.
    expect(
      text(await run('spend add 400 Events 2026-10-20 --committed --commitment PO-LOCK --unlocked')),
    ).toContain('$400');
    expect(text(await run('spend close PO-LOCK', MEMBER))).toContain(locked);
    expect(text(await run('spend close PO-LOCK --unlocked'))).toContain('PO-LOCK');
    expect(text(await run(`spend delete ${id} --unlocked`))).toContain('$150');
    const unlocked = await t.mo.db.auditEvent.findMany({
      where: { teamId: TEAM, actor: 'U0ADMIN (--unlocked)' },
      orderBy: { id: 'asc' },
    });
    expect(unlocked.map((a) => a.action).sort()).toEqual(
      ['commitment.close', 'spend.create', 'spend.create', 'spend.delete', 'spend.update'].sort(),
    );
  });

  it('opens forms for /mo settings (admins), /mo budget edit and /mo spend add', async () => {
    const settings = await run('settings');
    expect(settings.kind).toBe('modal');
    expect(text(await run('settings', MEMBER))).toContain('only Mo admins can change settings');
    const edit = await run('budget edit FY2026-Q4 Paid Media/Search');
    expect(edit.kind === 'modal' && JSON.stringify(edit.view)).toContain('"initial_value":"10000.00"');
    expect((await run('spend add')).kind).toBe('modal');
  });
});
