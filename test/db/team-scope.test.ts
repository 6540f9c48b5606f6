// The workspace-scoped repositories: every method, with two workspaces, and not one row
// crosses. A repository method not yet classified (scoped or deliberately unscoped) fails
// the first test, so a new method cannot slip past the layer unnoticed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirePeriod } from '../../src/domain/calendar.js';
import { createLogger } from '../../src/log.js';
import { CrossWorkspaceError, TEAM_SCOPE, UNSCOPED } from '../../src/services/team-scope.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

const logger = createLogger('error');

/** Everything on the Mo context that is not a repository. */
const NOT_REPOSITORIES = new Set(['db', 'databaseUrl', 'clock', 'events', 'figuresChanged', 'forTeam']);

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('2026-11-16T12:00:00Z');
});
afterAll(() => t?.close());

const period = requirePeriod('FY2026-Q4', '2026-11-16', 1);
const span = { start: period.start, end: period.end };

describe('workspace-scoped repositories', () => {
  it('classify every method of every repository on the Mo context', () => {
    const scoped: Record<string, object> = TEAM_SCOPE;
    const unscoped: Record<string, object> = UNSCOPED;
    const repositories = Object.keys(t.mo).filter((k) => !NOT_REPOSITORIES.has(k));
    expect(repositories.sort()).toEqual(
      [...new Set([...Object.keys(scoped), ...Object.keys(unscoped)])].sort(),
    );
    for (const name of repositories) {
      const repo = t.mo[name as keyof typeof t.mo] as object;
      const listed = [...Object.keys(scoped[name] ?? {}), ...Object.keys(unscoped[name] ?? {})];
      expect(Object.keys(repo).sort(), name).toEqual(listed.sort());
      expect(new Set(listed).size, `${name}: a method both scoped and unscoped`).toBe(listed.length);
    }
  });

  it('hand out no database and nothing of Mo but the scoped repositories, the clock and the bound helpers', async () => {
    const a = t.mo.forTeam('T0A');
    expect(Object.keys(a).sort()).toEqual(
      [...Object.keys(TEAM_SCOPE), 'teamId', 'clock', 'key', 'figuresChanged', 'imports', 'runOnce'].sort(),
    );
    expect(a.clock().toISOString()).toBe('2026-11-16T12:00:00.000Z');
    const heard: string[] = [];
    const listener = (teamId: string) => heard.push(teamId);
    t.mo.events.on('figures', listener);
    a.figuresChanged();
    t.mo.events.off('figures', listener);
    expect(heard).toEqual(['T0A']);
    expect(() => t.mo.forTeam('')).toThrow(CrossWorkspaceError);
    const run = { job: 'test', slot: new Date('2026-11-16T12:00:00Z'), run: async () => 'done' };
    const lease = { owner: 'test', leaseMs: 60_000 };
    expect(() => a.runOnce(logger, { ...run, key: 'test:T0B' }, lease)).toThrow(CrossWorkspaceError);
    expect(await a.runOnce(logger, { ...run, key: 'test:T0A' }, lease)).toMatchObject({
      status: 'succeeded',
    });
    expect((await t.mo.jobs.recent({ teamId: 'T0A' })).map((r) => r.key)).toEqual(['test:T0A']);
  });

  it('keep every write in its own workspace and every read to it', async () => {
    const a = t.mo.forTeam('T0A');
    const b = t.mo.forTeam('T0B');

    // workspaces: get, ensure, update
    await a.workspaces.ensure({ timezone: 'Europe/Paris' });
    await a.workspaces.update({ currency: 'EUR', adminUserIds: ['UA'] }, 'UA');
    expect(await b.workspaces.get()).toBeNull();
    expect(await b.workspaces.ensure()).toMatchObject({ teamId: 'T0B', currency: 'USD', adminUserIds: [] });
    expect(await a.workspaces.get()).toMatchObject({ teamId: 'T0A', currency: 'EUR', adminUserIds: ['UA'] });

    // budgets: set, linesOverlapping, linesWithin, categories
    await a.budgets.set({ period, category: 'Events', plannedMinor: 100_00n, ownerUserId: null }, 'UA');
    expect(await a.budgets.linesWithin(span)).toHaveLength(1);
    expect(await a.budgets.categories()).toEqual(['Events']);
    expect(await a.budgets.linesOverlapping(span)).not.toEqual([]);
    expect(await b.budgets.linesWithin(span)).toEqual([]);
    expect(await b.budgets.categories()).toEqual([]);
    expect(await b.budgets.linesOverlapping(span)).toEqual([]);
    await expect(
      a.budgets.set({ teamId: 'T0B', period, category: 'Events', plannedMinor: 1n, ownerUserId: null }, 'UA'),
    ).rejects.toThrow(CrossWorkspaceError);
    expect(await b.budgets.linesWithin(span)).toEqual([]);

    // spend: add, sumsByCategory, dailyActual, categories
    const entry = {
      date: '2026-11-10',
      amountMinor: 42_00n,
      status: 'actual' as const,
      category: 'Events',
      campaign: '',
      vendor: '',
      source: 'manual',
      idempotencyKey: 'same-key',
    };
    await a.spend.add(entry, 'UA');
    expect(await a.spend.sumsByCategory(span.start, span.end, '2026-11-16')).toHaveLength(1);
    expect(await a.spend.dailyActual(span.start, span.end)).toHaveLength(1);
    expect(await a.spend.categories()).toEqual(['Events']);
    expect(await b.spend.sumsByCategory(span.start, span.end, '2026-11-16')).toEqual([]);
    expect(await b.spend.dailyActual(span.start, span.end)).toEqual([]);
    expect(await b.spend.categories()).toEqual([]);
    // The same idempotency key in another workspace is another row, not an update of A's.
    await b.spend.add({ ...entry, amountMinor: 1n }, 'UB');
    const [sumA] = await a.spend.sumsByCategory(span.start, span.end, '2026-11-16');
    expect(sumA?.actual).toBe(42_00n);
    await expect(a.spend.add({ ...entry, teamId: 'T0B' }, 'UA')).rejects.toThrow(CrossWorkspaceError);

    // audit: record, recent
    await a.audit.record({ actor: 'UA', action: 'test.a', entity: 'x', entityId: '1' });
    expect((await a.audit.recent()).map((e) => e.action)).toContain('test.a');
    expect((await b.audit.recent()).map((e) => e.action)).not.toContain('test.a');
    expect((await b.audit.recent()).every((e) => e.teamId === 'T0B')).toBe(true);

    // posts: begin, get, takeOver, release, posted
    expect(await a.posts.begin({ key: 'digest:1', channel: 'C1' })).toBe(true);
    expect(await b.posts.get('digest:1')).toBeNull();
    expect(await b.posts.takeOver('digest:1', 0)).toBe(false);
    await b.posts.release('digest:1');
    expect(await b.posts.begin({ key: 'digest:1', channel: 'C2' })).toBe(true);
    await a.posts.posted('digest:1', 'C1', '1.000100');
    expect(await b.posts.get('digest:1')).toMatchObject({ status: 'pending', channel: 'C2', ts: null });
    expect(await a.posts.get('digest:1')).toMatchObject({ status: 'posted', ts: '1.000100' });

    // tokens: create, list, revoke
    const token = await a.tokens.create('sync', 'UA');
    expect(await b.tokens.list()).toEqual([]);
    expect(await b.tokens.revoke(token.id, 'UB')).toBe(false);
    expect((await a.tokens.list()).map((x) => x.revokedAt)).toEqual([null]);
    expect(await a.tokens.revoke(token.id, 'UA')).toBe(true);
  });
});
