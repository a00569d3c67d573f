// Preloaded into the CLI a bench runs (node -r): as the process exits, it writes its own VmHWM (peak RSS, Linux)
// to stderr, so the peak of writing the report at the very end is counted, which sampling from outside can miss.
process.on('exit', () => {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(require('node:fs').readFileSync('/proc/self/status', 'utf8'));
    if (match) process.stderr.write(`\namdahl-bench-vmhwm-kb ${match[1]}\n`);
  } catch {
    // not Linux: the sampled peak stands
  }
});
