// Demo mode's local services (Microsoft, ConnectWise, Autotask) each listen on a fixed port a person may need to
// know (the PSAs' URLs are entered under Settings → Billing → PSA and saved). A port already taken is said in plain
// words with the variable that moves it, never a stack trace.
export class DemoPortInUseError extends Error {
  constructor(what: string, variable: string, port: number) {
    super(`Port ${port} of ${what} is already in use. Stop the other program or set ${variable} to a free port.`);
    this.name = 'DemoPortInUseError';
  }
}

export async function startOnDemoPort<T>(what: string, variable: string, port: number, start: (port: number) => Promise<T>): Promise<T> {
  try {
    return await start(port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    throw new DemoPortInUseError(what, variable, port);
  }
}
