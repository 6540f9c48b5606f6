// /mo spend through the real Bolt app: signed slash commands in, the reply at response_url
// out, a real database. Each entry rule answers with its exact message and writes nothing;
// a PO is relieved by its invoices; edit, delete and undo change every figure, are audited,
// and are refused to a member who is neither the author nor an admin. In JPY (no decimals).
import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { calendarMonth } from '../../src/domain/calendar.js';
import { importSpend } from '../../src/ingest/import.js';
import { budgetReport } from '../../src/services/budget.js';
import { INPUT, VIEW } from '../../src/slack/ids.js';
import { startTestApp, type TestApp } from '../support/app.js';
import type { TestDatabase } from '../support/db.js';
import { type FakeSlack, validateBlocks } from '../support/fake-slack.js';
import { signSlackRequest } from '../support/signing.js';

const SECRET = 'test-signing-secret';
const TEAM = 'T0SPENDHTTP';
const ADMIN = 'U0ADMIN';
const OWNER = 'U0OWNER';
const MEMBER = 'U0MEMBER';
let app: TestApp;
let t: TestDatabase;
let slack: FakeSlack;
let n = 0;

beforeAll(async () => {
  app = await startTestApp(
    SECRET,
    {
      teamId: TEAM,
      users: { [ADMIN]: { is_admin: true, tz: 'UTC' }, [OWNER]: { tz: 'UTC' }, [MEMBER]: { tz: 'UTC' } },
      channels: { C0MKTG: { name: 'marketing' } },
    },
    '2026-11-16T12:00:00Z',
  );
  ({ t, slack } = app);
  await t.mo.workspaces.ensure(TEAM, { timezone: 'UTC' });
  await t.mo.workspaces.update(TEAM, { currency: 'JPY' }, ADMIN);
  const november = calendarMonth(2026, 11);
  for (const [category, owner] of [
    ['Paid Media/Search', OWNER],
    ['Events', OWNER],
  ] as const)
    await t.mo.budgets.set(
      { teamId: TEAM, period: november, category, plannedMinor: 1_000_000n, ownerUserId: owner },
      ADMIN,
    );
});
afterAll(() => app?.close());
beforeEach(() => slack.reset());

/** Sends `/mo TEXT` as `user`, signed, and returns the reply's text (and blocks). */
async function mo(text: string, user = OWNER) {
  const id = `r${++n}`;
  const body = new URLSearchParams({
    token: 'legacy',
    team_id: TEAM,
    team_domain: 'acme',
    channel_id: 'C0MKTG',
    channel_name: 'marketing',
    user_id: user,
    user_name: user.toLowerCase(),
    command: '/mo',
    text,
    api_app_id: 'A0MO',
    is_enterprise_install: 'false',
    response_url: slack.responseUrl(id),
    trigger_id: `trigger-${id}`,
  }).toString();
  const res = await fetch(`${app.base}/slack/events`, {
    method: 'POST',
    body,
    headers: signSlackRequest(SECRET, body),
  });
  expect(res.status).toBe(200);
  const until = Date.now() + 5000;
  for (;;) {
    const reply = slack.responses().find((r) => r.args.__id === id);
    if (reply) {
      expect(validateBlocks(reply.args.blocks, 'message')).toEqual([]);
      return { text: String(reply.args.text), blocks: JSON.stringify(reply.args.blocks) };
    }
    if (Date.now() > until) throw new Error(`no reply to /mo ${text}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Everything a spend write touches: rows, the rollup, commitments, the audit trail. */
async function ledger() {
  const where = { where: { teamId: TEAM } };
  return {
    spend: await t.mo.db.spend.findMany({ ...where, orderBy: { id: 'asc' } }),
    daily: await t.mo.db.spendDaily.findMany({
      ...where,
      orderBy: [{ date: 'asc' }, { category: 'asc' }, { status: 'asc' }],
    }),
    commitments: await t.mo.db.commitment.findMany(where),
    audit: await t.mo.db.auditEvent.count(where),
  };
}

/** The reply must be exactly `reply`; a :warning: names the subcommand first, as every reply does. */
async function refusedWithNothingWritten(text: string, reply: string, user = OWNER) {
  const before = await ledger();
  const sub = text.split(' ').slice(0, 2).join(' ');
  const expected = reply.startsWith(':warning: ')
    ? reply.replace(':warning: ', `:warning: /mo ${sub}: `)
    : reply;
  expect((await mo(text, user)).text).toBe(expected);
  expect(await ledger()).toEqual(before);
}

const figures = async (category: string) => {
  const settings = await t.mo.workspaces.ensure(TEAM);
  const row = (await budgetReport(t.mo.forTeam(settings.teamId), settings, { period: '2026-11' })).rows.find(
    (r) => r.category === category,
  );
  return { actual: row?.actual ?? 0n, committed: row?.committed ?? 0n };
};

describe('entry rules: exact message, nothing written', () => {
  it('refuses a date that is not a calendar day, never making it part of the campaign', async () => {
    await refusedWithNothingWritten(
      'spend add 5000 Events dinner 2026-02-30',
      ':warning: "2026-02-30" is not a date: write it as YYYY-MM-DD, like 2026-11-16.',
    );
    await refusedWithNothingWritten(
      'spend add 5000 Events 11/20/2026 dinner',
      ':warning: "11/20/2026" is not a date: write it as YYYY-MM-DD, like 2026-11-16.',
    );
  });

  it('refuses actual spend dated after today, and takes it as committed', async () => {
    await refusedWithNothingWritten(
      'spend add 5000 Events 2026-11-20',
      ':warning: Actual spend cannot be dated after today (2026-11-16): 2026-11-20 has not happened yet. Use --committed for planned spend.',
    );
    expect((await mo('spend add 5000 Events booth 2026-11-20 --committed')).text).toContain(
      'Recorded committed spend of ¥5,000 in *Events* (booth) on 2026-11-20',
    );
  });

  it('refuses a mistyped category with the closest one, and creates one with --new', async () => {
    await refusedWithNothingWritten(
      'spend add 5000 Paid Meda/Search Brand',
      ':warning: There is no category "Paid Meda/Search" yet. Did you mean Paid Media/Search? To create it, add --new.',
    );
    // An admin creates a category on purpose.
    expect((await mo('spend add 7000 Podcasts pilot --new', ADMIN)).text).toContain(
      '_Podcasts is a new category._',
    );
  });

  it('answers the form in its fields: a mistyped category, then JPY decimals', async () => {
    const submit = async (fields: { amount: string; category: string; date: string; fresh?: boolean }) => {
      const payload = {
        type: 'view_submission',
        team: { id: TEAM, domain: 'acme' },
        user: { id: OWNER, team_id: TEAM },
        api_app_id: 'A0MO',
        trigger_id: 'trigger-form',
        view: {
          id: 'V1',
          type: 'modal',
          callback_id: VIEW.spendAdd,
          private_metadata: '{}',
          state: {
            values: {
              [INPUT.amount.block]: {
                [INPUT.amount.action]: { type: 'plain_text_input', value: fields.amount },
              },
              [INPUT.category.block]: {
                [INPUT.category.action]: { type: 'plain_text_input', value: fields.category },
              },
              [INPUT.newCategory.block]: {
                [INPUT.newCategory.action]: {
                  type: 'checkboxes',
                  selected_options: fields.fresh ? [{ value: 'new' }] : [],
                },
              },
              [INPUT.date.block]: { [INPUT.date.action]: { type: 'datepicker', selected_date: fields.date } },
              [INPUT.status.block]: {
                [INPUT.status.action]: { type: 'radio_buttons', selected_option: { value: 'actual' } },
              },
            },
          },
        },
      };
      const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
      const res = await fetch(`${app.base}/slack/events`, {
        method: 'POST',
        body,
        headers: signSlackRequest(SECRET, body),
      });
      const text = await res.text();
      return text ? JSON.parse(text) : null;
    };
    const before = await ledger();
    expect(await submit({ amount: '5000', category: 'Evnts', date: '2026-11-10' })).toEqual({
      response_action: 'errors',
      errors: {
        [INPUT.category.block]:
          'There is no category "Evnts" yet. Did you mean Events? To create it, tick “New category”.',
      },
    });
    expect(await submit({ amount: '50.5', category: 'Events', date: '2026-11-10' })).toEqual({
      response_action: 'errors',
      errors: { [INPUT.amount.block]: '"50.5" has more decimals than JPY allows (none)' },
    });
    expect(await submit({ amount: '5000', category: 'Events', date: '2026-11-30' })).toEqual({
      response_action: 'errors',
      errors: {
        [INPUT.date.block]:
          'Actual spend cannot be dated after today (2026-11-16): 2026-11-30 has not happened yet. Use --committed for planned spend.',
      },
    });
    expect(await ledger()).toEqual(before);
  });

  it('refuses a zero amount, and labels a negative one as a refund', async () => {
    await refusedWithNothingWritten(
      'spend add 0 Events',
      ':warning: An amount of zero records nothing: give the amount spent, or a negative amount for a refund.',
    );
    expect((await mo('spend add -1200 Events caterer 2026-11-10')).text).toContain(
      'Recorded a refund of ¥1,200 in *Events* (caterer) on 2026-11-10',
    );
  });

  it('follows the currency’s minor unit: JPY has no decimals', async () => {
    await refusedWithNothingWritten(
      'spend add 1234.5 Events',
      ':warning: "1234.5" has more decimals than JPY allows (none)',
    );
    expect((await mo('spend add ¥1,234 Events 2026-11-11')).text).toContain('¥1,234 in *Events*');
  });

  it('refuses a member who owns no line in the category (spend_entry: owners)', async () => {
    await refusedWithNothingWritten(
      'spend add 5000 Events',
      ':no_entry: Sorry, only Mo admins and the owners of a budget line in Events can book spend there (setting spend_entry: owners).',
      MEMBER,
    );
  });
});

describe('a purchase order and its invoices, from Slack', () => {
  it('PO 4500 → invoice 3000 → 1500 open → invoice 2000 → nothing open, flagged', async () => {
    const before = await figures('Paid Media');
    expect(
      (
        await mo(
          'spend add 450000 Paid Media/Search agency retainer 2026-11-02 --committed --commitment PO-4500',
        )
      ).text,
    ).toContain('PO-4500: ¥450,000 committed, ¥0 invoiced, ¥450,000 open');
    expect(await figures('Paid Media')).toEqual({
      actual: before.actual,
      committed: before.committed + 450_000n,
    });

    expect((await mo('spend add 300000 Paid Media/Search 2026-11-05 --commitment PO-4500')).text).toContain(
      'PO-4500: ¥450,000 committed, ¥300,000 invoiced, ¥150,000 open',
    );
    expect(await figures('Paid Media')).toEqual({
      actual: before.actual + 300_000n,
      committed: before.committed + 150_000n,
    });
    const open = await mo('spend commitments 2026-11');
    expect(open.text).toContain('Open commitments · 2026-11');
    expect(open.blocks).toContain(
      '*PO-4500* · Paid Media/Search · 2026-11-02 (14 d old): ¥450,000 committed, ¥300,000 invoiced, *¥150,000 open*',
    );

    expect((await mo('spend add 200000 Paid Media/Search 2026-11-09 --commitment PO-4500')).text).toContain(
      'PO-4500 is invoiced ¥500,000 against ¥450,000: :warning: over-invoiced by ¥50,000',
    );
    expect(await figures('Paid Media')).toEqual({
      actual: before.actual + 500_000n,
      committed: before.committed,
    });
    expect((await mo('spend commitments')).blocks).toContain('over-invoiced by ¥50,000');

    // A second PO, closed: nothing of it stays committed.
    await mo('spend add 80000 Paid Media/Search 2026-11-12 --committed --commitment PO-4600');
    expect((await figures('Paid Media')).committed).toBe(before.committed + 80_000n);
    expect((await mo('spend close PO-4600')).text).toContain(
      ':lock: Closed PO-4600: ¥80,000 no longer counts as committed',
    );
    expect((await figures('Paid Media')).committed).toBe(before.committed);
    // Opening the same PO again is refused.
    await refusedWithNothingWritten(
      'spend add 1000 Paid Media/Search --committed --commitment PO-4500',
      ':warning: Commitment PO-4500 is already open (2026-11-02, Paid Media/Search): book invoices against it without --committed, or correct it with /mo spend edit.',
    );
  });
});

describe('corrections', () => {
  const lastId = async () => {
    const rows = await t.mo.spend.list(TEAM, { take: 1 });
    return (rows[0]?.id ?? '').slice(-8);
  };

  it('lists entries newest first with their short ids, source and author', async () => {
    const list = await mo('spend list 2026-11 Events');
    expect(list.text).toContain('Spend entries · 2026-11 · Events');
    expect(list.blocks).toContain(`\`${await lastIdIn('Events')}\``);
    expect(list.blocks).toContain('Slack · <@U0OWNER>');
  });

  async function lastIdIn(category: string) {
    const rows = await t.mo.spend.list(TEAM, { take: 1, category });
    return (rows[0]?.id ?? '').slice(-8);
  }

  it('edits an entry: every figure follows and the audit has before and after', async () => {
    await mo('spend add 10000 Events flowers 2026-11-13');
    const id = await lastId();
    const before = await figures('Events');
    // A member who is neither the author nor an admin is refused; nothing changes.
    await refusedWithNothingWritten(
      `spend edit ${id} 12000`,
      ':no_entry: Sorry, only the person who entered it or a Mo admin can change or delete this entry.',
      MEMBER,
    );
    const edited = await mo(`spend edit ${id} 12000 --date 2026-11-14 --campaign bouquets`);
    expect(edited.text).toContain(`Entry ${id} corrected`);
    expect(await figures('Events')).toEqual({ ...before, actual: before.actual + 2000n });
    const audit = await t.mo.db.auditEvent.findFirst({
      where: { teamId: TEAM, action: 'spend.update' },
      orderBy: { createdAt: 'desc' },
    });
    expect(JSON.parse(audit?.before ?? '{}')).toMatchObject({ amountMinor: '10000', date: '2026-11-13' });
    expect(JSON.parse(audit?.after ?? '{}')).toMatchObject({
      amountMinor: '12000',
      date: '2026-11-14',
      campaign: 'bouquets',
    });
    // An admin may correct anyone's entry, by the rules of a new one.
    await refusedWithNothingWritten(
      `spend edit ${id} --date 2026-12-01`,
      ':warning: Actual spend cannot be dated after today (2026-11-16): 2026-12-01 has not happened yet. Use --committed for planned spend.',
      ADMIN,
    );
  });

  it('deletes an entry (author or admin): every figure follows, audited', async () => {
    await mo('spend add 4000 Events signage 2026-11-13');
    const id = await lastId();
    const before = await figures('Events');
    await refusedWithNothingWritten(
      `spend delete ${id}`,
      ':no_entry: Sorry, only the person who entered it or a Mo admin can change or delete this entry.',
      MEMBER,
    );
    expect((await mo(`spend delete ${id}`, ADMIN)).text).toContain(
      ':wastebasket: Deleted: ¥4,000 in *Events* (signage)',
    );
    expect(await figures('Events')).toEqual({ ...before, actual: before.actual - 4000n });
    expect(
      await t.mo.db.auditEvent.count({
        where: { teamId: TEAM, action: 'spend.delete', entityId: { endsWith: id } },
      }),
    ).toBe(1);
  });

  it('undoes the person’s own last entry within 15 minutes, and nothing older', async () => {
    await mo('spend add 3000 Events tape 2026-11-13');
    const before = await figures('Events');
    expect((await mo('spend undo')).text).toContain(':wastebasket: Undone: ¥3,000 in *Events* (tape)');
    expect(await figures('Events')).toEqual({ ...before, actual: before.actual - 3000n });
    expect(await t.mo.db.auditEvent.count({ where: { teamId: TEAM, action: 'spend.undo' } })).toBe(1);
    await mo('spend add 2500 Events pens 2026-11-13');
    t.setNow('2026-11-16T12:16:00Z');
    try {
      await refusedWithNothingWritten(
        'spend undo',
        ':warning: Nothing to undo: you have entered no spend in the last 15 minutes.',
      );
    } finally {
      t.setNow('2026-11-16T12:00:00Z');
    }
  });

  it('says how to correct a row from a file, and lets it be deleted', async () => {
    const before = await figures('Events');
    await importSpend({
      db: t.mo.db,
      databaseUrl: t.mo.databaseUrl,
      now: t.mo.clock(),
      teamId: TEAM,
      currency: 'JPY',
      fiscalStartMonth: 1,
      source: 'csv',
      actor: OWNER,
      open: () => Readable.from(['date,amount,category,external_id\n2026-11-03,9000,Events,file-row\n']),
    });
    const row = (await t.mo.spend.list(TEAM, { take: 1 }))[0] as { id: string };
    const id = row.id.slice(-8);
    await refusedWithNothingWritten(
      `spend edit ${id} 9500`,
      `:no_entry: This entry came from a file imported with the CLI: correct the file and import it again (its key updates the row in place), or delete the entry with /mo spend delete ${id}.`,
    );
    expect(await figures('Events')).toEqual({ ...before, actual: before.actual + 9000n });
    expect((await mo(`spend delete ${id}`)).text).toContain('importing that file again brings it back');
    expect(await figures('Events')).toEqual(before);
  });
});
