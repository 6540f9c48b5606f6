// Process entry for serving Slack: config -> database (migrated) -> app -> start; stops
// gracefully on SIGTERM/SIGINT (requests in flight finish, then the database closes).
import { alertsJob, alertsOnChange } from '../jobs/alerts.js';
import { digestJob } from '../jobs/digest.js';
import { Scheduler } from '../jobs/scheduler.js';
import { surveysJob } from '../jobs/surveys.js';
import { createMoApp, type MoAppOptions } from './app.js';
import { chartPool, closeChartPool, configureChartPool } from './charts/pool.js';
import { type Clock, createClock } from './clock.js';
import { type Config, requireSlack, servingSecrets } from './config.js';
import { openDatabase } from './db/client.js';
import { applyMigrations } from './db/migrate.js';
import { parseKeyring } from './db/secrets.js';
import { createLogger, type Logger } from './log.js';
import { createMo, type Mo } from './services/mo.js';

/**
 * A bug in one request (a rejection nobody awaited, an exception in a callback) is logged
 * and Mo keeps serving everyone else; exiting would drop every request in flight.
 */
export function keepServing(logger: Logger): void {
  process.on('unhandledRejection', (reason) => logger.error('unhandled rejection; Mo keeps serving', reason));
  process.on('uncaughtException', (error) => logger.error('uncaught exception; Mo keeps serving', error));
}

const STOP_GRACE_MS = 8_000;

export interface RunningMo {
  mo: Mo;
  /** The HTTP port: /slack/events (HTTP mode), /healthz, /api/v1. */
  port: number;
  scheduler: Scheduler | undefined;
  stop(): Promise<void>;
}

/**
 * Mo as `mo serve` runs it: migrations, database, the Bolt app, the scheduler and the alert
 * evaluation after changes. The playground runs exactly this against its local Slack, on a
 * clock it can move (`clock`).
 */
export async function startMo(
  config: Config,
  slack: ReturnType<typeof requireSlack>,
  logger: Logger,
  clock: Clock = createClock(config.now),
  http: Pick<MoAppOptions, 'host' | 'routes'> & { onListening?: (port: number) => void } = {},
): Promise<RunningMo> {
  const applied = await applyMigrations(config.databaseUrl);
  if (applied.length) logger.info(`applied migrations: ${applied.join(', ')}`);
  // One thread kept warm: loading the renderer in a new thread takes seconds on a busy machine.
  await configureChartPool({ threads: config.chartThreads, minThreads: 1 });
  void chartPool()
    .warm()
    .catch((error) => logger.warn('chart renderer failed to start', error));
  const database = openDatabase(config.databaseUrl);
  // Without MO_ENCRYPTION_KEY no token can be stored: OAuth mode refuses to start (config.ts).
  const keyring = config.encryptionKey ? parseKeyring(config.encryptionKey) : undefined;
  const mo = createMo(database, clock, keyring);
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
    metrics: config.metrics,
    ...(http.host ? { host: http.host } : {}),
    ...(http.routes ? { routes: http.routes } : {}),
  });
  const port = await moApp.start();
  // Serving from here on: said before the scheduler's first run, which may take a while.
  http.onListening?.(port);
  // Jobs post with each workspace's own token, for installed workspaces only.
  const workspaces = moApp.tenancy;
  const scheduler = config.scheduler
    ? new Scheduler({
        mo,
        logger,
        concurrency: config.jobConcurrency,
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
  return {
    mo,
    port,
    scheduler,
    async stop() {
      await Promise.all([moApp.stop(STOP_GRACE_MS), scheduler?.stop(STOP_GRACE_MS)]);
      await onChange.stop();
      await closeChartPool();
      await database.close();
    },
  };
}

export async function serve(config: Config): Promise<void> {
  const slack = requireSlack(config);
  const logger = createLogger(config.logLevel, {
    pretty: config.logFormat ? config.logFormat === 'pretty' : undefined,
    secrets: servingSecrets(slack, config.encryptionKey),
  });
  keepServing(logger);
  const starting = startMo(config, slack, logger, createClock(config.now), {
    onListening: (port) =>
      logger.info(
        slack.appToken
          ? `Mo is connected over Socket Mode (health on http://localhost:${port}/healthz)`
          : `Mo is listening on http://localhost:${port}/slack/events (health on /healthz)`,
      ),
  });

  // Mo serves before the scheduler's first run is over: a stop asked for meanwhile waits
  // for the start to finish, then stops everything.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: stopping`);
    // Requests and job runs in flight get 8 s to finish (together); the scheduler then
    // releases the leases of runs still going, so another process takes them at once.
    // Past 10 s in all something is stuck: exit 1.
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await (await starting).stop();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  await starting;
}
