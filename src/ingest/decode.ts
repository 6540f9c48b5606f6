// Bytes to text before the CSV parser: UTF-8 by default, read strictly, so a file saved
// as Latin-1 (`Caf\xe9`) is refused with the line it breaks on instead of being stored as
// U+FFFD; or the 8-bit encoding the user names (WHATWG's decoder: `latin1` and
// `iso-8859-1` read as windows-1252, which is what spreadsheets on Windows write).
import { Transform } from 'node:stream';
import { UserError } from '../domain/errors.js';

export const ENCODINGS = ['utf-8', 'utf8', 'latin1', 'iso-8859-1', 'windows-1252', 'cp1252'] as const;
export type Encoding = (typeof ENCODINGS)[number];

/** A file's bytes are not text in the encoding it is read in. */
export class EncodingError extends UserError {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super('invalid', message, { field: 'encoding' });
  }
}

/** Reads a user's `--encoding` / `?encoding=` (case-insensitive); refuses anything else. */
export function parseEncoding(name: string | undefined): Encoding {
  if (name === undefined || name === '') return 'utf-8';
  const lower = name.trim().toLowerCase();
  if ((ENCODINGS as readonly string[]).includes(lower)) return lower as Encoding;
  throw new UserError('invalid', `unknown encoding "${name}": use utf-8, latin1 or windows-1252`, {
    field: 'encoding',
  });
}

const isUtf8 = (encoding: Encoding) => encoding === 'utf-8' || encoding === 'utf8';
const NEWLINE = 0x0a;

function utf8Refusal(line: number): EncodingError {
  return new EncodingError(
    line,
    'this line is not UTF-8 text; if the file was saved as Latin-1 or Windows-1252, name the encoding (mo import … --encoding windows-1252, or ?encoding=windows-1252 on the API)',
  );
}

/**
 * A Transform from bytes to text. For UTF-8 it decodes whole lines only (a newline byte is
 * never inside a multi-byte character), so an invalid sequence is reported with its line.
 */
export function decodeText(encoding: Encoding = 'utf-8'): Transform {
  if (!isUtf8(encoding)) {
    const decoder = new TextDecoder(encoding);
    return new Transform({
      readableObjectMode: false,
      transform(chunk: Buffer, _enc, done) {
        done(null, decoder.decode(chunk, { stream: true }));
      },
      flush(done) {
        done(null, decoder.decode());
      },
    });
  }
  // Each call decodes whole lines afresh: the BOM is kept here and dropped once, below.
  const fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let carry: Buffer = Buffer.alloc(0);
  let line = 1;
  let first = true;
  const decodeLines = (bytes: Buffer): string => {
    try {
      return fatal.decode(bytes);
    } catch {
      let at = 0;
      for (let n = line; ; n++) {
        const end = bytes.indexOf(NEWLINE, at);
        const piece = bytes.subarray(at, end === -1 ? bytes.length : end + 1);
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(piece);
        } catch {
          throw utf8Refusal(n);
        }
        if (end === -1) throw utf8Refusal(n);
        at = end + 1;
      }
    }
  };
  const count = (bytes: Buffer) => {
    let n = 0;
    for (let i = bytes.indexOf(NEWLINE); i !== -1; i = bytes.indexOf(NEWLINE, i + 1)) n++;
    return n;
  };
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      const bytes = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      const last = bytes.lastIndexOf(NEWLINE);
      if (last === -1) {
        carry = bytes;
        return done();
      }
      carry = Buffer.from(bytes.subarray(last + 1));
      const whole = bytes.subarray(0, last + 1);
      try {
        let text = decodeLines(whole);
        if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        first = false;
        line += count(whole);
        done(null, text);
      } catch (e) {
        done(e as Error);
      }
    },
    flush(done) {
      try {
        let text = carry.length ? decodeLines(carry) : '';
        if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        done(null, text);
      } catch (e) {
        done(e as Error);
      }
    },
  });
}
