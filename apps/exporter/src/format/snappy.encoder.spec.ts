import { randomBytes } from 'node:crypto';
import { snappyDecode } from '../../test/support/prw.decoder';
import { snappyCompress } from './snappy.encoder';

describe('snappy block encoder', () => {
  const cases: [string, Buffer][] = [
    ['empty', Buffer.alloc(0)],
    ['short', Buffer.from('abc')],
    ['repetitive', Buffer.from('netdata_system_cpu_percentage_average chart=system.cpu '.repeat(5000))],
    ['random 200 KiB', randomBytes(200 * 1024)],
    ['long runs', Buffer.alloc(150000, 7)],
  ];
  it.each(cases)('round-trips %s', (_name, input) => {
    const c = snappyCompress(input);
    expect(snappyDecode(c).equals(input)).toBe(true);
  });
  it('compresses repetitive text (copies, not literal-only)', () => {
    const input = cases[2][1];
    expect(snappyCompress(input).length).toBeLessThan(input.length / 10);
  });
  it('mixed content across the 64 KiB block boundary', () => {
    const parts: Buffer[] = [];
    for (let i = 0; i < 3000; i++) parts.push(Buffer.from(`series_${i % 97} ${i * 7} `), randomBytes(i % 5));
    const input = Buffer.concat(parts);
    expect(snappyDecode(snappyCompress(input)).equals(input)).toBe(true);
  });
});
