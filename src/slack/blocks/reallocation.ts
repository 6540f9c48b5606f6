// Budget moves in Slack: the request an approver gets by DM (Approve / Reject), the message
// it becomes once decided, the modal asking why a move is rejected, and the list of open
// requests. Pure: data in, blocks out.
import type { KnownBlock, ModalView } from '@slack/types';
import { formatMoney } from '../../domain/money.js';
import { ACTION, INPUT, VIEW } from '../ids.js';
import { escapeMrkdwn, slackDate, truncate, userMention } from '../mrkdwn.js';
import { actions, button, context, LIMITS, type Message, plain, section } from './common.js';

export interface MoveView {
  id: string;
  amountMinor: bigint;
  fromCategory: string;
  toCategory: string;
  period: string;
  reason: string;
  requestedBy: string;
  status: string;
  fromApprovedBy: string | null;
  toApprovedBy: string | null;
  decidedBy: string | null;
  rejectReason: string | null;
  expiresAt: Date;
}

const approver = (id: string | null) =>
  id === null ? 'waiting' : id === 'auto-approve' ? 'auto-approved' : `approved by ${userMention(id)}`;

function summary(m: MoveView, currency: string): string {
  const reason = m.reason ? ` — “${escapeMrkdwn(truncate(m.reason, 500))}”` : '';
  return (
    `${userMention(m.requestedBy)} asks to move *${formatMoney(m.amountMinor, currency)}* from ` +
    `*${escapeMrkdwn(m.fromCategory)}* to *${escapeMrkdwn(m.toCategory)}* in *${escapeMrkdwn(m.period)}*${reason}`
  );
}

function sides(m: MoveView): string {
  return `Giving side (${escapeMrkdwn(m.fromCategory)}): ${approver(m.fromApprovedBy)} · receiving side (${escapeMrkdwn(m.toCategory)}): ${approver(m.toApprovedBy)}`;
}

/** A request and its Approve / Reject buttons (the DM, and each request on the Home tab). */
export function moveAskBlocks(m: MoveView, currency: string, actionsBlockId = 'move_actions'): KnownBlock[] {
  return [
    section(`:arrows_counterclockwise: ${summary(m, currency)}`),
    context(`${sides(m)} · expires ${slackDate(m.expiresAt)}`),
    actions(actionsBlockId.slice(0, 255), [
      button('Approve', ACTION.moveApprove, m.id, 'primary'),
      button('Reject', ACTION.moveReject, m.id, 'danger'),
    ]),
  ];
}

/** The DM an approver gets: the request and its two buttons. */
export function moveRequestMessage(m: MoveView, currency: string): Message {
  return {
    text: `${formatMoney(m.amountMinor, currency)} from ${m.fromCategory} to ${m.toCategory} in ${m.period}: your approval is asked`,
    blocks: moveAskBlocks(m, currency),
  };
}

/** What a request reads once it is decided or still waits for the other side. */
export function moveStatusMessage(m: MoveView, currency: string): Message {
  const outcome =
    m.status === 'approved'
      ? ':white_check_mark: Approved: both plans changed.'
      : m.status === 'rejected'
        ? `:no_entry_sign: Rejected by ${m.decidedBy ? userMention(m.decidedBy) : 'an approver'}: “${escapeMrkdwn(truncate(m.rejectReason ?? '', 500))}”`
        : m.status === 'expired'
          ? ':hourglass: Expired: nobody decided within 14 days.'
          : ':hourglass_flowing_sand: Waiting for the other side.';
  return {
    text: `Budget move ${formatMoney(m.amountMinor, currency)} from ${m.fromCategory} to ${m.toCategory} in ${m.period}: ${m.status}`,
    blocks: [section(`${outcome}\n${summary(m, currency)}`), context(sides(m))],
  };
}

/** Asks the approver why: a reason is required to reject. */
export function moveRejectModal(
  moveId: string,
  request: { channelId?: string; messageTs?: string } = {},
): ModalView {
  return {
    type: 'modal',
    callback_id: VIEW.moveReject,
    title: plain('Reject budget move', LIMITS.modalTitle),
    submit: plain('Reject', 24),
    close: plain('Cancel', 24),
    // Where the request's DM is, to show the outcome there too.
    private_metadata: JSON.stringify({ moveId, ...request }),
    blocks: [
      {
        type: 'input',
        block_id: INPUT.reason.block,
        label: plain('Why is it rejected?', 2000),
        element: {
          type: 'plain_text_input',
          action_id: INPUT.reason.action,
          multiline: true,
          min_length: 1,
          max_length: 500,
        },
      },
    ],
  };
}

/** `/mo budget requests`: the open requests, oldest first. */
export function openMovesMessage(moves: MoveView[], currency: string): Message {
  if (!moves.length) {
    return {
      text: 'No open budget move requests.',
      blocks: [
        section(
          'No open budget move requests. Ask for one with `/mo budget move AMOUNT FROM TO [PERIOD] [reason]`.',
        ),
      ],
    };
  }
  // Two blocks a request, within the 50 of a message.
  const shown = moves.slice(0, 23);
  const blocks: KnownBlock[] = [
    section(`*${moves.length} open budget move request${moves.length === 1 ? '' : 's'}*`),
  ];
  for (const m of shown)
    blocks.push(section(summary(m, currency)), context(`${sides(m)} · expires ${slackDate(m.expiresAt)}`));
  if (moves.length > shown.length) blocks.push(context(`…and ${moves.length - shown.length} more`));
  return { text: `${moves.length} open budget move requests`, blocks };
}
