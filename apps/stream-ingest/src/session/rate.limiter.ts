/**
 * `[web] accept a streaming request every seconds`, with Netdata's quirk: the timer starts at the first request,
 * so the very first request after start-up is refused too.
 */
export class StreamRateLimiter {
  private lastAcceptedS = 0;

  constructor(private readonly everySeconds: number) {}

  /** 0 when accepted (and counted), else the seconds until the next acceptance. */
  tryAccept(nowS: number): number {
    if (this.everySeconds <= 0) return 0;
    if (this.lastAcceptedS === 0) this.lastAcceptedS = nowS;
    const wait = this.everySeconds - (nowS - this.lastAcceptedS);
    if (wait > 0) return wait;
    this.lastAcceptedS = nowS;
    return 0;
  }
}
