/** Whether a database error means "not reachable now" (retry) rather than "this statement is wrong" (drop, log). */
export function isTransientDbError(e: unknown): boolean {
  const err = e as { code?: unknown; driverError?: { code?: unknown }; message?: unknown };
  const code = String(err.driverError?.code ?? err.code ?? '');
  if (code === '' || /^E[A-Z]/.test(code)) return true;
  return code.startsWith('08') || code.startsWith('57P') || code.startsWith('53') || code.startsWith('40') || code === '3D000';
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
