/**
 * On SIGTERM/SIGINT, Nest's shutdown hooks close the app gracefully; this makes sure the process ends even if
 * a connection never answers (Redis or PostgreSQL down), `seconds` after the signal.
 */
export function exitAfterShutdownDeadline(seconds: number): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => {
        process.stderr.write(`shutdown did not finish within ${seconds} s; exiting\n`);
        process.exit(1);
      }, seconds * 1000).unref();
    });
  }
}
