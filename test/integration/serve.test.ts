// `mo serve` as a process, the way it runs in production: migrations, the Bolt app, the
// scheduler (the Monday digest due at start is caught up and posted once, charts in its
// thread), /healthz, and a clean stop on SIGTERM.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Serving, serveDemo } from '../support/serve.js';

let mo: Serving;

beforeAll(async () => {
  // The demo workspace was set up the week before; Mo starts at 09:30 on Monday and catches
  // up the 09:00 digest (a slot before a workspace existed is skipped).
  mo = await serveDemo({ botToken: 'xoxb-serve-test', signingSecret: 'serve-test-secret' });
}, 60_000);

afterAll(async () => {
  await mo.close();
});

describe('mo serve', () => {
  it('serves health, posts the due digest once with its charts, and stops cleanly', async () => {
    const { slack, child, until } = mo;
    const port = await mo.port();
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(await health.json()).toEqual({ ok: true, mode: 'http' });
    const unsigned = await fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST', body: 'x=1' });
    expect(unsigned.status).toBe(401);

    const digest = await until(
      () => slack.messagesIn('C0MKTG').find((m) => String(m.text).startsWith('Weekly marketing digest')),
      'the digest',
    );
    // Weekly spend, burn-up, funnel, pipeline by category, spend against pipeline.
    await until(() => slack.uploads.filter((u) => u.completed).length >= 5 && true, 'the charts');
    expect(slack.messagesIn('C0MKTG', digest.ts).filter((m) => m.files?.length)).toHaveLength(5);
    // Mo says it is listening before the scheduler's first run; the run's record follows it.
    await until(() => mo.output().includes('scheduler: digest:T0DEMO'), 'the digest run recorded');
    expect(mo.output()).toContain('scheduler: digest:T0DEMO @ 2026-11-23T14:00:00.000Z succeeded');

    child.kill('SIGTERM');
    expect(await mo.exited).toBe(0);
    expect(
      slack.messagesIn('C0MKTG').filter((m) => String(m.text).startsWith('Weekly marketing digest')),
    ).toHaveLength(1);
  }, 240_000);
});
