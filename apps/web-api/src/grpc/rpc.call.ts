import { Metadata, ServiceError, status } from '@grpc/grpc-js';
import { ApiError } from '../http/api.error';

/** The callback shape of every generated grpc-js unary method (request, metadata, options, callback). */
type UnaryMethod<Req, Res> = (
  request: Req,
  metadata: Metadata,
  options: { deadline: Date },
  callback: (error: ServiceError | null, response: Res) => void,
) => unknown;

/** A peer service of web-api, named for error messages ("metric-store at 127.0.0.1:50051"). */
export interface PeerName {
  name: string;
  addr: string;
}

export function isUnreachable(error: unknown): boolean {
  const code = (error as Partial<ServiceError> | null)?.code;
  return code === status.UNAVAILABLE || code === status.DEADLINE_EXCEEDED || code === status.CANCELLED;
}

/** Turns a gRPC failure into the HTTP answer a client of the API should see. */
export function toApiError(peer: PeerName, error: unknown): ApiError {
  const e = error as Partial<ServiceError>;
  // grpc-js appends an empty 'Resolution note:' to connection errors; it only adds noise to a one-line answer.
  const detail = (e.details || e.message || String(error)).replace(/\s*Resolution note:\s*$/, '');
  if (isUnreachable(error)) return new ApiError(503, `${peer.name} is unreachable at ${peer.addr}: ${detail}`);
  if (e.code === status.NOT_FOUND) return new ApiError(404, detail);
  if (e.code === status.INVALID_ARGUMENT || e.code === status.OUT_OF_RANGE) return new ApiError(400, detail);
  if (e.code === status.UNIMPLEMENTED) return new ApiError(501, `${peer.name} does not implement this call: ${detail}`);
  return new ApiError(500, `${peer.name} failed: ${detail}`);
}

export function unary<Req, Res>(
  client: object,
  method: UnaryMethod<Req, Res>,
  request: Req,
  timeoutMs: number,
): Promise<Res> {
  return new Promise<Res>((resolve, reject) => {
    method.call(client, request, new Metadata(), { deadline: new Date(Date.now() + timeoutMs) }, (error, response) =>
      error ? reject(error) : resolve(response),
    );
  });
}
