import type { Clock } from '../../functions/domain/ports';

/**
 * A clock tests move by hand (session timeouts, link expiry, key rotation) without sleeping. It runs along with real
 * time from where it was set: the S3 emulator checks presigned links against real time, so a frozen clock would
 * make a link signed "now" expire whenever a busy test run takes longer than its lifetime.
 */
export class TestClock implements Clock {
  private offset: number;

  constructor(start = Date.now()) {
    this.offset = start - Date.now();
  }

  now(): Date {
    return new Date(Date.now() + this.offset);
  }

  advance(milliseconds: number): void {
    this.offset += milliseconds;
  }

  set(date: Date): void {
    this.offset = date.getTime() - Date.now();
  }
}
