import { Global, Module, type DynamicModule } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { Clock } from './application/clock';
import { Transaction } from './application/transaction';
import { MikroOrmTransaction } from './infrastructure/database/mikro-orm-transaction';
import { SessionStore } from './infrastructure/web/session-store';

// The kernel every module may use: configuration, the clock, the transaction boundary, the session store.
@Global()
@Module({})
export class SharedModule {
  static register(config: AppConfig, clock: Clock): DynamicModule {
    return {
      module: SharedModule,
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: Clock, useValue: clock },
        { provide: Transaction, useClass: MikroOrmTransaction },
        SessionStore,
      ],
      exports: [AppConfig, Clock, Transaction, SessionStore],
    };
  }
}
