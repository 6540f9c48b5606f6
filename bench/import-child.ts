// Runs one `mo` command line in this process and reports its wall time, CPU time (user +
// system, getrusage: comparable across runs on a loaded machine, where wall time is not) and
// peak RSS (getrusage's maxrss: the true high-water mark, not a sample), for
// bench/import-memory.ts. BENCH_TRACE_MS=N also prints the process's memory every N ms:
// the JS heap beside what the kernel counts (anonymous, file-backed and shared pages), to
// tell the heap from native memory (SQLite's caches, the driver) when RSS grows.
import { readFileSync } from 'node:fs';
import { main } from '../src/cli.js';

const traceMs = Number(process.env.BENCH_TRACE_MS ?? 0);
const mb = (bytes: number) => Math.round(bytes / 1e6);
const trace = traceMs
  ? setInterval(() => {
      const m = process.memoryUsage();
      const status = readFileSync('/proc/self/status', 'utf8');
      const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
      console.error(
        `TRACE ${((performance.now() - started) / 1000).toFixed(1)} s rss ${mb(m.rss)} heap ${mb(m.heapUsed)}/${mb(m.heapTotal)} ` +
          `external ${mb(m.external)} (buffers ${mb(m.arrayBuffers)}) anon ${Math.round(kb('RssAnon') / 1000)} ` +
          `file ${Math.round(kb('RssFile') / 1000)} shmem ${Math.round(kb('RssShmem') / 1000)} MB`,
      );
    }, traceMs)
  : undefined;
trace?.unref();

const started = performance.now();
const code = await main(process.argv.slice(2));
const seconds = (performance.now() - started) / 1000;
const usage = process.resourceUsage();
const cpuSeconds = (usage.userCPUTime + usage.systemCPUTime) / 1e6;
console.log(`BENCH ${JSON.stringify({ code, seconds, cpuSeconds, maxRssKb: usage.maxRSS })}`);
process.exit(code);
