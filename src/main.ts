// Process entry for serving Slack: config -> database (migrated) -> app -> start; stops
// gracefully on SIGTERM/SIGINT (requests in flight finish, then the database closes).
import { alertsJob, alertsOnChange } from '../jobs/alerts.js';
import { digestJob } from '../jobs/digest.js';
import { Scheduler } from '../jobs/scheduler.js';
import { surveysJob } from '../jobs/surveys.js';
import { createMoApp } from './app.js';
import { createClock } from './clock.js';
import { type Config, requireSlack } from './config.js';
import { openDatabase } from './db/client.js';
import { applyMigrations } from './db/migrate.js';
import { parseKeyring } from './db/secrets.js';
import { createLogger, type Logger } from './log.js';
import { createMo } from './services/mo.js';

/**
 * A bug in one request (a rejection nobody awaited, an exception in a callback) is logged
 * and Mo keeps serving everyone else; exiting would drop every request in flight.
 */
export function keepServing(logger: Logger): void {
  process.on('unhandledRejection', (reason) => logger.error('unhandled rejection; Mo keeps serving', reason));
  process.on('uncaughtException', (error) => logger.error('uncaught exception; Mo keeps serving', error));
}

export async function serve(config: Config): Promise<void> {
  const slack = requireSlack(config);
  const logger = createLogger(config.logLevel);
  keepServing(logger);
  const applied = await applyMigrations(config.databaseUrl);
  if (applied.length) logger.info(`applied migrations: ${applied.join(', ')}`);
  const database = openDatabase(config.databaseUrl);
  // Without MO_ENCRYPTION_KEY no token can be stored: OAuth mode refuses to start (config.ts).
  const keyring = config.encryptionKey ? parseKeyring(config.encryptionKey) : undefined;
  const mo = createMo(database, createClock(config.now), keyring);
  const { mode } = slack;
  const moApp = await createMoApp({
    signingSecret: slack.signingSecret,
    botToken: mode.kind === 'single' ? mode.botToken : undefined,
    oauth: mode.kind === 'oauth' ? mode : undefined,
    appToken: slack.appToken,
    apiUrl: slack.apiUrl,
    port: config.port,
    database,
    mo,
    logger,
  });
  const port = await moApp.start();
  // Jobs post with each workspace's own token, for installed workspaces only.
  const workspaces = moApp.tenancy;
  const scheduler = config.scheduler
    ? new Scheduler({
        mo,
        logger,
        jobs: [
          digestJob({ mo, slack: workspaces, logger }),
          alertsJob({ mo, slack: workspaces, logger }),
          surveysJob({ mo, slack: workspaces, logger, secret: slack.signingSecret }),
        ],
      })
    : undefined;
  const onChange = alertsOnChange({ mo, slack: workspaces, logger });
  await scheduler?.start();
  if (scheduler) logger.info(`scheduler on (${scheduler.owner})`);
  logger.info(
    slack.appToken
      ? `Mo is connected over Socket Mode (health on http://localhost:${port}/healthz)`
      : `Mo is listening on http://localhost:${port}/slack/events (health on /healthz)`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: stopping`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await moApp.stop();
    await scheduler?.stop();
    await onChange.stop();
    await database.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
