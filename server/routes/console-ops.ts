import { createReadStream } from 'node:fs';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { BACKUP_NAME_PATTERN, ConsoleBackups } from '../../kiosk/console/backups.ts';
import { diagnosticsBundle } from '../../kiosk/console/diagnostics.ts';
import { LOG_LEVELS, type LogLevelName } from '../../kiosk/console/log-ring.ts';
import { KioskError } from '../../kiosk/errors.ts';
import { auth } from '../plugins/auth.ts';
import { enumOf, errors, Int, replies, Text } from '../schemas.ts';
import { BackupEntrySchema, BackupsSchema, LogsSchema, PaperSchema, RestoreCheckSchema } from '../schemas/console.ts';

/**
 * 运行维护 of the technician console (issue 14 item 5), each route one call into kiosk/console/:
 * backups (take, list, download, restore with a confirmation step — hall-admin only: a backup
 * holds identity hashes and encrypted contacts), the log tail, the paper counter and the
 * diagnostics bundle (technician and hall-admin). Every change is audited by the console plugin's
 * hook; the two downloads are reads but take data off the kiosk, so they are audited here.
 */
const BackupName = Type.String({ pattern: BACKUP_NAME_PATTERN, maxLength: 80, description: 'a backup file name from GET /console/backups' });
const Digest = Type.String({ pattern: '^[0-9a-f]{64}$', maxLength: 64, description: 'SHA-256 the confirmation step returned' });

export const consoleOpsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const kiosk = app.kiosk;
  const state = app.console;
  const backups = new ConsoleBackups(kiosk.db, kiosk.clock);
  const hallAdmin = auth('admin');
  const anyConsole = auth('admin', 'technician');

  const who = (request: FastifyRequest): { user: string; role: 'hall-admin' | 'technician' } => {
    const c = request.caller;
    if (c.kind === 'admin') return { user: c.user, role: 'hall-admin' };
    if (c.kind === 'technician') return { user: c.user, role: 'technician' };
    throw new KioskError('AUTH_FORBIDDEN');
  };

  app.get(
    '/console/backups',
    {
      config: hallAdmin,
      schema: {
        tags: ['console'],
        summary: '数据库备份列表、待恢复的备份与上次恢复的结果（大厅管理员）',
        response: replies({ 200: BackupsSchema, ...errors(401, 403) }),
      },
    },
    async () => ({
      backups: backups.list(),
      available: backups.dir !== null,
      restarts: state.requestRestart !== undefined,
      pendingRestore: backups.pending(),
      lastRestore: backups.lastRestore(),
    }),
  );

  app.post(
    '/console/backups',
    {
      config: hallAdmin,
      schema: {
        tags: ['console'],
        summary: '立即备份数据库（SQLite 在线备份，服务不中断；完整性检查通过后才列出）',
        response: replies({ 200: Type.Object({ backup: BackupEntrySchema }), ...errors(401, 403, 503) }),
      },
    },
    async () => ({ backup: await backups.takeNow() }),
  );

  app.get(
    '/console/backups/:name/download',
    {
      config: hallAdmin,
      schema: {
        tags: ['console'],
        summary: '下载一份备份（含身份标识哈希和加密的联系电话：仅大厅管理员，记入审计）',
        params: Type.Object({ name: BackupName }, { additionalProperties: false }),
        response: replies({ ...errors(400, 401, 403, 404) }),
      },
    },
    async (request, reply) => {
      const file = backups.file(request.params.name);
      const w = who(request);
      state.audit.record({
        ...w,
        action: 'download',
        target: `GET /api/v1/console/backups/${request.params.name}/download`,
        status: 200,
        details: { backup: request.params.name },
      });
      reply.header('content-disposition', `attachment; filename="hall-kiosk-${kiosk.config.hall.code}-${request.params.name}"`);
      reply.header('cache-control', 'no-store');
      reply.type('application/vnd.sqlite3');
      return reply.send(createReadStream(file));
    },
  );

  app.post(
    '/console/backups/restore/check',
    {
      config: hallAdmin,
      schema: {
        tags: ['console'],
        summary: '恢复前的确认：检查备份的完整性和数据库结构版本，返回确认用的摘要（不写入任何内容）',
        body: Type.Object({ name: BackupName }, { additionalProperties: false }),
        response: replies({ 200: RestoreCheckSchema, ...errors(400, 401, 403, 404) }),
      },
    },
    async (request) => backups.check(request.body.name),
  );

  app.post(
    '/console/backups/restore',
    {
      config: hallAdmin,
      schema: {
        tags: ['console'],
        summary: '确认恢复：备份作为下次启动的数据库，终端服务平滑重启，启动时替换（原数据库另存为 kiosk.db.before-restore-<时间>）',
        body: Type.Object({ name: BackupName, digest: Digest }, { additionalProperties: false }),
        response: replies({
          200: Type.Object({ ok: Type.Boolean(), backup: Type.String(), restarting: Type.Boolean() }),
          ...errors(400, 401, 403, 404),
        }),
      },
    },
    async (request, reply) => {
      const w = who(request);
      if (w.role !== 'hall-admin') throw new KioskError('AUTH_FORBIDDEN');
      const checked = backups.stageRestore(request.body.name, request.body.digest, w.user);
      const restart = state.requestRestart;
      // The reply (and the audit row of this request) go out first, then the daemon stops.
      if (restart) reply.raw.once('finish', () => setTimeout(restart, 50));
      return { ok: true, backup: checked.name, restarting: restart !== undefined };
    },
  );

  app.get(
    '/console/logs',
    {
      config: anyConsole,
      schema: {
        tags: ['console'],
        summary: '最近的日志（内存中最多保留若干条，按级别和设备筛选；不含个人信息）',
        querystring: Type.Object(
          {
            level: Type.Optional(enumOf(Object.keys(LOG_LEVELS) as LogLevelName[])),
            device: Type.Optional(Text(32, { minLength: 1 })),
            after: Type.Optional(Int(0, Number.MAX_SAFE_INTEGER)),
            limit: Type.Optional(Int(1, 1000)),
          },
          { additionalProperties: false },
        ),
        response: replies({ 200: LogsSchema, ...errors(400, 401, 403) }),
      },
    },
    async (request) => {
      const ring = state.logRing;
      const q = request.query;
      return {
        records: ring ? ring.query({ level: q.level, device: q.device, after: q.after, limit: q.limit ?? 200 }) : [],
        devices: ring?.devices() ?? [],
        capacity: ring?.capacity ?? 0,
        available: ring !== null,
      };
    },
  );

  app.get(
    '/console/paper',
    {
      config: anyConsole,
      schema: { tags: ['console'], summary: '打印机纸张用量（自上次更换纸卷）与剩余纸量估计', response: replies({ 200: PaperSchema, ...errors(401, 403) }) },
    },
    async () => kiosk.paper.view(),
  );

  app.post(
    '/console/paper/roll-changed',
    {
      config: anyConsole,
      schema: {
        tags: ['console'],
        summary: '已更换纸卷：纸张用量从零开始计算',
        response: replies({ 200: PaperSchema, ...errors(401, 403) }),
      },
    },
    async (request) => kiosk.paper.rollChanged(who(request).user),
  );

  app.get(
    '/console/diagnostics',
    {
      config: anyConsole,
      schema: {
        tags: ['console'],
        summary: '下载诊断包 JSON（不含密钥的配置、版本、设备状态、最近的警告；不含个人信息），供厂家技术支持',
        response: replies({ ...errors(401, 403) }),
      },
    },
    async (request, reply) => {
      const w = who(request);
      const bundle = diagnosticsBundle(kiosk, { ring: state.logRing, siteFile: state.siteFile });
      state.audit.record({ ...w, action: 'download', target: 'GET /api/v1/console/diagnostics', status: 200, details: {} });
      const stamp = bundle.generatedAt.replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
      reply.header('content-disposition', `attachment; filename="hall-kiosk-${kiosk.config.hall.code}-diagnostics-${stamp}.json"`);
      reply.header('cache-control', 'no-store');
      reply.type('application/json; charset=utf-8');
      return `${JSON.stringify(bundle, null, 2)}\n`;
    },
  );
};
