import { Readable } from 'node:stream';
import { it } from 'vitest';
import { importBudgets, importSpend } from '../../src/ingest/import.js';
import { createTestDatabase } from '../support/db.js';

it('probe', async () => {
  const t = await createTestDatabase();
  const ctx = (csv: string) => ({
    db: t.mo.db, databaseUrl: t.mo.databaseUrl, teamId: 'T1', currency: 'USD', fiscalStartMonth: 2,
    source: 'csv', actor: 'U1', open: () => Readable.from([csv]),
  });
  for (const csv of ['date,amount,campaign\n2026-10-01,1.00,x\n', '', 'date,amount,category\n', 'date,amount,category\n2026-10-01,1,Paid Media/Search\n', 'date,amount,category\n2026-10-01,1,paid media/Display\n2026-10-01,1,PAID MEDIA\n']) {
    try { console.log(JSON.stringify(await importSpend(ctx(csv)), (_k, v) => typeof v === 'bigint' ? v.toString() : v)); } catch (e) { console.log('ERR', (e as Error).message); }
  }
  for (const csv of ['period,category\nFY2027,X\n', 'period,category,amount\nthis-quarter,X,1\nFY2027,X,-1\n']) {
    try { console.log(JSON.stringify(await importBudgets(ctx(csv)))); } catch (e) { console.log('ERR', (e as Error).message); }
  }
  console.log(await t.mo.db.spend.findMany({select:{category:true}}));
  await t.close();
});
