import { capabilityNames, ChildStreamStatus, StreamStatusResponse } from '@tributary/protocol';
import { ReceiverSession } from '../session/receiver.session';
import { ReadScheduler } from '../session/read.scheduler';
import { StoreWriter } from '../store/store.writer';

interface Rate {
  samples: number;
  bytes: number;
  samplesPerSecond: number;
  bytesPerSecond: number;
}

/** Per-child counters turned into rates once a second (cheap: one pass over the connected children). */
export class StreamStatusTracker {
  private readonly rates = new WeakMap<ReceiverSession, Rate>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly sessions: () => Iterable<ReceiverSession>,
    private readonly writer: StoreWriter,
    private readonly reads: ReadScheduler,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.tick(), 1000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private tick(): void {
    for (const s of this.sessions()) {
      const r = this.rates.get(s) ?? { samples: s.samplesTotal, bytes: s.bytesTotal, samplesPerSecond: 0, bytesPerSecond: 0 };
      r.samplesPerSecond = s.samplesTotal - r.samples;
      r.bytesPerSecond = s.bytesTotal - r.bytes;
      r.samples = s.samplesTotal;
      r.bytes = s.bytesTotal;
      this.rates.set(s, r);
    }
  }

  snapshot(): StreamStatusResponse {
    const children: ChildStreamStatus[] = [];
    let sps = 0;
    let bps = 0;
    const now = Date.now();
    for (const s of this.sessions()) {
      if (s.state !== 'streaming') continue;
      const r = this.rates.get(s);
      sps += r?.samplesPerSecond ?? 0;
      bps += r?.bytesPerSecond ?? 0;
      children.push({
        machineGuid: s.machineGuid,
        hostname: s.hostname,
        online: true,
        sinceMs: s.sinceMs,
        peer: `${s.peer.ip}:${s.peer.port}`,
        protocolVersion: s.caps,
        capabilities: capabilityNames(s.caps),
        compression: s.compression,
        compressionRatio: s.compressionRatio,
        samplesPerSecond: r?.samplesPerSecond ?? 0,
        bytesPerSecond: r?.bytesPerSecond ?? 0,
        bufferedBytes: s.bufferedBytes,
        lastError: s.lastError,
        tls: s.peer.tls,
        hops: s.request?.hops ?? 1,
        samplesTotal: s.samplesTotal,
        bytesTotal: s.bytesTotal,
        charts: s.charts.size,
        replicationPending: s.replicationPending,
        proxyDestination: s.proxyLink?.destinationText ?? '',
        proxyState: s.proxyLink?.state ?? '',
        proxyBytesSent: s.proxyLink?.bytesSent ?? 0,
        proxyLastError: s.proxyLink?.lastError ?? '',
        proxyConnects: s.proxyLink?.connects ?? 0,
        lagSeconds: s.lagMs(now) / 1000,
        readingPaused: s.readingPaused,
      });
    }
    return {
      children,
      samplesPerSecond: sps,
      bytesPerSecond: bps,
      bufferedBytes: this.writer.heldBytes,
      connected: children.length,
      storeConnected: this.writer.storeConnected,
      pendingBatches: this.writer.pendingBatches,
      duplicateAcks: this.writer.duplicateAcks,
      rowsDropped: this.writer.rowsDropped,
      deferredReads: this.reads.deferredTotal,
    };
  }
}
