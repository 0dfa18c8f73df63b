import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Global, Module, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AppConfig } from '../config/app-config';
import { Clock } from './application/clock';
import { EventOutbox } from './application/integration-event';
import { JobQueue } from './application/job-queue';
import { SecretCipher } from './application/secret-cipher.port';
import { Transaction } from './application/transaction';
import { AesGcmSecretCipher } from './infrastructure/crypto/aes-gcm-secret-cipher';
import { MikroOrmTransaction } from './infrastructure/database/mikro-orm-transaction';
import { HousekeepingJob } from './infrastructure/jobs/housekeeping.job';
import { JobWorkerRegistry } from './infrastructure/jobs/job-worker.registry';
import { MikroOrmEventOutbox } from './infrastructure/jobs/mikro-orm-event-outbox';
import { OutboxMessageSchema } from './infrastructure/jobs/outbox-message.schema';
import { OutboxRelay } from './infrastructure/jobs/outbox-relay';
import { PgBossService } from './infrastructure/jobs/pg-boss.service';
import { SessionStore } from './infrastructure/web/session-store';

// Registered once, when this file loads (like every module's forFeature): @mikro-orm/nestjs clears its entity
// registry on the first forFeature after an app closes, so a forFeature inside register() would drop the
// other modules' entities from the next app built in the same process.
const outboxEntities = MikroOrmModule.forFeature([OutboxMessageSchema]);

// The kernel every module may use: configuration, the clock, the transaction boundary, durable jobs and
// integration events, the session store, and the one cipher for secrets at rest.
@Global()
@Module({})
export class SharedModule {
  static register(config: AppConfig, clock: Clock): DynamicModule {
    return {
      module: SharedModule,
      imports: [DiscoveryModule, outboxEntities],
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: Clock, useValue: clock },
        { provide: Transaction, useClass: MikroOrmTransaction },
        { provide: EventOutbox, useClass: MikroOrmEventOutbox },
        PgBossService,
        { provide: JobQueue, useExisting: PgBossService },
        JobWorkerRegistry,
        OutboxRelay,
        HousekeepingJob,
        SessionStore,
        { provide: SecretCipher, useClass: AesGcmSecretCipher },
      ],
      exports: [AppConfig, Clock, Transaction, EventOutbox, JobQueue, SessionStore, SecretCipher],
    };
  }
}
