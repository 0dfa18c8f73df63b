import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/shared/infrastructure/project-root';

// The house rules of DESIGN.md §2, held by dependency-cruiser (.dependency-cruiser.cjs): layers, the doors between
// modules and the table of which module may use which, Microsoft and its emulators, and no cycles (import type
// included). dependency-cruiser is ESM-only, so jest runs its CLI (STACK.md P1).
interface Violation {
  rule: { name: string };
  from: string;
  to: string;
  cycle?: { name: string }[];
}

function cruise(paths: string[]): Violation[] {
  const result = spawnSync(
    process.execPath,
    [
      join(projectRoot, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs'),
      '--config',
      '.dependency-cruiser.cjs',
      '--output-type',
      'json',
      ...paths,
    ],
    {
      cwd: projectRoot,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    },
  );
  if (!result.stdout) throw new Error(`dependency-cruiser did not answer: ${result.stderr}`);
  return (JSON.parse(result.stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

const described = (violations: Violation[]) =>
  violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}${v.cycle ? ` (cycle ${v.cycle.map((step) => step.name).join(' → ')})` : ''}`);

describe('the house rules, checked by dependency-cruiser', () => {
  it('holds for the whole code base', () => {
    expect(described(cruise(['src', 'libs', 'test']))).toEqual([]);
  }, 120_000);

  it('names the rule each planted violation breaks', () => {
    // Each file is written where the rule applies, cruised, and removed again.
    // (A cycle is reported once, from its first file.)
    const planted: [path: string, source: string, rule: string | null][] = [
      [
        'src/modules/licensing/domain/zz-planted-own-infrastructure.ts',
        "import '../infrastructure/persistence/keyset-page';\nexport {};\n",
        'domain-imports-only-domain',
      ],
      [
        'src/modules/licensing/application/zz-planted-infrastructure.ts',
        "import '../infrastructure/persistence/keyset-page';\nexport {};\n",
        'application-never-imports-infrastructure-or-interface',
      ],
      [
        'src/modules/licensing/application/zz-planted-microsoft.ts',
        "import '../../../../libs/microsoft/src';\nexport {};\n",
        'only-microsoft-adapters-speak-microsoft',
      ],
      [
        'src/modules/licensing/application/zz-planted-emulator.ts',
        'import "../../../../libs/microsoft-emulator/src";\nexport {};\n',
        'emulators-only-from-launcher-config-and-tests',
      ],
      [
        'src/modules/licensing/application/zz-planted-connectwise.ts',
        "import '../../../../libs/connectwise-psa/src';\nexport {};\n",
        'only-connectwise-adapters-speak-connectwise',
      ],
      [
        'src/modules/licensing/application/zz-planted-autotask.ts',
        "import '../../../../libs/autotask/src';\nexport {};\n",
        'only-autotask-adapters-speak-autotask',
      ],
      [
        'src/modules/webhooks/application/zz-planted-deep-import.ts',
        'import "../../licensing/domain/tenant-licence";\nexport {};\n',
        'modules-meet-only-at-their-door',
      ],
      ['src/shared/application/zz-planted-module.ts', "import '../../modules/tenants';\nexport {};\n", 'shared-never-imports-a-module'],
      [
        'src/modules/accounts/application/zz-planted-unlisted-module.ts',
        "import '../../licensing';\nexport {};\n",
        'module-dependencies-of-accounts',
      ],
      ['libs/http-kit/src/zz-planted-vendor.ts', "import '../../microsoft/src';\nexport {};\n", 'kits-stand-alone'],
      [
        'libs/microsoft/src/zz-planted-emulator-kit.ts',
        "import '../../emulator-kit/src';\nexport {};\n",
        'emulator-kit-only-for-emulators',
      ],
      [
        'src/modules/audit/application/zz-planted-cycle-a.ts',
        "import type { B } from './zz-planted-cycle-b';\nexport type A = B;\n",
        'no-cycles',
      ],
      [
        'src/modules/audit/application/zz-planted-cycle-b.ts',
        "import type { A } from './zz-planted-cycle-a';\nexport type B = A | 1;\n",
        null,
      ],
    ];
    try {
      for (const [path, source] of planted) writeFileSync(join(projectRoot, path), source);
      const violations = cruise(planted.map(([path]) => path));
      for (const [path, , rule] of planted) {
        if (rule === null) continue;
        expect({ path, rules: violations.filter((v) => v.from === path).map((v) => v.rule.name) }).toEqual({
          path,
          rules: expect.arrayContaining([rule]),
        });
      }
    } finally {
      for (const [path] of planted) rmSync(join(projectRoot, path), { force: true });
    }
  }, 120_000);
});
