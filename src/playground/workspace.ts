// The Slack side of the playground: a demo workspace's people and channels on the local Web
// API (FakeSlack), plus what Slack's client would show each person — ephemeral replies,
// their modal stack, their Home tab — and every violation Slack would have refused. What a
// person does on the page becomes the signed request Slack would send to Mo's /slack/events.
import { EventEmitter } from 'node:events';
import { type FakeChannel, FakeSlack, type FakeUser, type RecordedCall, validateView } from './fake-slack.js';
import {
  type ActionInput,
  appHomeOpenedBody,
  messageActionBody,
  type Person,
  type StateValues,
  signedHeaders,
  slashCommandBody,
  type Team,
  viewActionBody,
  viewSubmissionBody,
} from './slack-requests.js';

type Json = Record<string, unknown>;

export interface PlaygroundPerson extends Person {
  /** What the page says they are: an admin, a line owner, a member. */
  role: string;
  slack: FakeUser;
}

export interface PlaygroundChannel extends FakeChannel {
  id: string;
}

/** A message as the page shows it: a channel's, a DM's, or an ephemeral one for one person. */
export interface ShownMessage {
  id: string;
  channel: string;
  ts: string;
  user: string;
  text: string;
  blocks?: unknown;
  files?: { id: string; title: string; url: string }[];
  threadTs?: string;
  /** Only this person sees it ("Only visible to you"). */
  ephemeralFor?: string;
  /** Said by Slack itself (a failed command), not by Mo. */
  fromSlack?: boolean;
}

export interface OpenView {
  id: string;
  view: Json;
  /** Field errors Mo answered a submission with (block_id → message). */
  errors?: Record<string, string>;
}

export interface Violation {
  at: number;
  method: string;
  error: string;
  messages: string[];
}

/** Where a response_url leads back to: who asked, in which conversation, about which message. */
interface ResponseContext {
  user: string;
  channel: string;
  messageId?: string;
}

const VIOLATIONS = new Set([
  'invalid_blocks',
  'msg_too_long',
  'msg_blocks_too_long',
  'no_text',
  'invalid_arguments',
  'invalid_trigger_id',
  'invalid_json',
]);

export const dmOf = (userId: string) => `D${userId.slice(1)}`;

export class PlaygroundWorkspace {
  readonly changes = new EventEmitter<{ change: [] }>();
  readonly violations: Violation[] = [];
  private ephemerals: ShownMessage[] = [];
  private stacks = new Map<string, OpenView[]>();
  private homes = new Map<string, OpenView>();
  private triggers = new Map<string, string>();
  private contexts = new Map<string, ResponseContext>();
  private n = 0;
  private eventsUrl = '';
  private secret = '';

  private constructor(
    readonly slack: FakeSlack,
    readonly team: Team,
    readonly people: PlaygroundPerson[],
    readonly channels: PlaygroundChannel[],
  ) {
    slack.onCall = (call) => this.follow(call);
  }

  static async start(team: Team, people: PlaygroundPerson[], channels: PlaygroundChannel[]) {
    const slack = await FakeSlack.start({
      teamId: team.id,
      botUserId: 'U0MO',
      users: Object.fromEntries(people.map((p) => [p.id, { real_name: p.name, ...p.slack }])),
      channels: Object.fromEntries(channels.map(({ id, ...c }) => [id, c])),
    });
    return new PlaygroundWorkspace(slack, team, people, channels);
  }

  /** Mo's request URL and signing secret, once Mo is listening. */
  connect(eventsUrl: string, secret: string): void {
    this.eventsUrl = eventsUrl;
    this.secret = secret;
  }

  close(): Promise<void> {
    return this.slack.close();
  }

  person(id: string): PlaygroundPerson {
    const p = this.people.find((x) => x.id === id);
    if (!p) throw new PlaygroundError(`No one called ${id} in the playground`);
    return p;
  }

  private conversation(id: string): { id: string; name: string } {
    const c = this.channels.find((x) => x.id === id);
    if (c) return { id: c.id, name: c.name };
    const p = this.people.find((x) => dmOf(x.id) === id);
    if (p) return { id, name: 'directmessage' };
    throw new PlaygroundError(`No conversation ${id} in the playground`);
  }

  private changed(): void {
    this.changes.emit('change');
  }

  private trigger(user: string): string {
    const id = `${++this.n}.${Date.now()}.playground`;
    this.triggers.set(id, user);
    return id;
  }

  private responseUrl(context: ResponseContext): string {
    const id = `r${++this.n}`;
    this.contexts.set(id, context);
    return this.slack.responseUrl(id);
  }

  // -------------------------------------------------------------------------------------
  // What Mo sent the Web API, as the person's Slack client would show it.

  private follow(call: RecordedCall): void {
    const answer = call.answer ?? {};
    const args = call.args;
    if (answer.ok === false) {
      const error = String(answer.error ?? 'error');
      if (VIOLATIONS.has(error)) {
        const meta = answer.response_metadata as { messages?: string[] } | undefined;
        this.violations.push({ at: call.at, method: call.method, error, messages: meta?.messages ?? [] });
      }
      this.changed();
      return;
    }
    switch (call.method) {
      case 'chat.postEphemeral':
        this.ephemerals.push({
          id: `e${++this.n}`,
          channel: String(args.channel),
          ts: String(answer.message_ts),
          user: this.slack.botUserId,
          text: String(args.text ?? ''),
          blocks: args.blocks,
          ephemeralFor: String(args.user),
          ...(typeof args.thread_ts === 'string' ? { threadTs: args.thread_ts } : {}),
        });
        break;
      case 'response_url':
        this.respond(args);
        break;
      case 'views.open':
      case 'views.push': {
        const user = this.triggers.get(String(args.trigger_id));
        if (!user) break;
        const opened = { id: String((answer.view as Json).id), view: args.view as Json };
        const stack = call.method === 'views.open' ? [] : (this.stacks.get(user) ?? []);
        this.stacks.set(user, [...stack, opened]);
        break;
      }
      case 'views.update': {
        const id = String((answer.view as Json).id);
        for (const stack of this.stacks.values()) {
          const i = stack.findIndex((v) => v.id === id);
          if (i >= 0) stack[i] = { id, view: args.view as Json };
        }
        for (const [user, home] of this.homes)
          if (home.id === id) this.homes.set(user, { id, view: args.view as Json });
        break;
      }
      case 'views.publish': {
        const user = String(args.user_id);
        this.homes.set(user, {
          id: this.homes.get(user)?.id ?? String((answer.view as Json).id),
          view: args.view as Json,
        });
        break;
      }
    }
    this.changed();
  }

  /** A response_url post: a new ephemeral reply, a public one, or the original replaced or deleted. */
  private respond(args: Json): void {
    const context = this.contexts.get(String(args.__id));
    if (!context) return;
    const original = context.messageId ? this.findMessage(context.messageId) : undefined;
    const { __id: _id, response_type, replace_original, delete_original, ...message } = args;
    if (delete_original === true || delete_original === 'true') {
      if (original?.ephemeralFor) this.ephemerals = this.ephemerals.filter((m) => m.id !== original.id);
      else if (original) this.slack.messages = this.slack.messages.filter((m) => m.ts !== original.ts);
      return;
    }
    if ((replace_original === true || replace_original === 'true') && original) {
      if (original.ephemeralFor) {
        const e = this.ephemerals.find((m) => m.id === original.id);
        if (e) Object.assign(e, { text: String(message.text ?? ''), blocks: message.blocks });
      } else {
        const m = this.slack.messages.find((x) => x.channel === original.channel && x.ts === original.ts);
        if (m) Object.assign(m, { text: message.text, blocks: message.blocks });
      }
      return;
    }
    if (response_type === 'in_channel') {
      this.slack.addMessage({ channel: context.channel, text: message.text, blocks: message.blocks });
      return;
    }
    this.ephemerals.push({
      id: `e${++this.n}`,
      channel: context.channel,
      ts: this.clientTs(),
      user: this.slack.botUserId,
      text: String(message.text ?? ''),
      blocks: message.blocks,
      ephemeralFor: context.user,
    });
  }

  private clientTs(): string {
    return `${(Date.now() / 1000).toFixed(6)}`;
  }

  private findMessage(id: string): ShownMessage | undefined {
    return this.messagesFor(undefined).find((m) => m.id === id);
  }

  /** Every message the person sees, oldest first (everyone's when `user` is undefined). */
  messagesFor(user: string | undefined): ShownMessage[] {
    const shared: ShownMessage[] = this.slack.messages.map((m) => ({
      id: `m:${m.channel}:${m.ts}`,
      channel: m.channel,
      ts: m.ts,
      user: m.user,
      text: typeof m.text === 'string' ? m.text : '',
      blocks: m.blocks,
      ...(m.thread_ts && m.thread_ts !== m.ts ? { threadTs: m.thread_ts } : {}),
      ...(m.files
        ? {
            files: m.files.map((f) => ({
              id: f.id,
              title: f.title ?? f.id,
              url: `/playground/files/${encodeURIComponent(f.id)}`,
            })),
          }
        : {}),
    }));
    const own = this.ephemerals.filter((e) => user === undefined || e.ephemeralFor === user);
    const visible = shared.filter(
      (m) => user === undefined || !m.channel.startsWith('D') || m.channel === dmOf(user),
    );
    return [...visible, ...own].sort((a, b) => Number(a.ts) - Number(b.ts));
  }

  viewsOf(user: string): OpenView[] {
    return this.stacks.get(user) ?? [];
  }

  homeOf(user: string): OpenView | undefined {
    return this.homes.get(user);
  }

  /** A chart or file Mo uploaded: its bytes, to show inline. */
  file(id: string): { bytes: Buffer; name: string } | undefined {
    const u = this.slack.uploads.find((x) => x.fileId === id && x.completed);
    return u ? { bytes: u.bytes, name: u.filename } : undefined;
  }

  // -------------------------------------------------------------------------------------
  // What a person does, sent to Mo as Slack sends it.

  private async send(body: string, contentType: 'application/json' | 'application/x-www-form-urlencoded') {
    if (!this.eventsUrl) throw new Error('the playground is not connected to Mo yet');
    const res = await fetch(this.eventsUrl, {
      method: 'POST',
      body,
      headers: signedHeaders(this.secret, body, contentType),
    });
    const text = await res.text();
    return { status: res.status, text };
  }

  /** What Slack shows the person when Mo did not answer a request in time or at all. */
  private slackSays(user: string, channel: string, text: string): void {
    this.ephemerals.push({
      id: `e${++this.n}`,
      channel,
      ts: this.clientTs(),
      user: 'USLACKBOT',
      text,
      ephemeralFor: user,
      fromSlack: true,
    });
    this.changed();
  }

  async command(userId: string, channelId: string, text: string): Promise<void> {
    const person = this.person(userId);
    const channel = this.conversation(channelId);
    const body = slashCommandBody(
      this.team,
      person,
      channel,
      text,
      this.responseUrl({ user: userId, channel: channelId }),
      this.trigger(userId),
    );
    const res = await this.send(body, 'application/x-www-form-urlencoded');
    if (res.status !== 200)
      this.slackSays(userId, channelId, `/mo failed with the error "dispatch_failed" (HTTP ${res.status})`);
  }

  async messageAction(userId: string, messageId: string, action: ActionInput): Promise<void> {
    const person = this.person(userId);
    const message = this.messagesFor(userId).find((m) => m.id === messageId);
    if (!message) throw new PlaygroundError('That message is gone');
    const channel = this.conversation(message.channel);
    const body = messageActionBody(
      this.team,
      person,
      {
        channel,
        message: {
          type: 'message',
          ts: message.ts,
          text: message.text,
          blocks: message.blocks,
          user: message.user,
        },
        ephemeral: Boolean(message.ephemeralFor),
      },
      action,
      this.responseUrl({ user: userId, channel: message.channel, messageId }),
      this.trigger(userId),
    );
    const res = await this.send(body, 'application/x-www-form-urlencoded');
    if (res.status !== 200)
      this.slackSays(userId, message.channel, 'Mo did not respond to that button in time.');
  }

  private findView(userId: string, viewId: string): OpenView {
    const home = this.homes.get(userId);
    if (home?.id === viewId) return home;
    const v = this.viewsOf(userId).find((x) => x.id === viewId);
    if (!v) throw new PlaygroundError('That view is closed');
    return v;
  }

  async viewAction(userId: string, viewId: string, values: StateValues, action: ActionInput): Promise<void> {
    const open = this.findView(userId, viewId);
    const body = viewActionBody(
      this.team,
      this.person(userId),
      { ...open.view, id: open.id },
      values,
      action,
      this.trigger(userId),
    );
    const res = await this.send(body, 'application/x-www-form-urlencoded');
    if (res.status !== 200)
      this.slackSays(userId, dmOf(userId), 'Mo did not respond to that button in time.');
  }

  /** A modal submitted: Mo's answer closes it, shows field errors, or updates, pushes or clears. */
  async submit(userId: string, viewId: string, values: StateValues): Promise<void> {
    const stack = this.viewsOf(userId);
    const i = stack.findIndex((v) => v.id === viewId);
    const open = stack[i];
    if (!open) throw new PlaygroundError('That modal is closed');
    const body = viewSubmissionBody(
      this.team,
      this.person(userId),
      { ...open.view, id: open.id },
      values,
      this.trigger(userId),
    );
    const res = await this.send(body, 'application/x-www-form-urlencoded');
    if (res.status !== 200) {
      open.errors = { '': 'We had some trouble connecting. Try again?' };
      this.changed();
      return;
    }
    let answer: Json = {};
    try {
      answer = res.text ? (JSON.parse(res.text) as Json) : {};
    } catch {
      answer = {};
    }
    const next = answer.view as Json | undefined;
    if (next) {
      const problems = validateView(next);
      if (problems.length) {
        this.violations.push({
          at: Date.now(),
          method: `view_submission → ${String(answer.response_action)}`,
          error: 'invalid_blocks',
          messages: problems,
        });
        open.errors = { '': 'Slack would refuse the view Mo answered with (see the violations).' };
        this.changed();
        return;
      }
    }
    switch (answer.response_action) {
      case 'errors':
        open.errors = (answer.errors as Record<string, string>) ?? {};
        break;
      case 'update':
        stack[i] = { id: open.id, view: next as Json };
        break;
      case 'push':
        stack.push({ id: `V${Date.now()}${++this.n}`, view: next as Json });
        break;
      case 'clear':
        this.stacks.set(userId, []);
        break;
      default:
        this.stacks.set(userId, stack.slice(0, i));
    }
    this.changed();
  }

  closeView(userId: string, viewId: string): void {
    const stack = this.viewsOf(userId);
    const i = stack.findIndex((v) => v.id === viewId);
    if (i >= 0) this.stacks.set(userId, stack.slice(0, i));
    this.changed();
  }

  async openHome(userId: string): Promise<void> {
    const body = appHomeOpenedBody(this.team, this.person(userId), `EvPG${++this.n}`, dmOf(userId));
    const res = await this.send(body, 'application/json');
    if (res.status !== 200) this.slackSays(userId, dmOf(userId), 'Mo did not answer the Home tab.');
  }
}

/** Something the page asked for that does not exist (a closed modal, an unknown person). */
export class PlaygroundError extends Error {}
