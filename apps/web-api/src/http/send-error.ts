import { Logger } from '@nestjs/common';
import type { Response } from 'express';
import { ApiError } from './api.error';

const logger = new Logger('WebApi');

/** A dead peer fails every dashboard poll: log each distinct failure once per window, with a count of repeats. */
const REPEAT_WINDOW_MS = 10_000;
let lastLine = '';
let lastAt = 0;
let repeats = 0;

function logServerError(line: string): void {
  const now = Date.now();
  if (line === lastLine && now - lastAt < REPEAT_WINDOW_MS) {
    repeats++;
    return;
  }
  if (repeats) logger.warn(`(previous error repeated ${repeats} more times)`);
  logger.warn(line);
  lastLine = line;
  lastAt = now;
  repeats = 0;
}

/** Netdata answers errors as short text/plain bodies; so do we, and log the server-side ones once. */
export function sendApiError(res: Response, error: unknown): void {
  const api = error instanceof ApiError ? error : new ApiError(500, `internal error: ${(error as Error)?.message ?? String(error)}`);
  if (api.status >= 500) logServerError(`${res.req?.method ?? ''} ${res.req?.path ?? ''} -> ${api.status}: ${api.message}`);
  if (res.headersSent) {
    res.end();
    return;
  }
  res.status(api.status).setHeader('Cache-Control', 'no-cache, no-store, must-revalidate');
  res.type('text/plain; charset=utf-8').send(api.message);
}
