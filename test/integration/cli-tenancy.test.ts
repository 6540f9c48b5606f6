// `mo keys rotate`, `mo workspace list` and `mo workspace delete` in-process on a scratch
// database: tokens re-encrypted under the newest key, a workspace removed whole and counted,
// and exports that hold one workspace's figures only.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { applyMigrations } from '../../src/db/migrate.js';
import { createScratchDatabase, type ScratchDatabase } from '../../src/db/scratch.js';
import { parseKeyring } from '../../src/db/secrets.js';
import { createMo } from '../../src/services/mo.js';
import { mo } from '../support/cli.js';
import { testDatabaseUrl } from '../support/db.js';

const OLD = `k1:${Buffer.alloc(32, 1).toString('base64')}`;
const NEW = `k2:${Buffer.alloc(32, 2).toString('base64')}`;
let scratch: ScratchDatabase;

async function withMoKeyed<T>(key: string, work: (m: ReturnType<typeof createMo>) => Promise<T>): Promise<T> {
  const database = openDatabase(scratch.url);
  try {
    return await work(createMo(database, () => new Date('2026-11-22T15:00:00Z'), parseKeyring(key)));
  } finally {
    await database.close();
  }
}

beforeAll(async () => {
  scratch = await createScratchDatabase(testDatabaseUrl());
  await applyMigrations(scratch.url);
  vi.stubEnv('DATABASE_URL', scratch.url);
  vi.stubEnv('MO_NOW', '2026-11-22T15:00:00Z');
  await withMoKeyed(OLD, async (m) => {
    for (const teamId of ['T0DEMO', 'T0KEEP'])
      await m.installations.store({
        teamId,
        enterpriseId: null,
        isEnterpriseInstall: false,
        botUserId: 'UBOT',
        botScopes: ['commands'],
        source: 'oauth',
        botToken: `xoxb-${teamId}-secret`,
        refreshToken: `xoxe-1-${teamId}`,
      });
  });
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await scratch.drop();
});

describe('mo keys rotate', () => {
  it('re-encrypts every token under the newest key, once', async () => {
    vi.stubEnv('MO_ENCRYPTION_KEY', `${NEW},${OLD}`);
    const first = await mo('keys', 'rotate');
    expect(first).toMatchObject({ code: 0 });
    expect(first.out).toContain('2 installation(s) re-encrypted under key k2');
    expect((await mo('keys', 'rotate')).out).toContain('0 installation(s)');
    // The old key can go: the tokens open with the new one alone.
    const tokens = await withMoKeyed(NEW, async (m) => {
      const rows = await m.db.installation.findMany({ orderBy: { installKey: 'asc' } });
      return rows.map((r) => [r.keyId, m.installations.openTokens(r)]);
    });
    expect(tokens).toEqual([
      ['k2', { botToken: 'xoxb-T0DEMO-secret', refreshToken: 'xoxe-1-T0DEMO' }],
      ['k2', { botToken: 'xoxb-T0KEEP-secret', refreshToken: 'xoxe-1-T0KEEP' }],
    ]);
  });

  it('says what is missing without a key', async () => {
    vi.stubEnv('MO_ENCRYPTION_KEY', '');
    const r = await mo('keys', 'rotate');
    expect(r.code).toBe(2);
    expect(r.err).toContain('MO_ENCRYPTION_KEY is not set');
  });
});

describe('mo workspace', () => {
  it('lists installations with their team ids and never a token', async () => {
    const r = await mo('workspace', 'list');
    expect(r.out).toMatch(/T0DEMO\t-\tworkspace\t-\tactive\toauth\tk2/);
    expect(r.out.split('\n')[0]).toBe('team\tenterprise\tkind\tname\tstatus\tsource\tkey');
    expect(r.out).not.toContain('xoxb');
  });

  it('deletes every row of one workspace and prints the counts per table', async () => {
    expect((await mo('demo')).code).toBe(0);
    const r = await mo('workspace', 'delete', '--team', 'T0DEMO');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Deleted workspace T0DEMO: \d+ rows\./);
    expect(r.out).toMatch(/Spend\s+\d+/);
    expect(r.out).toMatch(/BudgetLine\s+36/);
    expect(r.out).toMatch(/Installation\s+1/);
    const left = await withMoKeyed(NEW, async (m) => ({
      spend: await m.db.spend.count({ where: { teamId: 'T0DEMO' } }),
      installs: (await m.db.installation.findMany()).map((i) => i.teamId),
    }));
    expect(left).toEqual({ spend: 0, installs: ['T0KEEP'] });
    expect((await mo('workspace', 'delete')).code).toBe(2);
  });

  it("exports a workspace's own rows only", async () => {
    expect((await mo('demo')).code).toBe(0);
    // Another workspace Mo serves, without data (exports refuse a team Mo has no workspace for).
    expect((await mo('settings', '--team', 'T0OTHER', '--timezone', 'UTC')).code).toBe(0);
    const figures = (out: string) =>
      out
        .trim()
        .split('\n')
        .slice(1)
        .flatMap((line) =>
          line.split(',').filter((cell) => /^-?\d+(\.\d+)?$/.test(cell) && !/^\d{4}$/.test(cell)),
        )
        .map(Number);
    for (const verb of [
      ['export', 'budget'],
      ['export', 'kpis'],
    ]) {
      const demo = await mo(...verb, '--team', 'T0DEMO');
      const other = await mo(...verb, '--team', 'T0OTHER');
      expect([demo.code, other.code], verb.join(' ')).toEqual([0, 0]);
      // The demo's figures are there for the demo workspace, and none of them for another.
      expect(
        figures(demo.out).some((n) => n !== 0),
        verb.join(' '),
      ).toBe(true);
      expect(
        figures(other.out).every((n) => n === 0),
        verb.join(' '),
      ).toBe(true);
    }
  });
});
