import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createConfig, lintFromString, type NormalizedProblem } from '@redocly/openapi-core';
import { API_SCOPES } from '../../src/shared/interface/http/partner-api';
import { startTestApp, type TestApp } from '../support/test-app';

// The client types the e2e tests call the API with (test/support/api-client.ts), generated from this document.
const TYPES_FILE = join(__dirname, '..', 'support', 'partner-api.generated.ts');
const TYPES_HEADER =
  '// Generated from /api/docs-json by test/api/openapi.e2e-spec.ts: run `npm run api:types` after changing the API.\n/* eslint-disable */\n';

interface Operation {
  operationId?: string;
  summary?: string;
  security?: Record<string, string[]>[];
  responses: Record<string, unknown>;
  parameters?: { name: string; in: string }[];
}
type OpenApiDocument = { paths: Record<string, Record<string, Operation>> };

// Problems accepted on purpose, each in one place, with the reason.
const ACCEPTED_PROBLEMS = [
  {
    ruleId: 'operation-4xx-response',
    pointer: '#/paths/~1health/get/responses',
    reason: 'The health check answers 200 or 503, never a 4xx.',
  },
];

const PARTNER_OPERATIONS = [
  'listDelegatedAdmins',
  'getDelegatedAdmin',
  'listTenants',
  'getTenant',
  'listImportRuns',
  'getImportProgress',
  'getImportRun',
  'startImports',
  'listTenantLicences',
  'listLicences',
  'listTenantSubscriptions',
  'listSubscriptions',
  'listReconciliationRuns',
  'requestReconciliation',
  'getReconciliationRun',
  'listChanges',
  'listDiscrepancies',
  'listMonthEnds',
  'listMonthEndLicences',
];

describe('the OpenAPI document (/api/docs-json)', () => {
  let t: TestApp;
  let source: string;
  let document: OpenApiDocument;

  beforeAll(async () => {
    t = await startTestApp();
    const response = await fetch(`${t.baseUrl}/api/docs-json`);
    expect(response.status).toBe(200);
    source = await response.text();
    document = JSON.parse(source) as OpenApiDocument;
  });
  afterAll(() => t?.close());

  const partnerOperations = () =>
    Object.entries(document.paths)
      .filter(([path]) => path.startsWith('/api/v1/'))
      .flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ path, method, operation })));

  it('passes the Redocly linter (recommended rules, and examples checked against their schemas) without a problem', async () => {
    const config = await createConfig({
      extends: ['recommended'],
      rules: {
        // Stricter than recommended: every example in the document must be valid for its schema, and every
        // operation has an id (the typed client and generated SDKs name their methods after it).
        'no-invalid-schema-examples': 'error',
        'no-invalid-parameter-examples': 'error',
        'operation-operationId': 'error',
        'operation-4xx-response': 'error',
        // The load balancer's health check is public by design; every other operation names its security.
        'security-defined': { severity: 'error', exceptions: [{ path: '/health', methods: ['get'] }] },
        // OpenAPI 3.0: an empty server list means the document's own origin, which is right for a document the
        // API serves about itself (whatever host the partner's Sync 365 runs on).
        'no-empty-servers': 'off',
        // A private API of a proprietary product (package.json: UNLICENSED): there is no licence to name.
        'info-license': 'off',
      },
    });
    const problems = await lintFromString({ source, absoluteRef: 'openapi.json', config });
    const unexpected = problems.filter(
      (p) => !ACCEPTED_PROBLEMS.some((a) => a.ruleId === p.ruleId && p.location.every((l) => l.pointer === a.pointer)),
    );
    expect(unexpected.map(describeProblem)).toEqual([]);
  });

  it('gives every partner API operation an id, a scope, its security schemes and problem+json errors', () => {
    const operations = partnerOperations();
    expect(operations.map(({ operation }) => operation.operationId)).toEqual(expect.arrayContaining(PARTNER_OPERATIONS));
    for (const { path, method, operation } of operations) {
      const where = `${method.toUpperCase()} ${path}`;
      expect([where, typeof operation.operationId]).toEqual([where, 'string']);
      expect([where, operation.security]).toEqual([where, expect.arrayContaining([{ 'api-key': [] }, { session: [] }])]);
      expect([where, Object.keys(operation.responses).sort()]).toEqual([where, expect.arrayContaining(['400', '401', '403', '429'])]);
      // A path parameter names something that may not exist (a month, a tenant, a run): 404 documented.
      if (operation.parameters?.some((p) => p.in === 'path'))
        expect([where, Object.keys(operation.responses)]).toEqual([where, expect.arrayContaining(['404'])]);
      for (const status of ['400', '401', '403', '404', '429']) {
        const response = operation.responses[status] as { content?: Record<string, { schema?: { $ref?: string } }> } | undefined;
        if (response)
          expect([where, status, response.content?.['application/json']?.schema?.$ref]).toEqual([
            where,
            status,
            '#/components/schemas/ProblemResponse',
          ]);
      }
    }
    // Each scope guards something.
    const scopes = new Set(operations.map(({ operation }) => /scope (\S+) \(/.exec(JSON.stringify(operation.responses['403']))?.[1]));
    expect([...scopes].sort()).toEqual([...API_SCOPES].sort());
  });

  it('matches the committed client types (npm run api:types regenerates them)', () => {
    const generated = TYPES_HEADER + generateTypes(source);
    if (process.env.WRITE_API_TYPES === '1') writeFileSync(TYPES_FILE, generated);
    expect(readFileSync(TYPES_FILE, 'utf8')).toBe(generated);
  });
});

// openapi-typescript's own CLI in a plain Node process: its dependencies are ES modules, which jest's CommonJS
// runtime cannot load.
function generateTypes(openapi: string): string {
  const directory = mkdtempSync(join(tmpdir(), 'sync365-openapi-'));
  try {
    writeFileSync(join(directory, 'openapi.json'), openapi);
    const cli = join(dirname(require.resolve('openapi-typescript/package.json')), 'bin', 'cli.js');
    return execFileSync(process.execPath, [cli, join(directory, 'openapi.json'), '--alphabetize'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

function describeProblem(problem: NormalizedProblem): string {
  return `${problem.severity} ${problem.ruleId}: ${problem.message} at ${problem.location.map((l) => l.pointer).join(', ')}`;
}
