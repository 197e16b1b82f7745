import type { Clock } from '../kiosk/clock.ts';
import type { QueueEngine } from '../kiosk/queue/engine.ts';
import type { QueueStatus } from '../kiosk/queue/types.ts';

/**
 * The queue status snapshot answered conditionally (If-None-Match): one rule for /queue/status and
 * the display's /display/status. The day is rolled over if due and this daemon first catches up
 * with the hall (on PostgreSQL, other daemons' events), so a hall that changed is never answered
 * 304; a 200's ETag names the body's own day and version. `extra` adds to the tag what else the
 * reply carries that changes it (the calendar warnings' years), computed after the catch-up.
 */
export async function conditionalStatus(
  engine: QueueEngine,
  clock: Clock,
  ifNoneMatch: string | undefined,
  extra: () => Promise<string> | string = () => '',
): Promise<{ etag: string; status: QueueStatus | null }> {
  await engine.tick();
  await engine.catchUp();
  const suffix = await extra();
  const etag = `W/"${engine.day}.${engine.reader.version}${suffix}"`;
  if (ifNoneMatch === etag) return { etag, status: null };
  const status = await engine.reader.status(clock());
  return { etag: `W/"${status.day}.${status.version}${suffix}"`, status };
}
