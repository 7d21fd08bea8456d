import { LiveStreams } from './handshake.authorizer';

export interface LiveSession {
  readonly machineGuid: string;
  lastMessageMs: number;
  close(reason: string, graceful?: boolean): void;
}

/**
 * The children streaming now (one connection per machine GUID) and, per GUID, the last stored time of every chart,
 * kept after a disconnect so the next connection can ask for exactly the missing range.
 */
export class SessionRegistry implements LiveStreams {
  private readonly live = new Map<string, LiveSession>();
  private readonly lastStored = new Map<string, Map<string, number>>();

  lastMessageAge(machineGuid: string): number | undefined {
    const s = this.live.get(machineGuid);
    return s ? Math.floor((Date.now() - s.lastMessageMs) / 1000) : undefined;
  }

  /** Takes the GUID; a previous (dead) connection of the same GUID is closed first. */
  attach(s: LiveSession): void {
    const old = this.live.get(s.machineGuid);
    if (old && old !== s) old.close('replaced by a new connection of the same machine GUID');
    this.live.set(s.machineGuid, s);
  }

  detach(s: LiveSession): void {
    if (this.live.get(s.machineGuid) === s) this.live.delete(s.machineGuid);
  }

  sessions(): LiveSession[] {
    return [...this.live.values()];
  }

  chartLastStored(guid: string, chartId: string): number {
    return this.lastStored.get(guid)?.get(chartId) ?? 0;
  }

  rememberLastStored(guid: string, chartId: string, timeS: number): void {
    let m = this.lastStored.get(guid);
    if (!m) {
      m = new Map();
      this.lastStored.set(guid, m);
    }
    if (timeS > (m.get(chartId) ?? 0)) m.set(chartId, timeS);
  }
}
