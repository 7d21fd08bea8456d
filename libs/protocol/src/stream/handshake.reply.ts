import { StreamCapability as C } from './capabilities';

// Exact bytes of a 1.37 parent; the child compares whole receive buffers, so no newline, one write.
export const REPLY_PROMPT_VN = 'Hit me baby, push them over with the version=';
export const REPLY_PROMPT_V2 = 'Hit me baby, push them over and bring the host labels...';
export const REPLY_PROMPT_V1 = 'Hit me baby, push them over...';

export const REPLY_DENIED = 'You are not permitted to access this. Check the logs for more info.';
export const REPLY_ALREADY_STREAMING = 'This GUID is already streaming to this server';
export const REPLY_LOCALHOST_BACK = "Don't hit me baby, you are trying to stream my localhost back";
export const REPLY_TOO_BUSY = 'The server is too busy now to accept this request. Try later.';
export const REPLY_NOT_ALLOWED = 'You are not allowed to access this resource.';

/** The accept reply for the (already normalised and masked) capabilities the parent grants. */
export function handshakeReply(caps: number): string {
  if (caps & C.VCAPS) return REPLY_PROMPT_VN + String(caps);
  if (caps & C.VN) return REPLY_PROMPT_VN + (caps & C.COMPRESSION ? '5' : caps & C.CLABELS ? '4' : '3');
  if (caps & C.V2) return REPLY_PROMPT_V2;
  return REPLY_PROMPT_V1;
}

/** What a 1.37 child makes of a reply (for a sender and for tests): granted caps, or undefined if not understood. */
export function parseHandshakeReply(reply: string, toCaps: (v: number) => number): number | undefined {
  if (reply.startsWith(REPLY_PROMPT_VN) && reply.length > REPLY_PROMPT_VN.length && reply.length < REPLY_PROMPT_VN.length + 30) {
    const n = Number.parseInt(reply.slice(REPLY_PROMPT_VN.length), 10);
    return Number.isFinite(n) ? toCaps(n) : undefined;
  }
  if (reply === REPLY_PROMPT_V2) return toCaps(2);
  if (reply === REPLY_PROMPT_V1) return toCaps(1);
  return undefined;
}
