import { checkInsuranceConfig } from '../../config/schema-insurance.ts';
import { ConfigError } from '../../config/load.ts';
import type { KioskConfig } from '../../config/schema.ts';
import type { DeviceLogger } from '../../drivers/common/logger.ts';
import { NhsaAdapter, RestAdapter, startInsuranceSimulator, type FetchLike, type InsuranceAdapter, type StatusCodes } from '../../drivers/insurance/index.ts';
import { InsuranceService, type Connected } from './service.ts';
import type { InsuranceBackend } from './types.ts';

export interface CreateInsuranceOptions {
  /** Outcome-only log (pino child in the daemon); never receives personal data. */
  logger?: DeviceLogger;
  fetch?: FetchLike;
  /** Epoch-ms clock for the breaker and answer times. */
  now?: () => number;
  /** Wall clock for msgid / inf_time / the sign-in day and the simulator's months. */
  date?: () => Date;
}

/**
 * The one place that decides, from `config.insurance.adapter`, who answers 参保 lookups
 * (like kiosk/devices/hub.ts for devices):
 * - `nhsa`: the 医疗保障信息平台 envelope at `insurance.url`, e-vouchers at `insurance.decode.url`;
 * - `rest`: this product's contract at `insurance.url` (e-vouchers through the same service);
 * - `simulator`: starts the bundled simulator on `start()` and talks to it with the adapter named
 *   by `insurance.simulator.protocol`, so the same adapter code runs as in a hall;
 * - `off`: null — the kiosk hides the certificate functions.
 * Throws ConfigError for settings the schema alone cannot check.
 */
export function createInsuranceBackend(config: KioskConfig, options: CreateInsuranceOptions = {}): InsuranceBackend | null {
  const ins = config.insurance;
  if (ins.adapter === 'off') return null;
  const problems = checkInsuranceConfig(
    ins,
    config.counters.map((c) => c.number),
  );
  if (problems.length) throw new ConfigError(problems);

  const date = options.date ?? (() => new Date());
  const fetchFn = options.fetch;
  const statusCodes = ins.nhsa.insuStatusCodes as StatusCodes;
  const tif = ins.nhsa.tif.enabled && ins.nhsa.tif.paasToken ? { paasId: ins.nhsa.tif.paasId, paasToken: ins.nhsa.tif.paasToken } : null;

  const nhsa = (url: string, decodeUrl: string | null): InsuranceAdapter =>
    new NhsaAdapter({
      url,
      decodeUrl,
      fixed: ins.nhsa.envelope,
      signIn: ins.nhsa.signIn,
      idCardCertType: ins.nhsa.idCardCertType,
      statusCodes,
      notFoundMessages: ins.nhsa.notFoundMessages,
      decode: {
        transType: ins.decode.transType,
        orgId: ins.decode.orgId,
        businessType: ins.decode.businessType,
        officeId: ins.decode.officeId,
        officeName: ins.decode.officeName,
        qrField: ins.decode.qrField,
      },
      tif,
      timeZone: config.hall.timeZone,
      now: date,
      ...(fetchFn ? { fetch: fetchFn } : {}),
    });
  const rest = (baseUrl: string): InsuranceAdapter =>
    new RestAdapter({
      baseUrl,
      token: ins.rest.token,
      idCardCertType: ins.nhsa.idCardCertType,
      paymentMonths: ins.paymentMonths,
      terminalId: ins.nhsa.envelope.opter,
      ...(fetchFn ? { fetch: fetchFn } : {}),
    });

  let connect: () => Promise<Connected>;
  let protocol: 'nhsa' | 'rest';
  let eVoucher: boolean;
  if (ins.adapter === 'simulator') {
    protocol = ins.simulator.protocol;
    eVoucher = true;
    connect = async () => {
      const sim = await startInsuranceSimulator({
        port: ins.simulator.port,
        now: date,
        timeZone: config.hall.timeZone,
        tif,
        restToken: ins.rest.token,
        qrField: ins.decode.qrField,
      });
      return { adapter: protocol === 'nhsa' ? nhsa(sim.nhsaUrl, sim.decodeUrl) : rest(sim.restUrl), close: () => sim.close(), url: sim.url };
    };
  } else {
    const url = ins.url as string;
    protocol = ins.adapter;
    eVoucher = ins.adapter === 'rest' || ins.decode.url !== null;
    const adapter = ins.adapter === 'nhsa' ? nhsa(url, ins.decode.url) : rest(url);
    connect = async () => ({ adapter });
  }
  return new InsuranceService({
    adapterKind: ins.adapter,
    protocol,
    connect,
    settings: ins,
    eVoucher,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
}
