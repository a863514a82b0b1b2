import type { OrgClock } from '../model/org.js';
import { requestError } from '../model/sf-error.js';

const DAY = 86_400_000;

/**
 * The daily API request allocation (Salesforce Developer Limits and Allocations Quick Reference, Salesforce REST API Developer Guide, "Limits"): every authenticated REST
 * call counts; past the limit a call gets 403 REQUEST_LIMIT_EXCEEDED (never 429, "Status Codes and Error Responses"). The real
 * window is a rolling 24 hours; here the budget resets at the sandbox clock's UTC midnight, which
 * tests can reach by advancing the clock.
 */
export class ApiBudget {
  private usedCalls = 0;
  private day: number;

  constructor(
    private readonly clock: OrgClock,
    readonly limit: number,
  ) {
    this.day = this.today();
  }

  /** Counts one call, or refuses it when the allocation is used up. */
  consume(): void {
    this.roll();
    if (this.usedCalls >= this.limit) {
      throw requestError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
    }
    this.usedCalls += 1;
  }

  get used(): number {
    this.roll();
    return this.usedCalls;
  }

  setUsed(used: number): void {
    this.roll();
    this.usedCalls = Math.max(0, Math.floor(used));
  }

  /** `Sforce-Limit-Info` value ("Limit Info Header"): `api-usage=USED/MAX`. */
  header(): string {
    return `api-usage=${this.used}/${this.limit}`;
  }

  private roll(): void {
    const today = this.today();
    if (today !== this.day) {
      this.day = today;
      this.usedCalls = 0;
    }
  }

  private today(): number {
    return Math.floor(this.clock.now().getTime() / DAY);
  }
}
