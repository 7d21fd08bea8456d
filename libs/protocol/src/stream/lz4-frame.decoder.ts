import { uncompressSync } from 'lz4-napi';
import { Lz4History } from './lz4-history';
import { LZ4_FRAME_HEADER, LZ4_MAX_COMPRESSED, LZ4_MAX_UNCOMPRESSED, readLz4FrameHeader } from './lz4-frame';

export class Lz4FrameError extends Error {}

/** One scratch frame for every decoder: decoding is synchronous, so idle connections hold no frame buffer. */
const SCRATCH = Buffer.allocUnsafe(4 + LZ4_MAX_COMPRESSED);
SCRATCH.writeUInt32LE(LZ4_MAX_UNCOMPRESSED, 0);

/**
 * Decodes the child->parent byte stream of a compressed connection. Frames may be cut anywhere by TCP; blocks
 * reference the previous 64 KiB of output. lz4-napi decodes a raw block with a dictionary when the block is
 * prefixed by a u32le size: we pass the protocol maximum, so it also refuses a block that would expand beyond it
 * (a decompression bomb cannot get past 16 KiB per frame).
 */
export class Lz4FrameDecoder {
  private readonly history = new Lz4History();
  private readonly header = Buffer.allocUnsafe(LZ4_FRAME_HEADER);
  private headerFill = 0;
  private need = 0; // compressed bytes of the current block; 0 = reading a header
  private fill = 0;
  /** a block cut by TCP, kept (with its size prefix) until its last byte arrives */
  private partial: Buffer | undefined;
  compressedBytes = 0;
  decompressedBytes = 0;
  blocks = 0;

  /** Feeds socket bytes; calls onBlock with each decoded block in order. Throws Lz4FrameError on corrupt input. */
  feed(chunk: Buffer, onBlock: (data: Buffer) => void): void {
    this.compressedBytes += chunk.length;
    let i = 0;
    while (i < chunk.length) {
      if (this.need === 0) {
        const take = Math.min(LZ4_FRAME_HEADER - this.headerFill, chunk.length - i);
        chunk.copy(this.header, this.headerFill, i, i + take);
        this.headerFill += take;
        i += take;
        if (this.headerFill < LZ4_FRAME_HEADER) return;
        this.headerFill = 0;
        const n = readLz4FrameHeader(this.header, 0);
        if (n <= 0) throw new Lz4FrameError(`invalid compression header ${this.header.toString('hex')}`);
        if (n > LZ4_MAX_COMPRESSED) throw new Lz4FrameError(`compressed block of ${n} bytes is over ${LZ4_MAX_COMPRESSED}`);
        if (i + n <= chunk.length) {
          // The whole block is here (the usual case): decode through the shared scratch frame.
          chunk.copy(SCRATCH, 4, i, i + n);
          i += n;
          onBlock(this.decode(SCRATCH, n));
          continue;
        }
        this.need = n;
        this.fill = 0;
        this.partial = Buffer.allocUnsafe(4 + n);
        this.partial.writeUInt32LE(LZ4_MAX_UNCOMPRESSED, 0);
        continue;
      }
      const frame = this.partial as Buffer;
      const take = Math.min(this.need - this.fill, chunk.length - i);
      chunk.copy(frame, 4 + this.fill, i, i + take);
      this.fill += take;
      i += take;
      if (this.fill < this.need) return;
      const n = this.need;
      this.need = 0;
      this.partial = undefined;
      onBlock(this.decode(frame, n));
    }
  }

  private decode(frame: Buffer, n: number): Buffer {
    let out: Buffer;
    try {
      out = uncompressSync(frame.subarray(0, 4 + n), this.history.dictionary());
    } catch (e) {
      throw new Lz4FrameError(`cannot decompress a block of ${n} bytes: ${(e as Error).message}`);
    }
    this.history.append(out);
    this.blocks++;
    this.decompressedBytes += out.length;
    return out;
  }
}
