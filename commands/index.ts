// Registers /mo and every button and modal Mo answers on a Bolt app. Listeners are thin:
// they ack at once, then call the same handlers `mo run` and the tests use.
import type { App, BlockAction, ButtonAction, RespondFn, StaticSelectAction } from '@slack/bolt';
import type { Logger } from '@slack/logger';
import type { ModalView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { renderChart } from '../src/charts/render.js';
import { requirePeriod } from '../src/domain/calendar.js';
import { normalizeCategory } from '../src/domain/category.js';
import { isUserError } from '../src/domain/errors.js';
import { currencyChangeRefusal, parseAmount } from '../src/domain/money.js';
import { MONTH_NAMES } from '../src/domain/settings.js';
import { type AlertAction, actOnAlert } from '../src/services/alerts.js';
import { categoryByRef, previewFiscalStart } from '../src/services/budget.js';
import { budgetBurnUp } from '../src/services/charts.js';
import { approveMove, type BudgetMoveRow, rejectMove } from '../src/services/reallocation.js';
import { openSurveyModal, refreshInvitation, submitSurveyPage } from '../src/services/surveys.js';
import { todayIn } from '../src/services/team-scope.js';
import { decodeRef } from '../src/slack/blocks/budget.js';
import { type Message, textMessage } from '../src/slack/blocks/common.js';
import { settingsModal } from '../src/slack/blocks/modals.js';
import { moveRejectModal, moveRequestMessage, moveStatusMessage } from '../src/slack/blocks/reallocation.js';
import { thanksView } from '../src/slack/blocks/surveys.js';
import { errorReply, modalErrorAck, noteFieldError } from '../src/slack/errors.js';
import { type ChartFile, uploadToDm } from '../src/slack/files.js';
import { ACTION, ALERT, INPUT, SURVEY, VIEW } from '../src/slack/ids.js';
import { escapeMrkdwn } from '../src/slack/mrkdwn.js';
import { postOnce } from '../src/slack/post.js';
import {
  metadataOf,
  postJson,
  postToResponseUrl,
  responseUrlOf,
  withResponseUrl,
} from '../src/slack/respond.js';
import { stateChecked, stateUsers, stateValue, type ViewStateValues } from '../src/slack/view-state.js';
import { alertBudgetView } from './alerts.js';
import { budgetEditView, showBudget } from './budget.js';
import { answerClick } from './clicks.js';
import { importSharedFile } from './file-import.js';
import { type HomeRefresher, registerHome } from './home.js';
import { registerPerfActions } from './perf.js';
import { runCommand } from './router.js';
import { describeSettings, type SettingsPatch, settingsPatchSchema } from './settings.js';
import { recordSpendEntry } from './spend.js';
import { type BackgroundEnvs, type CommandEnv, requireAdmin, workspaceFor } from './types.js';
import { submitWorkspaceDelete } from './workspace.js';

export function registerCommands(
  app: App,
  /** The env of the request in progress: its workspace is the one the Slack gate verified. */
  env: CommandEnv,
  background: BackgroundEnvs,
  log: Logger,
  /** A workspace's own Slack client (its installation's token), for work outside a request. */
  clientFor: (teamId: string) => Promise<WebClient>,
): HomeRefresher {
  app.command('/mo', async ({ command, ack, respond: boltRespond, client }) => {
    await ack();
    const respond = command.response_url
      ? (m: object) => postJson(command.response_url, m)
      : (m: Parameters<typeof boltRespond>[0]) => boltRespond(m);
    const teamId = command.team_id || command.enterprise_id || '';
    try {
      const result = await runCommand(
        command.text,
        { teamId, userId: command.user_id, channelId: command.channel_id },
        env,
      );
      if (result.kind === 'message') {
        await respond({ response_type: 'ephemeral', ...result.message });
        const more = await result.followUp?.().catch((e) => {
          log.error(`/mo ${command.text.split(' ')[0]} follow-up failed`, e);
          return textMessage(':warning: Mo could not finish that; the reply above still stands.');
        });
        if (more) await respond({ response_type: 'ephemeral', replace_original: false, ...more });
      } else
        await client.views.open({
          trigger_id: command.trigger_id,
          view: withResponseUrl(result.view, command.response_url),
        });
    } catch (e) {
      const reply = errorReply(e, log, `/mo ${command.text.split(' ')[0]} failed`);
      await respond({ response_type: 'ephemeral', ...reply });
    }
  });

  app.event('file_shared', async ({ event, client, context, body }) => {
    const teamId = (body as { team_id?: string }).team_id ?? context.teamId ?? '';
    await importSharedFile(
      env,
      client,
      context.botToken ?? '',
      { teamId, fileId: event.file_id, userId: event.user_id, channelId: event.channel_id },
      log,
    );
  });

  const userOf = (body: BlockAction) => ({
    teamId: body.team?.id ?? body.user.team_id ?? '',
    userId: body.user.id,
    channelId: body.channel?.id ?? '',
  });

  const budgetClick = answerClick(log);
  /** The view a budget value names; a drill option's category key is looked up in the workspace. */
  const budgetView = async (value: string | undefined) => {
    const ref = decodeRef(value);
    const category = ref.categoryRef
      ? await categoryByRef(env.mo, ref.categoryRef, '/mo budget')
      : ref.category;
    return { period: ref.period, category };
  };

  app.action<BlockAction<ButtonAction>>(
    ACTION.budgetShare,
    budgetClick<ButtonAction>('budget share', async ({ body, action, respond }) => {
      const who = userOf(body);
      const msg = await showBudget(env, who, await budgetView(action.value), { sharedBy: who.userId });
      await respond({ response_type: 'in_channel', replace_original: false, ...msg });
    }),
  );

  const redraw = async (body: BlockAction, value: string | undefined, respond: RespondFn) => {
    const who = userOf(body);
    const msg = await showBudget(env, who, await budgetView(value));
    await respond({ response_type: 'ephemeral', replace_original: true, ...msg });
  };
  app.action<BlockAction<StaticSelectAction>>(
    ACTION.budgetDrill,
    budgetClick<StaticSelectAction>('budget drill-down', ({ body, action, respond }) =>
      redraw(body, action.selected_option?.value, respond),
    ),
  );
  app.action<BlockAction<ButtonAction>>(
    ACTION.budgetBack,
    budgetClick<ButtonAction>('budget back', ({ body, action, respond }) =>
      redraw(body, action.value, respond),
    ),
  );

  app.action<BlockAction<ButtonAction>>(
    ACTION.budgetChart,
    budgetClick<ButtonAction>('budget chart', async ({ body, action, respond, client }) => {
      const reply = (text: string) => respond({ response_type: 'ephemeral', replace_original: false, text });
      const who = userOf(body);
      const view = await budgetView(action.value);
      let chart: ChartFile;
      try {
        const settings = await workspaceFor(env, who);
        const spec = await budgetBurnUp(env.mo, settings, view);
        chart = { ...spec, png: (await renderChart(spec.spec)).png };
      } catch (e) {
        if (isUserError(e)) throw e;
        log.error('budget chart failed to render', e);
        return void (await reply(
          ':warning: The chart is missing: Mo could not draw it. The figures above stand.',
        ));
      }
      await uploadToDm(client, who.userId, [chart], `${chart.title}`);
      await reply(`:chart_with_upwards_trend: ${chart.title}: sent to you in a DM with Mo.`);
    }),
  );

  registerPerfActions(app, env, log);

  const alertButton = (action: AlertAction) =>
    app.action<BlockAction<ButtonAction>>(
      ALERT[action],
      async ({ ack, body, action: button, respond, client }) => {
        await ack();
        const who = userOf(body);
        const result = await actOnAlert(env.mo, who, button.value ?? '', action, (user) => env.isAdmin(user));
        // A click on the Home tab has no message to answer: the tab itself is republished.
        const fromHome = !body.response_url;
        if ('refused' in result) {
          if (fromHome) return void log.warn(`alert action refused on the Home tab: ${result.refused}`);
          return void (await respond({
            response_type: 'ephemeral',
            replace_original: false,
            text: `:no_entry: ${result.refused}`,
          }));
        }
        // The clicked message (channel or DM) is redrawn; the channel's copy too when the click came from a DM or Home.
        if (!fromHome) await respond({ replace_original: true, ...result.message });
        const { channelId, messageTs } = result.alert;
        if (channelId && messageTs && channelId !== body.channel?.id)
          await client.chat
            .update({ channel: channelId, ts: messageTs, ...result.message })
            .catch((e) => log.warn('could not update the alerts message', e));
      },
    );
  alertButton('ack');
  alertButton('snoozeDay');
  alertButton('snoozeWeek');
  app.action<BlockAction<ButtonAction>>(ALERT.openBudget, async ({ ack, body, action, respond }) => {
    await ack();
    const msg = await alertBudgetView(env, userOf(body), action.value ?? '');
    await respond({ response_type: 'ephemeral', replace_original: false, ...msg });
  });

  // "Take the survey": the modal must open within Slack's 3-second trigger window, so
  // nothing slow happens before views.open.
  app.action<BlockAction<ButtonAction>>(SURVEY.take, async ({ ack, body, action, client, respond }) => {
    await ack();
    const opened = await openSurveyModal(env.mo, action.value ?? '');
    if ('error' in opened)
      return void (await respond?.({
        response_type: 'ephemeral',
        replace_original: false,
        text: opened.error ?? '',
      }));
    await client.views.open({ trigger_id: body.trigger_id, view: opened.view });
  });

  app.view(SURVEY.modal, async ({ ack, body, view, client }) => {
    const who = { teamId: body.team?.id ?? body.user.team_id ?? '', userId: body.user.id };
    let result: Awaited<ReturnType<typeof submitSurveyPage>>;
    try {
      result = await submitSurveyPage(
        env.mo,
        env.slack?.secret,
        who,
        view.private_metadata,
        (view.state?.values ?? {}) as ViewStateValues,
      );
    } catch (e) {
      return void (await ack(modalErrorAck(e, log, 'a survey page failed', [], 'survey')));
    }
    if ('errors' in result) return void (await ack({ response_action: 'errors', errors: result.errors }));
    if ('next' in result) return void (await ack({ response_action: 'update', view: result.next }));
    await ack({ response_action: 'update', view: thanksView(result.done) });
    await refreshInvitation(env.mo, client, result.surveyId).catch((e) =>
      log.warn('could not update the survey invitation', e),
    );
  });

  app.action<BlockAction<ButtonAction>>(
    ACTION.budgetEdit,
    budgetClick<ButtonAction>('opening the budget editor', async ({ body, action, client }) => {
      const who = userOf(body);
      await requireAdmin(env, who, 'change the budget');
      const view = await budgetEditView(env, who, await budgetView(action.value), body.response_url);
      await client.views.open({ trigger_id: body.trigger_id, view });
    }),
  );

  // A budget move's DM or Home tab: Approve settles it when both sides have; Reject asks why
  // in a modal. A click on the Home tab has no message to answer: the tab is republished
  // (registerHome's middleware) and the approvers' DMs are redrawn.
  app.action<BlockAction<ButtonAction>>(
    ACTION.moveApprove,
    async ({ ack, body, action, respond, client }) => {
      await ack();
      const who = userOf(body);
      const fromHome = !body.response_url;
      const settings = await workspaceFor(env, who);
      try {
        const outcome = await approveMove(env.mo, settings, action.value ?? '', {
          actor: who.userId,
          isAdmin: await env.isAdmin(who.userId),
        });
        if (!fromHome)
          await respond({ replace_original: true, ...moveStatusMessage(outcome.move, settings.currency) });
        await redrawAsks(
          client,
          outcome.move,
          settings.adminUserIds,
          settings.currency,
          who.userId,
          fromHome,
        );
        if (outcome.applied && outcome.move.requestedBy !== who.userId) {
          await tellRequester(client, outcome.move, settings.currency);
        }
      } catch (e) {
        if (!isUserError(e)) throw e;
        if (fromHome) return void log.warn(`budget move approval refused on the Home tab: ${e.message}`);
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          text: `:no_entry: ${escapeMrkdwn(e.message)}`,
        });
      }
    },
  );

  /**
   * Each approver's DM follows the request: a decided one loses its buttons, a half-approved
   * one says who approved. The clicked DM itself was answered already (unless the click came
   * from the Home tab).
   */
  const redrawAsks = async (
    client: WebClient,
    move: BudgetMoveRow,
    admins: string[],
    currency: string,
    clickedBy: string,
    fromHome: boolean,
  ) => {
    const approvers = new Set([move.fromOwner, move.toOwner, ...admins].filter((u): u is string => !!u));
    for (const user of approvers) {
      if (user === clickedBy && !fromHome) continue;
      const post = await env.mo.posts.get(`move:${move.id}:${user}`);
      if (post?.status !== 'posted' || !post.ts) continue;
      const redrawn =
        move.status === 'pending' ? moveRequestMessage(move, currency) : moveStatusMessage(move, currency);
      await client.chat
        .update({ channel: post.channel, ts: post.ts, ...redrawn })
        .catch((e) => log.warn(`could not redraw ${user}'s request for move ${move.id}`, e));
    }
  };
  app.action<BlockAction<ButtonAction>>(ACTION.moveReject, async ({ ack, body, action, client }) => {
    await ack();
    const where = body.container as { channel_id?: string; message_ts?: string } | undefined;
    await client.views.open({
      trigger_id: body.trigger_id,
      view: moveRejectModal(action.value ?? '', {
        channelId: where?.channel_id,
        messageTs: where?.message_ts,
      }),
    });
  });
  app.view(VIEW.moveReject, async ({ ack, body, view, client }) => {
    const who = { teamId: body.team?.id ?? body.user.team_id ?? '', userId: body.user.id };
    // Metadata Mo cannot read names no move: rejectMove answers that beside the reason.
    const raw = metadataOf(view.private_metadata);
    const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const meta = { moveId: text(raw.moveId), channelId: text(raw.channelId), messageTs: text(raw.messageTs) };
    const settings = await workspaceFor(env, who);
    let rejected: Awaited<ReturnType<typeof rejectMove>>;
    try {
      rejected = await rejectMove(env.mo, settings, meta.moveId ?? '', {
        actor: who.userId,
        isAdmin: await env.isAdmin(who.userId),
        reason: stateValue(view.state.values as ViewStateValues, INPUT.reason) ?? '',
      });
    } catch (e) {
      if (!isUserError(e)) throw e;
      return void (await ack({ response_action: 'errors', errors: { [INPUT.reason.block]: e.message } }));
    }
    await ack();
    const decided = moveStatusMessage(rejected, settings.currency);
    const fromHome = !(meta.channelId && meta.messageTs);
    if (meta.channelId && meta.messageTs)
      await client.chat
        .update({ channel: meta.channelId, ts: meta.messageTs, ...decided })
        .catch((e) => log.warn('could not update the move request message', e));
    await redrawAsks(client, rejected, settings.adminUserIds, settings.currency, who.userId, fromHome);
    await tellRequester(client, rejected, settings.currency);
  });

  /** The requester hears how their move ended, by DM. */
  const tellRequester = async (client: WebClient, move: BudgetMoveRow, currency: string) => {
    await postOnce(client, env.mo.posts, {
      key: `move:${move.id}:outcome`,
      channel: move.requestedBy,
      message: moveStatusMessage(move, currency),
    }).catch((e) => log.warn(`could not tell ${move.requestedBy} about move ${move.id}`, e));
  };

  // A modal's submission: errors go back into the form; success closes it and confirms
  // at the response_url the command or button left in private_metadata.
  // Validation (reads only) happens before the ack, so field errors go back into the form; the
  // write happens after it, so no database work can keep Slack waiting past its 3 seconds.
  const submissions: Record<string, { submit: Submit; blocks: string[]; fallback: string }> = {
    [VIEW.budgetEdit]: {
      submit: submitBudgetEdit,
      blocks: [INPUT.category.block, INPUT.period.block, INPUT.amount.block, INPUT.owner.block],
      fallback: INPUT.amount.block,
    },
    [VIEW.spendAdd]: {
      submit: submitSpend,
      blocks: [
        INPUT.amount.block,
        INPUT.category.block,
        INPUT.campaign.block,
        INPUT.vendor.block,
        INPUT.date.block,
        INPUT.commitment.block,
      ],
      fallback: INPUT.date.block,
    },
    [VIEW.settings]: {
      submit: submitSettings,
      blocks: [
        INPUT.currency.block,
        INPUT.fiscalStart.block,
        INPUT.timezone.block,
        INPUT.admins.block,
        INPUT.lockDays.block,
        INPUT.moveAutoApprove.block,
      ],
      fallback: INPUT.currency.block,
    },
    [VIEW.workspaceDelete]: {
      submit: submitWorkspaceDelete,
      blocks: [INPUT.confirmDelete.block],
      fallback: INPUT.confirmDelete.block,
    },
  };
  for (const [callbackId, { submit, blocks, fallback }] of Object.entries(submissions)) {
    app.view(callbackId, async ({ ack, body, view }) => {
      const who = { teamId: body.team?.id ?? body.user.team_id ?? '', userId: body.user.id };
      let result: Submission;
      try {
        result = await submit(env, who, (view.state?.values ?? {}) as ViewStateValues, view.private_metadata);
      } catch (e) {
        return void (await ack(modalErrorAck(e, log, `${callbackId} submission failed`, blocks, fallback)));
      }
      if ('errors' in result) return void (await ack({ response_action: 'errors', errors: result.errors }));
      if ('update' in result) return void (await ack({ response_action: 'update', view: result.update }));
      await ack();
      const url = responseUrlOf(view.private_metadata);
      let reply: Message;
      try {
        reply = textMessage('confirmation' in result ? result.confirmation : await result.save());
      } catch (e) {
        reply = errorReply(e, log, `${callbackId} save failed`);
      }
      await confirm(url, reply, log);
    });
  }

  return registerHome(app, env, background, log, clientFor);
}

async function confirm(url: string | undefined, reply: Message, log: Logger) {
  if (!url) return;
  try {
    await postToResponseUrl(url, reply);
  } catch (e) {
    // Only the confirmation could not be shown (an expired response_url).
    log.warn('could not post a confirmation', e);
  }
}

/**
 * Field errors, the form again with more to confirm (nothing saved), a change already made, or
 * the write to make once Slack has its ack.
 */
type Submission =
  | { errors: Record<string, string> }
  | { update: ModalView }
  | { confirmation: string }
  | { save: () => Promise<string> };
type Submit = (
  env: CommandEnv,
  who: Who,
  values: ViewStateValues,
  privateMetadata?: string,
) => Promise<Submission>;

type Who = { teamId: string; userId: string };

/** The budget-edit modal's answers: validated field by field, then saved and audited. */
export async function submitBudgetEdit(
  env: CommandEnv,
  who: Who,
  values: ViewStateValues,
): Promise<Submission> {
  if (!(await env.isAdmin(who.userId))) {
    return { errors: { [INPUT.amount.block]: 'Only Mo admins can change the budget.' } };
  }
  const settings = await workspaceFor(env, who);
  const errors: Record<string, string> = {};
  let category = '';
  try {
    category = normalizeCategory(stateValue(values, INPUT.category) ?? '');
  } catch (e) {
    noteFieldError(errors, INPUT.category.block, e);
  }
  let period: ReturnType<typeof requirePeriod> | undefined;
  try {
    period = requirePeriod(
      stateValue(values, INPUT.period) ?? '',
      todayIn(env.mo, settings.timezone),
      settings.fiscalStartMonth,
    );
  } catch (e) {
    noteFieldError(errors, INPUT.period.block, e);
  }
  let planned = 0n;
  try {
    planned = parseAmount(stateValue(values, INPUT.amount) ?? '', settings.currency);
    if (planned < 0n) errors[INPUT.amount.block] = 'A plan cannot be negative.';
  } catch (e) {
    noteFieldError(errors, INPUT.amount.block, e);
  }
  if (Object.keys(errors).length || !period) return { errors };
  const owner = stateValue(values, INPUT.owner) ?? null;
  const key = period.key;
  const line = { period, category, plannedMinor: planned, ownerUserId: owner };
  return {
    save: async () => {
      const { after } = await env.mo.budgets.set(line, who.userId);
      env.mo.figuresChanged();
      return `:white_check_mark: Plan for *${escapeMrkdwn(after.category)}* in *${key}* saved. See it with \`/mo budget ${key}\`.`;
    },
  };
}

export async function submitSpend(env: CommandEnv, who: Who, values: ViewStateValues): Promise<Submission> {
  const status = stateValue(values, INPUT.status) === 'committed' ? 'committed' : 'actual';
  const entry = {
    amount: stateValue(values, INPUT.amount) ?? '',
    category: stateValue(values, INPUT.category) ?? '',
    campaign: stateValue(values, INPUT.campaign) ?? '',
    vendor: stateValue(values, INPUT.vendor) ?? '',
    date: stateValue(values, INPUT.date),
    status,
    commitmentId: stateValue(values, INPUT.commitment),
    createCategory: stateChecked(values, INPUT.newCategory, 'new'),
    categoryHint: 'tick “New category”',
  } as const;
  // A user error goes beside its field (amount, category; the date otherwise).
  const msg = await recordSpendEntry(env, who, entry);
  return { confirmation: msg.text };
}

export async function submitSettings(
  env: CommandEnv,
  who: Who,
  values: ViewStateValues,
  privateMetadata?: string,
): Promise<Submission> {
  if (!(await env.isAdmin(who.userId))) {
    return { errors: { [INPUT.currency.block]: 'Only Mo admins can change settings.' } };
  }
  const parsed = settingsPatchSchema.safeParse({
    currency: stateValue(values, INPUT.currency),
    fiscalStartMonth: stateValue(values, INPUT.fiscalStart),
    timezone: stateValue(values, INPUT.timezone),
    adminUserIds: stateUsers(values, INPUT.admins),
    spendEntry: stateValue(values, INPUT.spendEntry),
    lockDays: stateValue(values, INPUT.lockDays),
  });
  if (!parsed.success) {
    const blockOf: Record<string, string> = {
      currency: INPUT.currency.block,
      fiscalStartMonth: INPUT.fiscalStart.block,
      timezone: INPUT.timezone.block,
      adminUserIds: INPUT.admins.block,
      spendEntry: INPUT.spendEntry.block,
      lockDays: INPUT.lockDays.block,
    };
    return {
      errors: Object.fromEntries(
        parsed.error.issues.map((i) => [blockOf[String(i.path[0])] ?? INPUT.currency.block, i.message]),
      ),
    };
  }
  const patch: SettingsPatch = { ...parsed.data };
  const current = await workspaceFor(env, who);
  const threshold = stateValue(values, INPUT.moveAutoApprove);
  if (threshold !== undefined && threshold.trim() !== '') {
    try {
      patch.moveAutoApproveMinor = parseAmount(threshold, patch.currency ?? current.currency);
    } catch (e) {
      return { errors: { [INPUT.moveAutoApprove.block]: (e as Error).message } };
    }
    if (patch.moveAutoApproveMinor < 0n)
      return { errors: { [INPUT.moveAutoApprove.block]: 'An amount of 0 or more (0: always ask).' } };
  }
  // A currency change once amounts are stored is refused beside the currency field (checked
  // before the ack; the update checks it again in its transaction).
  if (patch.currency && patch.currency !== current.currency) {
    const refusal = currencyChangeRefusal(
      current.currency,
      patch.currency,
      await env.mo.workspaces.storedAmounts(),
      false,
    );
    if (refusal) return { errors: { [INPUT.currency.block]: refusal } };
  }
  // A new fiscal-year start re-slices every view: as `mo settings` wants --confirm, the form
  // shows this year's plans in the new quarters and saves only once the change is ticked.
  const month = patch.fiscalStartMonth;
  if (month !== undefined && month !== current.fiscalStartMonth) {
    if (!stateChecked(values, INPUT.confirmFiscalStart, String(month))) {
      const meta = metadataOf(privateMetadata);
      if (meta.fiscalPreview === month && values[INPUT.confirmFiscalStart.block])
        return {
          errors: {
            [INPUT.confirmFiscalStart.block]:
              `Tick this to start the fiscal year in ${MONTH_NAMES[month - 1]}, ` +
              `or set the start back to ${MONTH_NAMES[current.fiscalStartMonth - 1]}.`,
          },
        };
      const origin = {
        channelId: typeof meta.channelId === 'string' ? meta.channelId : '',
        ...(typeof meta.responseUrl === 'string' ? { responseUrl: meta.responseUrl } : {}),
      };
      const preview = await previewFiscalStart(env.mo, current, month);
      return {
        update: settingsModal({ ...current, ...patch }, origin, { preview, saved: current }),
      };
    }
  }
  return {
    save: async () => {
      const after = await env.mo.workspaces.update(patch, who.userId);
      return `:white_check_mark: Settings saved. ${escapeMrkdwn(describeSettings(after))}`;
    },
  };
}
