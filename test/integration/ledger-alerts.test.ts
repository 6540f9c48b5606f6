import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertRepository } from '../../src/db/alerts.js';
import type { WorkspaceSettings } from '../../src/db/workspaces.js';
import { fiscalQuarter } from '../../src/domain/calendar.js';
import { importSpend } from '../../src/ingest/import.js';
import { evaluateAlerts } from '../../src/services/alerts.js';
import { budgetReport } from '../../src/services/budget.js';
import { digestData } from '../../src/services/digest.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { csvImport } from '../support/import.js';

const TEAM = 'T0LEDGERALERTS';
let t: TestDatabase;
let settings: WorkspaceSettings;
const Q4 = fiscalQuarter(2026, 4, 1); // Oct 1 – Dec 31, 2026

const load = (csv: string) =>
  importSpend(csvImport(t.mo, TEAM, `date,amount,category,status,external_id,commitment_id\n${csv}`));

const openAlerts = async () =>
  (await alertRepository(t.mo.db).history(TEAM))
    .filter((a) => !a.resolvedAt)
    .map((a) => [a.rule, a.threshold]);

beforeAll(async () => {
  t = await createTestDatabase('2026-11-18T15:00:00Z');
  settings = await t.mo.workspaces.ensure(TEAM);
  await t.mo.budgets.set(
    { teamId: TEAM, period: Q4, category: 'Events', plannedMinor: 1_000_000n },
    'U0ADMIN',
  );
  // Only the consumed rule fires: pacing is off, and so is the forecast rule, since December
  // (not started) forecasts at least its phased plan whatever October's PO took.
  await alertRepository(t.mo.db).updateSettings(
    TEAM,
    {
      settings: {
        ...(await alertRepository(t.mo.db).settings(TEAM)).settings,
        pacing: { enabled: false, threshold: 20 },
        forecast: { enabled: false, threshold: 5 },
      },
    },
    'U0ADMIN',
  );
});
afterAll(() => t.close());

describe('alerts and the digest follow the ledger', () => {
  it('a PO filling the line fires consumed 100; its invoice keeps it; closing it resolves it', async () => {
    await load('2026-10-05,10000,Events,committed,po,PO-1\n');
    const raised = await evaluateAlerts(t.mo.forTeam(TEAM));
    expect(raised.raised.length).toBe(1);
    expect(await openAlerts()).toEqual([['consumed', 100]]);

    const digest = await digestData(t.mo.forTeam(settings.teamId), settings, { today: '2026-11-18' });
    const events = digest.budget.rows.find((r) => r.category === 'Events');
    // Forecast by months: October ended, 1,000,000 booked; November has no actual (run rate 0,
    // nothing booked); December not started: its phased plan, 1,000,000 × 31/92 → 336,956.
    expect(events).toMatchObject({
      actual: 0n,
      committed: 1_000_000n,
      forecast: 1_336_956n,
      status: 'over',
    });
    expect(digest.flagged.map((r) => r.category)).toEqual(['Events']);
    expect(digest.alerted).toEqual(['Events']);

    // Invoiced 4,000: 4,000 actual + 6,000 open = still 100 % consumed, nothing new, nothing resolved.
    await load('2026-10-20,4000,Events,actual,inv,PO-1\n');
    const report = await budgetReport(t.mo.forTeam(settings.teamId), settings, { period: Q4 });
    expect(report.rows[0]).toMatchObject({ actual: 400_000n, committed: 600_000n });
    expect(await evaluateAlerts(t.mo.forTeam(TEAM))).toMatchObject({ raised: [], resolved: 0 });

    // Closed: 4,000 of 10,000 consumed; the 100 % alert (and the quiet 90 % state under it)
    // resolve, and the digest drops the line.
    await t.mo.spend.closeCommitment(TEAM, 'PO-1', 'U0ADMIN');
    expect(await evaluateAlerts(t.mo.forTeam(TEAM))).toMatchObject({ raised: [], resolved: 2 });
    expect(await openAlerts()).toEqual([]);
    const after = await digestData(t.mo.forTeam(settings.teamId), settings, { today: '2026-11-18' });
    expect(after.flagged).toEqual([]);
  });
});
