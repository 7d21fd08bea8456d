// Everything a notification carries: the log entry plus the alarm's context, as alarm-notify.sh receives it.
import type { AlarmLogEntry } from '@tributary/protocol';

export interface AlarmNotification {
  readonly entry: AlarmLogEntry;
  readonly registryHostname: string;
  readonly roles: string;
  readonly exec: string;
  readonly source: string;
  readonly calcExpression: string;
  readonly calcParamValues: string;
  readonly classification: string;
  readonly valueString: string;
  readonly oldValueString: string;
  readonly totalWarnings: number;
  readonly totalCritical: number;
  readonly warnAlarms: string;
  readonly critAlarms: string;
  readonly repeating: boolean;
}

export interface NotificationChannel {
  readonly kind: string;
  /** False when this channel has nothing to do for this alarm (e.g. no exec program configured). */
  appliesTo(n: AlarmNotification): boolean;
  /** Resolves with an exit/HTTP status code; rejects when the channel gave up. */
  send(n: AlarmNotification): Promise<number>;
}

export function formatValue(v: number, units: string): string {
  if (v !== v) return '-';
  const rounded = Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
  return units ? `${rounded} ${units}` : rounded;
}
