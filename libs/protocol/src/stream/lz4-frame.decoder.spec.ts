import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Lz4FrameDecoder, Lz4FrameError } from './lz4-frame.decoder';
import { Lz4FrameEncoder } from './lz4-frame.encoder';
import { readLz4FrameHeader } from './lz4-frame';

const captures = join(__dirname, '../../test/captures');

function decodeAll(dec: Lz4FrameDecoder, chunks: Buffer[]): Buffer {
  const out: Buffer[] = [];
  for (const c of chunks) dec.feed(c, (b) => out.push(Buffer.from(b)));
  return Buffer.concat(out);
}

describe('LZ4 frame decoder', () => {
  const compressed = readFileSync(join(captures, 'child-lz4.bin'));
  const expected = gunzipSync(readFileSync(join(captures, 'child-lz4.expected.txt.gz')));

  it('decodes a real 1.37 child stream (ring wraps, lines across blocks) into the uncompressed lines', () => {
    const dec = new Lz4FrameDecoder();
    const text = decodeAll(dec, [compressed]);
    expect(expected.length).toBeGreaterThan(98318); // past the child's ring wrap
    expect(text.equals(expected)).toBe(true);
    expect(text.toString('utf8').split('\n').filter((l) => l.startsWith('CHART ')).length).toBeGreaterThan(50);
  });

  it('is independent of how TCP cuts the bytes', () => {
    const chunks: Buffer[] = [];
    let seed = 7;
    for (let at = 0; at < compressed.length; ) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const n = 1 + (seed % 700);
      chunks.push(compressed.subarray(at, at + n));
      at += n;
    }
    expect(decodeAll(new Lz4FrameDecoder(), chunks).equals(expected)).toBe(true);
  });

  it('rejects a bad header, an oversize block and corrupt data', () => {
    expect(() => new Lz4FrameDecoder().feed(Buffer.from('CHART x\n'), () => undefined)).toThrow(Lz4FrameError);
    expect(() => new Lz4FrameDecoder().feed(Buffer.from([0xfa, 0x80, 0x80, 0x0a]), () => undefined)).toThrow(/invalid compression header/);
    const corrupt = Buffer.from(compressed.subarray(0, 4 + readLz4FrameHeader(compressed, 0)));
    corrupt.fill(0xff, 4);
    expect(() => new Lz4FrameDecoder().feed(corrupt, () => undefined)).toThrow(/cannot decompress/);
  });

  it('refuses a decompression bomb (a block expanding past 16 KiB)', () => {
    const bomb = new Lz4FrameEncoder().encode(Buffer.alloc(16000, 65));
    // Re-encode a 1 MiB run as one block by hand: literal 'A' + a single long match.
    const len = 1 << 20;
    const body: number[] = [0x1f, 65, 1, 0];
    let rest = len - 4 - 15;
    while (rest >= 255) { body.push(255); rest -= 255; }
    body.push(rest, 0x00);
    const frame = Buffer.from([0xfa, 0x80 | (body.length & 0x7f), 0x80 | (body.length >> 7), 0x0a, ...body]);
    expect(bomb.length).toBeLessThan(200);
    expect(() => new Lz4FrameDecoder().feed(frame, () => undefined)).toThrow(Lz4FrameError);
  });
});

describe('LZ4 frame encoder', () => {
  it('round-trips through the decoder, using the history across frames', () => {
    const expected = gunzipSync(readFileSync(join(captures, 'child-lz4.expected.txt.gz')));
    const enc = new Lz4FrameEncoder();
    const frames: Buffer[] = [];
    for (let at = 0; at < expected.length; at += 5000) frames.push(enc.encode(expected.subarray(at, at + 5000)));
    const all = Buffer.concat(frames);
    expect(all.length).toBeLessThan(expected.length / 3);
    for (let at = 0; at < all.length; ) {
      const n = readLz4FrameHeader(all, at);
      expect(n).toBeGreaterThan(0);
      expect(n).toBeLessThanOrEqual(16384);
      at += 4 + n;
    }
    expect(decodeAll(new Lz4FrameDecoder(), [all]).equals(expected)).toBe(true);
  });
});

describe('LZ4 history', () => {
  it('keeps the last 64 KiB whatever the block sizes', () => {
    const { Lz4History } = jest.requireActual('./lz4-history') as typeof import('./lz4-history');
    const h = new Lz4History();
    const all: number[] = [];
    let seed = 3;
    for (let k = 0; k < 200; k++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const n = [1, 100, 16384, 40000, 70000][seed % 5];
      const b = Buffer.alloc(n, k & 0xff);
      b[0] = seed & 0xff;
      h.append(b);
      for (const x of b) all.push(x);
      if (all.length > 200000) all.splice(0, all.length - 100000);
      const dict = h.dictionary();
      expect(dict.length).toBe(Math.min(65536, all.length));
      expect(dict.equals(Buffer.from(all.slice(all.length - dict.length)))).toBe(true);
    }
  });
});
