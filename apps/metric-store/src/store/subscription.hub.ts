import { status, type ServerWritableStream } from '@grpc/grpc-js';
import { Logger } from '@nestjs/common';
import type { HostState, SampleColumns, SubscribeEvent, SubscribeRequest, Variable } from '@tributary/protocol';
import type { ChartRec, HostRec } from '../model/topology';

/** Objects queued on one subscriber before it is cut off: a slow reader must not grow the store's memory. */
const MAX_QUEUED = 20_000;

interface Subscriber {
  call: ServerWritableStream<SubscribeRequest, SubscribeEvent>;
  guids: Set<string> | null;
  withTopology: boolean;
  /** Chart ids (store-wide, used as the subscription's chart_index) already announced with their definition. */
  announced: Set<number>;
  closed: boolean;
}

/**
 * Fans out writes to Subscribe calls. Chart indexes on a subscription are the store-wide chart ids, announced by a
 * ChartUpsert before the first samples that use them, so one translated SampleColumns serves every subscriber.
 */
export class SubscriptionHub {
  private readonly log = new Logger('Subscribe');
  private readonly subs = new Set<Subscriber>();

  get size(): number {
    return this.subs.size;
  }

  add(call: ServerWritableStream<SubscribeRequest, SubscribeEvent>, hosts: Iterable<HostRec>): void {
    const req = call.request;
    const sub: Subscriber = {
      call,
      guids: req.machineGuids.length > 0 ? new Set(req.machineGuids) : null,
      withTopology: req.withTopology,
      announced: new Set(),
      closed: false,
    };
    const close = () => {
      sub.closed = true;
      this.subs.delete(sub);
    };
    call.on('cancelled', close);
    call.on('close', close);
    call.on('error', close);
    this.subs.add(sub);
    this.log.log(`subscriber ${call.getPeer()} hosts=${req.machineGuids.join(',') || '*'} topology=${req.withTopology}`);
    if (!sub.withTopology) return;
    for (const h of hosts) {
      if (!this.wants(sub, h.guid)) continue;
      this.send(sub, { event: { $case: 'host', host: h.info } });
      this.send(sub, { event: { $case: 'state', state: this.stateOf(h) } });
      for (const c of h.charts.values()) this.announce(sub, c);
      for (const v of h.variables.values()) this.send(sub, { event: { $case: 'variable', variable: v } });
    }
  }

  closeAll(): void {
    for (const s of this.subs) {
      s.closed = true;
      s.call.end();
    }
    this.subs.clear();
  }

  interested(guid: string): boolean {
    for (const s of this.subs) if (this.wants(s, guid)) return true;
    return false;
  }

  host(h: HostRec): void {
    for (const s of this.subs) if (s.withTopology && this.wants(s, h.guid)) this.send(s, { event: { $case: 'host', host: h.info } });
  }

  state(h: HostRec, state: HostState): void {
    for (const s of this.subs) if (s.withTopology && this.wants(s, h.guid)) this.send(s, { event: { $case: 'state', state } });
  }

  chart(c: ChartRec): void {
    for (const s of this.subs) {
      if (!this.wants(s, c.host.guid)) continue;
      if (s.withTopology || s.announced.has(c.id)) this.announce(s, c);
    }
  }

  variable(guid: string, v: Variable): void {
    for (const s of this.subs) if (s.withTopology && this.wants(s, guid)) this.send(s, { event: { $case: 'variable', variable: v } });
  }

  /** `charts` lists the distinct charts used by `samples` (whose chart_index are store-wide chart ids). */
  samples(guid: string, samples: SampleColumns, charts: ChartRec[]): void {
    for (const s of this.subs) {
      if (!this.wants(s, guid)) continue;
      for (const c of charts) if (!s.announced.has(c.id)) this.announce(s, c);
      this.send(s, { event: { $case: 'samples', samples } });
    }
  }

  private stateOf(h: HostRec): HostState {
    return {
      machineGuid: h.guid,
      connected: h.online,
      atMs: h.stateSinceMs,
      reason: h.lastDisconnectReason,
      graceful: true,
      peer: h.peer,
      ingestId: '',
    };
  }

  private announce(s: Subscriber, c: ChartRec): void {
    s.announced.add(c.id);
    this.send(s, { event: { $case: 'chart', chart: { machineGuid: c.host.guid, chartIndex: c.id, chart: c.def } } });
  }

  private wants(s: Subscriber, guid: string): boolean {
    return !s.closed && (s.guids === null || s.guids.has(guid));
  }

  private send(s: Subscriber, ev: SubscribeEvent): void {
    if (s.closed) return;
    if (s.call.writableLength > MAX_QUEUED) {
      s.closed = true;
      this.subs.delete(s);
      this.log.warn(`subscriber ${s.call.getPeer()} too slow (${MAX_QUEUED} events queued): closing it`);
      s.call.emit('error', { code: status.RESOURCE_EXHAUSTED, details: 'subscriber too slow: resubscribe' });
      return;
    }
    s.call.write(ev);
  }
}
