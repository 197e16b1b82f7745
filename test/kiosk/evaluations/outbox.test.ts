import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startPeer, type Peer } from '../../helpers/peer.ts';
import { makeEvalHall, serveTicket, type EvalHall } from './setup.ts';

let peer: Peer;
let h: EvalHall;
const HOUR = 3_600_000;

function hall(upload: Record<string, unknown> = {}) {
  return makeEvalHall({ evaluation: { upload: { url: peer.url, token: 'province-token-xyz', backoffBaseMs: 1000, backoffMaxMs: HOUR, ...upload } } });
}

async function evaluate(level: '非常满意' | '不满意' = '非常满意', phone?: string) {
  const ticketId = await serveTicket(h, 1, 'general', 'identity-hash-of-citizen-0042');
  return await h.evaluations.submitTicket({
    ticketId,
    channel: 'counter-evaluator',
    device: 'counter:1',
    level,
    ...(level === '不满意' ? { reasons: ['waiting'] } : {}),
    ...(phone ? { phone } : {}),
  });
}

beforeEach(async () => {
  peer = await startPeer();
});
afterEach(async () => {
  await h.evaluations.outbox.stop();
  await h.close();
  await peer.close();
});

describe('upload outbox', () => {
  it('delivers each evaluation once with its idempotency key, mapped fields and no personal data', async () => {
    h = await hall();
    const a = await evaluate('非常满意');
    const b = await evaluate('不满意', '13900139000');
    const r = await h.evaluations.outbox.drainAll();
    expect(r).toMatchObject({ attempted: 2, delivered: 2, failed: 0 });
    expect(peer.accepted.size).toBe(2);
    const first = peer.arrivals[0]!;
    expect(first.key).toBe(a.evaluation.uid);
    expect(first.headers.authorization).toBe('Bearer province-token-xyz');
    expect(first.body).toMatchObject({
      evaluationId: a.evaluation.uid,
      projectNo: 'DEMO-HALL-20261123-A001',
      taskCode: 'general',
      taskName: '综合业务',
      pf: '4',
      satisfaction: '5', // provincial mapping: 5 = 非常满意
      satisfactionName: '非常满意',
      assessNumber: 1,
      assessTime: '2026-11-23 09:01:00',
      areaCode: '371321',
      anonymityFlag: '2',
      dataSource: '133',
    });
    const bad = peer.accepted.get(b.evaluation.uid)!;
    expect(bad).toMatchObject({ satisfaction: '2', evalDetail: 'waiting' });
    const wire = JSON.stringify(peer.arrivals.map((x) => x.body));
    expect(wire).not.toContain('13900139000');
    expect(wire).not.toContain('identity-hash-of-citizen-0042');
    // Delivered rows are never sent again.
    expect(await h.evaluations.outbox.drainAll()).toMatchObject({ attempted: 0 });
    expect(peer.arrivals).toHaveLength(2);
    expect(await h.evaluations.outbox.status()).toMatchObject({ pending: 0, delivered: 2 });
  });

  it('maps levels to GB/T 39046 codes when configured so', async () => {
    h = await hall({ levelCodes: 'gbt39046' });
    await evaluate('非常满意');
    await h.evaluations.outbox.drainAll();
    expect(peer.arrivals[0]!.body.satisfaction).toBe('1');
  });

  it('retries a failing peer with exponential backoff and marks delivered only on 2xx', async () => {
    h = await hall();
    const { evaluation } = await evaluate();
    peer.mode = 'fail';
    expect(await h.evaluations.outbox.drainOnce()).toMatchObject({ attempted: 1, failed: 1 });
    const row = async () =>
      (await h.query.get<{ state: string; attempts: number; next_at: number; last_error: string }>(
        'SELECT * FROM evaluation_outbox WHERE evaluation_id = ?',
        evaluation.id,
      ))!;
    const first = await row();
    expect(first).toMatchObject({ state: 'pending', attempts: 1, last_error: 'HTTP 500' });
    expect(first.next_at - h.clock()).toBeGreaterThanOrEqual(1000);
    // Not due yet: nothing is sent.
    expect(await h.evaluations.outbox.drainOnce()).toMatchObject({ attempted: 0 });
    h.clock.advanceMinutes(1);
    await h.evaluations.outbox.drainOnce();
    const second = await row();
    expect(second.attempts).toBe(2);
    expect(second.next_at - h.clock()).toBeGreaterThanOrEqual(2000); // doubled
    peer.mode = 'ok';
    h.clock.advanceMinutes(60);
    expect(await h.evaluations.outbox.drainOnce()).toMatchObject({ delivered: 1 });
    expect((await row()).state).toBe('delivered');
    expect(peer.accepted.size).toBe(1);
    expect(peer.arrivals.filter((x) => x.answered === 500)).toHaveLength(2);
  });

  it('re-sends after a stalled request with the same key, and the peer keeps one copy', async () => {
    h = await hall({ timeoutMs: 300 });
    const { evaluation } = await evaluate();
    peer.mode = 'stall';
    expect(await h.evaluations.outbox.drainOnce()).toMatchObject({ failed: 1 });
    expect((await h.query.get<{ last_error: string }>('SELECT last_error FROM evaluation_outbox'))?.last_error).toBe('timeout');
    peer.mode = 'ok';
    h.clock.advanceMinutes(60);
    expect(await h.evaluations.outbox.drainOnce()).toMatchObject({ delivered: 1 });
    expect(peer.arrivals.map((x) => x.key)).toEqual([evaluation.uid, evaluation.uid]);
    expect(peer.accepted.size).toBe(1);
  });

  it('keeps rows while offline for days and delivers them when the endpoint is configured', async () => {
    h = await makeEvalHall({ evaluation: { upload: { url: null } } });
    await evaluate();
    await evaluate();
    expect(await h.evaluations.outbox.drainAll()).toMatchObject({ attempted: 0 });
    h.clock.advanceMinutes(3 * 24 * 60);
    await h.engine.tick(); // three business days later
    const { createEvaluations } = await import('../../../kiosk/evaluations/index.ts');
    const { loadConfig } = await import('../../../config/load.ts');
    const online = loadConfig({ overlay: { evaluation: { upload: { url: peer.url } } } });
    h = { ...h, evaluations: createEvaluations(h.db, h.engine, online, h.clock) };
    expect(await h.evaluations.outbox.drainAll()).toMatchObject({ delivered: 2 });
    expect(peer.accepted.size).toBe(2);
  });

  it('delivers promptly after submission once started', async () => {
    h = await hall({ pollMs: 60_000 });
    h.evaluations.outbox.start();
    await evaluate();
    await peer.waitForAccepted(1);
    expect(peer.accepted.size).toBe(1);
  });
});
