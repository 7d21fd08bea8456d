import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { Response } from 'express';
import { ApiError } from './api.error';
import { sendApiError } from './send-error';

/** Every error leaves as Netdata's short text/plain answer, whatever threw it. */
@Catch()
export class ApiErrorFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const message = status === 404 ? `Not found: ${res.req?.path ?? ''}` : error.message;
      return sendApiError(res, new ApiError(status, message));
    }
    sendApiError(res, error);
  }
}
