import { encodeProxyHeader, parseProxyHeader } from './proxy-header';

describe('PROXY protocol v1 line', () => {
  it('encodes IPv4 (also IPv4-mapped IPv6) and IPv6 peers and parses them back', () => {
    const v4 = encodeProxyHeader({ address: '::ffff:10.1.2.3', port: 51000 }, { address: '::ffff:127.0.0.1', port: 19999 });
    expect(v4).toBe('PROXY TCP4 10.1.2.3 127.0.0.1 51000 19999\r\n');
    const r = parseProxyHeader(Buffer.from(v4 + 'GET / HTTP/1.1\r\n'));
    expect(r).toEqual({ kind: 'found', peer: { address: '10.1.2.3', port: 51000 }, length: v4.length });
    const v6 = encodeProxyHeader({ address: 'fd00::1', port: 1 }, { address: '::1', port: 2 });
    expect(v6).toBe('PROXY TCP6 fd00::1 ::1 1 2\r\n');
    expect(parseProxyHeader(Buffer.from(v6))).toMatchObject({ peer: { address: 'fd00::1', port: 1 } });
    expect(encodeProxyHeader({}, { address: '::1', port: 2 })).toBe('PROXY UNKNOWN\r\n');
    expect(parseProxyHeader(Buffer.from('PROXY UNKNOWN\r\nGET'))).toEqual({ kind: 'found', peer: undefined, length: 15 });
  });

  it('tells a plain request, a partial line and a malformed one apart', () => {
    expect(parseProxyHeader(Buffer.from('GET /api/v1/info HTTP/1.1\r\n'))).toEqual({ kind: 'absent' });
    expect(parseProxyHeader(Buffer.from('PRO'))).toEqual({ kind: 'need-more' });
    expect(parseProxyHeader(Buffer.from('PROXY TCP4 1.2.3.4'))).toEqual({ kind: 'need-more' });
    expect(parseProxyHeader(Buffer.from('PROXY TCP4 1.2.3.4 5.6.7.8 x 80\r\n')).kind).toBe('invalid');
    expect(parseProxyHeader(Buffer.from('PROXY FOO\r\n')).kind).toBe('invalid');
    expect(parseProxyHeader(Buffer.alloc(120, 'PROXY ')).kind).toBe('invalid');
  });
});
