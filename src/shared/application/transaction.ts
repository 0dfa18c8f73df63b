// A use case's writes commit together or not at all. Repositories called inside `run` join the transaction.
export abstract class Transaction {
  abstract run<T>(work: () => Promise<T>): Promise<T>;
  // A transaction of its own even when called inside another one: it commits (and releases its locks) when the
  // work ends, whatever the caller's transaction does later.
  abstract runIndependently<T>(work: () => Promise<T>): Promise<T>;
  // The caller's transaction when there is one, without a savepoint of its own (`run` nests one, two statements more):
  // a failure then fails the caller's whole transaction. For use cases whose callers never catch their failure, such as
  // event handlers, which already run in one transaction with their inbox row. A new transaction otherwise.
  join<T>(work: () => Promise<T>): Promise<T> {
    return this.run(work);
  }
}
