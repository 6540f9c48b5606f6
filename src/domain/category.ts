// Categories form a two-level tree written `Top` or `Top/Sub` ("Paid Media/Search").
// Matching is case-insensitive; the first spelling a workspace used is kept.
import { InvalidError } from './errors.js';

export class CategoryError extends InvalidError {
  constructor(message: string) {
    super(message, { field: 'category' });
  }
}

export const MAX_CATEGORY_LENGTH = 100;

export function normalizeCategory(text: string): string {
  const parts = text.split('/').map((part) => part.trim().replace(/\s+/g, ' '));
  if (parts.some((p) => p === '')) {
    throw new CategoryError(`"${text}" is not a category: write it like Paid Media or Paid Media/Search`);
  }
  if (parts.length > 2) {
    throw new CategoryError(
      `"${text}" has ${parts.length} levels; categories have two at most (Paid Media/Search)`,
    );
  }
  const name = parts.join('/');
  if (name.length > MAX_CATEGORY_LENGTH) {
    throw new CategoryError(
      `category "${name.slice(0, 30)}…" is longer than ${MAX_CATEGORY_LENGTH} characters`,
    );
  }
  return name;
}

export function categoryKey(category: string): string {
  return category.toLowerCase();
}

export function topOf(category: string): string {
  return category.split('/')[0] ?? category;
}

export function isTopLevel(category: string): boolean {
  return !category.includes('/');
}

/** Whether `category` is `node` or lies under it. */
export function isWithin(category: string, node: string): boolean {
  const c = categoryKey(category);
  const n = categoryKey(node);
  return c === n || c.startsWith(`${n}/`);
}

/** The spelling of `category` the workspace already uses, if any (case-insensitive). */
export function canonicalCategory(category: string, known: Iterable<string>): string {
  const key = categoryKey(category);
  for (const k of known) if (categoryKey(k) === key) return k;
  return category;
}

/**
 * A short, stable stand-in for a category in a Slack option value (at most 75 characters,
 * where a category may have 100, each of which JSON may spell with up to 6): FNV-1a 64 over
 * the case-folded name, 16 hex digits. The click is resolved against the workspace's own
 * categories, so a key that no longer matches one is refused, never guessed.
 */
export function categoryRef(category: string): string {
  const key = categoryKey(category);
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < key.length; i++) {
    hash ^= BigInt(key.charCodeAt(i));
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}

export const isCategoryRef = (text: unknown): text is string =>
  typeof text === 'string' && /^[0-9a-f]{16}$/.test(text);
