import { capabilityNames, StreamCapability as C, versionToCapabilities } from './capabilities';
import { handshakeReply, parseHandshakeReply, REPLY_PROMPT_V1, REPLY_PROMPT_V2 } from './handshake.reply';

describe('capabilities and the handshake reply', () => {
  // Observed on the wire with a 1.37 parent (protocol doc 1.4).
  it.each([
    [16376, 'Hit me baby, push them over with the version=16320'],
    [11256, 'Hit me baby, push them over with the version=11200'],
    [8184, 'Hit me baby, push them over with the version=8128'],
    [5, 'Hit me baby, push them over with the version=5'],
    [4, 'Hit me baby, push them over with the version=4'],
    [3, 'Hit me baby, push them over with the version=3'],
    [2, REPLY_PROMPT_V2],
    [1, REPLY_PROMPT_V1],
    [0, REPLY_PROMPT_V1],
  ])('ver=%i -> %s', (ver, reply) => {
    expect(handshakeReply(versionToCapabilities(ver))).toBe(reply);
  });

  it('the parent can switch compression off by clearing the bit', () => {
    const caps = versionToCapabilities(16376) & ~C.COMPRESSION;
    expect(handshakeReply(caps)).toBe('Hit me baby, push them over with the version=15296');
    expect(handshakeReply(versionToCapabilities(5) & ~C.COMPRESSION)).toBe('Hit me baby, push them over with the version=4');
  });

  it('names the bits like Netdata logs them', () => {
    expect(capabilityNames(16320).join(' ')).toBe('VCAPS HLABELS CLAIM CLABELS COMPRESSION FUNCTIONS REPLICATION BINARY');
  });

  it('reads replies the way a 1.37 child does', () => {
    expect(parseHandshakeReply('Hit me baby, push them over with the version=16320', versionToCapabilities)).toBe(16320);
    expect(parseHandshakeReply('Hit me baby, push them over with the version=5', versionToCapabilities)).toBe(
      C.VN | C.HLABELS | C.CLAIM | C.CLABELS | C.COMPRESSION,
    );
    expect(parseHandshakeReply(REPLY_PROMPT_V1 + '\n', versionToCapabilities)).toBeUndefined();
    expect(parseHandshakeReply('This GUID is already streaming to this server', versionToCapabilities)).toBeUndefined();
  });
});
