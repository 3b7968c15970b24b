import { randomBytes } from 'node:crypto';
import type http from 'node:http';

export type Level = 'info' | 'warn' | 'error';

/** One JSON object per line (journald, Loki and jq read it as it is). */
export interface Logger {
  log(level: Level, msg: string, fields?: Record<string, unknown>): void;
}

export function jsonLogger(write: (line: string) => void = (l) => void process.stdout.write(l), clock: () => number = Date.now): Logger {
  return {
    log(level, msg, fields = {}) {
      write(`${JSON.stringify({ time: new Date(clock()).toISOString(), level, msg, ...fields })}\n`);
    },
  };
}

export const silentLogger: Logger = { log() {} };

const INCOMING_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * The request's id: a trusted proxy's `X-Request-Id` when it sent a well-formed one (so the
 * proxy's log and ours share it), otherwise a fresh random one. Echoed in the response header.
 */
export function requestId(req: http.IncomingMessage, fromTrustedProxy: boolean): string {
  const incoming = req.headers['x-request-id'];
  if (fromTrustedProxy && typeof incoming === 'string' && INCOMING_ID.test(incoming)) return incoming;
  return randomBytes(8).toString('hex');
}
