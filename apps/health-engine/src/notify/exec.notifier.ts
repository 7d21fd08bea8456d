// Runs the alarm's `exec` program with Netdata 1.37's alarm-notify.sh argument list (no shell in between).
import { execFile } from 'node:child_process';
import { AlarmNotification, NotificationChannel } from './alarm-notification';

function num(v: number): string {
  return v !== v ? 'nan' : v.toFixed(7).replace(/\.?0+$/, '') || '0';
}

export function alarmNotifyArguments(n: AlarmNotification): string[] {
  const e = n.entry;
  return [
    n.roles,
    n.registryHostname,
    String(e.uniqueId),
    String(e.alarmId),
    String(e.alarmEventId),
    String(e.when),
    e.name,
    e.chart || 'NOCHART',
    e.family || 'NOFAMILY',
    e.status,
    e.oldStatus,
    num(e.value),
    num(e.oldValue),
    n.source || 'UNKNOWN',
    String(e.duration),
    String(e.nonClearDuration),
    e.units,
    e.info,
    n.valueString,
    n.oldValueString,
    n.calcExpression || 'NOSOURCE',
    n.calcParamValues || 'NOVALUES',
    String(n.totalWarnings),
    String(n.totalCritical),
    n.warnAlarms,
    n.critAlarms,
    n.classification || 'Unknown',
    '',
    e.machineGuid,
  ];
}

export class ExecNotifier implements NotificationChannel {
  readonly kind = 'exec';

  constructor(
    private readonly defaultExec: string,
    private readonly timeoutMs = 30000,
  ) {}

  appliesTo(n: AlarmNotification): boolean {
    return !!(n.exec || this.defaultExec);
  }

  send(n: AlarmNotification): Promise<number> {
    const program = n.exec || this.defaultExec;
    return new Promise((resolve, reject) => {
      execFile(program, alarmNotifyArguments(n), { timeout: this.timeoutMs }, (err) => {
        if (!err) return resolve(0);
        const code = (err as NodeJS.ErrnoException & { code?: number | string }).code;
        if (typeof code === 'number') return resolve(code);
        reject(new Error(`${program}: ${err.message}`));
      });
    });
  }
}
