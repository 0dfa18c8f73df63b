import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import connectPgSimple from 'connect-pg-simple';
import session from 'express-session';
import { Pool } from 'pg';
import { AppConfig } from '../../../config/app-config';
import { SESSION_IDLE_LIFETIME_MS } from '../../interface/web/session-lifetime';

// Dashboard sessions live in PostgreSQL (table `session`, created by a migration), so any app instance can
// serve any user and a restart signs nobody out.
@Injectable()
export class SessionStore implements OnApplicationShutdown {
  private readonly logger = new Logger(SessionStore.name);
  private readonly pool: Pool;
  private readonly store: session.Store & { close(): void };

  constructor(private readonly config: AppConfig) {
    this.pool = new Pool({ connectionString: config.databaseUrl, max: 5 });
    // An idle connection dropped by the server (restart, failover) must not crash the app; the pool reconnects.
    this.pool.on('error', (error) => this.logger.warn({ err: error }, 'A session-store database connection was closed by the server'));
    const PgStore = connectPgSimple(session);
    this.store = new PgStore({ pool: this.pool, tableName: 'session', createTableIfMissing: false, pruneSessionInterval: 15 * 60 });
  }

  middleware() {
    return session({
      name: 'sync365.sid',
      store: this.store,
      secret: this.config.sessionSecret,
      resave: false,
      saveUninitialized: false,
      rolling: true,
      cookie: { httpOnly: true, sameSite: 'lax', secure: this.config.secureCookies, maxAge: SESSION_IDLE_LIFETIME_MS },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.store.close();
    await this.pool.end();
  }
}
