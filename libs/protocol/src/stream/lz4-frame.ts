// Netdata 1.37 stream compression framing: 4-byte header FA, 80|lo7, 80|hi7, 0A, then a raw LZ4 block.
export const LZ4_FRAME_HEADER = 4;
export const LZ4_MAX_COMPRESSED = 16384;
export const LZ4_MAX_UNCOMPRESSED = 16384;

export function writeLz4FrameHeader(out: Uint8Array, at: number, n: number): void {
  out[at] = 0xfa;
  out[at + 1] = 0x80 | (n & 0x7f);
  out[at + 2] = 0x80 | ((n >> 7) & 0x7f);
  out[at + 3] = 0x0a;
}

/** Compressed length from a header, or -1 when the 4 bytes are not one. */
export function readLz4FrameHeader(b: Uint8Array, at: number): number {
  if (b[at] !== 0xfa || b[at + 3] !== 0x0a || (b[at + 1] & 0x80) === 0 || (b[at + 2] & 0x80) === 0) return -1;
  return (b[at + 1] & 0x7f) | ((b[at + 2] & 0x7f) << 7);
}
