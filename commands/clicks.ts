// A button's or menu's listener: ack at once, then the work; whatever fails is answered to the
// clicker ephemerally (a stale or damaged value, a period that no longer reads, a refusal, or
// a bug with its reference), the message they clicked left as it was.
import type { BlockAction, ButtonAction, RespondFn, StaticSelectAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../src/log.js';
import { actionErrorReply } from '../src/slack/errors.js';

export interface ClickArgs<A> {
  body: BlockAction<A extends ButtonAction | StaticSelectAction ? A : never>;
  action: A;
  client: WebClient;
  respond: RespondFn;
}

export const answerClick =
  (log: Logger) =>
  <A extends ButtonAction | StaticSelectAction>(
    what: string,
    work: (args: ClickArgs<A>) => Promise<unknown>,
  ) =>
  async (args: ClickArgs<A> & { ack: () => Promise<void> }) => {
    await args.ack();
    try {
      await work(args);
    } catch (e) {
      const reply = actionErrorReply(e, log, what);
      await args.respond({ response_type: 'ephemeral', replace_original: false, ...reply });
    }
  };
