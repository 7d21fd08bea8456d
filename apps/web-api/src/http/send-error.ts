import { Logger } from '@nestjs/common';
import type { Response } from 'express';
import { ApiError } from './api.error';

const logger = new Logger('WebApi');

/** Netdata answers errors as short text/plain bodies; so do we, and log the server-side ones once. */
export function sendApiError(res: Response, error: unknown): void {
  const api = error instanceof ApiError ? error : new ApiError(500, `internal error: ${(error as Error)?.message ?? String(error)}`);
  if (api.status >= 500) logger.warn(`${res.req?.method ?? ''} ${res.req?.originalUrl ?? ''} -> ${api.status}: ${api.message}`);
  if (res.headersSent) {
    res.end();
    return;
  }
  res.status(api.status).setHeader('Cache-Control', 'no-cache, no-store, must-revalidate');
  res.type('text/plain; charset=utf-8').send(api.message);
}
