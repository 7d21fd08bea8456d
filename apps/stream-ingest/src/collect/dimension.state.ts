import { Algorithm } from './algorithm';

/** One dimension's collection state (rrddim fields that rrdset_done reads and writes). */
export class DimensionState {
  collected = 0;
  lastCollected = 0;
  collectedMax = 0;
  calculated = 0;
  lastCalculated = 0;
  lastStored = 0;
  collections = 0;
  updated = false;
  resetFlag = false;
  /** The id as bytes: SET lines usually come in declaration order, so a byte compare avoids a string per sample. */
  idBytes: Buffer;

  constructor(
    public readonly id: string,
    public name: string,
    public algorithm: Algorithm,
    public multiplier: number,
    public divisor: number,
    public options: string,
    public readonly index: number,
  ) {
    this.idBytes = Buffer.from(id, 'utf8');
  }

  get noReset(): boolean {
    return this.options.includes('noreset') || this.options.includes('nooverflow');
  }

  set(value: number): void {
    this.collected = value;
    if (value > this.collectedMax) this.collectedMax = value;
    this.collections++;
    this.updated = true;
  }
}
