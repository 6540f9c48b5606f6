// `mo playground` (= `npm run local -- --web`): Mo exactly as `mo serve` runs it — the same
// app, database, scheduler — with a local Slack in place of slack.com: the demo workspace's
// people and channels on a local Web API, and a page on Mo's own port that plays Slack's
// client (channel, DM, Home tab, modals) and sends Mo signed requests as Slack does.
import { randomBytes } from 'node:crypto';
import { createClock } from '../clock.js';
import type { Config } from '../config.js';
import { DEMO_ADMIN, DEMO_TEAM, loadDemo } from '../demo.js';
import type { Logger } from '../log.js';
import { keepServing, type RunningMo, startMo } from '../main.js';
import { playgroundRoutes } from './server.js';
import { type PlaygroundChannel, type PlaygroundPerson, PlaygroundWorkspace } from './workspace.js';

export const PLAYGROUND_PEOPLE: PlaygroundPerson[] = [
  { id: DEMO_ADMIN, name: 'Dana (admin)', role: 'Mo admin', slack: { tz: 'America/New_York' } },
  {
    id: 'U0DEMOPAID',
    name: 'Priya (Paid Media owner)',
    role: 'line owner',
    slack: { tz: 'America/New_York' },
  },
  { id: 'U0DEMOMEMBER', name: 'Sam (member)', role: 'member', slack: { tz: 'America/New_York' } },
  { id: 'U0DEMOEVENTS', name: 'Eli (Events owner)', role: 'line owner', slack: { tz: 'America/Chicago' } },
  { id: 'U0DEMOCONTENT', name: 'Cleo (Content owner)', role: 'line owner', slack: { tz: 'Europe/London' } },
];

const everyone = PLAYGROUND_PEOPLE.map((p) => p.id);

export const PLAYGROUND_CHANNELS: PlaygroundChannel[] = [
  { id: 'C0MARKETING', name: 'marketing', members: everyone },
  { id: 'C0MKTOPS', name: 'marketing-ops', members: everyone },
];

export interface Playground {
  /** http://127.0.0.1:PORT/ — the page. */
  url: string;
  running: RunningMo;
  workspace: PlaygroundWorkspace;
  stop(): Promise<void>;
}

export async function startPlayground(config: Config, logger: Logger): Promise<Playground> {
  const workspace = await PlaygroundWorkspace.start(
    { id: DEMO_TEAM, domain: 'mo-playground', appId: 'A0MOPLAYGROUND' },
    PLAYGROUND_PEOPLE,
    PLAYGROUND_CHANNELS,
  );
  // Mo's clock, movable from the page: MO_NOW (or now), plus however far it was moved.
  const base = createClock(config.now);
  let shift = 0;
  const clock = () => new Date(base().getTime() + shift);
  let running: RunningMo | undefined;
  const page = playgroundRoutes(
    workspace,
    {
      now: clock,
      async moveTo(instant) {
        shift += instant.getTime() - clock().getTime();
        const results = (await running?.scheduler?.tick()) ?? [];
        workspace.changes.emit('change');
        return results
          .filter((r) => r.status !== 'skipped')
          .map((r) => `${r.key}: ${r.status}${'detail' in r && r.detail ? ` (${r.detail})` : ''}`);
      },
    },
    logger,
  );
  const secret = randomBytes(16).toString('hex');
  try {
    running = await startMo(
      { ...config, slack: { ...config.slack, appToken: undefined } },
      {
        signingSecret: secret,
        // Single-workspace mode: auth.test at the local Slack names the playground's team.
        mode: { kind: 'single', botToken: 'xoxb-playground' },
        appToken: undefined,
        apiUrl: workspace.slack.apiUrl,
      },
      logger,
      clock,
      { host: '127.0.0.1', routes: page.routes },
    );
  } catch (e) {
    await workspace.close();
    throw e;
  }
  const started = running;
  const url = `http://127.0.0.1:${started.port}/`;
  workspace.connect(`${url}slack/events`, secret);
  if (!(await started.mo.workspaces.get(DEMO_TEAM))) {
    logger.info('Loading the demo workspace…');
    await loadDemo(started.mo, DEMO_TEAM);
    // As after any import: the lines already over plan raise their alerts, and Mo delivers them.
    started.mo.figuresChanged(DEMO_TEAM);
  }
  return {
    url,
    running: started,
    workspace,
    async stop() {
      page.close();
      await started.stop();
      await workspace.close();
    },
  };
}

/** The CLI verb: starts the playground and keeps it up until Ctrl-C. */
export async function playground(config: Config, logger: Logger): Promise<never> {
  keepServing(logger);
  const pg = await startPlayground(config, logger);
  logger.info(`Mo playground: open ${pg.url} (Ctrl-C stops it)`);
  const stop = async () => {
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await pg.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  return new Promise<never>(() => {});
}
