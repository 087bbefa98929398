import type { AppConfig } from '#app/config';
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const ARTIFACTS = 'test-artifacts';

/** The environment that gives a child app the same settings as `config`. */
export function environmentOf(config: AppConfig, overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
  for (const [key, value] of Object.entries(config)) {
    if (value !== undefined && value !== null) env[key] = String(value);
  }
  return { ...env, ...overrides };
}

export interface AppProcess {
  child: ChildProcess;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
  logFile: string;
}

/** Starts a built app (`dist/apps/<app>/main.js`) with its output in test-artifacts/<name>.log. */
export function startApp(
  app: 'api' | 'worker' | 'cli',
  name: string,
  config: AppConfig,
  overrides: Record<string, string> = {},
  args: string[] = [],
): AppProcess {
  mkdirSync(ARTIFACTS, { recursive: true });
  const logFile = join(ARTIFACTS, `${name}.log`);
  const log = createWriteStream(logFile, { flags: 'w' });
  const child = spawn('node', [`dist/apps/${app}/main.js`, ...args], {
    env: environmentOf(config, overrides),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  return { child, exited, logFile };
}

/** Runs a CLI command to the end; rejects with its output when it fails. */
export async function runCli(config: AppConfig, args: string[]): Promise<string> {
  const { code, stdout, stderr } = await runCliResult(config, args);
  if (code !== 0) throw new Error(`cli ${args.join(' ')} exited ${code}: ${stderr}`);
  return stdout;
}

/** Runs a CLI command to the end; its exit code and output, whatever the code. */
export async function runCliResult(
  config: AppConfig,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn('node', ['dist/apps/cli/main.js', ...args], {
    env: environmentOf(config),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, stdout, stderr };
}

/** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
export async function stopApp(app: AppProcess, graceMs = 15_000): Promise<void> {
  if (app.child.exitCode !== null || app.child.signalCode !== null) return;
  app.child.kill('SIGTERM');
  const timer = setTimeout(() => app.child.kill('SIGKILL'), graceMs);
  await app.exited;
  clearTimeout(timer);
}
