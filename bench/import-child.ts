// Runs one `mo` command line in this process and reports its wall time and peak RSS
// (getrusage's maxrss: the true high-water mark, not a sample), for bench/import-memory.ts.
import { main } from '../src/cli.js';

const started = performance.now();
const code = await main(process.argv.slice(2));
const seconds = (performance.now() - started) / 1000;
console.log(`BENCH ${JSON.stringify({ code, seconds, maxRssKb: process.resourceUsage().maxRSS })}`);
process.exit(code);
