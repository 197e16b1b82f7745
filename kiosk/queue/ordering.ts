/**
 * Which waiting ticket a counter calls next. The rule (also in README):
 *
 * 1. Tickets transferred or suspended to this very counter come first, oldest first.
 * 2. Otherwise the ticket with the earliest *sort time* among the counter's services is called.
 *    A walk-in's sort time is its issue time; a 绿色通道 ticket counts as issued `boostMinutes`
 *    earlier; a checked-in appointment sorts at the start of its booked window. A transfer keeps
 *    the sort time, so nobody loses their place by being sent to another window.
 * 3. Starvation guard: after `maxConsecutive` priority calls (绿色通道 or appointment) in a row at a
 *    counter, if a normal ticket is waiting, the oldest normal ticket is called next.
 *
 * A normal ticket issued at time t can therefore only be overtaken by priority tickets issued
 * before t + boostMinutes, and never by more than `maxConsecutive` of them between two normal calls.
 */
export interface Candidate {
  readonly id: number;
  readonly sortAt: number;
  readonly priority: boolean;
  readonly assignedHere: boolean;
}

export function pickNext(candidates: readonly Candidate[], priorityStreak: number, maxConsecutive: number): Candidate | undefined {
  let best: Candidate | undefined;
  let bestNormal: Candidate | undefined;
  for (const c of candidates) {
    if (!best || before(c, best)) best = c;
    if (!c.priority && (!bestNormal || before(c, bestNormal))) bestNormal = c;
  }
  if (best && !best.assignedHere && best.priority && priorityStreak >= maxConsecutive && bestNormal) {
    return bestNormal;
  }
  return best;
}

function before(a: Candidate, b: Candidate): boolean {
  if (a.assignedHere !== b.assignedHere) return a.assignedHere;
  if (a.sortAt !== b.sortAt) return a.sortAt < b.sortAt;
  return a.id < b.id;
}
