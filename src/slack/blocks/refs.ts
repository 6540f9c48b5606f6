// What Mo's buttons and menu options carry, read back when they are clicked. A value comes
// back from Slack as Mo wrote it, unless the message is from an older Mo or the payload was
// forged with the signing secret: either way it is input, checked like any other, and a bad
// one is answered as the user's problem (a stale button), never as a bug.
import { InvalidError } from '../../domain/errors.js';

/** A button or option value Mo cannot read: an old message's, or one tampered with. */
export class StaleButtonError extends InvalidError {
  constructor(command: string) {
    super(
      `That button is out of date or damaged, so Mo did nothing. Run \`${command}\` again for fresh buttons.`,
    );
  }
}

/** The JSON object a value holds, or a StaleButtonError naming the command that makes fresh ones. */
export function readValue(value: string | undefined, command: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value ?? '');
  } catch {
    throw new StaleButtonError(command);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new StaleButtonError(command);
  return parsed as Record<string, unknown>;
}

/** Period keys are short (FY2027-Q3, 2026-11): anything else did not come from Mo. */
export const isPeriodKey = (v: unknown): v is string =>
  typeof v === 'string' && /^[A-Za-z0-9-]{1,20}$/.test(v);
