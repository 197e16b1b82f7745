/**
 * A consecutive-failure circuit breaker.
 *
 * closed    → calls pass; `failureThreshold` transient failures in a row open it.
 * open      → calls fail at once (no network) until `openMs` has passed.
 * half-open → exactly one trial call passes; its success closes the breaker, its failure
 *             opens it again for another `openMs`. Other calls meanwhile fail at once.
 */
export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  readonly failureThreshold: number;
  readonly openMs: number;
  /** Milliseconds clock (tests pass a fake one). */
  readonly now?: () => number;
}

export class CircuitBreaker {
  #threshold: number;
  #openMs: number;
  #now: () => number;
  #failures = 0;
  #openedAt: number | null = null;
  #trialInFlight = false;

  constructor(options: BreakerOptions) {
    this.#threshold = options.failureThreshold;
    this.#openMs = options.openMs;
    this.#now = options.now ?? Date.now;
  }

  get state(): BreakerState {
    if (this.#openedAt === null) return 'closed';
    return this.#now() - this.#openedAt >= this.#openMs ? 'half-open' : 'open';
  }

  get consecutiveFailures(): number {
    return this.#failures;
  }

  /** Milliseconds until a trial call is allowed; 0 when closed or half-open. */
  get retryInMs(): number {
    if (this.#openedAt === null) return 0;
    return Math.max(0, this.#openedAt + this.#openMs - this.#now());
  }

  /** May a call go out now? In half-open, only the first caller gets the trial. */
  tryAcquire(): boolean {
    const s = this.state;
    if (s === 'closed') return true;
    if (s === 'open' || this.#trialInFlight) return false;
    this.#trialInFlight = true;
    return true;
  }

  /** The backend answered (a value or a definitive business answer). */
  success(): void {
    this.#failures = 0;
    this.#openedAt = null;
    this.#trialInFlight = false;
  }

  /** The backend did not answer properly (timeout, network, 5xx, malformed). */
  failure(): void {
    this.#failures++;
    const wasTrial = this.#trialInFlight;
    this.#trialInFlight = false;
    if (wasTrial || this.#openedAt !== null || this.#failures >= this.#threshold) this.#openedAt = this.#now();
  }
}
