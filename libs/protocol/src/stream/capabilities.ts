// Netdata 1.37 stream capability bits (streaming/rrdpush.h). Both sides run the same normalisation.
export const StreamCapability = {
  V1: 1 << 3,
  V2: 1 << 4,
  VN: 1 << 5,
  VCAPS: 1 << 6,
  HLABELS: 1 << 7,
  CLAIM: 1 << 8,
  CLABELS: 1 << 9,
  COMPRESSION: 1 << 10,
  FUNCTIONS: 1 << 11,
  REPLICATION: 1 << 12,
  BINARY: 1 << 13,
} as const;

export type StreamCapabilityName = keyof typeof StreamCapability;

const C = StreamCapability;

/** Everything a 1.37 agent (and Tributary) implements: 16376. */
export const SUPPORTED_CAPABILITIES =
  C.V1 | C.V2 | C.VN | C.VCAPS | C.HLABELS | C.CLAIM | C.CLABELS | C.COMPRESSION | C.FUNCTIONS | C.REPLICATION | C.BINARY;

/** convert_stream_version_to_capabilities() of 1.37: legacy numbers 0..5 or a bitmask, normalised, masked. */
export function versionToCapabilities(version: number, supported: number = SUPPORTED_CAPABILITIES): number {
  let caps: number;
  if (version <= 1) caps = C.V1;
  else if (version < 3) caps = C.V2 | C.HLABELS;
  else if (version <= 3) caps = C.VN | C.HLABELS | C.CLAIM;
  else if (version <= 4) caps = C.VN | C.HLABELS | C.CLAIM | C.CLABELS;
  else if (version <= 5) caps = C.VN | C.HLABELS | C.CLAIM | C.CLABELS | C.COMPRESSION;
  else caps = version;
  if (caps & C.VCAPS) caps &= ~(C.V1 | C.V2 | C.VN);
  if (caps & C.VN) caps &= ~(C.V1 | C.V2);
  if (caps & C.V2) caps &= ~C.V1;
  return caps & supported;
}

export function capabilityNames(caps: number): StreamCapabilityName[] {
  const out: StreamCapabilityName[] = [];
  for (const [name, bit] of Object.entries(C) as [StreamCapabilityName, number][]) if (caps & bit) out.push(name);
  return out;
}

export function hasCapability(caps: number, name: StreamCapabilityName): boolean {
  return (caps & C[name]) !== 0;
}
