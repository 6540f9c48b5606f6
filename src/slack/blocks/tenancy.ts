// Replies about where Mo is installed and who may use it, and the "delete this workspace's
// data" confirmation.
import type { ModalView } from '@slack/types';
import { plain, section } from './common.js';

/** A modal's replacement when the person submitting it may not act in this workspace. */
export function refusedView(text: string): ModalView {
  return { type: 'modal', title: plain('Mo', 24), close: plain('Close', 24), blocks: [section(text)] };
}
