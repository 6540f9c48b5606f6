// Reading a view_submission's answers: view.state.values[block_id][action_id].
export type ViewStateValues = Record<string, Record<string, ViewStateValue>>;

export interface ViewStateValue {
  type: string;
  value?: string | null;
  selected_option?: { value: string } | null;
  selected_date?: string | null;
  selected_user?: string | null;
  selected_users?: string[] | null;
  selected_options?: { value: string }[] | null;
}

export function stateValue(
  values: ViewStateValues,
  id: { block: string; action: string },
): string | undefined {
  const v = values[id.block]?.[id.action];
  if (!v) return undefined;
  const out = v.value ?? v.selected_option?.value ?? v.selected_date ?? v.selected_user ?? undefined;
  return out === null || out === undefined ? undefined : String(out);
}

export function stateUsers(values: ViewStateValues, id: { block: string; action: string }): string[] {
  return values[id.block]?.[id.action]?.selected_users ?? [];
}

/** Whether a checkboxes element has the option `value` ticked. */
export function stateChecked(values: ViewStateValues, id: { block: string; action: string }, value: string) {
  return (values[id.block]?.[id.action]?.selected_options ?? []).some((o) => o.value === value);
}
