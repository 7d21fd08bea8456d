import { Logger } from '@nestjs/common';
import { SimplePattern } from '@tributary/simple-patterns';
import type { ConnectorStatus } from '@tributary/protocol';
import type { ConnectorSettings } from '../config/exporting.settings';
import type { MetricFormatter } from '../format/metric.formatter';
import { GraphiteFormatter } from '../format/graphite.formatter';
import { OpentsdbTelnetFormatter } from '../format/opentsdb-telnet.formatter';
import { OpentsdbHttpFormatter } from '../format/opentsdb-http.formatter';
import { JsonFormatter } from '../format/json.formatter';
import { RemoteWriteFormatter } from '../format/remote-write.formatter';
import type { HostRegistry } from '../model/host.registry';
import { walkBatch, type WalkOptions } from '../model/batch.walker';
import { BatchRing } from './batch.ring';
import { BatchTransport } from './batch.transport';
import { httpHeadFor } from './http.head';

export function formatterFor(s: ConnectorSettings): MetricFormatter {
  const names = {
    prefix: s.prefix,
    sendNames: s.sendNames,
    asCollected: s.dataSource === 'as-collected',
    labelsEnabled: s.sendConfiguredLabels || s.sendAutomaticLabels,
  };
  switch (s.kind) {
    case 'graphite':
      return new GraphiteFormatter(names);
    case 'opentsdb':
      return s.http ? new OpentsdbHttpFormatter(names) : new OpentsdbTelnetFormatter(names);
    case 'json':
      return new JsonFormatter(names, s.http);
    case 'remote_write':
      return new RemoteWriteFormatter({ prefix: s.prefix, sendNames: s.sendNames, dataSource: s.dataSource, sendVariables: s.sendVariables });
  }
}

/**
 * One `[type:name]` instance: builds a batch when due, keeps up to `buffer on failures` unsent batches, sends the
 * oldest first over one connection with failover, retries failed batches, counts and logs what it has to drop.
 */
export class ExportConnector {
  private readonly log: Logger;
  private readonly ring: BatchRing;
  private readonly transport: BatchTransport;
  private readonly formatter: MetricFormatter;
  private readonly walk: WalkOptions;
  private lastBefore: number;
  private lastRun = 0;
  private sending = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelayMs = 1000;
  private failing = false;
  private stopped = false;
  private idle: Promise<void> = Promise.resolve();

  sentPoints = 0;
  sentBytes = 0;
  failedBatches = 0;
  droppedPoints = 0;
  droppedBatches = 0;
  reconnects = 0;
  receivedBytes = 0;
  lastError = '';
  lastSuccessMs = 0;
  lastFailureMs = 0;

  constructor(
    readonly settings: ConnectorSettings,
    private readonly registry: HostRegistry,
    startS: number,
  ) {
    this.log = new Logger(`exporting ${settings.section}`);
    this.lastBefore = startS;
    this.ring = new BatchRing(settings.bufferOnFailures);
    this.formatter = formatterFor(settings);
    this.walk = {
      dataSource: settings.dataSource,
      hosts: SimplePattern.compile(settings.sendHostsMatching),
      charts: SimplePattern.compile(settings.sendChartsMatching),
      sendConfiguredLabels: settings.sendConfiguredLabels,
      sendAutomaticLabels: settings.sendAutomaticLabels,
      skipStaleCollected: settings.kind === 'remote_write',
    };
    this.transport = new BatchTransport(
      { destinations: settings.destinations, timeoutMs: settings.timeoutMs, tls: settings.tls, tlsSkipVerify: settings.tlsSkipVerify },
      httpHeadFor(settings),
      { reconnect: () => this.reconnects++, received: (n) => (this.receivedBytes += n) },
    );
  }

  /** Due in the last second of each wall-clock-aligned `update every` window, as Netdata schedules it. */
  isDue(nowS: number): boolean {
    const ue = this.settings.updateEvery;
    return nowS !== this.lastRun && nowS % ue >= ue - 1;
  }

  /** Formats (after, now] and queues it. Returns the points in the batch. */
  produce(nowS: number, nowMs = Date.now()): number {
    this.lastRun = nowS;
    const after = this.lastBefore;
    this.lastBefore = nowS;
    const points = walkBatch(this.registry, this.walk, this.formatter, after, nowS, nowMs);
    if (points === 0 && this.settings.kind !== 'remote_write') return 0;
    const body = this.formatter.finish();
    if (body.length === 0) return 0;
    const dropped = this.ring.push({ body, points, before: nowS });
    if (dropped) {
      this.droppedPoints += dropped.points;
      this.droppedBatches++;
      this.log.warn(
        `buffer on failures (${this.ring.capacity} batches) is full: dropped the oldest batch (window ending ${dropped.before}, ` +
          `${dropped.points} points, ${dropped.body.length} bytes); ${this.droppedPoints} points dropped so far`,
      );
    }
    this.kick();
    return points;
  }

  /** Resolves when the sender is idle (tests, shutdown). */
  drained(): Promise<void> {
    return this.idle;
  }

  get bufferedBatches(): number {
    return this.ring.length;
  }

  private kick(): void {
    if (this.sending || this.stopped) return;
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
    }
    this.sending = true;
    this.idle = this.drain().finally(() => {
      this.sending = false;
    });
  }

  private async drain(): Promise<void> {
    for (let b = this.ring.peek(); b && !this.stopped; b = this.ring.peek()) {
      try {
        await this.transport.send(b.body);
      } catch (e) {
        this.failedBatches++;
        this.lastFailureMs = Date.now();
        this.lastError = (e as Error).message;
        this.log.warn(
          `send failed (${this.lastError}); ${this.ring.length} batches / ${this.ring.bufferedPoints} points kept for retry`,
        );
        this.failing = true;
        this.scheduleRetry();
        return;
      }
      // A batch may have been dropped from the ring while in flight; only shift what was sent.
      if (this.ring.peek() === b) this.ring.shift();
      this.sentPoints += b.points;
      this.sentBytes += b.body.length;
      this.lastSuccessMs = Date.now();
      this.retryDelayMs = 1000;
      if (this.failing) {
        this.failing = false;
        this.log.log(`sending again to ${this.transport.destination?.text}; ${this.ring.length} batches still buffered`);
      }
    }
  }

  /** Better than Netdata (which waits for the next batch): retry with backoff, at most one update interval apart. */
  private scheduleRetry(): void {
    if (this.stopped) return;
    const delay = Math.min(this.retryDelayMs, this.settings.updateEvery * 1000);
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, 60000);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.kick();
    }, delay);
    this.retryTimer.unref();
  }

  status(): ConnectorStatus {
    return {
      name: this.settings.section,
      type: this.settings.type,
      enabled: this.settings.enabled,
      destination: this.transport.destination?.text ?? this.settings.destinationText,
      sentPoints: this.sentPoints,
      sentBytes: this.sentBytes,
      failedBatches: this.failedBatches,
      bufferedPoints: this.ring.bufferedPoints,
      bufferedBytes: this.ring.bufferedBytes,
      droppedPoints: this.droppedPoints,
      lastError: this.lastError,
      lastSuccessMs: this.lastSuccessMs,
      lastFailureMs: this.lastFailureMs,
    };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.transport.close();
    await this.idle.catch(() => undefined);
  }
}
