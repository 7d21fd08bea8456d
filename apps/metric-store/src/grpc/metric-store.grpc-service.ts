import { status, type sendUnaryData, type ServerDuplexStream, type ServerUnaryCall, type ServerWritableStream } from '@grpc/grpc-js';
import { Logger } from '@nestjs/common';
import type {
  ChartDef,
  HostRecord,
  ListChartsRequest,
  ListChartsResponse,
  ListHostsRequest,
  ListHostsResponse,
  MetricStoreServer,
  QueryRequest,
  QueryResponse,
  StoreStatus,
  StoreStatusRequest,
  SubscribeEvent,
  SubscribeRequest,
  WriteAck,
  WriteBatch,
} from '@tributary/protocol';
import { WRITER_ID_METADATA } from '@tributary/protocol';
import type { ChartRec, HostRec } from '../model/topology';
import { DecodedPageCache } from '../query/decoded-page.cache';
import { QueryError, QueryService } from '../query/query.service';
import { DatabaseUnavailableError, MetricStore } from '../store/metric.store';
import { WriteCallState } from '../store/write-call.state';
import { errorText } from '../store/db-errors';

interface GrpcError {
  code: status;
  details: string;
}

function toGrpcError(e: unknown): GrpcError {
  if (e instanceof DatabaseUnavailableError) return { code: status.UNAVAILABLE, details: e.message };
  if (e instanceof QueryError) return { code: e.kind === 'not-found' ? status.NOT_FOUND : status.INVALID_ARGUMENT, details: e.message };
  return { code: status.INTERNAL, details: errorText(e) };
}

function chartEntries(c: ChartRec): { first: number; last: number } {
  let first = 0;
  let last = 0;
  for (const d of c.dims) {
    if (d.series.firstS > 0 && (first === 0 || d.series.firstS < first)) first = d.series.firstS;
    if (d.series.lastS > last) last = d.series.lastS;
  }
  return { first, last };
}

function chartDef(c: ChartRec): ChartDef {
  const e = chartEntries(c);
  return { ...c.def, firstEntryS: e.first, lastEntryS: e.last };
}

export function hostRecord(h: HostRec): HostRecord {
  let dims = 0;
  let first = 0;
  let last = 0;
  for (const c of h.charts.values()) {
    dims += c.dims.length;
    const e = chartEntries(c);
    if (e.first > 0 && (first === 0 || e.first < first)) first = e.first;
    if (e.last > last) last = e.last;
  }
  return {
    info: h.info,
    online: h.online,
    firstSeenMs: h.firstSeenMs,
    lastSeenMs: h.lastSeenMs,
    stateSinceMs: h.stateSinceMs,
    peer: h.peer,
    lastDisconnectReason: h.lastDisconnectReason,
    charts: h.charts.size,
    dimensions: dims,
    firstEntryS: first,
    lastEntryS: last,
  };
}

/** grpc-js handlers of tributary.v1.MetricStore. */
export function createMetricStoreService(store: MetricStore, queryCacheBytes: number): MetricStoreServer {
  const log = new Logger('MetricStoreGrpc');
  const queries = new QueryService(store, new DecodedPageCache(queryCacheBytes));

  return {
    write(call: ServerDuplexStream<WriteBatch, WriteAck>): void {
      const writer = call.metadata.get(WRITER_ID_METADATA)[0];
      const state = new WriteCallState(call.getPeer(), typeof writer === 'string' ? writer : '');
      let ended = false;
      const finish = () => {
        if (ended) return;
        ended = true;
        store.endCall(state);
      };
      log.log(`writer ${state.peer} connected`);
      let paused = false;
      call.on('data', (b: WriteBatch) => {
        const first = state.refusedBatch === 0;
        const ack = store.write(state, b);
        // One line per refusal, not one per batch that follows it on the same call.
        if (ack.error && first) log.warn(`writer ${state.peer}: batch ${b.batchId} rejected: ${ack.error}`);
        call.write(ack);
        // A subscriber is behind: read no more from this writer until it catches up (HTTP/2 flow control pushes back
        // on stream-ingest, which pauses its children's sockets).
        if (!paused && store.hub.backlogBytes > store.hub.highBytes) {
          paused = true;
          call.pause();
          void store.hub.whenDrained().then(() => {
            paused = false;
            if (!ended) call.resume();
          });
        }
      });
      call.on('end', () => {
        finish();
        call.end();
        log.log(`writer ${state.peer} finished`);
      });
      call.on('cancelled', finish);
      call.on('error', (e) => {
        finish();
        log.warn(`writer ${state.peer}: ${errorText(e)}`);
      });
    },

    query(call: ServerUnaryCall<QueryRequest, QueryResponse>, cb: sendUnaryData<QueryResponse>): void {
      queries.query(call.request).then(
        (r) => cb(null, r),
        (e: unknown) => cb(toGrpcError(e)),
      );
    },

    listHosts(_call: ServerUnaryCall<ListHostsRequest, ListHostsResponse>, cb: sendUnaryData<ListHostsResponse>): void {
      const hosts: HostRecord[] = [];
      for (const h of store.registry.hosts.values()) {
        // Memory mode none keeps nothing: such a host is listed only while connected.
        if (!h.stores && !h.online) continue;
        hosts.push(hostRecord(h));
      }
      cb(null, { hosts });
    },

    listCharts(call: ServerUnaryCall<ListChartsRequest, ListChartsResponse>, cb: sendUnaryData<ListChartsResponse>): void {
      const host = store.registry.findHost(call.request.host, call.request.guidOnly);
      if (!host) return cb({ code: status.NOT_FOUND, details: `host '${call.request.host}' not found` });
      let charts = [...host.charts.values()];
      if (call.request.chart) {
        const c = store.registry.findChart(host, call.request.chart);
        if (!c) return cb({ code: status.NOT_FOUND, details: `chart '${call.request.chart}' not found on '${host.info.hostname}'` });
        charts = [c];
      }
      cb(null, { host: hostRecord(host), charts: charts.map(chartDef), variables: [...host.variables.values()] });
    },

    subscribe(call: ServerWritableStream<SubscribeRequest, SubscribeEvent>): void {
      store.hub.add(call, store.registry.hosts.values());
    },

    getStatus(_call: ServerUnaryCall<StoreStatusRequest, StoreStatus>, cb: sendUnaryData<StoreStatus>): void {
      const hot = store.hotStats();
      store.diskStats().then((disk) =>
        cb(null, {
          databaseUp: store.databaseUp,
          databaseError: store.databaseError,
          samplesWritten: store.samplesWritten,
          pagesFlushed: store.pagesFlushed,
          hotPages: hot.pages,
          hotSamples: hot.samples,
          heldFlushBytes: store.heldBytes,
          bytesOnDisk: disk.bytes,
          storedPoints: disk.points,
          hosts: store.registry.hosts.size,
          charts: store.registry.charts.size,
          topologyPending: store.topologyPending,
        }),
      );
    },
  };
}
