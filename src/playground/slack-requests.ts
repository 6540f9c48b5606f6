// What Slack sends an app, built the way Slack builds it: a slash command (form fields), a
// block_actions or view_submission payload (a form field `payload` holding JSON), an
// app_home_opened event (JSON) — each signed with the signing secret (v0 HMAC-SHA256).
import { createHmac } from 'node:crypto';

export function slackSignature(secret: string, body: string, timestamp: number): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export function signedHeaders(
  secret: string,
  body: string,
  contentType: 'application/x-www-form-urlencoded' | 'application/json',
  timestamp = Math.floor(Date.now() / 1000),
): Record<string, string> {
  return {
    'content-type': contentType,
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': slackSignature(secret, body, timestamp),
  };
}

export interface Team {
  id: string;
  domain: string;
  appId: string;
}

export interface Person {
  id: string;
  name: string;
}

export function slashCommandBody(
  team: Team,
  user: Person,
  channel: { id: string; name: string },
  text: string,
  responseUrl: string,
  triggerId: string,
): string {
  return new URLSearchParams({
    token: 'playground',
    team_id: team.id,
    team_domain: team.domain,
    channel_id: channel.id,
    channel_name: channel.name,
    user_id: user.id,
    user_name: user.name,
    command: '/mo',
    text,
    api_app_id: team.appId,
    is_enterprise_install: 'false',
    response_url: responseUrl,
    trigger_id: triggerId,
  }).toString();
}

/** An element's answer as Slack puts it in `actions` (a click, a choice). */
export interface ActionInput {
  type: string;
  action_id: string;
  block_id: string;
  value?: string;
  text?: unknown;
  style?: string;
  selected_option?: unknown;
  selected_options?: unknown[];
  selected_user?: string;
  selected_users?: string[];
  selected_channel?: string;
  selected_conversation?: string;
  selected_date?: string;
}

export type StateValues = Record<string, Record<string, Record<string, unknown>>>;

const user = (team: Team, p: Person) => ({ id: p.id, username: p.name, name: p.name, team_id: team.id });

export function messageActionBody(
  team: Team,
  person: Person,
  where: { channel: { id: string; name: string }; message: Record<string, unknown>; ephemeral: boolean },
  action: ActionInput,
  responseUrl: string,
  triggerId: string,
): string {
  const payload = {
    type: 'block_actions',
    token: 'playground',
    api_app_id: team.appId,
    team: { id: team.id, domain: team.domain },
    user: user(team, person),
    container: {
      type: 'message',
      message_ts: where.message.ts,
      channel_id: where.channel.id,
      is_ephemeral: where.ephemeral,
    },
    trigger_id: triggerId,
    channel: where.channel,
    ...(where.ephemeral ? {} : { message: where.message }),
    state: { values: {} },
    response_url: responseUrl,
    actions: [{ ...action, action_ts: (Date.now() / 1000).toFixed(6) }],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export function viewActionBody(
  team: Team,
  person: Person,
  view: Record<string, unknown> & { id: string },
  values: StateValues,
  action: ActionInput,
  triggerId: string,
): string {
  const payload = {
    type: 'block_actions',
    token: 'playground',
    api_app_id: team.appId,
    team: { id: team.id, domain: team.domain },
    user: user(team, person),
    container: { type: 'view', view_id: view.id },
    trigger_id: triggerId,
    view: { ...view, team_id: team.id, app_id: team.appId, state: { values } },
    actions: [{ ...action, action_ts: (Date.now() / 1000).toFixed(6) }],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export function viewSubmissionBody(
  team: Team,
  person: Person,
  view: Record<string, unknown> & { id: string },
  values: StateValues,
  triggerId: string,
): string {
  const payload = {
    type: 'view_submission',
    token: 'playground',
    api_app_id: team.appId,
    team: { id: team.id, domain: team.domain },
    user: user(team, person),
    trigger_id: triggerId,
    view: {
      ...view,
      team_id: team.id,
      app_id: team.appId,
      state: { values },
      hash: `${Date.now()}.${view.id}`,
    },
    response_urls: [],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export function appHomeOpenedBody(team: Team, person: Person, eventId: string, dmChannel: string): string {
  const now = Date.now() / 1000;
  return JSON.stringify({
    token: 'playground',
    team_id: team.id,
    api_app_id: team.appId,
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(now),
    event: {
      type: 'app_home_opened',
      user: person.id,
      channel: dmChannel,
      tab: 'home',
      event_ts: now.toFixed(6),
    },
  });
}
