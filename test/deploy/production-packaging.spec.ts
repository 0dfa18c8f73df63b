import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { projectRoot } from '../../src/shared/infrastructure/project-root';

// Docker may be absent here: the compose file is validated against the Compose Specification's JSON schema (the one
// dclint ships), and the Dockerfile and compose file are checked for what the README promises about them.
// The schema names draft-07 by its https address, which Ajv (draft-07 by default) knows under http: dropped.
const { $schema: _draft, ...composeSchema } = JSON.parse(
  readFileSync(join(projectRoot, 'node_modules', 'dclint', 'schemas', 'compose.schema.json'), 'utf8'),
) as Record<string, unknown>;
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validateCompose = ajv.compile(composeSchema);

const compose = parse(readFileSync(join(projectRoot, 'compose.yaml'), 'utf8')) as Record<string, Record<string, Record<string, unknown>>>;
const dockerfile = readFileSync(join(projectRoot, 'Dockerfile'), 'utf8');

describe('production packaging', () => {
  it('has a compose file the Compose Specification accepts', () => {
    const valid = validateCompose(compose);
    expect(validateCompose.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('would refuse a compose file that breaks the specification (the check can fail)', () => {
    const broken = structuredClone(compose);
    (broken.services.app.deploy as Record<string, unknown>).replicas = [2];
    broken.services.app.restrat = 'always';
    expect(validateCompose(broken)).toBe(false);
    expect(validateCompose.errors?.map((error) => error.instancePath)).toEqual(
      expect.arrayContaining(['/services/app/deploy/replicas', '/services/app']),
    );
  });

  it('runs two app replicas on one PostgreSQL behind a proxy, started once the database is healthy', () => {
    const { app, postgres, proxy } = compose.services;
    expect(app.deploy).toMatchObject({ replicas: 2 });
    expect(app.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect((app.environment as Record<string, string>).DATABASE_URL).toMatch(/@postgres:5432\/sync365$/);
    expect(postgres.healthcheck).toBeDefined();
    expect(proxy.ports).toEqual(['${HTTP_PORT:-8080}:80']);
    expect(compose.configs.nginx.content).toContain('server app:3000');
    // TLS ends in front of nginx: the browser's https must reach the app, or its secure session cookie is never set.
    expect(compose.configs.nginx.content).toContain('proxy_set_header X-Forwarded-Proto $$original_scheme;');
    expect(compose.configs.nginx.content).toMatch(
      /map \$\$http_x_forwarded_proto \$\$original_scheme \{\s+default \$\$http_x_forwarded_proto;/,
    );
    // Every secret comes from the operator's .env; none is written in the file.
    for (const name of ['MS_CLIENT_SECRET', 'TOKEN_ENCRYPTION_KEY', 'SESSION_SECRET'])
      expect((app.environment as Record<string, string>)[name]).toMatch(new RegExp(`^\\$\\{${name}:\\?`));
  });

  it('builds a multi-stage, non-root image on Node 24 with production dependencies only and a health check', () => {
    const stages = dockerfile.match(/^FROM .+$/gm) ?? [];
    expect(stages).toHaveLength(2);
    expect(stages.every((stage) => stage.startsWith('FROM node:24'))).toBe(true);
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(runtime).toContain('npm ci --omit=dev');
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^HEALTHCHECK .*\n?.*\/health/m);
    expect(runtime).toMatch(/^CMD \["node", "dist\/src\/main.js"\]$/m);
  });
});
