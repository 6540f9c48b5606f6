// resvg allocates through mimalloc (linked into its Node addon), which by default returns
// freed memory to the OS 10 ms after it is freed: each chart's ~4 MB pixmap then comes back
// as fresh pages the kernel must fault in and zero, which was over half of a chart's CPU on
// a busy machine. Kept for 1 s, the pages are reused chart after chart through a burst and
// still handed back when Mo is idle. mimalloc reads its options from the environment once,
// when the addon loads: render.ts imports this module before resvg. An operator's own
// setting wins.
process.env.MIMALLOC_PURGE_DELAY ??= '1000';
