import { Logger } from '@nestjs/common';
import { credentials, type ClientReadableStream } from '@grpc/grpc-js';
import { MetricStoreClient, type SubscribeEvent } from '@tributary/protocol';
import { PROMPT_RECONNECT_OPTIONS } from '@tributary/runtime';
import type { HostRegistry } from '../model/host.registry';

/**
 * Keeps one `MetricStore.Subscribe` call open (topology + samples for every host). Chart indexes belong to one call,
 * so each (re)subscription starts the index map afresh; the series themselves survive reconnects.
 */
export class MetricStoreSubscriber {
  private readonly log = new Logger('metric-store subscription');
  private readonly client: MetricStoreClient;
  private call: ClientReadableStream<SubscribeEvent> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private backoffMs = 500;
  private stopped = false;
  connected = false;
  subscriptions = 0;
  events = 0;
  lastError = '';

  constructor(
    private readonly address: string,
    private readonly registry: HostRegistry,
  ) {
    this.client = new MetricStoreClient(address, credentials.createInsecure(), {
      'grpc.keepalive_time_ms': 30000,
      'grpc.max_receive_message_length': 64 * 1024 * 1024,
      // Every sample of every child flows down this stream: a 64 KiB window would pace it to our event-loop turns.
      'grpc-node.flow_control_window': 16 * 1024 * 1024,
      ...PROMPT_RECONNECT_OPTIONS,
    });
  }

  start(): void {
    this.subscribe();
  }

  private subscribe(): void {
    if (this.stopped) return;
    this.registry.resetSubscription();
    this.subscriptions++;
    const call = this.client.subscribe({ machineGuids: [], withTopology: true });
    this.call = call;
    let announced = false;
    call.on('data', (ev: SubscribeEvent) => {
      if (!announced) {
        announced = true;
        this.connected = true;
        this.backoffMs = 500;
        this.log.log(`subscribed to ${this.address} (subscription #${this.subscriptions})`);
      }
      this.events++;
      this.apply(ev);
    });
    call.on('metadata', () => {
      if (!announced) {
        announced = true;
        this.connected = true;
        this.backoffMs = 500;
        this.log.log(`subscribed to ${this.address} (subscription #${this.subscriptions})`);
      }
    });
    const retry = (why: string): void => {
      if (this.call !== call) return;
      this.call = undefined;
      this.connected = false;
      this.lastError = why;
      if (this.stopped) return;
      this.log.warn(`subscription to ${this.address} ended (${why}); resubscribing in ${this.backoffMs} ms`);
      this.timer = setTimeout(() => this.subscribe(), this.backoffMs);
      this.backoffMs = Math.min(this.backoffMs * 2, 5000);
    };
    call.on('error', (e: Error) => retry(e.message));
    call.on('end', () => retry('stream ended by server'));
  }

  private apply(ev: SubscribeEvent): void {
    const e = ev.event;
    if (!e) return;
    switch (e.$case) {
      case 'samples':
        this.registry.applySamples(e.samples);
        break;
      case 'chart':
        this.registry.applyChart(e.chart);
        break;
      case 'host':
        this.registry.applyHost(e.host);
        break;
      case 'state':
        this.registry.applyState(e.state);
        break;
      case 'variable':
        this.registry.applyVariable(e.variable);
        break;
      case 'removedHost':
        this.registry.removeHost(e.removedHost);
        break;
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const c = this.call;
    this.call = undefined;
    c?.cancel();
    this.client.close();
  }
}
