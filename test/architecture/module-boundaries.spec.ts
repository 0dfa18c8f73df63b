import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

// Import rules (layers, module doors, Microsoft, emulators, cycles) are dependency-cruiser's: dependency-rules.spec.ts.
// What it cannot see is a call: HTTP leaves the app only through libs/microsoft.
describe('module boundaries (DESIGN.md §2)', () => {
  it('reaches Microsoft (or any HTTP server) only through libs/microsoft', () => {
    const violations = sourceFiles(join(root, 'src'))
      .filter((file) => !/\.(spec|int-spec|e2e-spec)\.ts$/.test(file))
      // Webhook delivery calls the partner's own receiver, not Microsoft: allowed in that module's adapter only.
      .filter((file) => !relative(root, file).startsWith('src/modules/webhooks/infrastructure/'))
      // `import type` of node:http (request types for logging) sends nothing and is allowed.
      .filter((file) =>
        /\bfetch\(|^import (?!type\b)[^;]*from '(node:)?https?'|from 'undici'|from 'axios'/m.test(readFileSync(file, 'utf8')),
      )
      .map((file) => relative(root, file));
    expect(violations).toEqual([]);
  });
});
