import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatStreamRequest, isGuid, parseStreamRequest, urlDecode } from './handshake.parser';

const capture = readFileSync(join(__dirname, '../../test/captures/child-handshake.txt'));

function ok(buf: Buffer) {
  const r = parseStreamRequest(buf);
  if (r.status !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(r)}`);
  return r.request;
}

describe('STREAM request parser', () => {
  it('parses a real 1.37 child request (raw spaces in values, URL-encoded OS fields)', () => {
    const r = ok(capture);
    expect(r.key).toBe('11111111-2222-3333-4444-555555555555');
    expect(r.hostname).toBe('capc');
    expect(isGuid(r.machineGuid)).toBe(true);
    expect(r.version).toBe(16376);
    expect(r.updateEvery).toBe(1);
    expect(r.hops).toBe(1);
    expect(r.tags).toBe('');
    expect(r.programName).toBe('netdata');
    expect(r.programVersion).toBe('v1.37.1');
    expect(r.systemInfo['NETDATA_CONTAINER_OS_NAME']).toBe('Debian GNU/Linux');
    expect(r.systemInfo['NETDATA_CONTAINER_OS_VERSION']).toBe('12 (bookworm)');
    expect(r.systemInfo['NETDATA_HOST_OS_NAME']).toBeDefined();
    expect(r.systemInfo['NETDATA_SYSTEM_OS_NAME']).toBeUndefined();
    expect(r.systemInfo['NETDATA_PROTOCOL_VERSION']).toBe('1.1');
  });

  it('waits for the blank line and rejects pipelined bytes', () => {
    expect(parseStreamRequest(capture.subarray(0, capture.length - 2)).status).toBe('incomplete');
    const r = parseStreamRequest(Buffer.concat([capture, Buffer.from('CHART')]));
    expect(r).toEqual({ status: 'invalid', reason: 'data sent before the handshake reply' });
  });

  it('ends the target at the first " HTTP/", decodes before splitting, ignores empty values, numbers C-style', () => {
    const r = ok(Buffer.from('STREAM key=a%26tags%3Dx&hostname=h+1&tags=&update_every=0x2&hops=010&NETDATA_X=a b HTTP/1.1\r\nUser-Agent: foo/1\r\n\r\n'));
    expect(r.key).toBe('a');
    expect(r.tags).toBe('x');
    expect(r.hostname).toBe('h 1');
    expect(r.updateEvery).toBe(2);
    expect(r.hops).toBe(8);
    expect(r.systemInfo['NETDATA_X']).toBe('a b');
    expect(r.version).toBe(0);
    expect(r.registryHostname).toBe('h 1');
  });

  it('version 1 when only NETDATA_PROTOCOL_VERSION is present', () => {
    expect(ok(Buffer.from('STREAM key=k&NETDATA_PROTOCOL_VERSION=1.1 HTTP/1.1\r\n\r\n')).version).toBe(1);
  });

  it('rejects invalid UTF-8, non-STREAM and oversize requests', () => {
    expect(parseStreamRequest(Buffer.from('STREAM key=%ff%fe HTTP/1.1\r\n\r\n')).status).toBe('invalid');
    expect(parseStreamRequest(Buffer.from('GET / HTTP/1.1\r\n\r\n')).status).toBe('invalid');
    expect(parseStreamRequest(Buffer.alloc(20000, 65)).status).toBe('invalid');
    expect(urlDecode(Buffer.from('a%2'))).toBe('a%2');
  });

  it('round-trips what a sender formats', () => {
    const r = ok(Buffer.from(formatStreamRequest([['key', 'k'], ['hostname', 'x'], ['NETDATA_SYSTEM_OS_NAME', 'Debian GNU/Linux'], ['ver', 16376]])));
    expect(r.systemInfo['NETDATA_HOST_OS_NAME']).toBe('Debian GNU/Linux');
    expect(r.version).toBe(16376);
  });

  it('GUIDs as libuuid accepts them', () => {
    expect(isGuid('d7e033da-e65f-11f1-9977-02fc00000001')).toBe(true);
    expect(isGuid('d7e033da-e65f-11f1-9977-02fc0000000')).toBe(false);
    expect(isGuid('not-a-guid')).toBe(false);
  });
});
