// V8 tuning for Mo's streaming work, set once when a `mo` process starts.
//
// Imports (and digests) hold rows for one batch: parsed, checked, written, dropped. While a
// process is young its new space is small (1 MB), so a whole batch is still alive at each
// early scavenge; V8's allocation-site pretenuring reads that as "these objects live long"
// and from then on allocates every later row's objects straight in the old generation. Dead
// rows there keep their young strings alive too (old-to-new references are scavenge roots),
// so the old generation filled with ~120 MB of garbage between full collections: a
// 1,000,000-row import peaked at 380 MB RSS though its live heap stayed near 40 MB. The
// decision is sticky (pretenured sites record no more survival feedback), so without
// pretenuring rows die young as they should, and peak memory stops depending on when the
// first scavenges happened to fall.
import { setFlagsFromString } from 'node:v8';

let tuned = false;

export function tuneHeapForBatches(): void {
  if (tuned) return;
  tuned = true;
  // Read at each garbage collection, so it takes effect when set at run time.
  setFlagsFromString('--no-allocation-site-pretenuring');
}

/**
 * For a command that runs once and exits (`mo import`, `mo demo`): Prisma's query compiler is
 * WebAssembly, and V8 recompiles its hot functions with its optimizing compiler in the
 * background, ~40 MB of machine code a long-running server earns back but an import never
 * does (it sends a handful of Prisma queries around its bulk session). Baseline code only
 * keeps that memory for the import's own rows: a `mo import`'s RSS before it reads a row went
 * from ~210 MB to ~170 MB. Set before the first Prisma query compiles the module.
 */
export function tuneForOneShotCommand(): void {
  tuneHeapForBatches();
  setFlagsFromString('--liftoff-only');
}
