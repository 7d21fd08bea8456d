import { parseBindTo, parseExportingDestinations, parseStreamDestinations } from './destination.parser';

describe('stream destinations', () => {
  it('parses a list with ports, :SSL, IPv6 and the default port', () => {
    expect(parseStreamDestinations('10.0.0.1:19998:SSL tcp:parent, [::1]:20000  host', 19999)).toEqual([
      { protocol: 'tcp', host: '10.0.0.1', port: 19998, ssl: true, text: '10.0.0.1:19998:SSL' },
      { protocol: 'tcp', host: 'parent', port: 19999, ssl: false, text: 'tcp:parent' },
      { protocol: 'tcp', host: '::1', port: 20000, ssl: false, text: '[::1]:20000' },
      { protocol: 'tcp', host: 'host', port: 19999, ssl: false, text: 'host' },
    ]);
  });

  it('is empty for an empty value', () => {
    expect(parseStreamDestinations('', 19999)).toEqual([]);
  });

  it.each([
    ['a:port', "has an invalid port 'port' in 'a:port'"],
    ['a:70000', "has an invalid port '70000' in 'a:70000'"],
    ['[::1', "has an unterminated IPv6 address in '[::1'"],
    ['[::1]x', "has garbage after the IPv6 address in '[::1]x'"],
    [':19999', "has no host in ':19999'"],
  ])('rejects %j', (text, reason) => {
    expect(parseStreamDestinations(text, 19999)).toBe(reason);
  });
});

describe('exporting destinations', () => {
  it('uses the connector default port, ignores text after /, keeps order', () => {
    expect(parseExportingDestinations('b:2004 udp:a/ignored localhost', 2003)).toEqual([
      { protocol: 'tcp', host: 'b', port: 2004 },
      { protocol: 'udp', host: 'a', port: 2003 },
      { protocol: 'tcp', host: 'localhost', port: 2003 },
    ]);
  });

  it('demands a port when the connector has no default', () => {
    expect(parseExportingDestinations('localhost', undefined)).toBe(
      "has no port in 'localhost' (this connector has no default port)",
    );
  });
});

describe('[web] bind to', () => {
  it('parses ACLs, ^SSL modes, unix sockets and *', () => {
    expect(parseBindTo('* 127.0.0.1:19998=streaming|dashboard^SSL=force unix:/run/nd.sock [::1]:1=^SSL=optional', 19999)).toEqual([
      { protocol: 'tcp', host: '*', port: 19999, acl: [], ssl: 'none', text: '*' },
      { protocol: 'tcp', host: '127.0.0.1', port: 19998, acl: ['streaming', 'dashboard'], ssl: 'force', text: '127.0.0.1:19998=streaming|dashboard^SSL=force' },
      { protocol: 'unix', host: '/run/nd.sock', port: 0, acl: [], ssl: 'none', text: 'unix:/run/nd.sock' },
      { protocol: 'tcp', host: '::1', port: 1, acl: [], ssl: 'optional', text: '[::1]:1=^SSL=optional' },
    ]);
  });

  it('rejects the short ^SSL form as Netdata cannot bind it', () => {
    expect(parseBindTo('127.0.0.1:19998^SSL=force', 19999)).toBe("has an invalid port '19998^SSL' in '127.0.0.1:19998^SSL'");
  });

  it('rejects an unknown SSL mode', () => {
    expect(parseBindTo('127.0.0.1:1=dashboard^SSL=always', 19999)).toBe(
      "has an invalid SSL mode 'always' in '127.0.0.1:1=dashboard^SSL=always' (not force or optional)",
    );
  });
});
