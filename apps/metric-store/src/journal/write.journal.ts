import { closeSync, fdatasyncSync, mkdirSync, openSync, readdirSync, readFileSync, unlinkSync, writevSync } from 'node:fs';
import { join } from 'node:path';

const MAGIC = 0x31524a54; // "TJR1": samples
const TOPOLOGY_MAGIC = 0x31544a54; // "TJT1": a topology change (JSON), so samples replay even if PostgreSQL never saw it
const HEADER = 8;

/** One journaled run of samples, already resolved to store-wide dimension ids, or a topology change. */
export type JournalRecord =
  | { kind: 'samples'; dimIds: Uint32Array; times: Uint32Array; values: Float64Array; flags: Uint8Array }
  | { kind: 'topology'; json: string };

/**
 * Write-ahead journal of acknowledged samples of persisted hosts. A batch is written (write(2), so it survives a
 * crash of this process) before its WriteAck; segments are deleted once every point in them is in PostgreSQL.
 * fdatasync runs on `sync()` (every maintenance tick), which bounds what an operating-system crash can lose.
 */
export class WriteJournal {
  private fd = -1;
  private bytes = 0;
  private openedAt = 0;
  current = 0;

  constructor(
    private readonly dir: string,
    private readonly maxSegmentBytes = 64 * 1024 * 1024,
    private readonly maxSegmentAgeMs = 60_000,
  ) {
    mkdirSync(dir, { recursive: true });
  }

  segments(): number[] {
    return readdirSync(this.dir)
      .map((n) => /^seg-(\d+)\.wal$/.exec(n))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
  }

  /** Opens a fresh segment after every existing one. */
  open(): void {
    const existing = this.segments();
    this.current = (existing.length > 0 ? existing[existing.length - 1] : 0) + 1;
    this.openSegment();
  }

  private path(n: number): string {
    return join(this.dir, `seg-${String(n).padStart(10, '0')}.wal`);
  }

  private openSegment(): void {
    this.fd = openSync(this.path(this.current), 'a');
    this.bytes = 0;
    this.openedAt = Date.now();
  }

  append(dimIds: Uint32Array, times: Uint8Array, values: Uint8Array, flags: Uint8Array, rows: number): void {
    if (this.fd < 0) throw new Error('journal is closed');
    const header = Buffer.allocUnsafe(HEADER);
    header.writeUInt32LE(MAGIC, 0);
    header.writeUInt32LE(rows, 4);
    const f = flags.length === rows ? flags : new Uint8Array(rows);
    const parts = [header, new Uint8Array(dimIds.buffer, dimIds.byteOffset, rows * 4), times, values, f];
    let total = 0;
    for (const p of parts) total += p.length;
    let written = writevSync(this.fd, parts);
    while (written < total) {
      // Partial writes are rare (full disk, signals): finish the record byte-exactly.
      const rest = Buffer.concat(parts).subarray(written);
      written += writevSync(this.fd, [rest]);
    }
    this.bytes += total;
  }

  appendTopology(json: string): void {
    if (this.fd < 0) return; // during replay: the change is already in the segment being replayed
    const body = Buffer.from(json, 'utf8');
    const header = Buffer.allocUnsafe(HEADER);
    header.writeUInt32LE(TOPOLOGY_MAGIC, 0);
    header.writeUInt32LE(body.length, 4);
    const all = Buffer.concat([header, body]);
    let written = 0;
    while (written < all.length) written += writevSync(this.fd, [all.subarray(written)]);
    this.bytes += all.length;
  }

  /** Starts a new segment when the current one is big or old enough; returns true when it did. */
  maybeRotate(nowMs: number): boolean {
    if (this.fd < 0 || (this.bytes < this.maxSegmentBytes && (this.bytes === 0 || nowMs - this.openedAt < this.maxSegmentAgeMs))) {
      return false;
    }
    fdatasyncSync(this.fd);
    closeSync(this.fd);
    this.current++;
    this.openSegment();
    return true;
  }

  sync(): void {
    if (this.fd >= 0) fdatasyncSync(this.fd);
  }

  /** Deletes every segment below `segment` (their points are all in PostgreSQL). */
  deleteBefore(segment: number): void {
    // The open segment stays while it is being written; after close() it goes too.
    for (const n of this.segments()) if (n < segment && (n !== this.current || this.fd < 0)) unlinkSync(this.path(n));
  }

  close(): void {
    if (this.fd >= 0) {
      fdatasyncSync(this.fd);
      closeSync(this.fd);
      this.fd = -1;
    }
  }

  /** Reads every complete record of the given segments (a torn last record is ignored). */
  *replay(segments: number[]): Generator<JournalRecord> {
    for (const n of segments) {
      const buf = readFileSync(this.path(n));
      let pos = 0;
      while (pos + HEADER <= buf.length) {
        const magic = buf.readUInt32LE(pos);
        if (magic === TOPOLOGY_MAGIC) {
          const len = buf.readUInt32LE(pos + 4);
          if (pos + HEADER + len > buf.length) break;
          yield { kind: 'topology', json: buf.toString('utf8', pos + HEADER, pos + HEADER + len) };
          pos += HEADER + len;
          continue;
        }
        if (magic !== MAGIC) break;
        const rows = buf.readUInt32LE(pos + 4);
        const size = HEADER + rows * 17;
        if (pos + size > buf.length) break;
        let p = pos + HEADER;
        // Copies: records are not aligned for typed-array views.
        const dimIds = new Uint32Array(rows);
        new Uint8Array(dimIds.buffer).set(buf.subarray(p, p + rows * 4));
        p += rows * 4;
        const times = new Uint32Array(rows);
        new Uint8Array(times.buffer).set(buf.subarray(p, p + rows * 4));
        p += rows * 4;
        const values = new Float64Array(rows);
        new Uint8Array(values.buffer).set(buf.subarray(p, p + rows * 8));
        p += rows * 8;
        const flags = new Uint8Array(buf.subarray(p, p + rows));
        yield { kind: 'samples', dimIds, times, values, flags };
        pos += size;
      }
    }
  }
}
