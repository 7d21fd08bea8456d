/** A callback-style gRPC unary call as a promise. */
export function call<T>(fn: (cb: (e: Error | null, r: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((e, r) => (e ? reject(e) : resolve(r))));
}

/** Polls `probe` until it returns a value; on timeout the error names `what`, the last failure and `detail()`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 30000, detail: () => string = () => ''): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}\n${detail()}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}
