// POST /api/v1/import/{spend|leads|opportunities}: the same import pipeline as files, for
// scripts and integrations. `Authorization: Bearer mo_…` (see `mo token create`); a JSON
// array of objects or a CSV body. 401 without a valid token, 413 over the size limit, 400
// with the rows' problems, 200 with counts. Nothing here logs headers or bodies.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable, Transform } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import { HTTP_STATUS, InvalidError, isUserError } from './domain/errors.js';
import { parseEncoding } from './ingest/decode.js';
import { ImportRejected } from './ingest/import.js';
import { type Logger, logBug } from './log.js';
import type { Mo } from './services/mo.js';
import { todayIn } from './services/team-scope.js';

export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

const IMPORTS = ['spend', 'leads', 'opportunities'] as const;

/** Over the size limit: a user error the HTTP surface answers with 413. */
class TooLarge extends InvalidError {}

function json(res: ServerResponse, status: number, body: unknown) {
  res
    .writeHead(status, { 'content-type': 'application/json' })
    .end(JSON.stringify(body, (_k, v) => (typeof v === 'bigint' ? Number(v) : v)));
}

/** Passes bytes through until the limit, then fails the stream. */
function limit(max: number) {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > max) done(new TooLarge(`the body is larger than ${max} bytes`));
      else done(null, chunk);
    },
  });
}

async function readAll(req: IncomingMessage, max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) throw new TooLarge(`the body is larger than ${max} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A JSON array of flat objects as CSV, so JSON and files share one pipeline and its checks. */
export function jsonRowsToCsv(text: string): string {
  let rows: unknown;
  try {
    rows = JSON.parse(text);
  } catch (e) {
    throw new ImportRejected([{ line: 0, message: `the body is not JSON: ${(e as Error).message}` }], 1);
  }
  if (!Array.isArray(rows) || rows.some((r) => typeof r !== 'object' || r === null || Array.isArray(r))) {
    throw new ImportRejected([{ line: 0, message: 'the body must be a JSON array of objects' }], 1);
  }
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r as object)))];
  const cells = (rows as Record<string, unknown>[]).map((r) =>
    columns.map((c) => (r[c] === null || r[c] === undefined ? '' : String(r[c]))),
  );
  return stringify(cells, { header: true, columns });
}

/**
 * The HTTP surface's one translator: a user error answers its kind's status with what is
 * wrong (`error` the kind, `message` the text, an import's problems by line); a bug is a 500
 * whose reference is in the log line too.
 */
function sendError(res: ServerResponse, e: unknown, logger: Logger, what: string) {
  if (!isUserError(e)) {
    const ref = logBug(logger, what, e);
    return json(res, 500, { ok: false, error: `internal error: nothing was imported (ref ${ref})` });
  }
  const status = e instanceof TooLarge ? 413 : HTTP_STATUS[e.kind];
  const detail = e instanceof ImportRejected ? { problems: e.problems, total: e.totalProblems } : {};
  json(res, status, { ok: false, error: e.kind, message: e.message, ...detail });
}

export function importApi(mo: Mo, logger: Logger, maxBytes = MAX_IMPORT_BYTES) {
  const tokens = mo.tokens;
  return async function handle(req: IncomingMessage, res: ServerResponse, kind: string): Promise<void> {
    if (req.method !== 'POST') return json(res, 405, { ok: false, error: 'use POST' });
    if (!IMPORTS.includes(kind as (typeof IMPORTS)[number]))
      return json(res, 404, { ok: false, error: `unknown import "${kind}": spend, leads or opportunities` });
    const secret = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const token = secret ? await tokens.verify(secret) : null;
    if (!token) {
      logger.warn(`import API (${kind}): refused a request without a valid token`);
      return json(res, 401, {
        ok: false,
        error: 'a valid API token is required: Authorization: Bearer mo_…',
      });
    }
    // The same rule as the Slack gate: only a workspace Mo is (still) installed in is served.
    if (!(await mo.installations.forWorkspace(token.teamId)))
      return json(res, 403, { ok: false, error: 'Mo is not installed in this token’s workspace' });
    if (Number(req.headers['content-length'] ?? 0) > maxBytes) {
      return json(res, 413, { ok: false, error: `the body is larger than ${maxBytes} bytes` });
    }
    try {
      // From here on, only the workspace the token names.
      const scoped = mo.forTeam(token.teamId);
      const settings = await scoped.workspaces.ensure();
      const isJson = (req.headers['content-type'] ?? '').includes('json');
      const csv = isJson ? jsonRowsToCsv(await readAll(req, maxBytes)) : undefined;
      const url = new URL(req.url ?? '/', 'http://mo.local');
      const result = await scoped.imports[kind as (typeof IMPORTS)[number]]({
        now: scoped.clock(),
        currency: settings.currency,
        fiscalStartMonth: settings.fiscalStartMonth,
        source: 'api',
        actor: `token:${token.id}`,
        label: `api ${token.label || token.id}`,
        format: url.searchParams.get('format') ?? undefined,
        category: url.searchParams.get('category') ?? undefined,
        dryRun: url.searchParams.get('dry_run') === 'true',
        // Tokens are made by admins; ?unlocked=true lets a file change a locked month (audited).
        lock: {
          today: todayIn(scoped, settings.timezone),
          lockDays: settings.lockDays,
          unlocked: url.searchParams.get('unlocked') === 'true',
        },
        encoding: parseEncoding(url.searchParams.get('encoding') ?? undefined),
        // One pass: the request body streams straight into the import.
        open: () => {
          if (csv !== undefined) return Readable.from([csv]);
          const limited = limit(maxBytes);
          req.on('error', (e) => limited.destroy(e));
          return req.pipe(limited);
        },
      });
      if (kind === 'spend' && !result.dryRun) scoped.figuresChanged();
      logger.info(
        `import API (${kind}) for ${token.teamId} by token ${token.id}: ${result.rows} rows, ${result.added} added, ${result.updated} updated${result.dryRun ? ' (dry run)' : ''}`,
      );
      json(res, 200, { ok: true, ...result });
    } catch (e) {
      sendError(res, e, logger, `import API (${kind}) failed`);
    }
  };
}
