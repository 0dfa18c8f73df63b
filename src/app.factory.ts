import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import hbs from 'hbs';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import passport from 'passport';
import { AppModule, type AppOptions } from './app.module';
import type { AppConfig } from './config/app-config';
import { projectRoot } from './shared/infrastructure/project-root';
import { API_SCOPES } from './shared/interface/http/partner-api';
import { SessionStore } from './shared/infrastructure/web/session-store';
import { registerFormHelpers } from './shared/interface/web/form-errors';
import { formatWhen } from './shared/interface/web/when';
import { billingCycleWords, gdapStatusWords, subscriptionStatusWords, termWords } from './shared/interface/web/words';

// Builds the whole HTTP application (used by main.ts and by the e2e tests, so both run the same thing).
export async function createApp(config: AppConfig, options: AppOptions = {}): Promise<NestExpressApplication> {
  // bodyParser false: RequestBodyMiddleware reads bodies, so a bad body is a 4xx from the ErrorFilter.
  // abortOnError false: a failed start-up throws to the caller (main prints it; a test sees it) instead of exiting.
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config, options), {
    bufferLogs: true,
    abortOnError: false,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  if (config.secureCookies) app.set('trust proxy', 1);

  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // Grant consent is a form POST answered by a redirect to Microsoft's sign-in, which form-action governs.
          formAction: ["'self'", config.microsoft.loginBaseUrl],
          // On plain-http development URLs an upgrade directive would send the browser to https for assets.
          upgradeInsecureRequests: config.secureCookies ? [] : null,
        },
      },
      strictTransportSecurity: config.secureCookies,
    }),
  );
  app.useStaticAssets(join(projectRoot, 'views', 'assets'), { prefix: '/assets/', maxAge: '1h', index: false });
  // Pages and API answers are per user and change: no browser or proxy keeps them (Back after sign-out must not
  // show the customer list). The static assets above keep their own caching.
  app.use((_request: unknown, response: { set(name: string, value: string): void }, next: () => void) => {
    response.set('Cache-Control', 'no-store');
    next();
  });
  app.use(app.get(SessionStore).middleware());
  app.use(passport.initialize());
  app.use(passport.session());

  app.setBaseViewsDir(join(projectRoot, 'views'));
  app.setViewEngine('hbs');
  app.set('view options', { layout: 'layouts/main' });
  registerViewHelpers();
  registerFormHelpers();
  // Partials keep their file names (hbs would otherwise turn `customers-tabs` into `customers_tabs`).
  await new Promise<void>((resolve) =>
    (hbs.registerPartials.bind(hbs) as unknown as RegisterPartials)(
      join(projectRoot, 'views', 'partials'),
      { rename: (name) => name },
      () => resolve(),
    ),
  );

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Sync 365 API')
      .setDescription(apiDescription(config.apiRateLimitPerMinute))
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Sync 365 API key (Settings → API keys)' }, 'api-key')
      .addCookieAuth('sync365.sid', { type: 'apiKey', in: 'cookie' }, 'session')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json', customSiteTitle: 'Sync 365 API' });

  await app.init();
  return app;
}

// The introduction of /api/docs: what every operation has in common.
function apiDescription(rateLimitPerMinute: number): string {
  return [
    'Customer tenants, licences and reconciliation of a Microsoft CSP partner.',
    '',
    '**Authentication.** Send `Authorization: Bearer <key>` with an API key created under Settings → API keys in the dashboard. A key belongs to one organization and sees only its data. The dashboard itself calls the API with its signed-in session (which also needs the `x-csrf-token` header on writes).',
    '',
    `**Scopes.** A key carries the permissions chosen when it was created: ${API_SCOPES.map((scope) => `\`${scope}\``).join(', ')}. Each operation names the scope it needs.`,
    '',
    `**Rate limit.** Each key may make ${rateLimitPerMinute} requests per minute, counted across all Sync 365 servers. Beyond that the answer is 429 with a \`Retry-After\` header giving the seconds to wait.`,
    '',
    '**Errors** are RFC 7807 `application/problem+json` with a stable `code`: 400 `API.INVALID_PARAMETER` (with `field`), 401 `API.UNAUTHENTICATED` (no key, or an unknown or revoked one), 403 `API.SCOPE_FORBIDDEN` (the key lacks the scope), 404 `*.NOT_FOUND`, 429 `API.RATE_LIMITED`.',
    '',
    '**Paging.** Lists return a page of items and a `nextCursor`; pass it back as `cursor` for the next page, until it is null.',
  ].join('\n');
}

type RegisterPartials = (directory: string, options: { rename: (name: string) => string }, done: () => void) => void;

function registerViewHelpers(): void {
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hbs.registerHelper('year', () => new Date().getFullYear());
  // Dates on pages: unambiguous, in the organization's time zone with its abbreviation ('7 Dec 2026, 03:53 CET').
  // The zone comes with the page's data (layoutLocals); pages without it show UTC.
  hbs.registerHelper('when', (value: Date | string | null | undefined, options?: { data?: { root?: { timeZone?: string } } }) => {
    if (!value) return '';
    return formatWhen(value, options?.data?.root?.timeZone);
  });
  // Microsoft's raw terms in words (P1M → '1 month', one_time → 'Once', LockedOut → 'Locked out').
  hbs.registerHelper('termWords', (value: unknown) => termWords(typeof value === 'string' ? value : null));
  hbs.registerHelper('billingWords', (value: unknown) => billingCycleWords(typeof value === 'string' ? value : null));
  hbs.registerHelper('gdapStatusWords', (value: unknown) => gdapStatusWords(typeof value === 'string' ? value : null));
  hbs.registerHelper('statusWords', (value: unknown) => subscriptionStatusWords(typeof value === 'string' ? value : null));
}
