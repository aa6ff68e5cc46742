// A Cloudflare Worker in workerd, the open-source Workers runtime (the `workerd` package ships its binary on the
// registry). The Worker's modules are written to a folder with a config that names each one, as wrangler would
// upload them: ES modules, .wasm files as precompiled WebAssembly modules, data files as bytes. It listens on 127.0.0.1 at a port
// the system picks, which workerd reports on its control pipe; stop() ends the process.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

// The package is CommonJS: `default` is the path of the workerd binary for this platform, `compatibilityDate`
// the newest date that binary supports.
const { default: workerd, compatibilityDate } = createRequire(import.meta.url)('workerd') as {
  default: string;
  compatibilityDate: string;
};

export interface RunningWorker {
  url: string;
  /** What workerd printed (its own errors, the Worker's uncaught exceptions). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts workerd serving the Worker whose files are in `dir`; `modules` lists them, the main module first: `.js`
 * are ES modules, `.wasm` precompiled WebAssembly modules, `.bin` raw bytes (an ArrayBuffer).
 */
export async function startWorker(dir: string, modules: string[]): Promise<RunningWorker> {
  const kind = (m: string) => (m.endsWith('.wasm') ? 'wasm' : m.endsWith('.bin') ? 'data' : 'esModule');
  const entries = modules.map((m) => `(name = ${JSON.stringify(m)}, ${kind(m)} = embed ${JSON.stringify(m)})`);
  writeFileSync(
    join(dir, 'config.capnp'),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [${entries.join(', ')}],
  compatibilityDate = ${JSON.stringify(compatibilityDate)},
);
`,
  );
  const child: ChildProcess = spawn(workerd, ['serve', 'config.capnp', '--control-fd=3'], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    let control = '';
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (d: Buffer) => {
      control += d.toString();
      const lines = control.split('\n');
      control = lines.pop()!; // an unfinished line waits for the rest
      for (const line of lines) {
        const event = JSON.parse(line) as { event?: string; port?: number };
        if (event.event === 'listen' && typeof event.port === 'number') resolve(event.port);
      }
    });
    void exited.then(() => reject(new Error(`workerd exited before listening:\n${output}`)));
  });
  return {
    url: `http://127.0.0.1:${port}/`,
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
