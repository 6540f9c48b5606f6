// What reaches Bolt from Slack: a signed body with the shape Slack always sends, and an
// answer for every request. Bolt reads fields like `body.ssl_check` and `body.user.id`
// without checking, so a signed `payload=null` used to end the process and a
// `block_actions` without `user` got a 500; an action, view or shortcut no listener
// matches waited out the 3 s timeout and got a 404, which Slack shows as an error.
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import type { Logger } from '../log.js';

const FORM = 'application/x-www-form-urlencoded';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v !== '';
/** Slack's response_url is always an https URL; anything else would fail in respond(). */
const isUrl = (v: unknown) => typeof v === 'string' && URL.canParse(v) && /^https?:/.test(v);

/** Bolt's own rule for which bodies it reads as a form (the rest it reads as JSON). */
export function isFormBody(contentType: string | undefined): boolean {
  return contentType === FORM;
}

/** Slack's connectivity probe: answered unsigned (src/app.ts), never handed to Bolt. */
export function isSslCheck(raw: string, contentType: string | undefined): boolean {
  return isFormBody(contentType) && new URLSearchParams(raw).get('ssl_check') === '1';
}

function interactiveProblem(payload: Json): string | undefined {
  if (!isText(payload.type)) return 'the payload has no type';
  if (!isObject(payload.user) || !isText(payload.user.id)) return `the ${payload.type} payload has no user`;
  // Org-wide installs send `team: null`; otherwise the workspace is an object with an id.
  if (
    payload.team !== undefined &&
    payload.team !== null &&
    !(isObject(payload.team) && isText(payload.team.id))
  )
    return `the ${payload.type} payload has a malformed team`;
  if (payload.user.team_id !== undefined && typeof payload.user.team_id !== 'string')
    return `the ${payload.type} payload has a malformed user`;
  if (payload.response_url !== undefined && !isUrl(payload.response_url))
    return `the ${payload.type} payload has a malformed response_url`;
  switch (payload.type) {
    case 'block_actions':
      if (
        !Array.isArray(payload.actions) ||
        !payload.actions.every((a) => isObject(a) && isText(a.action_id))
      )
        return 'the block_actions payload has no actions';
      return undefined;
    case 'block_suggestion':
      return isText(payload.action_id) ? undefined : 'the block_suggestion payload has no action_id';
    case 'view_submission':
    case 'view_closed':
      return isObject(payload.view) && typeof payload.view.callback_id === 'string'
        ? undefined
        : `the ${payload.type} payload has no view`;
    case 'shortcut':
    case 'message_action':
      return isText(payload.callback_id) ? undefined : `the ${payload.type} payload has no callback_id`;
    default:
      return undefined;
  }
}

function eventsProblem(body: Json): string | undefined {
  if (!isText(body.type)) return 'the body has no type';
  if (body.type === 'url_verification' && typeof body.challenge !== 'string')
    return 'the url_verification body has no challenge';
  if (body.type === 'event_callback' && !(isObject(body.event) && isText(body.event.type)))
    return 'the event_callback body has no event';
  return undefined;
}

/**
 * Why a (signed) body is not one Slack sends, or undefined when it is. Read exactly as
 * Bolt will read it: a form with a `payload` JSON field (interactions) or the command's
 * fields, otherwise JSON (Events API).
 */
export function slackBodyProblem(raw: string, contentType: string | undefined): string | undefined {
  if (isFormBody(contentType)) {
    const form = new URLSearchParams(raw);
    const payloads = form.getAll('payload');
    if (payloads.length > 1) return 'the form has more than one payload';
    if (payloads.length === 1) {
      let payload: unknown;
      try {
        payload = JSON.parse(payloads[0] as string);
      } catch {
        return 'the payload is not JSON';
      }
      return isObject(payload) ? interactiveProblem(payload) : 'the payload is not an object';
    }
    const command = form.get('command');
    if (!command?.startsWith('/')) return 'the form is neither a command nor a payload';
    for (const field of ['user_id', 'text'] as const)
      if (form.getAll(field).length !== 1) return `the command has no single ${field}`;
    if (!form.get('team_id') && !form.get('enterprise_id')) return 'the command has no team_id';
    if (form.has('response_url') && !isUrl(form.get('response_url')))
      return 'the command has a malformed response_url';
    return undefined;
  }
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return 'the body is not JSON';
  }
  return isObject(body) ? eventsProblem(body) : 'the body is not an object';
}

function describe(body: Json): string {
  const action =
    Array.isArray(body.actions) && isObject(body.actions[0]) ? body.actions[0].action_id : undefined;
  const view = isObject(body.view) ? body.view.callback_id : undefined;
  const id = action ?? view ?? body.callback_id ?? body.action_id ?? body.command;
  return `${String(body.type ?? 'request')}${id === undefined ? '' : ` ${String(id)}`}`;
}

/**
 * Every request gets an answer: one that no listener acknowledged (an action_id, view or
 * shortcut Mo does not define, `view_closed`, a submission without `state`) is acked as
 * soon as Bolt has run its listeners, instead of hanging until Bolt's 3 s timeout.
 * Wraps the app the receiver hands events to, so it holds for HTTP and Socket Mode alike.
 */
export function answerEveryRequest<R extends Receiver>(receiver: R, logger: Logger): R {
  const init = receiver.init.bind(receiver);
  receiver.init = (app: App) => {
    const answering = Object.create(app, {
      processEvent: {
        value: async (event: ReceiverEvent) => {
          let acked = false;
          const ack: ReceiverEvent['ack'] = async (response) => {
            acked = true;
            return event.ack(response);
          };
          const body = event.body as Json;
          const view = isObject(body.view) ? body.view : undefined;
          if (body.type === 'view_submission' && !isObject(view?.state)) {
            logger.debug(`acked ${describe(body)} without state: nothing to read`);
            return ack();
          }
          try {
            await app.processEvent({ ...event, ack });
          } finally {
            if (!acked) {
              logger.debug(`acked ${describe(body)}: no listener answered it`);
              await event.ack().catch(() => undefined);
            }
          }
        },
      },
    }) as App;
    init(answering);
  };
  return receiver;
}
