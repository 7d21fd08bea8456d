import { Alarm, AlarmLogEntry } from '@tributary/protocol';

const num = (v: number): number | null => (Number.isFinite(v) ? v : null);
const str = (v: number): string => (Number.isFinite(v) ? String(Math.round(v * 100) / 100) : '-');

/** One entry of Netdata 1.37's /api/v1/alarms "alarms" object. */
export function alarmJson(a: Alarm): Record<string, unknown> {
  return {
    id: a.id,
    config_hash_id: '',
    name: a.name,
    chart: a.chart,
    family: a.family,
    class: a.classification,
    component: a.component,
    type: a.type,
    active: a.active,
    disabled: false,
    silenced: a.silenced,
    exec: a.exec,
    recipient: a.recipient,
    source: a.source,
    units: a.units,
    info: a.info,
    status: a.status,
    last_status_change: a.lastStatusChange,
    last_updated: a.lastUpdated,
    next_update: a.nextUpdate,
    update_every: a.updateEvery,
    delay_up_duration: a.delay,
    lookup_dimensions: a.lookupDimensions,
    lookup_method: a.lookupMethod,
    lookup_after: a.lookupAfter,
    lookup_before: a.lookupBefore,
    lookup_options: a.lookupOptions,
    calc: a.calc,
    warn: a.warn,
    crit: a.crit,
    green: null,
    red: null,
    value_string: str(a.value),
    value: num(a.value),
    machine_guid: a.machineGuid,
    hostname: a.hostname,
  };
}

/** One entry of Netdata 1.37's /api/v1/alarm_log array. */
export function alarmLogJson(e: AlarmLogEntry): Record<string, unknown> {
  return {
    hostname: e.hostname,
    machine_guid: e.machineGuid,
    unique_id: e.uniqueId,
    alarm_id: e.alarmId,
    alarm_event_id: e.alarmEventId,
    name: e.name,
    chart: e.chart,
    family: e.family,
    processed: e.processed,
    updated: e.updated,
    exec_run: e.processed ? e.when : 0,
    exec_failed: e.execCode !== 0,
    exec: e.exec,
    recipient: e.recipient,
    exec_code: e.execCode,
    units: e.units,
    when: e.when,
    duration: e.duration,
    non_clear_duration: e.nonClearDuration,
    status: e.status,
    old_status: e.oldStatus,
    delay: e.delay,
    delay_up_to_timestamp: e.delayUpToTimestamp,
    updated_by_id: e.updatedById,
    updates_id: e.updatesId,
    value_string: str(e.value),
    old_value_string: str(e.oldValue),
    info: e.info,
    no_clear_notification: e.noClearNotification,
    value: num(e.value),
    old_value: num(e.oldValue),
  };
}
