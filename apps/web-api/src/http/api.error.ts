/** An error answered as Netdata does: a status code and a one-line text/plain body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const badRequest = (message: string): ApiError => new ApiError(400, message);
export const notFound = (message: string): ApiError => new ApiError(404, message);
export const unavailable = (message: string): ApiError => new ApiError(503, message);
