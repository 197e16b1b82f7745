/**
 * Run the insurance simulator on its own:
 *   npx tsx drivers/insurance/simulator-main.ts --port 8090 [--host 127.0.0.1]
 * prints its base URL, then serves until SIGINT / SIGTERM.
 */
import { parseArgs } from 'node:util';
import { SIMULATOR_PATHS, startInsuranceSimulator } from './simulator.ts';

const { values } = parseArgs({
  options: { port: { type: 'string', default: '0' }, host: { type: 'string', default: '127.0.0.1' }, 'qr-field': { type: 'string' } },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write('--port must be 0…65535\n');
  process.exit(2);
}
const sim = await startInsuranceSimulator({ port, host: values.host, ...(values['qr-field'] ? { qrField: values['qr-field'] } : {}) });
process.stdout.write(
  `${sim.url}\n` +
    `  nhsa envelope:  POST ${sim.nhsaUrl}\n` +
    `  e-voucher:      POST ${sim.decodeUrl}\n` +
    `  rest contract:  ${sim.restUrl}/v1/…\n` +
    `  control:        ${sim.url}${SIMULATOR_PATHS.control}/state | /people | POST /fault | POST /reset\n`,
);
const stop = () => {
  void sim.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
