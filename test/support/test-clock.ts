import { Clock } from '#app/domain';

/** A clock the test sets: stands still at `at` unless moved. */
export class TestClock extends Clock {
  constructor(public at: Date = new Date()) {
    super();
  }

  now(): Date {
    return new Date(this.at);
  }
}
