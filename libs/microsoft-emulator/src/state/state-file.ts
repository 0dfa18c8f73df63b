import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomically } from '../tls/certificate-authority';

const STATE_FILE = 'state.json';

export function readStateFile<T>(dataDir: string): T | undefined {
  const path = join(dataDir, STATE_FILE);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : undefined;
}

// Temp file + rename: a crash mid-write never leaves a half-written state behind.
// Mode 0600 because the file holds refresh-token hashes and SSO session hashes.
export function writeStateFile(dataDir: string, state: unknown): void {
  mkdirSync(dataDir, { recursive: true });
  writeFileAtomically(join(dataDir, STATE_FILE), JSON.stringify(state, null, 2), 0o600);
}
