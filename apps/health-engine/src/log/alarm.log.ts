// The alarm log of every host: what changed, when, and whether it was notified. Kept in memory for the API
// (bounded per host, as Netdata's `health log history`), persisted in batches by an AlarmLogPersistence.
import type { AlarmLogRecord } from './alarm-log.record';

export interface AlarmLogPersistence {
  /** Newest `perHost` entries of every host. */
  loadRecent(perHost: number): Promise<AlarmLogRecord[]>;
  /** Insert or update entries (keyed by machine_guid + unique_id). */
  save(entries: AlarmLogRecord[]): Promise<void>;
}

export class AlarmLog {
  private readonly byHost = new Map<string, AlarmLogRecord[]>();
  private readonly dirty = new Set<AlarmLogRecord>();
  private nextUniqueId: number;
  private flushing: Promise<void> | null = null;
  lastFlushError = '';

  constructor(
    private readonly persistence: AlarmLogPersistence | null,
    private readonly perHost = 1000,
    now = Math.floor(Date.now() / 1000),
  ) {
    this.nextUniqueId = now;
  }

  /** Loads history at boot; unique ids continue after the highest stored one. */
  async restore(): Promise<AlarmLogRecord[]> {
    if (!this.persistence) return [];
    const rows = await this.persistence.loadRecent(this.perHost);
    rows.sort((a, b) => a.uniqueId - b.uniqueId);
    for (const r of rows) {
      this.hostEntries(r.machineGuid).push(r);
      if (r.uniqueId >= this.nextUniqueId) this.nextUniqueId = r.uniqueId + 1;
    }
    return rows;
  }

  private hostEntries(guid: string): AlarmLogRecord[] {
    let list = this.byHost.get(guid);
    if (!list) {
      list = [];
      this.byHost.set(guid, list);
    }
    return list;
  }

  /** Appends an entry, marking the previous entry of the same alarm as updated by it (Netdata's rule). */
  add(entry: AlarmLogRecord): AlarmLogRecord {
    entry.uniqueId = this.nextUniqueId++;
    const list = this.hostEntries(entry.machineGuid);
    for (let i = list.length - 1; i >= 0; i--) {
      const prev = list[i];
      if (prev.alarmId !== entry.alarmId || prev.chart !== entry.chart) continue;
      if (!prev.updated && !prev.updatedById) {
        prev.updated = true;
        prev.updatedById = entry.uniqueId;
        entry.updatesId = prev.uniqueId;
        this.dirty.add(prev);
      }
      break;
    }
    list.push(entry);
    if (list.length > this.perHost) list.splice(0, list.length - this.perHost);
    this.dirty.add(entry);
    return entry;
  }

  touch(entry: AlarmLogRecord): void {
    this.dirty.add(entry);
  }

  /** Newest first, as /api/v1/alarm_log. */
  entries(guid: string, after: number): AlarmLogRecord[] {
    const list = this.byHost.get(guid) ?? [];
    const out: AlarmLogRecord[] = [];
    for (let i = list.length - 1; i >= 0; i--) if (list[i].uniqueId > after) out.push(list[i]);
    return out;
  }

  /** Last entry of one alarm of one host, newest first search. */
  lastOf(guid: string, alarmId: number): AlarmLogRecord | undefined {
    const list = this.byHost.get(guid) ?? [];
    for (let i = list.length - 1; i >= 0; i--) if (list[i].alarmId === alarmId) return list[i];
    return undefined;
  }

  get pendingWrites(): number {
    return this.dirty.size;
  }

  /** Writes what changed; on failure keeps it for the next flush. */
  flush(): Promise<void> {
    if (!this.persistence || this.dirty.size === 0) return this.flushing ?? Promise.resolve();
    if (this.flushing) return this.flushing.then(() => this.flush());
    const batch = [...this.dirty];
    this.dirty.clear();
    const persistence = this.persistence;
    this.flushing = persistence
      .save(batch.map((e) => ({ ...e })))
      .then(() => {
        this.lastFlushError = '';
      })
      .catch((e: unknown) => {
        for (const b of batch) this.dirty.add(b);
        this.lastFlushError = (e as Error).message;
      })
      .finally(() => {
        this.flushing = null;
      });
    return this.flushing;
  }
}
