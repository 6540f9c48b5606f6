// Replies about where Mo is installed and who may use it, and the "delete this workspace's
// data" confirmation.
import type { ModalView } from '@slack/types';
import { INPUT, VIEW } from '../ids.js';
import { plain, section } from './common.js';

/** What an admin types to confirm deleting the workspace's data. */
export const DELETE_WORD = 'DELETE';

/** A modal's replacement when the person submitting it may not act in this workspace. */
export function refusedView(text: string): ModalView {
  return { type: 'modal', title: plain('Mo', 24), close: plain('Close', 24), blocks: [section(text)] };
}

/** "Delete this workspace's data": says what goes, and asks for the word before it does. */
export function workspaceDeleteModal(): ModalView {
  return {
    type: 'modal',
    callback_id: VIEW.workspaceDelete,
    title: plain('Delete Mo data', 24),
    submit: plain('Delete everything', 24),
    close: plain('Cancel', 24),
    blocks: [
      section(
        ':warning: This deletes *all of Mo’s data for this workspace*: budgets, spend, leads, ' +
          'opportunities, targets, mapping rules, alerts, surveys and their answers, API tokens, ' +
          'settings and the audit trail. It cannot be undone. Mo stays installed and starts afresh.',
      ),
      {
        type: 'input',
        block_id: INPUT.confirmDelete.block,
        label: plain(`Type ${DELETE_WORD} to confirm`, 2000),
        element: {
          type: 'plain_text_input',
          action_id: INPUT.confirmDelete.action,
          placeholder: plain(DELETE_WORD, 150),
        },
      },
    ],
  };
}
