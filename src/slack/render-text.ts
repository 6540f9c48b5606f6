// Renders a Slack message or modal as readable terminal text, for `mo run`: what a person
// would see, without a Slack workspace.
import type { KnownBlock, ModalView } from '@slack/types';
import type { Message } from './blocks/common.js';

const EMOJI: Record<string, string> = {
  large_green_circle: '🟢',
  large_yellow_circle: '🟡',
  red_circle: '🔴',
  large_blue_circle: '🔵',
  white_circle: '⚪',
  white_check_mark: '✅',
  warning: '⚠️',
  no_entry: '⛔',
};

export function mrkdwnToText(text: string): string {
  return text
    .replace(/```\n?([\s\S]*?)\n?```/g, '$1')
    .replace(/`([^`\n]+)`/g, '$1')
    .replace(/:([a-z0-9_+-]+):/g, (m, name: string) => EMOJI[name] ?? m)
    .replace(/<@([A-Z0-9]+)(\|[^>]*)?>/g, '@$1')
    .replace(/<#([A-Z0-9]+)(\|([^>]*))?>/g, (_m, id: string, _l, label?: string) => `#${label ?? id}`)
    .replace(/<(https?:[^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/(^|[\s(])\*([^*\n]+)\*/g, '$1$2')
    .replace(/(^|[\s(])_([^_\n]+)_/g, '$1$2')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function textOf(obj: { text?: string } | undefined): string {
  return obj?.text ? mrkdwnToText(obj.text) : '';
}

function element(e: Record<string, unknown>): string {
  const label = textOf(e.text as { text?: string }) || textOf(e.placeholder as { text?: string });
  switch (e.type) {
    case 'button':
      return `[ ${label} ]`;
    case 'static_select': {
      const options = (e.options as { text: { text: string } }[] | undefined) ?? [];
      return `[ ${label} ▾ ${options.map((o) => o.text.text).join(' | ')} ]`;
    }
    default:
      return label ? `[ ${label} ]` : `[ ${String(e.type)} ]`;
  }
}

export function blocksToText(blocks: KnownBlock[]): string {
  const out: string[] = [];
  for (const b of blocks as (KnownBlock & Record<string, unknown>)[]) {
    switch (b.type) {
      case 'header': {
        const t = textOf(b.text as { text: string });
        out.push(t, '='.repeat(Math.min(t.length, 80)));
        break;
      }
      case 'section': {
        if (b.text) out.push(textOf(b.text as { text: string }));
        for (const f of (b.fields as { text: string }[] | undefined) ?? []) out.push(`  ${textOf(f)}`);
        if (b.accessory) out.push(`  ${element(b.accessory as unknown as Record<string, unknown>)}`);
        break;
      }
      case 'context':
        out.push((b.elements as { text?: string }[]).map((e) => textOf(e)).join('  '));
        break;
      case 'divider':
        out.push('-'.repeat(40));
        break;
      case 'actions':
        out.push((b.elements as unknown as Record<string, unknown>[]).map(element).join('  '));
        break;
      case 'input': {
        const el = b.element as unknown as Record<string, unknown>;
        const initial =
          (el.initial_value as string | undefined) ??
          (el.initial_option as { text: { text: string } } | undefined)?.text.text ??
          (el.initial_date as string | undefined) ??
          '';
        out.push(
          `${textOf(b.label as { text: string })}${b.optional ? ' (optional)' : ''}: ${initial || '____'}`,
        );
        break;
      }
      default:
        out.push(`[${b.type}]`);
    }
  }
  return out.join('\n');
}

export function messageToText(message: Message): string {
  return blocksToText(message.blocks);
}

export function modalToText(view: ModalView): string {
  const title = view.title.text;
  return [
    `┌ ${title} (a form in Slack) ┐`,
    blocksToText(view.blocks as KnownBlock[]),
    `[ ${view.submit?.text ?? 'Submit'} ]  [ ${view.close?.text ?? 'Cancel'} ]`,
  ].join('\n');
}
