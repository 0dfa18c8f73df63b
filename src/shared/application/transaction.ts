// A use case's writes commit together or not at all. Repositories called inside `run` join the transaction.
export abstract class Transaction {
  abstract run<T>(work: () => Promise<T>): Promise<T>;
}
