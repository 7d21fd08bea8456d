import { uncompressSync } from 'lz4-napi';
import { Lz4History } from './lz4-history';
import { LZ4_FRAME_HEADER, LZ4_MAX_COMPRESSED, LZ4_MAX_UNCOMPRESSED, readLz4FrameHeader } from './lz4-frame';

export class Lz4FrameError extends Error {}

/**
 * Decodes the child->parent byte stream of a compressed connection. Frames may be cut anywhere by TCP; blocks
 * reference the previous 64 KiB of output. lz4-napi decodes a raw block with a dictionary when the block is
 * prefixed by a u32le size: we pass the protocol maximum, so it also refuses a block that would expand beyond it
 * (a decompression bomb cannot get past 16 KiB per frame).
 */
export class Lz4FrameDecoder {
  private readonly history = new Lz4History();
  private readonly frame = Buffer.allocUnsafe(4 + LZ4_MAX_COMPRESSED);
  private readonly header = Buffer.allocUnsafe(LZ4_FRAME_HEADER);
  private headerFill = 0;
  private need = 0; // compressed bytes of the current block still missing; 0 = reading a header
  private fill = 0;
  compressedBytes = 0;
  decompressedBytes = 0;
  blocks = 0;

  constructor() {
    this.frame.writeUInt32LE(LZ4_MAX_UNCOMPRESSED, 0);
  }

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
        this.need = n;
        this.fill = 0;
        continue;
      }
      const take = Math.min(this.need - this.fill, chunk.length - i);
      chunk.copy(this.frame, 4 + this.fill, i, i + take);
      this.fill += take;
      i += take;
      if (this.fill < this.need) return;
      const n = this.need;
      this.need = 0;
      onBlock(this.decode(n));
    }
  }

  private decode(n: number): Buffer {
    let out: Buffer;
    try {
      out = uncompressSync(this.frame.subarray(0, 4 + n), this.history.dictionary());
    } catch (e) {
      throw new Lz4FrameError(`cannot decompress a block of ${n} bytes: ${(e as Error).message}`);
    }
    this.history.append(out);
    this.blocks++;
    this.decompressedBytes += out.length;
    return out;
  }
}
