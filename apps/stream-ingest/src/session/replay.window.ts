/**
 * How far a child's clock may run ahead of this parent's before its timestamps are refused. Netdata trusts the child's
 * wall clock entirely; a flipped digit then stores points centuries ahead, where they outlive every retention cut.
 */
export const MAX_CLOCK_SKEW_S = 3600;

/** Why a replayed point was refused, for the one log line per reply. */
export type ReplayRefusal = 'not asked' | 'before the window' | 'after the window' | 'clock' | 'not increasing';

/**
 * What this parent asked of one chart in its last `REPLAY_CHART`, and the bounds every point of the reply must keep:
 * inside the asked window (`before` is ignored when streaming starts, as a 1.37 child sends up to its latest point;
 * the window itself starts within this host's retention), not ahead of either clock, and in increasing time order.
 * The last rule caps a reply at one point per second of the window, whatever the child sends.
 */
export class ReplayWindow {
  after = 0;
  before = 0;
  startStreaming = true;
  /** end time of the last point accepted in the current reply */
  private lastEnd = 0;
  refused = 0;
  firstRefusal: ReplayRefusal | undefined;

  ask(startStreaming: boolean, after: number, before: number): void {
    this.startStreaming = startStreaming;
    this.after = after;
    this.before = before;
    this.lastEnd = 0;
    this.refused = 0;
    this.firstRefusal = undefined;
  }

  /**
   * `RBEGIN '' start end wallclock`: whether the point is stored. The clock check is Netdata's own (before the
   * child's wall clock plus update_every + 1, else ours plus update_every + 5), plus MAX_CLOCK_SKEW_S against ours.
   */
  accepts(start: number, end: number, wallS: number, updateEvery: number, nowS: number): boolean {
    const why = this.check(start, end, wallS, updateEvery, nowS);
    if (why === undefined) {
      this.lastEnd = end;
      return true;
    }
    this.refused++;
    this.firstRefusal ??= why;
    return false;
  }

  private check(start: number, end: number, wallS: number, ue: number, nowS: number): ReplayRefusal | undefined {
    const limit = wallS > 0 ? wallS + ue + 1 : nowS + ue + 5;
    if (!(start < end && start < limit && end < limit) || end > nowS + MAX_CLOCK_SKEW_S) return 'clock';
    if (this.after <= 0) return 'not asked';
    if (end < this.after) return 'before the window';
    if (!this.startStreaming && end > this.before + ue) return 'after the window';
    if (end <= this.lastEnd) return 'not increasing';
    return undefined;
  }
}

/**
 * `RSSTATE last_collected_us last_updated_us`: whether the child's chart clocks can be adopted. Both must lie within
 * retention and not ahead of this parent's clock, and the last stored slot cannot be ahead of the last collection by
 * more than a slot. Anything else is a corrupt line, and adopting it would make the next live point walk (or wait out)
 * every slot in between.
 */
export function plausibleChartClocks(lastCollectedUs: number, lastUpdatedUs: number, updateEvery: number, nowS: number, retentionS: number): boolean {
  const low = (nowS - Math.max(retentionS, updateEvery * 2)) * 1e6;
  const high = (nowS + MAX_CLOCK_SKEW_S) * 1e6;
  if (!(lastCollectedUs > low && lastCollectedUs <= high)) return false;
  if (!(lastUpdatedUs > low && lastUpdatedUs <= high)) return false;
  return lastUpdatedUs <= lastCollectedUs + updateEvery * 1e6;
}
