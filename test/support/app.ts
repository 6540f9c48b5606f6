// The real Mo app on a random port, wired to a fake Slack and a test database.
import { createMoApp, type MoApp } from '../../src/app.js';
import { createLogger } from '../../src/log.js';
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

export async function startTestApp(
  signingSecret: string,
  slackOptions: FakeSlackOptions,
  now?: string,
): Promise<TestApp> {
  const t = await createTestDatabase(now);
  const slack = await FakeSlack.start(slackOptions);
  const moApp = await createMoApp({
    signingSecret,
    botToken: 'xoxb-test',
    apiUrl: slack.apiUrl,
    port: 0,
    database: t.database,
    mo: t.mo,
    logger: createLogger('error'),
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
