// The core: topology and points from metric-store in, alarm statuses, log entries and notifications out.
// Free of Nest and gRPC so that unit tests and the benchmark drive it directly.
import type { Alarm, AlarmLogEntry, ChartDef, HostInfo, HostState, Variable } from '@tributary/protocol';
import { BindableDefinition, expandForeach } from '../definition/definition.compiler';
import { ChartRuntime, HostRuntime } from '../host/host.model';
import { AlarmLog } from '../log/alarm.log';
import { AlarmLogRecord } from '../log/alarm-log.record';
import { AlarmNotification, formatValue, NotificationChannel } from '../notify/alarm-notification';
import { AlarmInstance, CompiledDefinition, StatusChange } from './alarm.instance';
import { AlarmStatus, statusFromName, statusName } from './alarm.status';

export interface EngineLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

interface PendingEntry {
  readonly entry: AlarmLogRecord;
  readonly alarm: AlarmInstance;
}

export class HealthEngine {
  readonly hosts = new Map<string, HostRuntime>();
  private readonly pending: PendingEntry[] = [];
  evaluations = 0;
  notificationsSent = 0;
  notificationsFailed = 0;
  private rateWindowStart = 0;
  private rateWindowEvaluations = 0;
  evaluationsPerSecond = 0;

  constructor(
    private readonly definitions: readonly BindableDefinition[],
    readonly log: AlarmLog,
    private readonly channels: readonly NotificationChannel[],
    private readonly logger: EngineLogger,
    private readonly clock: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  get alarmCount(): number {
    let n = 0;
    for (const h of this.hosts.values()) n += h.alarms.length;
    return n;
  }

  // ---- topology from metric-store ----

  upsertHost(info: HostInfo): HostRuntime {
    let host = this.hosts.get(info.machineGuid);
    if (!host) {
      host = new HostRuntime(info);
      this.hosts.set(info.machineGuid, host);
      this.logger.log(`host ${host.hostname} (${host.guid}) known, health ${info.healthEnabled || 'auto'}, memory mode ${info.memoryMode || '?'}`);
    } else {
      host.info = info;
      // hostname, os or labels may have changed: templates may now apply (existing alarms are kept)
      for (const c of host.charts.values()) this.bindChart(host, c);
    }
    return host;
  }

  /**
   * A host metric-store removed (orphan cleanup, `cleanup orphan hosts after secs`): its alarms and charts are
   * forgotten, as Netdata frees an orphan host. Its alarm log stays in the database; notifications not yet sent go.
   */
  removeHost(guid: string): void {
    const host = this.hosts.get(guid);
    if (!host) return;
    this.hosts.delete(guid);
    for (let i = this.pending.length - 1; i >= 0; i--) if (this.pending[i].alarm.host === host) this.pending.splice(i, 1);
    this.logger.log(`host ${host.hostname} (${guid}) removed by metric-store: ${host.alarms.length} alarms and ${host.charts.size} charts forgotten`);
  }

  private hostOf(guid: string): HostRuntime {
    return this.hosts.get(guid) ?? this.upsertHost({ machineGuid: guid, hostname: guid } as HostInfo);
  }

  upsertChart(guid: string, def: ChartDef): ChartRuntime {
    const host = this.hostOf(guid);
    let chart = host.charts.get(def.id);
    if (!chart) {
      chart = new ChartRuntime(host, def);
      host.charts.set(def.id, chart);
    } else {
      if (chart.def.name !== def.name) host.chartsByName.delete(chart.def.name);
      chart.setDef(def);
    }
    if (def.name) host.chartsByName.set(def.name, chart);
    this.bindChart(host, chart);
    if (def.options.split(/\s+/).includes('obsolete')) this.removeAlarms(chart);
    return chart;
  }

  /** Creates the alarms that apply to this chart (once per definition) and sizes the rings they need. */
  private bindChart(host: HostRuntime, chart: ChartRuntime): void {
    const now = this.clock();
    for (const d of this.definitions) {
      if (d.foreach) {
        if (!d.appliesTo(host, chart)) continue;
        const pattern = d.foreach;
        for (const dim of chart.dims) {
          if (!pattern.matches(dim.id) && !pattern.matches(dim.name)) continue;
          if (chart.alarms.some((a) => a.compiled.parent === d && a.def.lookup?.dimensions === dim.id)) continue;
          this.addAlarm(host, chart, expandForeach(d, dim.id, dim.name), now);
        }
        continue;
      }
      if (chart.alarms.some((a) => a.compiled === d)) continue;
      if (!d.appliesTo(host, chart)) continue;
      this.addAlarm(host, chart, d, now);
    }
    let needed = 0;
    for (const a of chart.alarms) needed = Math.max(needed, a.neededSeconds());
    chart.neededSeconds = needed;
    if (needed > 0) {
      const points = Math.ceil(needed / chart.updateEvery) + 2;
      for (const dim of chart.dims) dim.ensureRing(points);
    }
    for (const a of chart.alarms) a.refreshDimensions();
  }

  private addAlarm(host: HostRuntime, chart: ChartRuntime, d: CompiledDefinition, now: number): void {
    const alarm = new AlarmInstance(d, host, chart, now);
    const last = this.log.lastOf(host.guid, alarm.id);
    if (last) {
      alarm.nextEventId = last.alarmEventId + 1;
      alarm.lastNotifiedStatus = this.lastNotifiedStatus(host.guid, alarm.id);
    }
    chart.alarms.push(alarm);
    host.alarms.push(alarm);
  }

  private lastNotifiedStatus(guid: string, alarmId: number): AlarmStatus {
    for (const e of this.log.entries(guid, 0)) {
      if (e.alarmId === alarmId && e.processed && e.execCode >= 0 && e.notified) return statusFromName(e.status);
    }
    return AlarmStatus.UNINITIALIZED;
  }

  /** An obsolete chart's alarms go REMOVED (logged), as Netdata does; they come back if the chart does. */
  private removeAlarms(chart: ChartRuntime): void {
    const now = this.clock();
    for (const a of chart.alarms) {
      if (a.status !== AlarmStatus.REMOVED) this.record(a, a.changeStatus(AlarmStatus.REMOVED, now), now);
    }
  }

  removeChart(guid: string, chartId: string): void {
    const host = this.hosts.get(guid);
    const chart = host?.charts.get(chartId);
    if (!host || !chart) return;
    this.removeAlarms(chart);
    host.alarms.splice(0, host.alarms.length, ...host.alarms.filter((a) => a.chart !== chart));
    host.charts.delete(chartId);
    host.chartsByName.delete(chart.def.name);
  }

  setState(state: HostState): void {
    const host = this.hostOf(state.machineGuid);
    const wasConnected = host.connected;
    host.connected = state.connected;
    if (state.connected) host.gracefullyClosed = false;
    else {
      host.gracefullyClosed = state.graceful || !wasConnected;
      host.disconnectedAt = Math.floor((state.atMs || Date.now()) / 1000);
    }
    if (wasConnected !== state.connected) {
      const how = state.connected
        ? 'connected'
        : state.graceful
          ? 'disconnected cleanly'
          : `disconnected ungracefully (${state.reason || 'no reason'})`;
      this.logger.log(`host ${host.hostname}: ${how}, health ${host.healthActive() ? 'running' : 'paused'}`);
    }
  }

  setVariable(v: Variable): void {
    const host = this.hostOf(v.machineGuid);
    if (!v.chartId) host.variables.set(v.name, v.value);
    else host.chart(v.chartId)?.variables.set(v.name, v.value);
  }

  /** Hot path: one stored point. */
  addPoint(chart: ChartRuntime, dimIndex: number, t: number, v: number): void {
    const dim = chart.dims[dimIndex];
    if (!dim) return;
    if (v === v) {
      dim.lastValue = v;
      if (t > dim.lastCollectedT) dim.lastCollectedT = t;
      if (t > chart.lastCollectedT) chart.lastCollectedT = t;
    }
    if (dim.ring) dim.ring.push(t, v);
  }

  // ---- evaluation ----

  /** Evaluates every due alarm of every host whose health is active, then handles pending notifications. */
  tick(now = this.clock()): number {
    let n = 0;
    for (const host of this.hosts.values()) {
      if (!host.healthActive()) continue;
      const alarms = host.alarms;
      for (let i = 0; i < alarms.length; i++) {
        const a = alarms[i];
        if (a.nextUpdate > now || !a.runnable()) continue;
        const change = a.evaluate(now);
        n++;
        if (change) this.record(a, change, now);
        else if (a.repeatDue(now)) this.notifyRepeat(a, now);
      }
    }
    this.evaluations += n;
    this.rateWindowEvaluations += n;
    if (now - this.rateWindowStart >= 10) {
      if (this.rateWindowStart) this.evaluationsPerSecond = this.rateWindowEvaluations / (now - this.rateWindowStart);
      this.rateWindowStart = now;
      this.rateWindowEvaluations = 0;
    }
    this.processNotifications(now);
    return n;
  }

  private record(a: AlarmInstance, c: StatusChange, now: number): void {
    const d = a.def;
    const entry = this.log.add({
      machineGuid: a.host.guid,
      hostname: a.host.hostname,
      uniqueId: 0,
      alarmId: a.id,
      alarmEventId: a.nextEventId++,
      name: d.name,
      chart: a.chart.id,
      family: a.chart.def.family,
      when: now,
      duration: c.duration,
      nonClearDuration: c.nonClearDuration,
      status: statusName(c.newStatus),
      oldStatus: statusName(c.oldStatus),
      value: a.value,
      oldValue: c.oldValue,
      units: d.units,
      info: d.info,
      exec: d.exec,
      recipient: d.to,
      processed: false,
      updated: false,
      execCode: 0,
      delay: c.delay,
      delayUpToTimestamp: c.delayUpTo,
      updatedById: 0,
      updatesId: 0,
      noClearNotification: d.noClearNotification,
      notified: false,
    });
    this.pending.push({ entry, alarm: a });
    this.logger.log(
      `alarm ${a.host.hostname}/${a.chart.id}/${d.name}: ${entry.oldStatus} -> ${entry.status} value ${formatValue(a.value, d.units)}${c.delay ? ` (notification delayed ${c.delay}s)` : ''}`,
    );
  }

  private processNotifications(now: number): void {
    if (this.pending.length === 0) return;
    let keep = 0;
    for (let i = 0; i < this.pending.length; i++) {
      const p = this.pending[i];
      const e = p.entry;
      if (!e.updated && e.delayUpToTimestamp > now) {
        this.pending[keep++] = p;
        continue;
      }
      e.processed = true;
      this.log.touch(e);
      if (e.updated) continue; // superseded before its delay ran out: never notified, as Netdata
      const status = statusFromName(e.status);
      if (status < AlarmStatus.CLEAR) continue; // internal statuses are not notified
      if (status === AlarmStatus.CLEAR && e.noClearNotification) continue;
      const last = p.alarm.lastNotifiedStatus;
      if (last === status) continue;
      if (status === AlarmStatus.CLEAR && last < AlarmStatus.WARNING) continue; // nothing was raised to clear
      p.alarm.lastNotifiedStatus = status;
      this.dispatch(p.alarm, e, false);
    }
    this.pending.length = keep;
  }

  private notifyRepeat(a: AlarmInstance, now: number): void {
    const last = this.log.lastOf(a.host.guid, a.id);
    if (!last) return;
    this.dispatch(a, { ...last, when: now, value: a.value }, true);
  }

  private dispatch(a: AlarmInstance, e: AlarmLogRecord, repeating: boolean): void {
    const warn: string[] = [];
    const crit: string[] = [];
    for (const x of a.host.alarms) {
      if (x.status === AlarmStatus.WARNING) warn.push(`${x.name}=${x.lastStatusChange}`);
      else if (x.status === AlarmStatus.CRITICAL) crit.push(`${x.name}=${x.lastStatusChange}`);
    }
    const n: AlarmNotification = {
      entry: e,
      registryHostname: a.host.info.registryHostname || a.host.hostname,
      roles: a.def.to || 'root',
      exec: a.def.exec,
      source: a.def.source,
      calcExpression: a.compiled.calc?.source ?? a.def.lookup?.source ?? '',
      calcParamValues: a.compiled.calc?.parsedAs ?? '',
      classification: a.def.classification,
      valueString: formatValue(e.value, e.units),
      oldValueString: formatValue(e.oldValue, e.units),
      totalWarnings: warn.length,
      totalCritical: crit.length,
      warnAlarms: warn.join(','),
      critAlarms: crit.join(','),
      repeating,
    };
    const channels = this.channels.filter((ch) => ch.appliesTo(n));
    if (channels.length === 0) {
      this.logger.log(`notification none ${a.host.hostname}/${e.chart}/${e.name} ${e.status} to '${n.roles}': no exec or webhook configured`);
      return;
    }
    if (!repeating) e.notified = true;
    for (const ch of channels) {
      ch.send(n).then(
        (code) => {
          this.notificationsSent++;
          if (!repeating) {
            e.execCode = ch.kind === 'exec' ? code : e.execCode;
            this.log.touch(e);
          }
          this.logger.log(
            `notification ${ch.kind} ${repeating ? 'repeat ' : ''}${a.host.hostname}/${e.chart}/${e.name} ${e.status} to '${n.roles}': sent (code ${code})`,
          );
        },
        (err: unknown) => {
          this.notificationsFailed++;
          if (!repeating) {
            e.execCode = -1;
            this.log.touch(e);
          }
          this.logger.warn(
            `notification ${ch.kind} ${a.host.hostname}/${e.chart}/${e.name} ${e.status} to '${n.roles}': failed: ${(err as Error).message}`,
          );
        },
      );
    }
  }

  // ---- queries ----

  findHost(hostOrGuid: string): HostRuntime | undefined {
    const byGuid = this.hosts.get(hostOrGuid);
    if (byGuid) return byGuid;
    for (const h of this.hosts.values()) if (h.hostname === hostOrGuid) return h;
    return undefined;
  }

  toAlarm(a: AlarmInstance): Alarm {
    const d = a.def;
    const l = d.lookup;
    return {
      id: a.id,
      uniqueId: this.log.lastOf(a.host.guid, a.id)?.uniqueId ?? 0,
      machineGuid: a.host.guid,
      hostname: a.host.hostname,
      name: d.name,
      chart: a.chart.id,
      family: a.chart.def.family,
      status: statusName(a.status),
      value: a.value,
      units: d.units,
      info: d.info,
      recipient: d.to || 'root',
      exec: d.exec,
      source: d.source,
      lastStatusChange: a.lastStatusChange,
      lastUpdated: a.lastUpdated,
      nextUpdate: a.nextUpdate,
      updateEvery: a.updateEvery,
      delay: a.delayLast,
      warn: d.warn,
      crit: d.crit,
      calc: d.calc,
      lookupDimensions: l?.dimensions ?? '',
      lookupMethod: l?.method ?? '',
      lookupAfter: l?.after ?? 0,
      lookupBefore: l?.before ?? 0,
      lookupOptions: l
        ? [l.unaligned && 'unaligned', l.absolute && 'absolute', l.percentage && 'percentage', l.min2max && 'min2max', l.null2zero && 'null2zero']
            .filter(Boolean)
            .join(' ')
        : '',
      active: a.host.healthActive(),
      silenced: false,
      classification: d.classification,
      component: d.component,
      type: d.type,
    };
  }

  listAlarms(hostOrGuid: string, all: boolean): Alarm[] {
    const hosts = hostOrGuid ? [this.findHost(hostOrGuid)].filter((h): h is HostRuntime => !!h) : [...this.hosts.values()];
    const out: Alarm[] = [];
    for (const h of hosts)
      for (const a of h.alarms) {
        if (!all && a.status !== AlarmStatus.WARNING && a.status !== AlarmStatus.CRITICAL) continue;
        out.push(this.toAlarm(a));
      }
    return out;
  }

  alarmLog(hostOrGuid: string, after: number): AlarmLogEntry[] {
    if (hostOrGuid) {
      const h = this.findHost(hostOrGuid);
      return h ? this.log.entries(h.guid, after) : this.log.entries(hostOrGuid, after);
    }
    const out: AlarmLogEntry[] = [];
    for (const guid of this.hosts.keys()) out.push(...this.log.entries(guid, after));
    return out.sort((a, b) => b.uniqueId - a.uniqueId);
  }
}
