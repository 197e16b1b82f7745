// Baseline of the startup benchmark: a bare Fastify process started the same way as the daemon
// (plain node, listening on the given port, one line on stdout when ready).
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/', async () => ({ ok: true }));
const url = await app.listen({ host: '127.0.0.1', port: Number(process.argv[2] ?? 0) });
process.stdout.write(`READY ${url}\n`);
