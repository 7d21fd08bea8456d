import { Logger } from '@nestjs/common';
import type { ExporterStatus } from '@tributary/protocol';
import type { ExportingSettings } from './config/exporting.settings';
import { ExportConnector } from './connector/export.connector';
import { HostRegistry, ringSlotsFor } from './model/host.registry';
import { PrometheusScrapeService } from './scrape/prometheus-scrape.service';

/**
 * The exporting engine: one registry fed by the subscription, one connector per enabled instance, and a
 * once-per-second tick that lets every due connector build its batch (Netdata's engine loop).
 */
export class ExportingEngine {
  private readonly log = new Logger('exporting');
  readonly registry: HostRegistry;
  readonly connectors: ExportConnector[];
  readonly scrape: PrometheusScrapeService;
  private timer: NodeJS.Timeout | undefined;

  constructor(readonly settings: ExportingSettings) {
    const startS = Math.floor(Date.now() / 1000);
    const maxUe = Math.max(1, ...settings.connectors.filter((c) => c.enabled).map((c) => c.updateEvery));
    this.registry = new HostRegistry(ringSlotsFor(maxUe));
    this.connectors = settings.connectors.filter((c) => c.enabled).map((c) => new ExportConnector(c, this.registry, startS));
    this.scrape = new PrometheusScrapeService(this.registry, settings.prometheus);
    for (const c of settings.connectors) {
      this.log.log(
        `[${c.section}] ${c.enabled ? 'enabled' : 'disabled'}: destination '${c.destinationText}', data source ${c.dataSource}, ` +
          `update every ${c.updateEvery}s, buffer on failures ${c.bufferOnFailures}`,
      );
    }
  }

  start(): void {
    const tick = (): void => {
      const nowMs = Date.now();
      const nowS = Math.floor(nowMs / 1000);
      for (const c of this.connectors) {
        if (!c.isDue(nowS)) continue;
        try {
          c.produce(nowS, nowMs);
        } catch (e) {
          this.log.error(`[${c.settings.section}] batch failed to build: ${(e as Error).message}`);
        }
      }
      // Re-arm on the next second boundary so the modulo schedule never skips a second.
      this.timer = setTimeout(tick, 1000 - (Date.now() % 1000) + 5);
    };
    this.timer = setTimeout(tick, 1000 - (Date.now() % 1000) + 5);
  }

  /** Enabled instances with their counters, then the disabled ones (so every configured section is visible). */
  status(): ExporterStatus {
    const disabled = this.settings.connectors
      .filter((c) => !c.enabled)
      .map((c) => ({
        name: c.section,
        type: c.type,
        enabled: false,
        destination: c.destinationText,
        sentPoints: 0,
        sentBytes: 0,
        failedBatches: 0,
        bufferedPoints: 0,
        bufferedBytes: 0,
        droppedPoints: 0,
        lastError: '',
        lastSuccessMs: 0,
        lastFailureMs: 0,
      }));
    return { connectors: [...this.connectors.map((c) => c.status()), ...disabled], hosts: this.registry.hosts.size };
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    await Promise.all(this.connectors.map((c) => c.stop()));
  }
}
