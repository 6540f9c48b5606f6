// Which store a DATABASE_URL selects: `file:` is the embedded SQLite default,
// `postgres://` / `postgresql://` the scale-out PostgreSQL.
export type Provider = 'sqlite' | 'postgresql';

export function providerOf(url: string): Provider {
  if (url.startsWith('file:')) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgresql';
  throw new Error(
    `DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL), got "${url.split(':')[0]}:..."`,
  );
}

export function sqlitePath(url: string): string {
  return url.slice('file:'.length);
}
