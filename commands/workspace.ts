// /mo workspace delete: a Mo admin deletes all of the workspace's data from Slack, after
// confirming in a modal (the submission is handled in commands/index.ts).
import { deleteWorkspace, describeDeleted } from '../src/services/tenancy.js';
import { DELETE_WORD, workspaceDeleteModal } from '../src/slack/blocks/tenancy.js';
import { INPUT } from '../src/slack/ids.js';
import { stateValue, type ViewStateValues } from '../src/slack/view-state.js';
import { noArgs } from './args.js';
import { type CommandEnv, defineSubcommand, requireAdmin } from './types.js';

export const workspaceDelete = defineSubcommand({
  name: 'workspace delete',
  usage: '/mo workspace delete',
  summary: "delete all of Mo's data for this workspace, after confirming (admins)",
  schema: noArgs('takes no arguments: it asks you to confirm in a form'),
  async run(_args, req, env) {
    await requireAdmin(env, req, "delete this workspace's data");
    return { kind: 'modal', view: workspaceDeleteModal() };
  },
});

/** The confirmation: an admin, and the word typed; the delete itself runs after the ack. */
export async function submitWorkspaceDelete(
  env: CommandEnv,
  who: { teamId: string; userId: string },
  values: ViewStateValues,
) {
  if (!(await env.isAdmin(who.userId)))
    return { errors: { [INPUT.confirmDelete.block]: "Only Mo admins can delete this workspace's data." } };
  if ((stateValue(values, INPUT.confirmDelete) ?? '').trim() !== DELETE_WORD)
    return { errors: { [INPUT.confirmDelete.block]: `Type ${DELETE_WORD} (in capitals) to confirm.` } };
  return {
    save: async () => {
      const deleted = await deleteWorkspace(env.mo, { keepInstallation: true });
      env.slack?.logger.info(
        `workspace ${who.teamId}: data deleted by ${who.userId} (${deleted.total} rows)`,
      );
      return `:wastebasket: ${describeDeleted(deleted).join('\n')}`;
    },
  };
}
