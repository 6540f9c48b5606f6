// Every timestamp Mo writes comes from Mo's clock (MO_NOW when set), never from the database's
// or Prisma's: the models carry no @default(now()) and no @updatedAt, and this client extension
// fills createdAt / updatedAt (and the other "set when created" instants) on every write.
// A write that escaped it would fail on the NOT NULL column instead of taking the wall clock.
import type { Clock } from '../clock.js';
import { type Db, Prisma } from './client.js';

/** Instants set when a row is created, beyond createdAt/updatedAt. */
const ALSO_ON_CREATE: Record<string, string[]> = { Workspace: ['digestChangedAt'] };

function fieldsOf(model: string): Set<string> {
  const fields = (Prisma as unknown as Record<string, Record<string, string> | undefined>)[
    `${model}ScalarFieldEnum`
  ];
  return new Set(Object.keys(fields ?? {}));
}

const onCreate = new Map<string, string[]>();
const onUpdate = new Map<string, string[]>();
for (const model of Object.values(Prisma.ModelName)) {
  const fields = fieldsOf(model);
  const created = ['createdAt', 'updatedAt', ...(ALSO_ON_CREATE[model] ?? [])].filter((f) => fields.has(f));
  if (created.length) onCreate.set(model, created);
  if (fields.has('updatedAt')) onUpdate.set(model, ['updatedAt']);
}

type Data = Record<string, unknown>;

function stamp(data: unknown, fields: string[] | undefined, now: Date): unknown {
  if (!fields || !data || typeof data !== 'object') return data;
  if (Array.isArray(data)) return data.map((row) => stamp(row, fields, now));
  const row = { ...(data as Data) };
  for (const field of fields) if (row[field] === undefined) row[field] = now;
  return row;
}

/** The same client, with Mo's clock stamping every create and update. */
export function withClockStamps(db: Db, clock: Clock): Db {
  return db.$extends({
    name: 'mo-clock-stamps',
    query: {
      $allModels: {
        async $allOperations({ model, operation, args, query }) {
          const a = args as Data;
          const created = onCreate.get(model);
          const updated = onUpdate.get(model);
          if (!created && !updated) return query(args);
          const now = clock();
          switch (operation) {
            case 'create':
            case 'createMany':
            case 'createManyAndReturn':
              return query({ ...a, data: stamp(a.data, created, now) } as typeof args);
            case 'update':
            case 'updateMany':
            case 'updateManyAndReturn':
              return query({ ...a, data: stamp(a.data, updated, now) } as typeof args);
            case 'upsert':
              return query({
                ...a,
                create: stamp(a.create, created, now),
                update: stamp(a.update, updated, now),
              } as typeof args);
            default:
              return query(args);
          }
        },
      },
    },
  }) as unknown as Db;
}

type Stamps = { createdAt: Date; updatedAt: Date; digestChangedAt: Date };

/**
 * Create data as a repository writes it: the instants are filled from Mo's clock by
 * `withClockStamps` when the row is written, so they are typed here as present.
 */
export function clockStamped<D extends object>(data: D): D & Stamps {
  return data as D & Stamps;
}
