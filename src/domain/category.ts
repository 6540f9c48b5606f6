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
