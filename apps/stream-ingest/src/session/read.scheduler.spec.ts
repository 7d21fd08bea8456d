import { DeferredReader, ReadScheduler } from './read.scheduler';

const nextTurn = () => new Promise((r) => setImmediate(r));

describe('ReadScheduler', () => {
  let clock = 0;
  const now = () => clock;

  /** A reader whose deferred chunk costs `cost` ms of the clock. */
  function reader(name: string, cost: number, log: string[]): DeferredReader {
    return {
      runDeferred: () => {
        clock += cost;
        log.push(name);
      },
    };
  }

  beforeEach(() => (clock = 0));

  it('admits chunks until the turn has used its time, then makes the rest wait', async () => {
    const s = new ReadScheduler(10, now);
    expect(s.admit()).toBe(true);
    clock += 6;
    expect(s.admit()).toBe(true);
    clock += 6;
    expect(s.admit()).toBe(false);
    await nextTurn();
    // A new turn starts fresh.
    expect(s.admit()).toBe(true);
  });

  it('runs the waiting readers in arrival order, a turn\'s worth at a time, with timers running in between', async () => {
    const s = new ReadScheduler(10, now);
    const log: string[] = [];
    s.admit();
    clock += 20;
    for (const n of ['a', 'b', 'c', 'd']) s.defer(reader(n, 6, log));
    expect(s.waitingCount).toBe(4);
    let timerRan = false;
    setTimeout(() => (timerRan = true), 0);
    await nextTurn();
    expect(log).toEqual(['a', 'b']);
    // While some wait, a newcomer waits behind them.
    expect(s.admit()).toBe(false);
    await new Promise((r) => setTimeout(r, 5));
    expect(timerRan).toBe(true);
    expect(log).toEqual(['a', 'b', 'c', 'd']);
    expect(s.waitingCount).toBe(0);
    expect(s.deferredTotal).toBe(4);
    expect(s.admit()).toBe(true);
  });
});
