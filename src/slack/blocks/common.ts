// Small pure Block Kit helpers shared by the builders.
import type { ActionsBlock, Button, ContextBlock, HeaderBlock, KnownBlock, SectionBlock } from '@slack/types';
import { truncate } from '../mrkdwn.js';

export type Block = KnownBlock;

/** A Slack reply: blocks plus the plain-text fallback Slack shows in notifications. */
export interface Message {
  text: string;
  blocks: Block[];
  response_type?: 'ephemeral' | 'in_channel';
  replace_original?: boolean;
}

export const LIMITS = {
  messageBlocks: 50,
  modalBlocks: 100,
  sectionText: 3000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  optionText: 75,
  /** Slack's docs now say 150; its types say 75: the stricter holds. */
  optionValue: 75,
  modalTitle: 24,
  privateMetadata: 3000,
  contextElements: 10,
  selectOptions: 100,
} as const;

export const header = (text: string): HeaderBlock => ({
  type: 'header',
  text: { type: 'plain_text', text: truncate(text, LIMITS.headerText), emoji: true },
});

export const section = (mrkdwn: string): SectionBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: truncate(mrkdwn, LIMITS.sectionText) },
});

export const context = (...mrkdwn: string[]): ContextBlock => ({
  type: 'context',
  elements: mrkdwn
    .slice(0, LIMITS.contextElements)
    .map((text) => ({ type: 'mrkdwn', text: truncate(text, 3000) })),
});

export const divider = (): KnownBlock => ({ type: 'divider' });

export function button(text: string, actionId: string, value?: string, style?: 'primary' | 'danger'): Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text: truncate(text, LIMITS.buttonText), emoji: true },
    action_id: actionId,
    ...(value !== undefined ? { value: value.slice(0, LIMITS.buttonValue) } : {}),
    ...(style ? { style } : {}),
  };
}

export const actions = (blockId: string, elements: ActionsBlock['elements']): ActionsBlock => ({
  type: 'actions',
  block_id: blockId,
  elements: elements.slice(0, 25),
});

export const plain = (text: string, max = 75) => ({
  type: 'plain_text' as const,
  text: truncate(text, max),
  emoji: true,
});

/** A message with only text: errors, confirmations. */
export function textMessage(mrkdwn: string): Message {
  return { text: mrkdwn.slice(0, 3000), blocks: [section(mrkdwn)] };
}

/** Splits preformatted lines into ``` sections that each fit Slack's 3000-character limit. */
export function codeSections(lines: string[]): SectionBlock[] {
  const blocks: SectionBlock[] = [];
  let chunk: string[] = [];
  let size = 0;
  const flush = () => {
    if (chunk.length) blocks.push(section(`\`\`\`\n${chunk.join('\n')}\n\`\`\``));
    chunk = [];
    size = 0;
  };
  for (const line of lines) {
    if (size + line.length + 1 > LIMITS.sectionText - 10) flush();
    chunk.push(line);
    size += line.length + 1;
  }
  flush();
  return blocks;
}
