import { TransactionPropagation } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Transaction } from '../../application/transaction';

// em.transactional forks the EntityManager into the transaction context; repositories that use the injected
// EntityManager pick that fork up, and everything persisted is flushed at commit.
@Injectable()
export class MikroOrmTransaction extends Transaction {
  constructor(private readonly em: EntityManager) {
    super();
  }

  run<T>(work: () => Promise<T>): Promise<T> {
    return this.em.transactional(() => work());
  }

  // REQUIRED: the work runs in the caller's transaction as it is; what it persists is flushed at the caller's commit.
  override join<T>(work: () => Promise<T>): Promise<T> {
    return this.em.transactional(() => work(), { propagation: TransactionPropagation.REQUIRED });
  }

  runIndependently<T>(work: () => Promise<T>): Promise<T> {
    return this.em.transactional(() => work(), { propagation: TransactionPropagation.REQUIRES_NEW });
  }
}
