// The Home tab's builder: within Slack's limits however much there is to show, lists
// summarised with "and N more", user data escaped, admin actions for admins only.
import { describe, expect, it } from 'vitest';
import type { AlertRow } from '../../src/db/alerts.js';
import type { HomeData, HomeLine } from '../../src/services/home.js';
import { HOME_MAX_BLOCKS, homeView, importHelpModal } from '../../src/slack/blocks/home.js';
import { ACTION, ALERT, HOME, SURVEY } from '../../src/slack/ids.js';
import { validateView } from '../support/fake-slack.js';

const line = (i: number, category = `Paid Media/Channel ${i}`): HomeLine => ({
  lineId: `L${i}`,
  period: 'FY2027-Q4',
  category,
  ownerUserId: 'U0OWNER',
  planned: 1_000_000n + BigInt(i),
  actual: 600_000n,
  committed: 100_000n,
  forecast: 1_200_000n,
  estimate: null,
  variancePct: 20,
  status: 'over',
  statusLabel: 'over',
});

const move = (i: number) => ({
  id: `01MOVE${String(i).padStart(4, '0')}`,
  teamId: 'T0',
  amountMinor: 250_000n,
  fromCategory: 'Events',
  toCategory: 'Paid Media/<!here> Search',
  period: 'FY2027-Q4',
  periodStart: '2026-10-01',
  periodEnd: '2026-12-31',
  reason: 'conference moved',
  requestedBy: 'U0REQ',
  fromOwner: 'U0OWNER',
  toOwner: null,
  fromApprovedBy: null,
  fromApprovedAt: null,
  toApprovedBy: null,
  toApprovedAt: null,
  status: 'pending',
  decidedBy: null,
  decidedAt: null,
  rejectReason: null,
  expiresAt: new Date('2026-11-30T12:00:00Z'),
  createdAt: new Date('2026-11-16T12:00:00Z'),
  updatedAt: new Date('2026-11-16T12:00:00Z'),
});

const alert = (i: number, category = `Events ${i}`): AlertRow =>
  ({
    id: `01ALERT${String(i).padStart(4, '0')}`,
    teamId: 'T0',
    lineId: `L${i}`,
    period: 'FY2027-Q4',
    category,
    ownerUserId: 'U0OWNER',
    rule: 'consumed',
    threshold: 90,
    plannedMinor: 1_000_000n,
    actualMinor: 950_000n,
    committedMinor: 0n,
    forecastMinor: 1_100_000n,
    raisedAt: new Date('2026-11-16T12:00:00Z'),
    resolvedAt: null,
    ackBy: null,
    ackAt: null,
    snoozedBy: null,
  }) as AlertRow;

function data(over: Partial<HomeData> = {}): HomeData {
  return {
    teamId: 'T0',
    userId: 'U0OWNER',
    isAdmin: false,
    currency: 'USD',
    at: new Date('2026-11-16T12:00:00Z'),
    quarter: {
      key: 'FY2027-Q4',
      planned: 45_600_000n,
      actual: 30_000_000n,
      committed: 5_000_000n,
      forecast: 47_000_000n,
      estimate: null,
      variancePct: 3.07,
      status: 'on plan',
      statusLabel: 'on plan',
      bookedPct: 77,
      elapsedPct: 60,
      furthestOver: [line(1), line(2), line(3)],
    },
    ownLines: [line(1)],
    moves: [],
    alerts: { shown: [alert(1)], total: 1, scope: 'own' },
    surveys: [
      {
        id: 'S1',
        name: 'Marketing-ops maturity',
        channelId: 'C0MKT',
        closesAt: new Date('2026-11-23T17:00:00Z'),
      },
    ],
    digest: {
      enabled: true,
      channelId: 'C0MKT',
      next: new Date('2026-11-23T14:00:00Z'),
      timeZone: 'America/New_York',
    },
    ...over,
  };
}

const text = (v: unknown) => JSON.stringify(v);
const actionIds = (view: ReturnType<typeof homeView>) =>
  (
    view.blocks as { type: string; elements?: { action_id?: string }[]; accessory?: { action_id?: string } }[]
  ).flatMap((b) =>
    (b.type === 'actions' ? (b.elements ?? []) : b.accessory ? [b.accessory] : []).map((e) => e.action_id),
  );

describe('the Home tab', () => {
  it('shows the quarter, the person’s lines, alerts with their buttons, surveys and the digest', () => {
    const view = homeView(data());
    expect(view.type).toBe('home');
    expect(validateView(view)).toEqual([]);
    const all = text(view);
    expect(all).toContain('FY2027-Q4 budget');
    expect(all).toContain('*Planned*\\n$456,000');
    expect(all).toContain('Furthest over plan');
    expect(all).toContain('Your budget lines');
    expect(all).toContain('Marketing-ops maturity');
    expect(all).toContain('next <!date^');
    expect(actionIds(view)).toEqual([ALERT.ack, ALERT.snoozeDay, ALERT.snoozeWeek, SURVEY.take]);
  });

  it('passes Slack’s limits with 200 budget lines and 50 open alerts, summarised', () => {
    const view = homeView(
      data({
        isAdmin: true,
        ownLines: Array.from({ length: 200 }, (_, i) => line(i, `Paid Media/${'Long name '.repeat(8)}${i}`)),
        alerts: { shown: Array.from({ length: 50 }, (_, i) => alert(i)), total: 50, scope: 'all' },
        surveys: Array.from({ length: 12 }, (_, i) => ({
          id: `S${i}`,
          name: `Survey ${i}`,
          channelId: 'C0MKT',
          closesAt: new Date('2026-11-23T17:00:00Z'),
        })),
      }),
    );
    expect(validateView(view)).toEqual([]);
    expect(view.blocks.length).toBeLessThanOrEqual(HOME_MAX_BLOCKS);
    const all = text(view);
    expect(all).toContain('…and 185 more: see `/mo budget`');
    expect(all).toContain('…and 40 more: see `/mo alerts history`');
    expect(all).toContain('…and 7 more: see `/mo survey list`');
    expect(actionIds(view).filter((a) => a === ALERT.ack)).toHaveLength(10);
    expect(actionIds(view)).toContain(HOME.settings);
    expect(actionIds(view)).toContain(HOME.importFile);
  });

  it('escapes what people named their lines and shows admin actions only to admins', () => {
    const view = homeView(data({ ownLines: [line(1, 'Events/<!channel> & co')] }));
    const all = text(view);
    expect(all).toContain('Events/&lt;!channel&gt; &amp; co');
    expect(all).not.toContain('<!channel>');
    expect(actionIds(view)).not.toContain(HOME.settings);
  });

  it('says so when there is nothing: no lines, no alerts, no surveys, digest off', () => {
    const view = homeView(
      data({
        ownLines: [],
        alerts: { shown: [], total: 0, scope: 'own' },
        surveys: [],
        digest: { enabled: false, channelId: null, next: null, timeZone: 'UTC' },
      }),
    );
    expect(validateView(view)).toEqual([]);
    const all = text(view);
    expect(all).toContain('You own no live budget line');
    expect(all).toContain('Nothing waiting for you');
    expect(all).toContain('Weekly digest* — off');
    expect(all).not.toContain('Surveys waiting');
  });

  it('lists the budget moves waiting for the person with the DM’s Approve and Reject, five at most', () => {
    const one = homeView(data({ moves: [move(1)] }));
    expect(validateView(one)).toEqual([]);
    const all = text(one);
    expect(all).toContain('Budget moves waiting for you (1)');
    expect(all).toContain('*$2,500* from *Events* to *Paid Media/&lt;!here&gt; Search* in *FY2027-Q4*');
    expect(all).not.toContain('<!here>');
    expect(actionIds(one).slice(0, 2)).toEqual([ACTION.moveApprove, ACTION.moveReject]);
    const many = homeView(data({ isAdmin: true, moves: Array.from({ length: 9 }, (_, i) => move(i)) }));
    expect(validateView(many)).toEqual([]);
    expect(actionIds(many).filter((a) => a === ACTION.moveApprove)).toHaveLength(5);
    expect(text(many)).toContain('…and 4 more: see `/mo budget requests`');
    expect(text(homeView(data()))).not.toContain('Budget moves waiting');
  });

  it('shows the status by the period’s state and a latest estimate beside the forecast', () => {
    const view = homeView(
      data({
        quarter: {
          ...data().quarter,
          estimate: 46_000_000n,
          status: 'not started',
          statusLabel: 'not started',
          variancePct: null,
        },
        ownLines: [
          { ...line(1), estimate: 1_050_000n, status: 'on plan', statusLabel: 'on plan', variancePct: 5 },
        ],
      }),
    );
    const all = text(view);
    expect(all).toContain('*Forecast*\\n$470,000 · LE $460,000');
    expect(all).toContain('not started');
    expect(all).toContain('forecast $12,000 · LE $10,500 of $10,000');
  });

  it('the import help is a valid modal without a submit button', () => {
    const modal = importHelpModal();
    expect(validateView(modal)).toEqual([]);
    expect(modal.submit).toBeUndefined();
  });
});
