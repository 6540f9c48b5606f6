// The real Mo app on a random port, wired to a fake Slack and a test database.
import { createMoApp, type MoApp } from '../../src/app.js';
import { createLogger, type Logger } from '../../src/log.js';
import type { Mo } from '../../src/services/mo.js';
import { createTenancy, type Tenancy } from '../../src/slack/tenancy.js';
import { createTestDatabase, type TestDatabase } from './db.js';
import { FakeSlack, type FakeSlackOptions } from './fake-slack.js';

export interface TestApp {
  t: TestDatabase;
  slack: FakeSlack;
  moApp: MoApp;
  /** http://127.0.0.1:PORT */
  base: string;
  close(): Promise<void>;
}

/** OAuth distribution's credentials for tests (the fake's oauth.v2.access checks them). */
export const TEST_OAUTH = {
  clientId: '1111.2222',
  clientSecret: 'test-client-secret',
  stateSecret: 'test-state-secret-0123456789',
};

/** Single-workspace mode (bot token xoxb-test) unless `mode` is 'oauth'. */
export async function startTestApp(
  signingSecret: string,
  slackOptions: FakeSlackOptions,
  now?: string,
  mode: 'single' | 'oauth' = 'single',
  logger: Logger = createLogger('error'),
): Promise<TestApp> {
  const t = await createTestDatabase(now);
  const slack = await FakeSlack.start({ oauth: TEST_OAUTH, ...slackOptions });
  const moApp = await createMoApp({
    signingSecret,
    ...(mode === 'oauth' ? { oauth: TEST_OAUTH } : { botToken: 'xoxb-test' }),
    apiUrl: slack.apiUrl,
    port: 0,
    database: t.database,
    mo: t.mo,
    logger,
    clientOptions: { retryConfig: { retries: 0 } },
  });
  const base = `http://127.0.0.1:${await moApp.start()}`;
  return {
    t,
    slack,
    moApp,
    base,
    async close() {
      await moApp.stop();
      await slack.close();
      await t.close();
    },
  };
}

/**
 * Single-workspace mode without the app, for job tests: auth.test at `apiUrl` names the
 * workspace and its installation is recorded, as `mo serve` does at start.
 */
export async function singleWorkspace(mo: Mo, apiUrl: string): Promise<Tenancy> {
  const tenancy = createTenancy({
    installations: mo.installations,
    logger: createLogger('error'),
    apiUrl,
    botToken: 'xoxb-test',
    clientOptions: { retryConfig: { retries: 0 } },
  });
  await tenancy.init();
  return tenancy;
}
