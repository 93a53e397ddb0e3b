/**
 * The To-tag of stateless replies: a fixed part (MD5 of a signature, the same for every reply of
 * this server) and a per-request part (CRC-16 of the top Via's host, port and branch), so a
 * retransmitted request gets the same tag and sl can recognise ACKs to its own replies.
 */
import { createHash } from 'node:crypto';
import type { SipMessage } from '@sipr/core';
import { crc16 } from './crc';

/** 32 hex digits, '.', 4 hex digits (Kamailio's sl tag layout) */
export const TAG_LEN = 37;

export function tagPrefix(signature: string): string {
  return `${createHash('md5').update(signature).digest('hex')}.`;
}

/** The tag for this request, or null when its Via cannot be parsed. */
export function replyTag(prefix: string, msg: SipMessage): string | null {
  let host: string;
  let port: string;
  let branch: string | undefined;
  try {
    const via = msg.via();
    host = via.host;
    port = via.port ? String(via.port) : '';
    branch = via.branch;
  } catch {
    return null;
  }
  const crc = crc16(branch === undefined ? [host, port] : [host, port, branch]);
  return prefix + crc.toString(16).padStart(4, '0');
}
