// Lookups by several keys in nested maps rather than by one key string: an import looks a
// cell up for every row it reads, and building and hashing a key string per row was a
// twentieth of its CPU time.

/** The map under `key` in `outer`, made empty the first time. */
export function inner<K, IK, IV>(outer: Map<K, Map<IK, IV>>, key: K): Map<IK, IV> {
  let found = outer.get(key);
  if (!found) {
    found = new Map();
    outer.set(key, found);
  }
  return found;
}
