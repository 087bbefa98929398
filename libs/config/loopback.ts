import { isIP } from 'node:net';

/** Whether a listen address serves this machine only (127.0.0.0/8, ::1, localhost). */
export function isLoopback(host: string): boolean {
  const v4 = host.toLowerCase().replace(/^::ffff:/, '');
  return host === 'localhost' || host === '::1' || (isIP(v4) === 4 && v4.startsWith('127.'));
}
