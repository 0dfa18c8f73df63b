// The house rules of DESIGN.md §2, checked by dependency-cruiser in `npm test` (test/architecture/dependency-rules.spec.ts).
// Each rule says why; a violation names the rule, the importing file and the imported one.

// Which module may use which (through its index.ts or events.ts only): growth of this table is a decision, not an
// accident. A module not listed uses no other module.
const ALLOWED_MODULE_DEPENDENCIES = {
  accounts: ['audit'],
  audit: [],
  consent: ['audit', 'tenants'],
  'partner-center': ['consent'],
  tenants: ['audit', 'consent', 'licensing', 'partner-center', 'reconciliation'],
  licensing: ['partner-center', 'tenants'],
  'direct-csp': ['audit', 'consent', 'licensing', 'partner-center', 'tenants'],
  webhooks: ['alerts', 'audit', 'billing', 'consent', 'licensing', 'portal', 'psa-sync', 'reconciliation', 'tenants'],
  portal: ['audit', 'consent', 'direct-csp', 'licensing', 'partner-center', 'tenants'],
  reconciliation: ['audit', 'consent', 'licensing', 'tenants'],
  billing: ['alerts', 'audit', 'licensing', 'reconciliation', 'tenants'],
  alerts: ['accounts', 'audit', 'billing', 'consent', 'licensing', 'psa-sync', 'reconciliation', 'tenants'],
  'psa-sync': ['alerts', 'audit', 'billing', 'reconciliation'],
};

const MODULE_DOOR = '^src/modules/[^/]+/(index|events)\\.ts$';
const TESTS = '\\.(spec|int-spec|e2e-spec)\\.ts$|/testing/';

module.exports = {
  forbidden: [
    {
      name: 'domain-imports-only-domain',
      comment:
        'Domain classes are plain TypeScript: they import their own domain and the shared domain kernel, nothing else (no framework, no infrastructure, no other layer).',
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/domain/', pathNot: TESTS },
      // Node's own modules (crypto for signatures and key hashes) are plain library code.
      to: { dependencyTypesNot: ['core'], pathNot: ['^src/modules/$1/domain/', '^src/shared/domain/'] },
    },
    {
      name: 'application-never-imports-infrastructure-or-interface',
      comment: 'Use cases depend on ports (abstract classes), never on the adapters or the web/HTTP/jobs layer that call them.',
      severity: 'error',
      from: { path: '^src/(modules/[^/]+|shared)/application/', pathNot: TESTS },
      to: { path: '^src/(modules/[^/]+|shared)/(infrastructure|interface)/' },
    },
    {
      name: 'only-microsoft-adapters-speak-microsoft',
      comment:
        'Microsoft is reached only through libs/microsoft, from a module’s infrastructure/microsoft adapters (the anti-corruption layer).',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/modules/[^/]+/infrastructure/microsoft/', '\\.(spec|int-spec|e2e-spec)\\.ts$'] },
      to: { path: '^libs/microsoft/' },
    },
    {
      name: 'emulators-only-from-launcher-config-and-tests',
      comment:
        'The local Microsoft is a stand-in for tests, the demo and benchmarks: the product reaches it only through configured base URLs, started by the launcher (src/main.ts) and the demo configuration.',
      severity: 'error',
      from: { path: '^(src|libs/microsoft/)', pathNot: ['^src/main\\.ts$', '^src/config/', '\\.(spec|int-spec|e2e-spec)\\.ts$'] },
      to: { path: '^libs/[^/]*-emulator/' },
    },
    {
      name: 'only-connectwise-adapters-speak-connectwise',
      comment:
        'ConnectWise PSA is reached only through libs/connectwise-psa, from a module’s infrastructure/…connectwise… adapters (the anti-corruption layer).',
      severity: 'error',
      from: {
        path: '^src/',
        pathNot: [
          '^src/modules/[^/]+/infrastructure/connectwise[^/]*/',
          '^src/modules/[^/]+/infrastructure/[^/]+/connectwise[^/]*/',
          '\\.(spec|int-spec|e2e-spec)\\.ts$',
        ],
      },
      to: { path: '^libs/connectwise-psa/' },
    },
    {
      name: 'connectwise-client-never-imports-emulators',
      comment: 'The ConnectWise wire client works the same against ConnectWise and its emulator: it never imports an emulator.',
      severity: 'error',
      from: { path: '^libs/connectwise-psa/' },
      to: { path: '^libs/[^/]*-emulator/' },
    },
    {
      name: 'only-autotask-adapters-speak-autotask',
      comment:
        'Autotask is reached only through libs/autotask, from a module’s infrastructure/…autotask… adapters (the anti-corruption layer).',
      severity: 'error',
      from: {
        path: '^src/',
        pathNot: [
          '^src/modules/[^/]+/infrastructure/autotask[^/]*/',
          '^src/modules/[^/]+/infrastructure/[^/]+/autotask[^/]*/',
          '\\.(spec|int-spec|e2e-spec)\\.ts$',
        ],
      },
      to: { path: '^libs/autotask/' },
    },
    {
      name: 'autotask-client-never-imports-emulators',
      comment: 'The Autotask wire client works the same against Autotask and its emulator: it never imports an emulator.',
      severity: 'error',
      from: { path: '^libs/autotask/' },
      to: { path: '^libs/[^/]*-emulator/' },
    },
    {
      name: 'libs-never-import-the-app',
      comment: 'Wire clients and emulators know nothing of Sync 365’s domain: libs/ never imports src/.',
      severity: 'error',
      from: { path: '^libs/', pathNot: '\\.(spec|int-spec|e2e-spec)\\.ts$' },
      to: { path: '^src/' },
    },
    {
      name: 'kits-stand-alone',
      comment:
        'libs/emulator-kit and libs/http-kit are the pieces the emulators and the wire clients share: they know no emulated system, no client and no app, so they import no other lib and nothing of src/.',
      severity: 'error',
      from: { path: '^libs/([^/]+-kit)/', pathNot: '\\.(spec|int-spec|e2e-spec)\\.ts$' },
      to: { path: '^(src|libs)/', pathNot: '^libs/$1/' },
    },
    {
      name: 'emulator-kit-only-for-emulators',
      comment: 'The emulator kit is emulator code: the product and the wire clients never import it (as with the emulators themselves).',
      severity: 'error',
      from: { path: '^(src/|libs/(microsoft|connectwise-psa|autotask|http-kit)/)', pathNot: '\\.(spec|int-spec|e2e-spec)\\.ts$' },
      to: { path: '^libs/emulator-kit/' },
    },
    {
      name: 'shared-never-imports-a-module',
      comment: 'src/shared is the kernel every module uses; it must not depend on any of them.',
      severity: 'error',
      from: { path: '^src/shared/', pathNot: '\\.(spec|int-spec|e2e-spec)\\.ts$' },
      to: { path: '^src/modules/' },
    },
    {
      name: 'modules-meet-only-at-their-door',
      comment:
        'A module reaches another module only through its index.ts (Nest module, contracts, read facade) or events.ts (event names and payloads).',
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: '^src/modules/', pathNot: ['^src/modules/$1/', MODULE_DOOR] },
    },
    {
      name: 'no-cycles',
      comment:
        'No file depends on itself through others (import type included): a cycle makes modules inseparable and their start-up order fragile.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...Object.entries(ALLOWED_MODULE_DEPENDENCIES).map(([module, allowed]) => ({
      name: `module-dependencies-of-${module}`,
      comment: `${module} may use only: ${allowed.join(', ') || 'no other module'} (the table in .dependency-cruiser.cjs).`,
      severity: 'error',
      from: { path: `^src/modules/${module}/` },
      to: { path: '^src/modules/', pathNot: [`^src/modules/${module}/`, ...allowed.map((name) => `^src/modules/${name}/`)] },
    })),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // `import type` counts: a type-only dependency is still a dependency between modules.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
