// Block Kit as Slack's client draws it, for the blocks and elements Mo uses: header, section
// (text, fields, accessory), context, divider, image, actions, input; buttons (styles,
// confirm dialogs), static/users/channels/conversations selects, overflow, plain-text and
// number inputs, radio buttons, checkboxes, date picker. Anything else is drawn as a
// labelled placeholder, never dropped. Inputs keep Slack's state shape for a submission.
import { escapeHtml, type MrkdwnContext, mrkdwnToHtml, plainToHtml } from './mrkdwn.js';

type Json = Record<string, unknown>;
type TextObject = { type?: string; text?: string; emoji?: boolean };

export interface ActionPayload {
  type: string;
  action_id: string;
  block_id: string;
  [key: string]: unknown;
}

export interface RenderContext extends MrkdwnContext {
  people: { id: string; name: string }[];
  channels: { id: string; name: string }[];
  /** A click or a choice on an interactive element (not inside an input block). */
  onAction(action: ActionPayload): void;
  /** Asks the person to confirm (a confirm dialog object); resolves true to go on. */
  confirm(dialog: Json): Promise<boolean>;
}

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  html?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (html !== undefined) e.innerHTML = html;
  return e;
}

export function textHtml(t: unknown, ctx: RenderContext): string {
  if (!isObj(t)) return '';
  const o = t as TextObject;
  return o.type === 'mrkdwn' ? mrkdwnToHtml(o.text ?? '', ctx) : plainToHtml(o.text ?? '', o.emoji !== false);
}

const plainOf = (t: unknown) => (isObj(t) ? String((t as TextObject).text ?? '') : '');

function placeholder(kind: string, type: unknown): HTMLElement {
  return el('div', 'bk-unknown', `Unsupported ${escapeHtml(kind)}: <code>${escapeHtml(String(type))}</code>`);
}

type Option = { text?: TextObject; value?: string; description?: TextObject };
const optionsOf = (e: Json): Option[] => {
  if (Array.isArray(e.options)) return e.options as Option[];
  if (Array.isArray(e.option_groups))
    return (e.option_groups as { options?: Option[] }[]).flatMap((g) => g.options ?? []);
  return [];
};
const sameOption = (a: unknown, b: Option) => isObj(a) && (a as Option).value === b.value;

/** Records what an input element holds, in view.state.values' shape. */
function stateOf(node: HTMLElement): Json | undefined {
  const type = node.dataset.type ?? '';
  switch (type) {
    case 'plain_text_input':
    case 'number_input':
    case 'email_text_input':
    case 'url_text_input': {
      const v = (node as HTMLInputElement).value;
      return { type, value: v === '' ? null : v };
    }
    case 'static_select':
    case 'external_select': {
      const s = node as HTMLSelectElement;
      const opt = s.selectedIndex > 0 ? s.options[s.selectedIndex] : undefined;
      return {
        type,
        selected_option: opt
          ? { text: { type: 'plain_text', text: opt.text, emoji: true }, value: opt.value }
          : null,
      };
    }
    case 'users_select':
      return { type, selected_user: (node as HTMLSelectElement).value || null };
    case 'channels_select':
      return { type, selected_channel: (node as HTMLSelectElement).value || null };
    case 'conversations_select':
      return { type, selected_conversation: (node as HTMLSelectElement).value || null };
    case 'multi_users_select':
      return {
        type,
        selected_users: [...(node as HTMLSelectElement).selectedOptions].map((o) => o.value),
      };
    case 'datepicker':
      return { type, selected_date: (node as HTMLInputElement).value || null };
    case 'radio_buttons': {
      const checked = node.querySelector<HTMLInputElement>('input:checked');
      return {
        type,
        selected_option: checked ? JSON.parse(checked.dataset.option ?? 'null') : null,
      };
    }
    case 'checkboxes':
      return {
        type,
        selected_options: [...node.querySelectorAll<HTMLInputElement>('input:checked')].map((c) =>
          JSON.parse(c.dataset.option ?? 'null'),
        ),
      };
  }
  return undefined;
}

/** view.state.values for every input in `root`. */
export function collectValues(root: HTMLElement): Record<string, Record<string, Json>> {
  const values: Record<string, Record<string, Json>> = {};
  for (const node of root.querySelectorAll<HTMLElement>('[data-input-block]')) {
    const block = node.dataset.inputBlock ?? '';
    const action = node.dataset.actionId ?? '';
    const state = stateOf(node);
    if (!state) continue;
    values[block] ??= {};
    (values[block] as Record<string, Json>)[action] = state;
  }
  return values;
}

function personOptions(select: HTMLSelectElement, ctx: RenderContext, initial: string[], empty: boolean) {
  if (empty) select.append(new Option('Select a person', ''));
  for (const p of ctx.people) select.append(new Option(p.name, p.id, false, initial.includes(p.id)));
}

/** An interactive element: in an input block it holds state; elsewhere it dispatches an action. */
function element(e: unknown, blockId: string, ctx: RenderContext, inInput: boolean): HTMLElement {
  if (!isObj(e)) return placeholder('element', e);
  const type = String(e.type);
  const actionId = String(e.action_id ?? '');
  const dispatch = async (extra: Json) => {
    if (isObj(e.confirm) && !(await ctx.confirm(e.confirm))) return;
    ctx.onAction({ type, action_id: actionId, block_id: blockId, ...extra });
  };
  const asInput = (node: HTMLElement) => {
    if (inInput) {
      node.dataset.inputBlock = blockId;
      node.dataset.actionId = actionId;
      node.dataset.type = type;
    }
    return node;
  };
  const placeholderText = plainOf(e.placeholder);

  switch (type) {
    case 'button': {
      const b = el('button', `bk-button${e.style ? ` bk-${String(e.style)}` : ''}`, textHtml(e.text, ctx));
      b.type = 'button';
      b.dataset.actionId = actionId;
      if (typeof e.url === 'string') b.title = e.url;
      b.addEventListener('click', () =>
        dispatch({
          ...(e.value !== undefined ? { value: e.value } : {}),
          text: e.text,
          ...(e.style ? { style: e.style } : {}),
        }),
      );
      return b;
    }
    case 'static_select':
    case 'external_select': {
      const s = el('select', 'bk-select');
      s.dataset.actionId = actionId;
      s.append(new Option(placeholderText || 'Select an item', ''));
      for (const o of optionsOf(e)) {
        s.append(new Option(plainOf(o.text), String(o.value), false, sameOption(e.initial_option, o)));
      }
      if (!inInput)
        s.addEventListener('change', () => {
          const o = optionsOf(e)[s.selectedIndex - 1];
          if (o) void dispatch({ selected_option: { text: o.text, value: o.value } });
        });
      return asInput(s);
    }
    case 'users_select':
    case 'multi_users_select': {
      const multi = type === 'multi_users_select';
      const s = el('select', 'bk-select');
      s.dataset.actionId = actionId;
      s.multiple = multi;
      const initial = multi
        ? ((e.initial_users as string[] | undefined) ?? [])
        : e.initial_user
          ? [String(e.initial_user)]
          : [];
      personOptions(s, ctx, initial, !multi);
      if (!inInput && !multi) s.addEventListener('change', () => void dispatch({ selected_user: s.value }));
      return asInput(s);
    }
    case 'channels_select':
    case 'conversations_select': {
      const s = el('select', 'bk-select');
      s.dataset.actionId = actionId;
      s.append(new Option(placeholderText || 'Select a channel', ''));
      const initial = String(e.initial_channel ?? e.initial_conversation ?? '');
      for (const c of ctx.channels) s.append(new Option(`#${c.name}`, c.id, false, c.id === initial));
      const key = type === 'channels_select' ? 'selected_channel' : 'selected_conversation';
      if (!inInput) s.addEventListener('change', () => void dispatch({ [key]: s.value }));
      return asInput(s);
    }
    case 'overflow': {
      const wrap = el('span', 'bk-overflow');
      const b = el('button', 'bk-button bk-overflow-button', '⋯');
      b.type = 'button';
      b.dataset.actionId = actionId;
      const menu = el('div', 'bk-menu');
      menu.hidden = true;
      for (const o of optionsOf(e)) {
        const item = el('button', 'bk-menu-item', textHtml(o.text, ctx));
        item.type = 'button';
        item.addEventListener('click', () => {
          menu.hidden = true;
          void dispatch({ selected_option: { text: o.text, value: o.value } });
        });
        menu.append(item);
      }
      b.addEventListener('click', () => {
        menu.hidden = !menu.hidden;
      });
      wrap.append(b, menu);
      return wrap;
    }
    case 'datepicker': {
      const d = el('input', 'bk-date');
      d.type = 'date';
      d.dataset.actionId = actionId;
      if (typeof e.initial_date === 'string') d.value = e.initial_date;
      if (!inInput) d.addEventListener('change', () => void dispatch({ selected_date: d.value }));
      return asInput(d);
    }
    case 'plain_text_input':
    case 'number_input':
    case 'email_text_input':
    case 'url_text_input': {
      const multiline = type === 'plain_text_input' && e.multiline === true;
      const i = multiline ? el('textarea', 'bk-text') : el('input', 'bk-text');
      if (i instanceof HTMLInputElement)
        i.type = type === 'number_input' ? 'number' : type === 'email_text_input' ? 'email' : 'text';
      if (type === 'number_input' && e.is_decimal_allowed === true && i instanceof HTMLInputElement)
        i.step = 'any';
      i.dataset.actionId = actionId;
      i.placeholder = placeholderText;
      if (typeof e.max_length === 'number') i.maxLength = e.max_length;
      if (typeof e.initial_value === 'string') i.value = e.initial_value;
      return asInput(i);
    }
    case 'radio_buttons':
    case 'checkboxes': {
      const group = el('div', 'bk-choices');
      group.dataset.actionId = actionId;
      const name = `${blockId}-${actionId}-${Math.random().toString(36).slice(2)}`;
      const initial =
        type === 'radio_buttons' ? [e.initial_option] : ((e.initial_options as unknown[]) ?? []);
      for (const o of optionsOf(e)) {
        const label = el('label', 'bk-choice');
        const box = el('input');
        box.type = type === 'radio_buttons' ? 'radio' : 'checkbox';
        box.name = name;
        box.value = String(o.value);
        box.dataset.option = JSON.stringify({ text: o.text, value: o.value });
        box.checked = initial.some((i) => sameOption(i, o));
        const text = el('span', 'bk-choice-text', textHtml(o.text, ctx));
        if (o.description) text.append(el('div', 'bk-choice-desc', textHtml(o.description, ctx)));
        label.append(box, text);
        if (!inInput)
          box.addEventListener('change', () => {
            const chosen = collectChoice(group, type);
            void dispatch(chosen);
          });
        group.append(label);
      }
      return asInput(group);
    }
    case 'image': {
      const img = el('img', 'bk-accessory-image');
      img.src = String(e.image_url ?? '');
      img.alt = String(e.alt_text ?? '');
      return img;
    }
  }
  return placeholder('element', type);
}

function collectChoice(group: HTMLElement, type: string): Json {
  const checked = [...group.querySelectorAll<HTMLInputElement>('input:checked')].map((c) =>
    JSON.parse(c.dataset.option ?? 'null'),
  );
  return type === 'radio_buttons' ? { selected_option: checked[0] ?? null } : { selected_options: checked };
}

function imageSource(b: Json): string {
  if (typeof b.image_url === 'string') return b.image_url;
  const f = b.slack_file;
  if (isObj(f))
    return typeof f.url === 'string' ? f.url : `/playground/files/${encodeURIComponent(String(f.id))}`;
  return '';
}

export function renderBlock(b: unknown, index: number, ctx: RenderContext): HTMLElement {
  if (!isObj(b)) return placeholder('block', b);
  const blockId = typeof b.block_id === 'string' ? b.block_id : `b${index}`;
  const type = String(b.type);
  const node = (() => {
    switch (type) {
      case 'header':
        return el('div', 'bk-header', textHtml(b.text, ctx));
      case 'divider':
        return el('hr', 'bk-divider');
      case 'section': {
        const s = el('div', 'bk-section');
        const body = el('div', 'bk-section-body');
        if (b.text) body.append(el('div', 'bk-text-body', textHtml(b.text, ctx)));
        if (Array.isArray(b.fields)) {
          const fields = el('div', 'bk-fields');
          for (const f of b.fields) fields.append(el('div', 'bk-field', textHtml(f, ctx)));
          body.append(fields);
        }
        s.append(body);
        if (b.accessory) {
          const acc = el('div', 'bk-accessory');
          acc.append(element(b.accessory, blockId, ctx, false));
          s.append(acc);
        }
        return s;
      }
      case 'context': {
        const c = el('div', 'bk-context');
        for (const e of Array.isArray(b.elements) ? b.elements : []) {
          if (isObj(e) && e.type === 'image') {
            const img = el('img', 'bk-context-image');
            img.src = imageSource(e);
            img.alt = String(e.alt_text ?? '');
            c.append(img);
          } else c.append(el('span', 'bk-context-text', textHtml(e, ctx)));
        }
        return c;
      }
      case 'image': {
        const fig = el('figure', 'bk-image');
        if (b.title) fig.append(el('figcaption', '', textHtml(b.title, ctx)));
        const img = el('img');
        img.src = imageSource(b);
        img.alt = String(b.alt_text ?? '');
        fig.append(img);
        return fig;
      }
      case 'actions': {
        const a = el('div', 'bk-actions');
        for (const e of Array.isArray(b.elements) ? b.elements : [])
          a.append(element(e, blockId, ctx, false));
        return a;
      }
      case 'input': {
        const i = el('div', 'bk-input');
        const label = el('label', 'bk-label', textHtml(b.label, ctx));
        if (b.optional === true) label.append(el('span', 'bk-optional', ' (optional)'));
        i.append(label);
        const inner = element(b.element, blockId, ctx, b.dispatch_action !== true);
        i.append(inner);
        if (b.hint) i.append(el('div', 'bk-hint', textHtml(b.hint, ctx)));
        return i;
      }
    }
    return placeholder('block', type);
  })();
  node.dataset.blockId = blockId;
  node.classList.add('bk-block');
  return node;
}

export function renderBlocks(blocks: unknown, ctx: RenderContext): HTMLElement {
  const root = el('div', 'bk-blocks');
  if (!Array.isArray(blocks)) return root;
  blocks.forEach((b, i) => {
    root.append(renderBlock(b, i, ctx));
  });
  return root;
}
