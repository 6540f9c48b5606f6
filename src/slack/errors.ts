// The Slack surfaces' one translator for errors: a user error becomes the reply or the modal
// field error that says what to fix; anything else is a bug, logged with a correlation id and
// answered with a short apology that carries the same id.
import type { ModalView } from '@slack/types';
import { isUserError, type UserError } from '../domain/errors.js';
import { apology, type Logger, logBug } from '../log.js';
import type { Message } from './blocks/common.js';
import { textMessage } from './blocks/common.js';
import { errorModal } from './blocks/modals.js';
import { StaleButtonError } from './blocks/refs.js';
import { escapeMrkdwn } from './mrkdwn.js';

/** The ephemeral text for a user error; a usage error adds the usage line. */
export function userErrorText(error: UserError, usage?: string): string {
  if (error.kind === 'refused') return `:no_entry: ${escapeMrkdwn(error.message)}`;
  const line =
    error.kind !== 'usage'
      ? ''
      : usage
        ? `\nUsage: \`${usage}\``
        : '\nTry `/mo help` for the list of commands.';
  return `:warning: ${escapeMrkdwn(error.message)}${line}`;
}

/**
 * The reply to a failed button or menu click. A value Mo cannot read (an old message's, a
 * forged one) is input, not a bug: logged at warn and answered with what to do instead.
 */
export function actionErrorReply(
  error: unknown,
  logger: Pick<Logger, 'error' | 'warn'>,
  what: string,
): Message {
  if (error instanceof StaleButtonError) logger.warn(`${what}: ${error.message}`);
  return errorReply(error, logger, what);
}

/** The reply to any failure of a command or button: what to fix, or an apology for a bug. */
export function errorReply(error: unknown, logger: Pick<Logger, 'error'>, what: string): Message {
  if (isUserError(error)) return textMessage(userErrorText(error));
  return textMessage(`:warning: ${apology(logBug(logger, what, error))}`);
}

export type ModalAck =
  | { response_action: 'errors'; errors: Record<string, string> }
  | { response_action: 'update'; view: ModalView };

/**
 * A failed submission's ack: a user error goes beside its field (the block whose id is the
 * error's field, else `fallbackBlock`); a bug turns the modal into a short error view.
 */
export function modalErrorAck(
  error: unknown,
  logger: Pick<Logger, 'error'>,
  what: string,
  blocks: readonly string[],
  fallbackBlock: string,
): ModalAck {
  if (isUserError(error)) {
    const block = error.field && blocks.includes(error.field) ? error.field : fallbackBlock;
    return { response_action: 'errors', errors: { [block]: error.message } };
  }
  return {
    response_action: 'update',
    view: errorModal(`Nothing was saved. ${apology(logBug(logger, what, error))}`),
  };
}

/** Notes a user error against a modal block while validating field by field; a bug goes on up. */
export function noteFieldError(errors: Record<string, string>, block: string, error: unknown): void {
  if (!isUserError(error)) throw error;
  errors[block] = error.message;
}
