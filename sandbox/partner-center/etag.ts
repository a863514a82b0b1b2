/**
 * Cosmos-style eTags: the value itself carries the quotes, e.g. "84001c9d-0000-0100-0000-6225a63e0000"
 * (Partner Center docs, "Referral resources", seen in real data). A new one is made on every write.
 */
export class EtagSource {
  private counter: number;

  constructor(start = 0x84000000) {
    this.counter = start;
  }

  next(at: Date): string {
    this.counter = (this.counter + 1) >>> 0;
    const seconds = Math.floor(at.getTime() / 1000) >>> 0;
    return `"${hex(this.counter)}-0000-0100-0000-${hex(seconds)}0000"`;
  }
}

function hex(value: number): string {
  return value.toString(16).padStart(8, '0');
}
