// Preloaded into a benchmarked kpibot process (node --require): at exit, writes the process's
// peak resident set size in KB to the file named by KPIBOT_BENCH_RSS_FILE.
const { writeFileSync } = require('node:fs');

process.on('exit', () => {
  writeFileSync(process.env.KPIBOT_BENCH_RSS_FILE, String(process.resourceUsage().maxRSS));
});
