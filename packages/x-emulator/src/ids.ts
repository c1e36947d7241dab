/**
 * Snowflake-like ids: numeric strings that grow with time, like X's. Murmur compares ids
 * (`since_id`, checkpoints), so the emulator hands them out in increasing order.
 */
export class IdSequence {
  private next: bigint;

  constructor(start: bigint = 1_900_000_000_000_000_000n) {
    this.next = start;
  }

  take(): string {
    const id = this.next;
    this.next += 1n;
    return id.toString();
  }

  /** Seeded ids must not collide with (or sort after) ids handed out later. */
  observe(id: string): void {
    if (!/^\d+$/.test(id)) return;
    const value = BigInt(id);
    if (value >= this.next) this.next = value + 1n;
  }
}

export function compareIds(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function isNumericId(value: string): boolean {
  return /^\d{1,19}$/.test(value);
}
