// `mo serve` as a process, the way it runs in production: migrations, the Bolt app, the
// scheduler (the Monday digest due at start is caught up and posted once, charts in its
// thread), /healthz, and a clean stop on SIGTERM.
import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/demo.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { FakeSlack } from '../support/fake-slack.js';

// Monday Nov 23, 2026, 09:30 in New York (the demo's timezone): the 09:00 digest is due.
const NOW = '2026-11-23T14:30:00Z';
let t: TestDatabase;
let slack: FakeSlack;
let child: ChildProcess;
let output = '';

// Generous: a spawned `mo serve` starts slowly on a loaded two-core machine.
async function until<T>(probe: () => T | undefined | false, what: string, ms = 90_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  // The demo workspace was set up the week before; Mo starts at 09:30 on Monday and catches
  // up the 09:00 digest (a slot before a workspace existed is skipped).
  t = await createTestDatabase('2026-11-16T12:00:00Z');
  await loadDemo(t.mo, 'T0DEMO');
  t.setNow(NOW);
  slack = await FakeSlack.start({
    teamId: 'T0DEMO',
    users: { U0DEMOADMIN: { is_admin: true } },
    channels: { C0MKTG: { name: 'marketing' } },
  });
  child = spawn(process.execPath, ['bin/mo.js', 'serve'], {
    env: {
      ...process.env,
      DATABASE_URL: t.mo.databaseUrl,
      MO_NOW: NOW,
      SLACK_API_URL: slack.apiUrl,
      SLACK_BOT_TOKEN: 'xoxb-serve-test',
      SLACK_SIGNING_SECRET: 'serve-test-secret',
      SLACK_APP_TOKEN: '',
      PORT: '0',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
}, 60_000);

afterAll(async () => {
  if (child.exitCode === null) child.kill('SIGKILL');
  await slack.close();
  await t.close();
});

describe('mo serve', () => {
  it('serves health, posts the due digest once with its charts, and stops cleanly', async () => {
    const port = await until(() => /listening on http:\/\/localhost:(\d+)/.exec(output)?.[1], 'the server');
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(await health.json()).toEqual({ ok: true, mode: 'http' });
    const unsigned = await fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST', body: 'x=1' });
    expect(unsigned.status).toBe(401);

    const digest = await until(
      () => slack.messagesIn('C0MKTG').find((m) => String(m.text).startsWith('Weekly marketing digest')),
      'the digest',
    );
    await until(() => slack.uploads.filter((u) => u.completed).length >= 4 && true, 'the charts');
    expect(slack.messagesIn('C0MKTG', digest.ts).filter((m) => m.files?.length)).toHaveLength(4);
    // Mo says it is listening before the scheduler's first run; the run's record follows it.
    await until(() => output.includes('scheduler: digest:T0DEMO'), 'the digest run recorded');
    expect(output).toContain('scheduler: digest:T0DEMO @ 2026-11-23T14:00:00.000Z succeeded');

    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    expect(
      slack.messagesIn('C0MKTG').filter((m) => String(m.text).startsWith('Weekly marketing digest')),
    ).toHaveLength(1);
  }, 240_000);
});
