/** Typed views over protobuf bytes: zero-copy when aligned, one copy per column otherwise (never per sample). */
export function u32View(b: Uint8Array, rows: number): Uint32Array {
  if (b.byteOffset % 4 === 0) return new Uint32Array(b.buffer, b.byteOffset, rows);
  const out = new Uint32Array(rows);
  new Uint8Array(out.buffer).set(b.subarray(0, rows * 4));
  return out;
}

export function f64View(b: Uint8Array, rows: number): Float64Array {
  if (b.byteOffset % 8 === 0) return new Float64Array(b.buffer, b.byteOffset, rows);
  const out = new Float64Array(rows);
  new Uint8Array(out.buffer).set(b.subarray(0, rows * 8));
  return out;
}

export function bytesOf(a: Uint32Array | Float64Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}
