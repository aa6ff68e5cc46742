// `cardhsm serve` as users run it: the built CLI (dist/cli/main.js) in a child process, on 127.0.0.1 with --port 0;
// the URL is read from its start line. Every process started here is stopped by stopAll() (SIGTERM, then SIGKILL).
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LMK_HEX, testConfig, type ConfigOptions } from './service.js';

export const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export interface Node {
  url: string;
  proc: ChildProcess;
  stderr(): string;
}

const running = new Set<ChildProcess>();

/** Writes a configuration (LMK in lmk.hex beside it) into `dir` and returns its path. */
export function writeConfig(dir: string, o: ConfigOptions): string {
  writeFileSync(join(dir, 'lmk.hex'), `${LMK_HEX}\n`, { mode: 0o600 });
  const path = join(dir, 'cardhsm.config.json');
  writeFileSync(path, JSON.stringify({ ...testConfig(o), lmk: { file: 'lmk.hex' } }, null, 2), { mode: 0o600 });
  return path;
}

/** Starts `cardhsm serve` with `args` in `cwd` and resolves once it listens (rejects if it exits first). */
export function serve(cwd: string, args: string[], env: Record<string, string> = {}): Promise<Node> {
  const proc = spawn(process.execPath, [CLI, 'serve', '--port', '0', ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(proc);
  proc.on('exit', () => running.delete(proc));
  let err = '';
  let out = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve({ url: m[1]!, proc, stderr: () => err });
    });
    proc.on('exit', (code) => reject(new Error(`cardhsm serve exited with ${code}: ${err}`)));
  });
}

export async function stop(node: Node, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (node.proc.exitCode !== null || node.proc.signalCode !== null) return node.proc.exitCode;
  return new Promise((resolve) => {
    node.proc.once('exit', (code) => resolve(code));
    node.proc.kill(signal);
  });
}

export function stopAll(): void {
  for (const p of running) p.kill('SIGKILL');
}
