import { readOrphanCleanupSecs } from './netdata-conf.reader';

describe('readOrphanCleanupSecs', () => {
  it('reads the [db] key and ignores other sections', () => {
    const text = '[web]\ncleanup orphan hosts after secs = 5\n[db]\n  # comment\n  cleanup orphan hosts after secs = 120\n';
    expect(readOrphanCleanupSecs(text, 'netdata.conf')).toBe(120);
  });
  it('returns undefined when absent', () => {
    expect(readOrphanCleanupSecs('[db]\nmode = dbengine\n', 'x')).toBeUndefined();
  });
  it('names file:line on a bad value', () => {
    expect(() => readOrphanCleanupSecs('[db]\ncleanup orphan hosts after secs = soon\n', '/c/netdata.conf')).toThrow(
      '/c/netdata.conf:2:',
    );
  });
});
