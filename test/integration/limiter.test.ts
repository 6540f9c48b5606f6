// The limiter on the wire, against the fake Slack: a burst of posts from one workspace waits
// its turn and a 429 holds back that workspace's method for Retry-After, while another
// workspace's posts (and the first workspace's other methods) go at once. Short windows
// stand in for Slack's: the assertions compare waits of hundreds of milliseconds.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { jobClient } from '../../src/slack/client.js';
import { forWorkspace, SlackLimiter } from '../../src/slack/limiter.js';
import { FakeSlack } from '../support/fake-slack.js';

const logger = createLogger('error');
let slack: FakeSlack;

beforeAll(async () => {
  slack = await FakeSlack.start({
    teamId: 'TA',
    channels: { C1: { name: 'marketing' }, C2: { name: 'campaigns' } },
  });
});
afterAll(() => slack.close());
beforeEach(() => slack.reset());

/** A base client with its own limiter: posts 1 a second per channel after a burst of 2. */
function clients(retries = 2) {
  const base = jobClient('xoxb-test', slack.apiUrl, logger, {
    retries,
    factor: 1,
    minTimeout: 5,
    maxTimeout: 5,
  });
  const limiter = new SlackLimiter({ rates: { post: { calls: 1, perMs: 1000, burst: 2 } } });
  return { a: forWorkspace(base, 'TA', limiter), b: forWorkspace(base, 'TB') };
}

const timed = async (p: () => Promise<unknown>) => {
  const start = performance.now();
  await p();
  return performance.now() - start;
};
const post = (channel: string, text: string) => ({ channel, text });

describe('Slack limiter per (workspace, method)', () => {
  it('makes a burst to one workspace wait while another workspace posts at once', async () => {
    const { a, b } = clients();
    const start = performance.now();
    const burst = Promise.all([1, 2, 3, 4].map((i) => a.chat.postMessage(post('C1', `a${i}`))));
    await b.chat.postMessage(post('C1', 'b1'));
    await burst;
    // Two at once, then one a second: the fourth goes about two seconds in.
    expect(performance.now() - start).toBeGreaterThan(1900);
    // b1 asked after all of a's: in a shared queue it would go last; it goes before a3.
    const order = slack.callsTo('chat.postMessage').map((c) => c.args.text);
    expect(order.indexOf('b1')).toBeLessThan(order.indexOf('a3'));
    expect(order.slice(-2)).toEqual(['a3', 'a4']);
  });

  it("waits out a 429's Retry-After in that workspace and method only", async () => {
    const { a, b } = clients();
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 2 });
    const start = performance.now();
    const limited = a.chat.postMessage(post('C1', 'first'));
    await new Promise((r) => setTimeout(r, 100)); // the 429 has come back
    const waited = Promise.all([limited, a.chat.postMessage(post('C1', 'second'))]);
    await b.chat.postMessage(post('C1', 'other workspace'));
    await a.conversations.history({ channel: 'C1' });
    await waited;
    expect(performance.now() - start).toBeGreaterThan(1900);
    // The other workspace's post and this workspace's other method went during the pause.
    const calls = slack.calls
      .filter((c) => c.method === 'chat.postMessage' || c.method === 'conversations.history')
      .map((c) => (c.method === 'chat.postMessage' ? c.args.text : c.method));
    expect(calls).toEqual(['first', 'other workspace', 'conversations.history', 'first', 'second']);
  });

  it('keeps the limiter in the non-retrying twin that posts go through', async () => {
    const { a } = clients();
    const twin = a.twin({ retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    await expect(twin.chat.postMessage(post('C1', 'once'))).rejects.toMatchObject({
      code: 'slack_webapi_rate_limited_error',
    });
    expect(await timed(() => a.chat.postMessage(post('C1', 'after')))).toBeGreaterThan(800);
  });
});
