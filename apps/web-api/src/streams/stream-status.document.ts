import {
  ChildStreamStatus,
  ExporterStatus,
  HealthStatus,
  HostRecord,
  StoreStatus,
  StreamStatusResponse,
} from '@tributary/protocol';
import { ParentIdentity } from '../hosts/parent.identity';

export interface PeerAnswer<T> {
  value: T | null;
  error: string | null;
}

export interface StreamStatusInput {
  parent: ParentIdentity;
  ingest: PeerAnswer<StreamStatusResponse>;
  hosts: PeerAnswer<HostRecord[]>;
  store: PeerAnswer<StoreStatus>;
  health: PeerAnswer<HealthStatus>;
  exporter: PeerAnswer<ExporterStatus>;
  nowMs: number;
}

export interface HostStreamStatus {
  machine_guid: string;
  hostname: string;
  is_parent: boolean;
  online: boolean;
  since_ms: number | null;
  peer: string | null;
  hops: number;
  program_version: string | null;
  protocol_version: number | null;
  capabilities: string[];
  compression: boolean | null;
  compression_ratio: number | null;
  tls: boolean | null;
  samples_per_second: number;
  bytes_per_second: number;
  buffered_bytes: number;
  samples_total: number;
  bytes_total: number;
  charts: number;
  dimensions: number;
  replication_pending: number;
  /** how far behind this child is (its oldest point not yet in metric-store, or its paused socket) */
  lag_seconds: number;
  reading_paused: boolean;
  /** proxy mode: the link to the next parent, null when this child is not proxied */
  proxy: { destination: string; state: string; bytes_sent: number; connects: number; last_error: string | null } | null;
  last_error: string | null;
  first_entry_s: number | null;
  last_entry_s: number | null;
}

function fromChild(c: ChildStreamStatus | undefined, r: HostRecord | undefined, parent: ParentIdentity, guid: string): HostStreamStatus {
  const isParent = guid === parent.machineGuid;
  return {
    machine_guid: guid,
    hostname: c?.hostname || r?.info?.hostname || (isParent ? parent.hostname : guid),
    is_parent: isParent,
    // The parent is always "online" in its own view (Netdata's reachable for localhost).
    online: isParent || (c ? c.online : (r?.online ?? false)),
    since_ms: c?.sinceMs || r?.stateSinceMs || null,
    peer: c?.peer || r?.peer || null,
    hops: isParent ? 0 : (c?.hops ?? r?.info?.hops ?? 1),
    program_version: isParent ? parent.version : r?.info?.programVersion || null,
    protocol_version: c ? c.protocolVersion : null,
    capabilities: c?.capabilities ?? [],
    compression: c ? c.compression : null,
    compression_ratio: c && c.compression ? c.compressionRatio : null,
    tls: c ? c.tls : null,
    samples_per_second: c?.samplesPerSecond ?? 0,
    bytes_per_second: c?.bytesPerSecond ?? 0,
    buffered_bytes: c?.bufferedBytes ?? 0,
    samples_total: c?.samplesTotal ?? 0,
    bytes_total: c?.bytesTotal ?? 0,
    charts: r?.charts || c?.charts || 0,
    dimensions: r?.dimensions ?? 0,
    replication_pending: c?.replicationPending ?? 0,
    lag_seconds: c?.lagSeconds ?? 0,
    reading_paused: c?.readingPaused ?? false,
    proxy: c?.proxyDestination
      ? { destination: c.proxyDestination, state: c.proxyState, bytes_sent: c.proxyBytesSent, connects: c.proxyConnects, last_error: c.proxyLastError || null }
      : null,
    last_error: c?.lastError || r?.lastDisconnectReason || null,
    first_entry_s: r?.firstEntryS || null,
    last_entry_s: r?.lastEntryS || null,
  };
}

/** stream-ingest's live view merged with metric-store's durable host list: offline hosts only the store remembers. */
export function streamStatusDocument(input: StreamStatusInput): Record<string, unknown> {
  const children = input.ingest.value?.children ?? [];
  const records = input.hosts.value ?? [];
  const byGuidChild = new Map(children.map((c) => [c.machineGuid, c]));
  const byGuidRecord = new Map(records.filter((r) => r.info).map((r) => [r.info?.machineGuid ?? '', r]));
  const guids = [input.parent.machineGuid];
  for (const g of [...byGuidRecord.keys(), ...byGuidChild.keys()]) if (g && !guids.includes(g)) guids.push(g);
  const hosts = guids.map((g) => fromChild(byGuidChild.get(g), byGuidRecord.get(g), input.parent, g));
  const ingest = input.ingest.value;
  const sum = (f: (h: HostStreamStatus) => number) => hosts.reduce((a, h) => a + f(h), 0);
  const peer = <T>(a: PeerAnswer<T>) => ({ reachable: a.value !== null, error: a.error });
  return {
    parent: { hostname: input.parent.hostname, machine_guid: input.parent.machineGuid, version: input.parent.version },
    now_ms: input.nowMs,
    totals: {
      hosts: hosts.length,
      online: hosts.filter((h) => h.online && !h.is_parent).length,
      offline: hosts.filter((h) => !h.online).length,
      connected: ingest ? ingest.connected : hosts.filter((h) => h.online && !h.is_parent).length,
      samples_per_second: ingest ? ingest.samplesPerSecond : sum((h) => h.samples_per_second),
      bytes_per_second: ingest ? ingest.bytesPerSecond : sum((h) => h.bytes_per_second),
      buffered_bytes: ingest ? ingest.bufferedBytes : sum((h) => h.buffered_bytes),
      samples_total: sum((h) => h.samples_total),
      bytes_total: sum((h) => h.bytes_total),
      store_connected: ingest ? ingest.storeConnected : null,
      max_lag_seconds: hosts.reduce((m, h) => Math.max(m, h.lag_seconds), 0),
      pending_batches: ingest ? ingest.pendingBatches : null,
      duplicate_acks: ingest ? ingest.duplicateAcks : null,
      rows_dropped: ingest ? ingest.rowsDropped : null,
      deferred_reads: ingest ? ingest.deferredReads : null,
    },
    peers: {
      'stream-ingest': peer(input.ingest),
      'metric-store': peer(input.hosts),
      'health-engine': peer(input.health),
      exporter: peer(input.exporter),
    },
    hosts,
    store: input.store.value,
    health: input.health.value,
    exporter: input.exporter.value,
  };
}
