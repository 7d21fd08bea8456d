import { cpus, release, totalmem, type as osType, arch } from 'node:os';
import { KnownHost } from '../hosts/known-host';

export interface InfoInput {
  host: KnownHost;
  allHosts: KnownHost[];
  /** hosts currently streaming to us (stream-ingest's view, else metric-store's online flag) */
  reachable: Set<string>;
  parentVersion: string;
  alarms: { normal: number; warning: number; critical: number };
  chartsCount: number | null;
  metricsCount: number | null;
}

/** What this build can do, in Netdata's buildinfo wording: clients look for 'Stream Compression' in it. */
export const BUILDINFO = 'Stream Compression|JSON-C|LZ4';

function sys(host: KnownHost, key: string, fallback = 'unknown'): string {
  return host.record?.info?.systemInfo[key] || fallback;
}

/** System facts of the parent itself, from the OS, with Netdata's key names. */
function parentSystem(): Record<string, string> {
  return {
    NETDATA_SYSTEM_CPU_LOGICAL_CPU_COUNT: String(cpus().length),
    NETDATA_SYSTEM_TOTAL_RAM: String(totalmem()),
    NETDATA_SYSTEM_KERNEL_NAME: osType(),
    NETDATA_SYSTEM_KERNEL_VERSION: release(),
    NETDATA_SYSTEM_ARCHITECTURE: arch() === 'x64' ? 'x86_64' : arch(),
  };
}

/** Netdata 1.37's /api/v1/info for one host, keys in Netdata's order. */
export function infoDocument(input: InfoInput): Record<string, unknown> {
  const { host } = input;
  const own = host.isParent ? parentSystem() : {};
  const s = (key: string, fallback = 'unknown') => own[key] ?? sys(host, key, fallback);
  const info = host.record?.info;
  const doc: Record<string, unknown> = {
    version: host.isParent ? input.parentVersion : info?.programVersion || 'unknown',
    uid: host.machineGuid,
    mirrored_hosts: input.allHosts.map((h) => h.hostname),
    mirrored_hosts_status: input.allHosts.map((h) => ({
      guid: h.machineGuid,
      hostname: h.hostname,
      reachable: h.isParent || input.reachable.has(h.machineGuid),
      hops: h.isParent ? 0 : (h.record?.info?.hops ?? 1),
      claim_id: h.record?.info?.claimId || null,
      node_id: null,
    })),
    alarms: input.alarms,
    os_name: s('NETDATA_HOST_OS_NAME'),
    os_id: s('NETDATA_HOST_OS_ID'),
    os_id_like: s('NETDATA_HOST_OS_ID_LIKE'),
    os_version: s('NETDATA_HOST_OS_VERSION'),
    os_version_id: s('NETDATA_HOST_OS_VERSION_ID'),
    os_detection: s('NETDATA_HOST_OS_DETECTION'),
    cores_total: s('NETDATA_SYSTEM_CPU_LOGICAL_CPU_COUNT'),
    total_disk_space: s('NETDATA_SYSTEM_TOTAL_DISK_SIZE'),
    cpu_freq: s('NETDATA_SYSTEM_CPU_FREQ'),
    ram_total: s('NETDATA_SYSTEM_TOTAL_RAM'),
  };
  if (s('NETDATA_CONTAINER_OS_NAME', '')) {
    doc['container_os_name'] = s('NETDATA_CONTAINER_OS_NAME');
    doc['container_os_id'] = s('NETDATA_CONTAINER_OS_ID');
    doc['container_os_id_like'] = s('NETDATA_CONTAINER_OS_ID_LIKE');
    doc['container_os_version'] = s('NETDATA_CONTAINER_OS_VERSION');
    doc['container_os_version_id'] = s('NETDATA_CONTAINER_OS_VERSION_ID');
    doc['container_os_detection'] = s('NETDATA_CONTAINER_OS_DETECTION');
  }
  if (s('NETDATA_HOST_IS_K8S_NODE', '')) doc['is_k8s_node'] = s('NETDATA_HOST_IS_K8S_NODE');
  Object.assign(doc, {
    kernel_name: s('NETDATA_SYSTEM_KERNEL_NAME'),
    kernel_version: s('NETDATA_SYSTEM_KERNEL_VERSION'),
    architecture: s('NETDATA_SYSTEM_ARCHITECTURE'),
    virtualization: s('NETDATA_SYSTEM_VIRTUALIZATION'),
    virt_detection: s('NETDATA_SYSTEM_VIRT_DETECTION'),
    container: s('NETDATA_SYSTEM_CONTAINER'),
    container_detection: s('NETDATA_SYSTEM_CONTAINER_DETECTION'),
  });
  if (s('NETDATA_INSTANCE_CLOUD_TYPE', '')) {
    doc['cloud_provider_type'] = s('NETDATA_INSTANCE_CLOUD_TYPE');
    doc['cloud_instance_type'] = s('NETDATA_INSTANCE_CLOUD_INSTANCE_TYPE');
    doc['cloud_instance_region'] = s('NETDATA_INSTANCE_CLOUD_INSTANCE_REGION');
  }
  const labels: Record<string, string> = { ...(info?.labels ?? {}) };
  if (host.isParent) labels['_is_parent'] = 'true';
  Object.assign(doc, {
    host_labels: labels,
    functions: {},
    collectors: [],
    'cloud-enabled': false,
    'cloud-available': false,
    'agent-claimed': false,
    'aclk-available': false,
    'memory-mode': info?.memoryMode || (host.isParent ? 'dbengine' : null),
    'multidb-disk-quota': null,
    'page-cache-size': null,
    'stream-enabled': false,
    // Whether this host's *sender* (on this agent) compresses: the parent streams to nobody, children's senders are
    // on the children, so Netdata 1.37 reports null for both.
    'stream-compression': null,
    'hosts-available': input.allHosts.length,
    'https-enabled': false,
    buildinfo: BUILDINFO,
    'release-channel': 'stable',
    'web-enabled': true,
    'notification-methods': null,
    'exporting-enabled': null,
    'exporting-connectors': null,
    'allmetrics-prometheus-used': null,
    'allmetrics-shell-used': null,
    'allmetrics-json-used': null,
    'dashboard-used': null,
    'charts-count': input.chartsCount,
    'metrics-count': input.metricsCount,
  });
  return doc;
}
