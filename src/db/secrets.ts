// Secrets at rest (Slack bot and refresh tokens): AES-256-GCM with a random 96-bit IV per
// value, the row's key as additional data (a ciphertext copied onto another row fails), and
// the id of the key that sealed it stored beside it so keys can rotate: the newest key seals,
// every listed key opens, and `mo keys rotate` reseals old rows under the newest.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { UserError } from '../domain/errors.js';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const FORMAT = 'v1';

/** A missing, malformed or wrong MO_ENCRYPTION_KEY: the operator's to fix, never a token in it. */
export class KeyringError extends UserError {
  constructor(message: string) {
    super('invalid', message, { field: 'MO_ENCRYPTION_KEY' });
  }
}

export interface Keyring {
  /** The id of the key new values are sealed with (the first listed). */
  readonly currentId: string;
  readonly ids: readonly string[];
  seal(plain: string, context: string): { keyId: string; sealed: string };
  open(sealed: string, keyId: string, context: string): string;
}

function decodeKey(text: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32)
    throw new KeyringError(
      'MO_ENCRYPTION_KEY: each key must be 32 bytes, in base64 (openssl rand -base64 32) or 64 hex digits',
    );
  return key;
}

/** A key's default id: a short digest of it, so the same key always gets the same id. */
const idOf = (key: Buffer) => createHash('sha256').update(key).digest('hex').slice(0, 8);

/**
 * Parses MO_ENCRYPTION_KEY: `KEY` or `ID:KEY,ID:KEY,...` with the newest key first. To rotate,
 * put a new key in front, restart, run `mo keys rotate`, then drop the old key.
 */
export function parseKeyring(spec: string): Keyring {
  const keys = new Map<string, Buffer>();
  for (const part of spec
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const colon = part.indexOf(':');
    const key = decodeKey(colon > 0 ? part.slice(colon + 1) : part);
    const id = colon > 0 ? part.slice(0, colon) : idOf(key);
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(id))
      throw new KeyringError(`MO_ENCRYPTION_KEY: key id "${id}" must be 1-32 letters, digits, - or _`);
    if (keys.has(id)) throw new KeyringError(`MO_ENCRYPTION_KEY: key id "${id}" is listed twice`);
    keys.set(id, key);
  }
  const ids = [...keys.keys()];
  const currentId = ids[0];
  if (!currentId) throw new KeyringError('MO_ENCRYPTION_KEY: no key given');
  return {
    currentId,
    ids,
    seal(plain, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', keys.get(currentId) as Buffer, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const sealed = `${FORMAT}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
      return { keyId: currentId, sealed };
    },
    open(sealed, keyId, context) {
      const key = keys.get(keyId);
      // Never the value in an error: only which key is missing.
      if (!key)
        throw new KeyringError(
          `A stored token was sealed with key "${keyId}", which MO_ENCRYPTION_KEY does not list (listed: ${ids.join(', ')})`,
        );
      const [format, payload] = sealed.split('.', 2);
      const raw = Buffer.from(payload ?? '', 'base64');
      if (format !== FORMAT || raw.length < IV_BYTES + TAG_BYTES)
        throw new KeyringError('A stored token is not in a format Mo can read');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
        return Buffer.concat([
          decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)),
          decipher.final(),
        ]).toString('utf8');
      } catch {
        throw new KeyringError(`A stored token does not open with key "${keyId}" (wrong key, or altered)`);
      }
    },
  };
}
