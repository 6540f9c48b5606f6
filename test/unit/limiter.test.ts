// The Slack limiter on a controllable clock: a burst to one workspace waits its turn, while
// another workspace (or another channel, or another method) is not delayed; a 429 holds
// back only its own (workspace, method).
import { describe, expect, it } from 'vitest';
import { SlackLimiter } from '../../src/slack/limiter.js';

function clocked() {
  let now = 0;
  const limiter = new SlackLimiter({
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
  });
  /** How long this call was held back, on the limiter's clock. */
  const waited = async (team: string, method: string, channel?: string) => {
    const before = now;
    await limiter.acquire(team, method, channel);
    return now - before;
  };
  return {
    limiter,
    waited,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('SlackLimiter', () => {
  it('lets a short burst of posts into one channel through, then one a second', async () => {
    const { waited } = clocked();
    const burst = [];
    for (let i = 0; i < 5; i++) burst.push(await waited('TA', 'chat.postMessage', 'C1'));
    expect(burst).toEqual([0, 0, 0, 1000, 1000]);
  });

  it('does not delay another workspace, or another channel, while one waits', async () => {
    const { waited } = clocked();
    for (let i = 0; i < 3; i++) await waited('TA', 'chat.postMessage', 'C1');
    expect(await waited('TA', 'chat.postMessage', 'C1')).toBe(1000);
    expect(await waited('TB', 'chat.postMessage', 'C1')).toBe(0);
    expect(await waited('TA', 'chat.postMessage', 'C2')).toBe(0);
  });

  it('paces Tier 2 methods at 20 a minute per workspace after a burst of 5', async () => {
    const { waited } = clocked();
    const waits = [];
    for (let i = 0; i < 7; i++) waits.push(await waited('TA', 'conversations.list'));
    expect(waits).toEqual([0, 0, 0, 0, 0, 3000, 3000]);
    expect(await waited('TB', 'conversations.list')).toBe(0);
  });

  it('paces Tier 3 at 50 and Tier 4 at 100 a minute', async () => {
    const { waited } = clocked();
    for (let i = 0; i < 10; i++) expect(await waited('TA', 'conversations.history')).toBe(0);
    expect(await waited('TA', 'conversations.history')).toBe(1200);
    for (let i = 0; i < 20; i++) expect(await waited('TA', 'files.getUploadURLExternal')).toBe(0);
    expect(await waited('TA', 'files.getUploadURLExternal')).toBe(600);
  });

  it('refills while idle, up to the burst', async () => {
    const { waited, advance } = clocked();
    for (let i = 0; i < 3; i++) await waited('TA', 'chat.postMessage', 'C1');
    advance(60_000);
    const after = [];
    for (let i = 0; i < 4; i++) after.push(await waited('TA', 'chat.postMessage', 'C1'));
    expect(after).toEqual([0, 0, 0, 1000]);
  });

  it("honours a 429's Retry-After for that workspace and method only", async () => {
    const { limiter, waited } = clocked();
    await waited('TA', 'conversations.history');
    limiter.pause('TA', 'conversations.history', 30_000);
    expect(await waited('TA', 'conversations.history')).toBe(30_000);
    // After the pause, at the method's pace rather than all at once.
    expect(await waited('TA', 'conversations.history')).toBe(1200);
    expect(await waited('TB', 'conversations.history')).toBe(0);
    expect(await waited('TA', 'conversations.replies')).toBe(0);
  });
});
