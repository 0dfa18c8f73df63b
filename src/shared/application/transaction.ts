// A use case's writes commit together or not at all. Repositories called inside `run` join the transaction.
export abstract class Transaction {
  abstract run<T>(work: () => Promise<T>): Promise<T>;
  // A transaction of its own even when called inside another one: it commits (and releases its locks) when the
  // work ends, whatever the caller's transaction does later.
  abstract runIndependently<T>(work: () => Promise<T>): Promise<T>;
}
