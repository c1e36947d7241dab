/**
 * A small LRU of in-flight or settled results, keyed by image hash. The state machine asks several
 * questions of one image (DetectFaces and RecognizeCelebrities share a face pass), often at once:
 * the second asker awaits the first's promise. Failures are not kept, so a retry runs again.
 */
export class ResultCache<T> {
  private readonly entries = new Map<string, Promise<T>>();

  constructor(private readonly capacity: number) {}

  get(key: string, compute: () => Promise<T>): Promise<T> {
    const cached = this.entries.get(key);
    if (cached) {
      // Refresh its place: Map iteration order is insertion order, the oldest goes first.
      this.entries.delete(key);
      this.entries.set(key, cached);
      return cached;
    }
    const result = compute();
    this.entries.set(key, result);
    result.catch(() => {
      if (this.entries.get(key) === result) this.entries.delete(key);
    });
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    return result;
  }

  /** The result for `key` if there is one, without computing it or refreshing its place. */
  peek(key: string): Promise<T> | undefined {
    return this.entries.get(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
