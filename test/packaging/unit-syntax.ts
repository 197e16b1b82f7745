/**
 * A unit-file syntax check that does not need systemd: sections, `Key=Value` lines and the keys
 * these units use, each known to systemd.unit(5)/systemd.service(5)/systemd.exec(5)/
 * systemd.timer(5). Run in addition to `systemd-analyze verify`, and instead of it where
 * systemd is not installed.
 */
const KEYS: Record<string, ReadonlySet<string>> = {
  Unit: new Set([
    'Description',
    'Documentation',
    'After',
    'Before',
    'Wants',
    'Requires',
    'BindsTo',
    'PartOf',
    'Conflicts',
    'ConditionPathExists',
    'StartLimitIntervalSec',
    'StartLimitBurst',
  ]),
  Service: new Set([
    'Type',
    'NotifyAccess',
    'WatchdogSec',
    'TimeoutStartSec',
    'TimeoutStopSec',
    'Restart',
    'RestartSec',
    'User',
    'Group',
    'SupplementaryGroups',
    'Environment',
    'EnvironmentFile',
    'WorkingDirectory',
    'StateDirectory',
    'StateDirectoryMode',
    'RuntimeDirectory',
    'RuntimeDirectoryMode',
    'UMask',
    'ExecStart',
    'ExecStartPre',
    'ExecStop',
    'ExecReload',
    'StandardInput',
    'StandardOutput',
    'StandardError',
    'SyslogIdentifier',
    'ProtectSystem',
    'ReadWritePaths',
    'PrivateTmp',
    'NoNewPrivileges',
    'ProtectHome',
    'ProtectKernelTunables',
    'ProtectKernelModules',
    'ProtectControlGroups',
    'RestrictSUIDSGID',
    'LockPersonality',
    'RestrictAddressFamilies',
    'DevicePolicy',
    'DeviceAllow',
    'PAMName',
    'TTYPath',
    'TTYReset',
    'TTYVHangup',
    'TTYVTDisallocate',
    'Nice',
    'IOSchedulingClass',
  ]),
  Timer: new Set(['OnCalendar', 'RandomizedDelaySec', 'Persistent', 'OnBootSec', 'Unit']),
  Install: new Set(['WantedBy', 'RequiredBy', 'Alias', 'Also']),
};

const ENUMS: Record<string, RegExp> = {
  Type: /^(simple|exec|forking|oneshot|dbus|notify|notify-reload|idle)$/,
  Restart: /^(no|on-success|on-failure|on-abnormal|on-watchdog|on-abort|always)$/,
  NotifyAccess: /^(none|main|exec|all)$/,
  ProtectSystem: /^(yes|no|full|strict)$/,
  PrivateTmp: /^(yes|no|true|false)$/,
  NoNewPrivileges: /^(yes|no|true|false)$/,
  WatchdogSec: /^\d+(ms|s|min)?$/,
  RestartSec: /^\d+(ms|s|min)?$/,
  TimeoutStartSec: /^\d+(ms|s|min)?$/,
  TimeoutStopSec: /^\d+(ms|s|min)?$/,
  UMask: /^0[0-7]{3}$/,
  StateDirectoryMode: /^0[0-7]{3}$/,
  RuntimeDirectoryMode: /^0[0-7]{3}$/,
  ExecStart: /^[-@:+!]*\//,
  DevicePolicy: /^(auto|closed|strict)$/,
};

export function checkUnitSyntax(text: string, kind: 'service' | 'timer'): string[] {
  const problems: string[] = [];
  let section: string | null = null;
  const seen = new Set<string>();
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    const at = `line ${i + 1}`;
    if (!line || line.startsWith('#') || line.startsWith(';')) return;
    const sec = /^\[([A-Za-z]+)\]$/.exec(line);
    if (sec) {
      section = sec[1]!;
      if (!KEYS[section]) problems.push(`${at}: unknown section [${section}]`);
      if (kind === 'service' && section === 'Timer') problems.push(`${at}: [Timer] in a service`);
      if (kind === 'timer' && section === 'Service') problems.push(`${at}: [Service] in a timer`);
      seen.add(section);
      return;
    }
    const kv = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (!kv) return void problems.push(`${at}: not Key=Value: ${line}`);
    if (!section) return void problems.push(`${at}: key outside a section`);
    const [, key, value] = kv as unknown as [string, string, string];
    if (!KEYS[section]?.has(key)) problems.push(`${at}: unknown key ${key} in [${section}]`);
    const re = ENUMS[key];
    if (re && !re.test(value)) problems.push(`${at}: bad value for ${key}: ${value}`);
  });
  if (!seen.has('Unit')) problems.push('missing [Unit]');
  if (kind === 'service' && !seen.has('Service')) problems.push('missing [Service]');
  if (kind === 'timer' && !seen.has('Timer')) problems.push('missing [Timer]');
  return problems;
}
