import { Clock } from '../application/clock';
import { Transaction } from '../application/transaction';

// Shared fakes for use-case tests: a clock tests can move, a transaction that just runs the work.
export class FixedClock extends Clock {
  constructor(public current: Date) {
    super();
  }
  now() {
    return this.current;
  }
}

export class ImmediateTransaction extends Transaction {
  run<T>(work: () => Promise<T>): Promise<T> {
    return work();
  }

  runIndependently<T>(work: () => Promise<T>): Promise<T> {
    return work();
  }
}

// Real time, shifted by `offsetMs`: tests move it forward (an import that looks stale) while time still runs.
export class ShiftedClock extends Clock {
  offsetMs = 0;
  now() {
    return new Date(Date.now() + this.offsetMs);
  }
}
