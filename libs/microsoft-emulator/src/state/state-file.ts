import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomically } from '../tls/certificate-authority';

const STATE_FILE = 'state.json';

export function readStateFile<T>(dataDir: string, fileName = STATE_FILE): T | undefined {
  const path = join(dataDir, fileName);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : undefined;
}

// Temp file + rename: a crash mid-write never leaves a half-written state behind.
// Mode 0600 because the files hold refresh-token hashes, SSO session hashes and customer data.
export function writeStateFile(dataDir: string, state: unknown, fileName = STATE_FILE): void {
  mkdirSync(dataDir, { recursive: true });
  writeFileAtomically(join(dataDir, fileName), JSON.stringify(state), 0o600);
}
