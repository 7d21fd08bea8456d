import { compressSync } from 'lz4-napi';
import { Lz4History } from './lz4-history';
import { LZ4_FRAME_HEADER, writeLz4FrameHeader } from './lz4-frame';

/** Input per block: the LZ4 worst case of 16000 bytes (16079) still fits the 14-bit size field. */
export const LZ4_ENCODER_PIECE = 16000;

/** Sender side: cuts anything into frames a 1.37 parent accepts, using the 64 KiB history as dictionary. */
export class Lz4FrameEncoder {
  private readonly history = new Lz4History();

  encode(data: Buffer): Buffer {
    const parts: Buffer[] = [];
    for (let at = 0; at < data.length; at += LZ4_ENCODER_PIECE) {
      const piece = data.subarray(at, Math.min(data.length, at + LZ4_ENCODER_PIECE));
      const prefixed = compressSync(piece, this.history.dictionary());
      const n = prefixed.length - 4;
      const frame = Buffer.allocUnsafe(LZ4_FRAME_HEADER + n);
      writeLz4FrameHeader(frame, 0, n);
      prefixed.copy(frame, LZ4_FRAME_HEADER, 4);
      parts.push(frame);
      this.history.append(piece);
    }
    return parts.length === 1 ? parts[0] : Buffer.concat(parts);
  }
}
