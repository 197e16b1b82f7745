/**
 * Rolling median of recent service times per service, seeded from the configured average so the
 * first tickets of the day get a sensible estimate. A median, not a mean: one 40-minute 异地就医
 * case should not double everybody's estimate.
 */
export class ServiceTimes {
  #window: number;
  #samples = new Map<string, number[]>();
  #seed = new Map<string, number>();

  constructor(seedMinutes: ReadonlyMap<string, number>, window: number) {
    this.#window = window;
    for (const [code, minutes] of seedMinutes) this.#seed.set(code, minutes);
  }

  record(serviceCode: string, minutes: number): void {
    if (!(minutes >= 0) || !Number.isFinite(minutes)) return;
    let list = this.#samples.get(serviceCode);
    if (!list) this.#samples.set(serviceCode, (list = []));
    list.push(minutes);
    if (list.length > this.#window) list.shift();
  }

  reset(): void {
    this.#samples.clear();
  }

  medianMinutes(serviceCode: string): number {
    const list = this.#samples.get(serviceCode);
    const seed = this.#seed.get(serviceCode) ?? 5;
    if (!list || list.length === 0) return seed;
    // Until the window has a few real samples, blend in the seed as one extra sample.
    const values = list.length < 3 ? [...list, seed] : [...list];
    values.sort((a, b) => a - b);
    const mid = values.length >> 1;
    return values.length % 2 ? (values[mid] as number) : ((values[mid - 1] as number) + (values[mid] as number)) / 2;
  }
}

/** Minutes until a ticket with `ahead` people before it is called, with `counters` serving. */
export function estimateWaitMinutes(ahead: number, medianMinutes: number, counters: number): number {
  return Math.ceil((ahead * medianMinutes) / Math.max(1, counters));
}
