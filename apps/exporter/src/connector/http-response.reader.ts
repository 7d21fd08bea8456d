export interface HttpResponse {
  status: number;
  body: string;
  /** the server asked to close the connection */
  close: boolean;
}

interface Waiter {
  resolve(r: HttpResponse): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
}

/** Minimal HTTP/1.1 response parser for one request in flight at a time (Content-Length or chunked bodies). */
export class HttpResponseReader {
  private buf: Buffer = Buffer.alloc(0);
  private waiter: Waiter | undefined;

  expect(timeoutMs: number): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new Error(`no HTTP response within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiter = { resolve, reject, timer };
      this.parse();
    });
  }

  push(b: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, b]) : b;
    this.parse();
  }

  fail(e: Error): void {
    const w = this.waiter;
    if (!w) return;
    this.waiter = undefined;
    clearTimeout(w.timer);
    w.reject(e);
  }

  private parse(): void {
    if (!this.waiter) return;
    const end = this.buf.indexOf('\r\n\r\n');
    if (end < 0) return;
    const head = this.buf.subarray(0, end).toString('latin1');
    const lines = head.split('\r\n');
    const m = /^HTTP\/\d\.\d (\d{3})/.exec(lines[0]);
    if (!m) {
      this.fail(new Error(`malformed HTTP response: ${lines[0].slice(0, 80)}`));
      return;
    }
    let length = 0;
    let chunked = false;
    let close = false;
    for (let i = 1; i < lines.length; i++) {
      const c = lines[i].indexOf(':');
      if (c < 0) continue;
      const k = lines[i].slice(0, c).trim().toLowerCase();
      const v = lines[i].slice(c + 1).trim().toLowerCase();
      if (k === 'content-length') length = Number(v) || 0;
      else if (k === 'transfer-encoding' && v.includes('chunked')) chunked = true;
      else if (k === 'connection' && v === 'close') close = true;
    }
    let bodyStart = end + 4;
    let body = '';
    if (chunked) {
      const parts: Buffer[] = [];
      let p = bodyStart;
      for (;;) {
        const le = this.buf.indexOf('\r\n', p);
        if (le < 0) return;
        const size = parseInt(this.buf.subarray(p, le).toString('latin1'), 16);
        if (!Number.isFinite(size)) {
          this.fail(new Error('malformed chunked HTTP response'));
          return;
        }
        if (le + 2 + size + 2 > this.buf.length) return;
        if (size === 0) {
          p = le + 4;
          break;
        }
        parts.push(this.buf.subarray(le + 2, le + 2 + size));
        p = le + 2 + size + 2;
      }
      body = Buffer.concat(parts).toString('utf8');
      bodyStart = p;
    } else {
      if (this.buf.length < bodyStart + length) return;
      body = this.buf.subarray(bodyStart, bodyStart + length).toString('utf8');
      bodyStart += length;
    }
    this.buf = this.buf.subarray(bodyStart);
    const w = this.waiter;
    this.waiter = undefined;
    clearTimeout(w.timer);
    w.resolve({ status: Number(m[1]), body, close });
  }
}
