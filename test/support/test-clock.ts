import type { Clock } from '../../functions/domain/ports';

/** A clock tests move by hand: session timeouts and link expiry without sleeping. */
export class TestClock implements Clock {
  private current: number;

  constructor(start = Date.now()) {
    this.current = start;
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(milliseconds: number): void {
    this.current += milliseconds;
  }

  set(date: Date): void {
    this.current = date.getTime();
  }
}
