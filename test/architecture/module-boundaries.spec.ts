import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';

const root = resolve(__dirname, '..', '..');
const modulesDir = join(root, 'src', 'modules');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

function imports(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/(?:import|export)[^'"]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g)].map((m) => m[1] ?? m[2]).filter((s) => s.startsWith('.'));
}

describe('module boundaries (DESIGN.md §2)', () => {
  it('lets a module reach another module only through its index.ts', () => {
    const violations: string[] = [];
    for (const file of sourceFiles(modulesDir)) {
      const ownModule = relative(modulesDir, file).split('/')[0];
      for (const specifier of imports(file)) {
        const target = relative(modulesDir, resolve(dirname(file), specifier));
        if (target.startsWith('..')) continue;
        const [targetModule, ...rest] = target.split('/');
        if (targetModule !== ownModule && !(rest.length === 0 || (rest.length === 1 && rest[0] === 'index'))) {
          violations.push(`${relative(root, file)} imports ${specifier}`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it('keeps domain code free of frameworks and infrastructure', () => {
    const violations = sourceFiles(modulesDir)
      .filter((file) => file.includes('/domain/'))
      .flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/from\s+'(@nestjs\/[^']+|@mikro-orm\/[^']+|express|pg)'/g)].map((m) => `${relative(root, file)} imports ${m[1]}`));
    expect(violations).toEqual([]);
  });

  it('keeps libs/ independent of the app in src/', () => {
    const violations = sourceFiles(join(root, 'libs'))
      .filter((file) => !file.endsWith('.spec.ts'))
      .flatMap((file) => imports(file).filter((s) => resolve(dirname(file), s).startsWith(join(root, 'src'))).map((s) => `${relative(root, file)} imports ${s}`));
    expect(violations).toEqual([]);
  });

  it('keeps application code free of interface (web, HTTP, jobs) code', () => {
    const violations = sourceFiles(join(root, 'src'))
      .filter((file) => file.includes('/application/') && !file.endsWith('.spec.ts'))
      .flatMap((file) => imports(file).filter((s) => resolve(dirname(file), s).includes('/interface/')).map((s) => `${relative(root, file)} imports ${s}`));
    expect(violations).toEqual([]);
  });

  it('reaches Microsoft (or any HTTP server) only through libs/microsoft', () => {
    const violations = sourceFiles(join(root, 'src'))
      .filter((file) => !/\.(spec|int-spec|e2e-spec)\.ts$/.test(file))
      // Webhook delivery calls the partner's own receiver, not Microsoft: allowed in that module's adapter only.
      .filter((file) => !relative(root, file).startsWith('src/modules/webhooks/infrastructure/'))
      // `import type` of node:http (request types for logging) sends nothing and is allowed.
      .filter((file) => /\bfetch\(|^import (?!type\b)[^;]*from '(node:)?https?'|from 'undici'|from 'axios'/m.test(readFileSync(file, 'utf8')))
      .map((file) => relative(root, file));
    expect(violations).toEqual([]);
  });
});
