import { SimplePattern } from '@tributary/simple-patterns';
import type { StreamDestination } from './destination.parser';
import type { HealthEnabled, MemoryMode } from './netdata-values';
import { isGuid } from './netdata-values';
import type { TributaryConfig } from './tributary-config';

export interface StreamSectionSettings {
  /** Whether stream.conf has a section with this GUID. */
  readonly found: boolean;
  /** `type` of the section (key default `api`, machine default `machine`). */
  readonly type: string;
  /** Key default no (an absent key section rejects), machine default yes. */
  readonly enabled: boolean;
  /** Compiled `allow from` (default `*`); an empty value allows everyone. */
  readonly allowFrom: SimplePattern;
}

/** What a Netdata 1.37 parent decides for one child connection (stream.conf 5.1 of the protocol doc). */
export interface StreamSettings {
  readonly apiKey: string;
  readonly machineGuid: string;
  readonly key: StreamSectionSettings;
  readonly machine: StreamSectionSettings;
  /** netdata.conf `[web] allow streaming from`, checked before anything in stream.conf. */
  readonly allowStreamingFrom: SimplePattern;
  readonly acceptAStreamingRequestEverySeconds: number;
  readonly memoryMode: MemoryMode;
  readonly history: number;
  readonly health: HealthEnabled;
  /** `health` after Netdata's rule that a host without a database (`memory mode = none`) runs no health. */
  readonly healthEffective: HealthEnabled;
  /** `[stream] enable compression` AND (machine section, else key section, else yes), as a 1.37 parent decides. */
  readonly enableCompression: boolean;
  readonly enableReplication: boolean;
  readonly secondsToReplicate: number;
  readonly secondsPerReplicationStep: number;
  /** Machine `update every`; undefined = use the child's. */
  readonly updateEvery: number | undefined;
  readonly postponeAlarmsOnConnectSeconds: number;
  readonly proxy: {
    readonly enabled: boolean;
    readonly destination: readonly StreamDestination[];
    readonly apiKey: string;
    readonly sendChartsMatching: SimplePattern;
  };
}

export type StreamAuthorization = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

const EVERYONE = SimplePattern.compile('*');

/** Precedence as Netdata: netdata.conf defaults, then the key section, then the machine section (last wins). */
export function resolveStreamSettings(
  config: TributaryConfig,
  ids: { apiKey: string; machineGuid: string },
): StreamSettings {
  const { netdata, stream } = config;
  const k = stream.sections.get(ids.apiKey);
  const m = stream.sections.get(ids.machineGuid);

  const history = m?.history ?? k?.defaultHistory ?? netdata.db.retention;
  const memoryMode = m?.memoryMode ?? k?.defaultMemoryMode ?? netdata.db.mode;
  const health = m?.healthEnabled ?? k?.healthEnabledByDefault ?? (netdata.health.enabled ? 'yes' : 'no');
  return {
    apiKey: ids.apiKey,
    machineGuid: ids.machineGuid,
    key: {
      found: k !== undefined,
      type: k?.type ?? 'api',
      enabled: k?.enabled ?? false,
      allowFrom: k?.allowFrom?.pattern ?? EVERYONE,
    },
    machine: {
      found: m !== undefined,
      type: m?.type ?? 'machine',
      enabled: m?.enabled ?? true,
      allowFrom: m?.allowFrom?.pattern ?? EVERYONE,
    },
    allowStreamingFrom: netdata.web.allowStreamingFrom.pattern,
    acceptAStreamingRequestEverySeconds: netdata.web.acceptAStreamingRequestEverySeconds,
    memoryMode,
    history,
    health,
    healthEffective: memoryMode === 'none' ? 'no' : health,
    // Measured against a real 1.37 parent (test/stream-authorization.int-spec.ts): the [stream] switch is ANDed with
    // the per-host value, but between the two sections the machine one simply wins (key no + machine yes = on).
    enableCompression: stream.stream.enableCompression && (m?.enableCompression ?? k?.enableCompression ?? true),
    enableReplication: m?.enableReplication ?? k?.enableReplication ?? netdata.db.enableReplication,
    secondsToReplicate: m?.secondsToReplicate ?? k?.secondsToReplicate ?? netdata.db.secondsToReplicate,
    secondsPerReplicationStep:
      m?.secondsPerReplicationStep ?? k?.secondsPerReplicationStep ?? netdata.db.secondsPerReplicationStep,
    updateEvery: m?.updateEvery,
    postponeAlarmsOnConnectSeconds: m?.postponeAlarmsOnConnectSeconds ?? k?.defaultPostponeAlarmsOnConnectSeconds ?? 60,
    proxy: {
      enabled: m?.proxyEnabled ?? k?.defaultProxyEnabled ?? stream.stream.enabled,
      destination: m?.proxyDestination ?? k?.defaultProxyDestination ?? stream.stream.destination,
      apiKey: m?.proxyApiKey ?? k?.defaultProxyApiKey ?? stream.stream.apiKey,
      sendChartsMatching:
        m?.proxySendChartsMatching?.pattern ?? k?.defaultProxySendChartsMatching?.pattern ?? stream.stream.sendChartsMatching.pattern,
    },
  };
}

/**
 * The checks of a 1.37 parent, in its order, with its reasons. `peer` is the address as Netdata formats it
 * (loopback clients are `localhost`). The `accept a streaming request every seconds` rate limit is stateful and left
 * to the caller.
 */
export function authorizeStream(settings: StreamSettings, peer: string): StreamAuthorization {
  const deny = (reason: string): StreamAuthorization => ({ allowed: false, reason });
  if (!settings.allowStreamingFrom.matches(peer)) return deny(`streaming from '${peer}' is not allowed by [web] allow streaming from`);
  if (!isGuid(settings.apiKey)) return deny(`API key '${settings.apiKey}' is not valid GUID`);
  if (!isGuid(settings.machineGuid)) return deny(`machine GUID '${settings.machineGuid}' is not GUID`);
  if (settings.key.type !== 'api') return deny(`API key '${settings.apiKey}' is a ${settings.key.type} GUID, not an API key`);
  if (!settings.key.enabled) return deny(`API key '${settings.apiKey}' is not allowed`);
  if (!settings.key.allowFrom.matches(peer)) return deny(`API key '${settings.apiKey}' is not permitted from this IP`);
  if (settings.machine.type !== 'machine') return deny(`machine GUID '${settings.machineGuid}' is an ${settings.machine.type} GUID, not a machine`);
  if (!settings.machine.enabled) return deny(`machine GUID '${settings.machineGuid}' is not allowed.`);
  if (!settings.machine.allowFrom.matches(peer)) return deny(`Machine GUID '${settings.machineGuid}' is not permitted from this IP.`);
  return { allowed: true };
}
