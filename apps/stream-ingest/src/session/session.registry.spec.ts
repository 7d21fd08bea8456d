import { netdataClientIp } from './peer.address';
import { StreamRateLimiter } from './rate.limiter';
import { LiveSession, SessionRegistry } from './session.registry';

function session(guid: string, ageS: number): LiveSession & { closedWith: string } {
  return {
    machineGuid: guid,
    lastMessageMs: Date.now() - ageS * 1000,
    closedWith: '',
    close(reason: string) {
      this.closedWith = reason;
    },
  };
}

describe('SessionRegistry', () => {
  it('reports the age of the live connection of a GUID and replaces a dead one', () => {
    const r = new SessionRegistry();
    const old = session('g', 45);
    r.attach(old);
    expect(r.lastMessageAge('g')).toBe(45);
    expect(r.lastMessageAge('other')).toBeUndefined();
    const fresh = session('g', 0);
    r.attach(fresh);
    expect(old.closedWith).toMatch(/replaced/);
    r.detach(old); // a late close of the old one must not remove the new one
    expect(r.sessions()).toEqual([fresh]);
  });

  it('remembers the newest stored time per chart across connections', () => {
    const r = new SessionRegistry();
    r.rememberLastStored('g', 'c', 100);
    r.rememberLastStored('g', 'c', 90);
    expect(r.chartLastStored('g', 'c')).toBe(100);
    expect(r.chartLastStored('g', 'x')).toBe(0);
  });
});

describe('StreamRateLimiter', () => {
  it('refuses the very first request, then one acceptance per period', () => {
    const l = new StreamRateLimiter(10);
    expect(l.tryAccept(1000)).toBe(10);
    expect(l.tryAccept(1009)).toBe(1);
    expect(l.tryAccept(1010)).toBe(0);
    expect(l.tryAccept(1011)).toBe(9);
    expect(new StreamRateLimiter(0).tryAccept(5)).toBe(0);
  });
});

describe('netdataClientIp', () => {
  it.each([
    ['127.0.0.1', 'localhost'], ['::ffff:127.0.0.1', 'localhost'], ['::1', 'localhost'], ['127.1.2.3', 'localhost'],
    ['::ffff:10.1.2.3', '10.1.2.3'], ['10.1.2.3', '10.1.2.3'], ['fe80::1', 'fe80::1'],
  ])('%s -> %s', (a, b) => expect(netdataClientIp(a)).toBe(b));
});
