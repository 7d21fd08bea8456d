import { HostRecord } from '@tributary/protocol';
import { PeerClients } from '../grpc/peer.clients';
import { KnownHost } from './known-host';
import { ParentIdentity } from './parent.identity';

/** How long one ListHosts answer is reused: a dashboard fires many requests at once, topology changes slowly. */
const CACHE_MS = 1000;

/** Every host of this parent, the parent first (as Netdata's mirrored_hosts), and Netdata's /host/X lookup. */
export class HostDirectory {
  private cached: { at: number; hosts: Promise<KnownHost[]> } | null = null;

  constructor(
    private readonly peers: PeerClients,
    readonly parent: ParentIdentity,
  ) {}

  parentHost(records: HostRecord[] = []): KnownHost {
    const own = records.find((r) => r.info?.machineGuid === this.parent.machineGuid) ?? null;
    return { machineGuid: this.parent.machineGuid, hostname: this.parent.hostname, isParent: true, record: own };
  }

  list(): Promise<KnownHost[]> {
    const now = Date.now();
    if (this.cached && now - this.cached.at < CACHE_MS) return this.cached.hosts;
    const hosts = this.peers.listHosts().then((res) => {
      const records = res.hosts.filter((r) => r.info && r.info.machineGuid);
      const others: KnownHost[] = [];
      for (const r of records) {
        const info = r.info;
        if (info && info.machineGuid !== this.parent.machineGuid) {
          others.push({ machineGuid: info.machineGuid, hostname: info.hostname, isParent: false, record: r });
        }
      }
      return [this.parentHost(records), ...others];
    });
    this.cached = { at: now, hosts };
    // A failed lookup must not be served from the cache to the next request.
    hosts.catch(() => {
      if (this.cached?.hosts === hosts) this.cached = null;
    });
    return hosts;
  }

  /**
   * `/host/X/`: machine GUID first, then hostname (the first host with that name wins). Netdata tries the hostname
   * first; a child naming itself after another host's GUID would then take that host's URL, so the GUID wins here.
   */
  async find(nameOrGuid: string): Promise<KnownHost | null> {
    const hosts = await this.list();
    return (
      hosts.find((h) => h.machineGuid.toLowerCase() === nameOrGuid.toLowerCase()) ??
      hosts.find((h) => h.hostname === nameOrGuid) ??
      null
    );
  }
}
