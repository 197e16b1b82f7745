import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../../kiosk/insurance/breaker.ts';

describe('circuit breaker', () => {
  it('opens after the threshold of consecutive failures; an answer in between resets the count', () => {
    let t = 0;
    const b = new CircuitBreaker({ failureThreshold: 3, openMs: 1000, now: () => t });
    b.failure();
    b.failure();
    b.success();
    b.failure();
    b.failure();
    expect(b.state).toBe('closed');
    b.failure();
    expect(b.state).toBe('open');
    expect(b.tryAcquire()).toBe(false);
    expect(b.retryInMs).toBe(1000);
    t = 999;
    expect(b.state).toBe('open');
    t = 1000;
    expect(b.state).toBe('half-open');
  });

  it('half-open lets exactly one trial through; its failure re-opens, its success closes', () => {
    let t = 0;
    const b = new CircuitBreaker({ failureThreshold: 1, openMs: 100, now: () => t });
    b.failure();
    t = 100;
    expect(b.tryAcquire()).toBe(true);
    expect(b.tryAcquire()).toBe(false);
    b.failure();
    expect(b.state).toBe('open');
    t = 150;
    expect(b.state).toBe('open');
    t = 200;
    expect(b.tryAcquire()).toBe(true);
    b.success();
    expect(b.state).toBe('closed');
    expect(b.tryAcquire()).toBe(true);
    expect(b.tryAcquire()).toBe(true);
  });
});
