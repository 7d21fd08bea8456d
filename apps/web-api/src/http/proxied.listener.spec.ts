import { createServer as createHttpServer } from 'node:http';
import { connect } from 'node:net';
import type { Server } from 'node:net';
import type { Request } from 'express';
import { clientAddress } from './client.address';
import { listenWithProxyHeader } from './proxied.listener';

function exchange(port: number, payload: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    let out = '';
    s.on('data', (d) => (out += d.toString()));
    s.on('end', () => resolve(out));
    s.on('close', () => resolve(out));
    s.on('error', reject);
    s.on('connect', async () => {
      // in pieces, as TCP may deliver them
      for (const p of payload) {
        s.write(p);
        await new Promise((r) => setTimeout(r, 20));
      }
    });
  });
}

describe('web-api listener behind stream-ingest (PROXY line)', () => {
  let server: Server;
  let port = 0;
  const warnings: string[] = [];
  const http = createHttpServer((req, res) => res.end(`${req.method} ${req.url} from ${clientAddress(req as Request)}`));

  beforeAll(async () => {
    server = await listenWithProxyHeader(http, 0, '127.0.0.1', (m) => warnings.push(m));
    const a = server.address();
    port = typeof a === 'object' && a ? a.port : 0;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('takes the client address from the PROXY line, for every request of a keep-alive connection', async () => {
    const get = (path: string, close = false) => `GET ${path} HTTP/1.1\r\nHost: x\r\n${close ? 'Connection: close\r\n' : ''}\r\n`;
    const out = await exchange(port, ['PROXY TCP4 10.9.8.', '7 127.0.0.1 40000 19999\r\nGET /a', ' HTTP/1.1\r\nHost: x\r\n\r\n', get('/b', true)]);
    expect(out).toContain('GET /a from 10.9.8.7');
    expect(out).toContain('GET /b from 10.9.8.7');
  });

  it('serves a direct client without the line as itself, and closes a connection with a malformed line', async () => {
    expect(await exchange(port, ['GET /c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'])).toContain('GET /c from 127.0.0.1');
    expect(await exchange(port, ['PROXY TCP4 nonsense\r\nGET /d HTTP/1.1\r\n\r\n'])).toBe('');
    expect(warnings.some((w) => w.includes('malformed PROXY line'))).toBe(true);
  });
});
