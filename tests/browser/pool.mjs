// Runs jobs a few at a time (the browser checks wait on pages more than
// they compute, so two share a 2-core machine well) and reports each one's
// result in the order the jobs were given, as soon as it and those before
// it are done. BROWSER_JOBS sets how many at once (default 2; 1 runs them
// one after another).
import { spawn } from 'node:child_process';

export const width = Math.max(1, Number(process.env.BROWSER_JOBS) || 2);

/// Runs `node script args` with `env` added, its output kept: resolves to
/// { status, stdout, stderr, seconds } (seconds: how long it took, for the
/// suite's report of where CI's time goes).
export function runNode(script, args, env = {}) {
  const started = performance.now();
  const seconds = () => Math.round((performance.now() - started) / 100) / 10;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (status) => resolve({ status, stdout, stderr, seconds: seconds() }));
    child.on('error', (e) => resolve({ status: null, stdout, stderr: stderr + String(e), seconds: seconds() }));
  });
}

/// Runs each of `jobs` (async functions) at most `at` at once (default
/// `width`), and calls `report(result, index)` in the jobs' order. Resolves
/// to every result.
export async function inOrder(jobs, report, at = width) {
  const results = new Array(jobs.length);
  const done = new Array(jobs.length).fill(false);
  let next = 0;
  let reported = 0;
  const flush = () => {
    while (reported < jobs.length && done[reported]) {
      report(results[reported], reported);
      reported++;
    }
  };
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
      done[i] = true;
      flush();
    }
  };
  await Promise.all(Array.from({ length: Math.min(at, jobs.length) }, worker));
  return results;
}
