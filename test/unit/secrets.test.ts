import { describe, expect, it } from 'vitest';
import { KeyringError, parseKeyring } from '../../src/db/secrets.js';

const KEY_A = Buffer.alloc(32, 1).toString('base64');
const KEY_B = Buffer.alloc(32, 2).toString('hex');
const TOKEN = 'xoxb-1234-5678-abcdefghijkl';

describe('the token keyring', () => {
  it('seals with a fresh IV each time and opens what it sealed', () => {
    const k = parseKeyring(`a:${KEY_A}`);
    const one = k.seal(TOKEN, 'T:T1');
    const two = k.seal(TOKEN, 'T:T1');
    expect(one.keyId).toBe('a');
    expect(one.sealed).not.toBe(two.sealed);
    expect(one.sealed).not.toContain('xoxb');
    expect(k.open(one.sealed, 'a', 'T:T1')).toBe(TOKEN);
  });

  it('refuses a ciphertext moved to another row, altered, or under a key it does not hold', () => {
    const k = parseKeyring(`a:${KEY_A}`);
    const { sealed } = k.seal(TOKEN, 'T:T1');
    expect(() => k.open(sealed, 'a', 'T:T2')).toThrow(KeyringError);
    const flipped = `${sealed.slice(0, -4)}${sealed.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    expect(() => k.open(flipped, 'a', 'T:T1')).toThrow(/does not open/);
    expect(() => k.open(sealed, 'zz', 'T:T1')).toThrow(/key "zz", which MO_ENCRYPTION_KEY does not list/);
    try {
      k.open(sealed, 'a', 'T:T2');
    } catch (e) {
      expect(String(e)).not.toContain(TOKEN);
    }
  });

  it('seals with the first key and opens with any listed, so keys rotate', () => {
    const old = parseKeyring(`a:${KEY_A}`);
    const { sealed } = old.seal(TOKEN, 'E:E1');
    const rotated = parseKeyring(`b:${KEY_B},a:${KEY_A}`);
    expect(rotated.currentId).toBe('b');
    expect(rotated.open(sealed, 'a', 'E:E1')).toBe(TOKEN);
    expect(rotated.seal(TOKEN, 'E:E1').keyId).toBe('b');
  });

  it('names a bare key by its digest, and rejects keys of the wrong size or repeated ids', () => {
    expect(parseKeyring(KEY_A).currentId).toMatch(/^[0-9a-f]{8}$/);
    expect(parseKeyring(KEY_A).currentId).toBe(parseKeyring(KEY_A).currentId);
    expect(() => parseKeyring('short')).toThrow(/32 bytes/);
    expect(() => parseKeyring(`a:${KEY_A},a:${KEY_B}`)).toThrow(/listed twice/);
    expect(() => parseKeyring(' , ')).toThrow(/no key/);
  });
});
