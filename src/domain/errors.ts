// The one error type for what a user did wrong. Domain and service errors extend it with
// their kind; each surface has one translator (Slack reply, modal field errors, CLI exit code,
// HTTP status). Any other error is a bug: logged with a correlation id, answered with an apology.

export type UserErrorKind =
  /** The request does not parse: answered with the usage line. */
  | 'usage'
  /** The user may not do this (not an admin, not the author, another team). */
  | 'refused'
  /** A value is wrong: an amount, a date, a category, a file's line. */
  | 'invalid'
  /** What the request names does not exist. */
  | 'not_found'
  /** The request clashes with what is stored (a duplicate, a stale state, a lock). */
  | 'conflict';

export interface UserErrorOptions {
  /** The input field the error is about (a modal block id, a CSV column, a CLI flag). */
  field?: string;
  cause?: unknown;
}

export class UserError extends Error {
  readonly kind: UserErrorKind;
  readonly field: string | undefined;

  constructor(kind: UserErrorKind, message: string, options: UserErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.kind = kind;
    this.field = options.field;
  }
}

/** A UserError class fixed to one kind: subclasses then take just the message. */
function ofKind(kind: UserErrorKind) {
  return class extends UserError {
    constructor(message: string, options?: UserErrorOptions) {
      super(kind, message, options);
    }
  };
}

/** The kinds as classes, for the errors that need no name of their own. */
export class UsageError extends ofKind('usage') {}
export class RefusedError extends ofKind('refused') {}
export class InvalidError extends ofKind('invalid') {}
export class NotFoundError extends ofKind('not_found') {}
export class ConflictError extends ofKind('conflict') {}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}

/** HTTP status for a user error's kind (the import API and any JSON surface). */
export const HTTP_STATUS: Record<UserErrorKind, number> = {
  usage: 400,
  invalid: 400,
  refused: 403,
  not_found: 404,
  conflict: 409,
};

/** CLI exit codes: 2 for anything the user can fix, 1 for a bug. */
export const EXIT_USER_ERROR = 2;
export const EXIT_BUG = 1;
