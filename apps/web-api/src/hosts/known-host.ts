import { HostRecord } from '@tributary/protocol';

/** A host this parent answers for: itself ("localhost") or a host metric-store keeps. */
export interface KnownHost {
  machineGuid: string;
  hostname: string;
  isParent: boolean;
  /** metric-store's record; absent for the parent when nothing was ever stored under its GUID. */
  record: HostRecord | null;
}
