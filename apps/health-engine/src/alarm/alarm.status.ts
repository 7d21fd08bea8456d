// Netdata's alarm statuses; the numbers are what `$status`, `$WARNING`... evaluate to.
export const enum AlarmStatus {
  REMOVED = -2,
  UNDEFINED = -1,
  UNINITIALIZED = 0,
  CLEAR = 1,
  RAISED = 2,
  WARNING = 3,
  CRITICAL = 4,
}

export function statusName(s: AlarmStatus): string {
  switch (s) {
    case AlarmStatus.REMOVED:
      return 'REMOVED';
    case AlarmStatus.UNDEFINED:
      return 'UNDEFINED';
    case AlarmStatus.UNINITIALIZED:
      return 'UNINITIALIZED';
    case AlarmStatus.CLEAR:
      return 'CLEAR';
    case AlarmStatus.RAISED:
      return 'RAISED';
    case AlarmStatus.WARNING:
      return 'WARNING';
    case AlarmStatus.CRITICAL:
      return 'CRITICAL';
  }
}

export function statusFromName(name: string): AlarmStatus {
  switch (name) {
    case 'REMOVED':
      return AlarmStatus.REMOVED;
    case 'UNDEFINED':
      return AlarmStatus.UNDEFINED;
    case 'CLEAR':
      return AlarmStatus.CLEAR;
    case 'RAISED':
      return AlarmStatus.RAISED;
    case 'WARNING':
      return AlarmStatus.WARNING;
    case 'CRITICAL':
      return AlarmStatus.CRITICAL;
    default:
      return AlarmStatus.UNINITIALIZED;
  }
}

/** Netdata's rrdcalc_value2status: NaN/inf undefined, non-zero raised. */
export function valueToStatus(v: number): AlarmStatus {
  if (v !== v || v === Infinity || v === -Infinity) return AlarmStatus.UNDEFINED;
  return v !== 0 ? AlarmStatus.RAISED : AlarmStatus.CLEAR;
}

/** Combines the warn and crit results as Netdata's health loop does. */
export function combineStatus(warning: AlarmStatus, critical: AlarmStatus): AlarmStatus {
  let status = AlarmStatus.UNDEFINED;
  if (warning === AlarmStatus.CLEAR) status = AlarmStatus.CLEAR;
  else if (warning === AlarmStatus.RAISED) status = AlarmStatus.WARNING;
  if (critical === AlarmStatus.CLEAR) {
    if (status === AlarmStatus.UNDEFINED) status = AlarmStatus.CLEAR;
  } else if (critical === AlarmStatus.RAISED) status = AlarmStatus.CRITICAL;
  return status;
}
