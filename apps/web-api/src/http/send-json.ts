import type { Response } from 'express';

/** Netdata's API JSON is tab-indented; tools diffing against a real agent are happier with the same layout. */
export function sendJson(res: Response, body: unknown, cache = false): void {
  res.setHeader('Cache-Control', cache ? 'public' : 'no-cache, no-store, must-revalidate');
  res.type('application/json; charset=utf-8').send(JSON.stringify(body, null, '\t'));
}
