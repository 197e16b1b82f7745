import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { planConfigImport } from '../../kiosk/console/site-config.ts';
import { readSite, versionDiff, writeSiteFile } from '../../kiosk/console/site-file.ts';
import { KioskError } from '../../kiosk/errors.ts';
import { auth } from '../plugins/auth.ts';
import { errors, replies } from '../schemas.ts';
import { secretEntries } from '../../config/load.ts';

/**
 * 导入站点配置 (hall-admin): a whole site configuration (an export of this or another kiosk)
 * checked by the boot's schema with Chinese field errors, shown as a diff against the site file,
 * then — when asked — applied by the console's safe path: atomic write with the previous version
 * kept, a version row, a graceful restart, and the automatic rollback if it does not start
 * (kiosk/console/site-file.ts). Secrets in the file are taken only with includeSecrets; every
 * secret the file lacks keeps this kiosk's value.
 */
export const consoleConfigImportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const state = app.console;
  const { config } = app.kiosk;

  app.post(
    '/console/config/import',
    {
      config: auth('admin'),
      bodyLimit: 1024 * 1024,
      schema: {
        tags: ['console'],
        summary: '导入站点配置 JSON：与启动时相同的校验（中文指出配置项）、与当前配置的差异；apply 时原子写入并平滑重启，无法启动则自动恢复',
        body: Type.Object(
          {
            config: Type.Unknown({ description: 'the imported site configuration (a JSON object)' }),
            includeSecrets: Type.Optional(Type.Boolean({ description: 'take the secrets in the file (default: keep this kiosk’s)' })),
            apply: Type.Optional(Type.Boolean({ description: 'write and restart (default: check and diff only)' })),
          },
          { additionalProperties: false },
        ),
        response: replies({
          200: Type.Object({
            ok: Type.Boolean(),
            problems: Type.Array(Type.Object({ field: Type.String(), message: Type.String() })),
            diff: Type.Array(Type.Object({ path: Type.String(), before: Type.Unknown(), after: Type.Unknown() })),
            kept: Type.Array(Type.String(), { description: 'secrets that keep this kiosk’s value' }),
            dropped: Type.Array(Type.String(), { description: 'secrets in the file that were left out' }),
            secretsChanged: Type.Array(Type.String(), { description: 'secrets the import changes (values never shown)' }),
            applied: Type.Boolean(),
            version: Type.Optional(Type.Integer()),
            restarting: Type.Optional(Type.Boolean()),
          }),
          ...errors(400, 401, 403),
        }),
      },
    },
    async (request, reply) => {
      const c = request.caller;
      if (c.kind !== 'admin') throw new KioskError('AUTH_FORBIDDEN');
      const file = state.siteFile;
      const { includeSecrets, apply } = request.body;
      const before = file ? readSite(file) : {};
      const plan = planConfigImport(config, before, request.body.config, includeSecrets === true);
      const diff = versionDiff(before, plan.site);
      // By value, not by position (counters listed in another order keep their tokens), against
      // what this kiosk runs with now and its site file's `$env:` references.
      const secretsBefore = new Set([...secretEntries(before), ...secretEntries(config)].map(([, value]) => value));
      const secretsChanged = secretEntries(plan.site)
        .filter(([, value]) => !secretsBefore.has(value))
        .map(([name]) => name);
      const ok = plan.problems.length === 0;
      request.auditDetails = { apply: apply === true, ok, changed: diff.length, includeSecrets: includeSecrets === true };
      const answer = { ok, problems: plan.problems, diff, kept: plan.kept, dropped: plan.dropped, secretsChanged, applied: false };
      if (!ok || !apply) return answer;
      if (!file) throw new KioskError('REQUEST_INVALID', { reason: 'no-site-file' }, '本机未使用站点配置文件（--config / KIOSK_CONFIG），无法从维护台导入配置');
      writeSiteFile(file, plan.site, { at: app.kiosk.clock(), user: c.user });
      const version = state.audit.recordConfigVersion(c.user, diff);
      request.auditDetails = { ...request.auditDetails, version };
      const restart = state.requestRestart;
      if (restart) reply.raw.once('finish', () => setTimeout(restart, 50));
      return { ...answer, applied: true, version, restarting: restart !== undefined };
    },
  );
};
