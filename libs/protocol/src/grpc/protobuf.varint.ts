/** Bytes a non-negative integer takes as a protobuf varint (hand-written encoders size their buffer once with it). */
export function varintLength(n: number): number {
  let len = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    len++;
  }
  return len;
}
