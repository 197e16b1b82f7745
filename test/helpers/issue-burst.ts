/**
 * Child process for the crash test: issues tickets as fast as it can and writes one line per
 * acknowledged ticket ("ACK <id> <displayNo>") to stdout, synchronously, only after issue()
 * returned (that is, after the transaction committed). The parent kills it with SIGKILL.
 */
import { writeSync } from 'node:fs';
import { loadConfig } from '../../config/load.ts';
import { QueueEngine } from '../../kiosk/queue/engine.ts';
import { openDatabase } from '../../kiosk/store/database.ts';

const dbPath = process.argv[2];
if (!dbPath) throw new Error('usage: issue-burst <db>');
const engine = new QueueEngine(openDatabase(dbPath), loadConfig());
const services = ['general', 'enrol', 'reimburse', 'remote'];
writeSync(1, 'READY\n');
for (let i = 0; ; i++) {
  const { ticket } = await engine.issue({ serviceCode: services[i % services.length] as string, priorityReason: i % 7 === 0 ? 'disabled' : null });
  writeSync(1, `ACK ${ticket.id} ${ticket.displayNo}\n`);
}
