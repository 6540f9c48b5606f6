// Every Slack action_id, callback_id and block_id Mo uses, in one place: listeners and
// builders import these, so a rename cannot leave a button without a handler.
export const ACTION = {
  budgetShare: 'mo_budget_share',
  budgetDrill: 'mo_budget_drill',
  budgetBack: 'mo_budget_back',
  budgetEdit: 'mo_budget_edit',
  budgetChart: 'mo_budget_chart',
  perfShare: 'mo_perf_share',
  perfChart: 'mo_perf_chart',
  perfDrill: 'mo_perf_drill',
  perfBack: 'mo_perf_back',
  /** A budget move request's buttons in an approver's DM: value is the request id. */
  moveApprove: 'mo_move_approve',
  moveReject: 'mo_move_reject',
} as const;

export const VIEW = {
  budgetEdit: 'mo_budget_edit_modal',
  spendAdd: 'mo_spend_add_modal',
  settings: 'mo_settings_modal',
  moveReject: 'mo_move_reject_modal',
  workspaceDelete: 'mo_workspace_delete_modal',
} as const;

/** block_id / action_id pairs of modal inputs: state.values[block][action]. */
export const INPUT = {
  category: { block: 'category', action: 'category_input' },
  amount: { block: 'amount', action: 'amount_input' },
  period: { block: 'period', action: 'period_input' },
  owner: { block: 'owner', action: 'owner_select' },
  campaign: { block: 'campaign', action: 'campaign_input' },
  vendor: { block: 'vendor', action: 'vendor_input' },
  date: { block: 'date', action: 'date_picker' },
  status: { block: 'status', action: 'status_select' },
  currency: { block: 'currency', action: 'currency_input' },
  fiscalStart: { block: 'fiscal_start', action: 'fiscal_start_select' },
  timezone: { block: 'timezone', action: 'timezone_input' },
  admins: { block: 'admins', action: 'admins_select' },
  reason: { block: 'reason', action: 'reason_input' },
  spendEntry: { block: 'spend_entry', action: 'spend_entry_select' },
  lockDays: { block: 'lock_days', action: 'lock_days_input' },
  moveAutoApprove: { block: 'move_auto_approve', action: 'move_auto_approve_input' },
  commitment: { block: 'commitment_id', action: 'commitment_input' },
  newCategory: { block: 'new_category', action: 'new_category_check' },
  confirmDelete: { block: 'confirm_delete', action: 'confirm_delete_input' },
  /** The settings form's tick to confirm a new fiscal-year start (option value: the month). */
  confirmFiscalStart: { block: 'confirm_fiscal_start', action: 'confirm_fiscal_start_check' },
} as const;

/** Budget alert buttons: each carries the alert's id. */
export const ALERT = {
  ack: 'mo_alert_ack',
  snoozeDay: 'mo_alert_snooze_day',
  snoozeWeek: 'mo_alert_snooze_week',
  openBudget: 'mo_alert_open_budget',
} as const;

/** Maturity surveys: the invitation's button (value: survey id) and the modal. */
export const SURVEY = {
  take: 'mo_survey_take',
  modal: 'mo_survey_modal',
  answer: 'answer',
} as const;

/** The App Home tab's own buttons (its alert and survey buttons reuse ALERT and SURVEY). */
export const HOME = {
  settings: 'mo_home_settings',
  importFile: 'mo_home_import',
  importModal: 'mo_home_import_modal',
} as const;
