// An emulator's `main.ts`: start it, print what a person needs (announce), stop it cleanly on SIGINT/SIGTERM, and
// exit 1 with the reason when it cannot start (e.g. the port is taken).
export function launch<Running extends { close(): Promise<void> }>(
  name: string, // e.g. autotask-emulator, in the start failure
  what: string, // e.g. the Autotask emulator, in the stop line
  start: () => Promise<Running>,
  announce: (running: Running) => void,
): void {
  const main = async () => {
    const running = await start();
    announce(running);
    const stop = (signal: string) => {
      console.log(`${signal}: stopping ${what}`);
      running.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  };
  main().catch((error: unknown) => {
    console.error(`${name} failed to start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
