// POSTs every notification as JSON, retrying with a doubling pause; a 2xx answer is success.
import { AlarmNotification, NotificationChannel } from './alarm-notification';

export class WebhookNotifier implements NotificationChannel {
  readonly kind = 'webhook';

  constructor(
    private readonly url: string,
    private readonly attempts = 4,
    private readonly firstPauseMs = 500,
    private readonly timeoutMs = 5000,
  ) {}

  appliesTo(): boolean {
    return true;
  }

  static body(n: AlarmNotification): Record<string, unknown> {
    const e = n.entry;
    return {
      host: n.registryHostname,
      machine_guid: e.machineGuid,
      unique_id: e.uniqueId,
      alarm_id: e.alarmId,
      alarm_event_id: e.alarmEventId,
      when: e.when,
      name: e.name,
      chart: e.chart,
      family: e.family,
      status: e.status,
      old_status: e.oldStatus,
      value: Number.isFinite(e.value) ? e.value : null,
      old_value: Number.isFinite(e.oldValue) ? e.oldValue : null,
      value_string: n.valueString,
      units: e.units,
      info: e.info,
      recipient: n.roles,
      source: n.source,
      duration: e.duration,
      non_clear_duration: e.nonClearDuration,
      classification: n.classification,
      calc: n.calcExpression,
      total_warnings: n.totalWarnings,
      total_critical: n.totalCritical,
      repeating: n.repeating,
    };
  }

  async send(n: AlarmNotification): Promise<number> {
    const payload = JSON.stringify(WebhookNotifier.body(n));
    let pause = this.firstPauseMs;
    let lastError = '';
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      try {
        const res = await fetch(this.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: payload,
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        await res.arrayBuffer();
        if (res.status >= 200 && res.status < 300) return res.status;
        lastError = `HTTP ${res.status}`;
      } catch (e) {
        lastError = (e as Error).message;
      }
      if (attempt < this.attempts) {
        await new Promise((r) => setTimeout(r, pause));
        pause *= 2;
      }
    }
    throw new Error(`webhook ${this.url} failed after ${this.attempts} attempts: ${lastError}`);
  }
}
