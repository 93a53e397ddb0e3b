/** is_audio_on_hold(): an audio stream is held (sendonly/inactive, or connection address 0.0.0.0). */
import type { RunCtx, SipMsg } from '@sipr/core';

interface Level {
  held: boolean | null;
  zero: boolean;
}

function scan(line: string, at: Level): void {
  if (line === 'a=sendonly' || line === 'a=inactive') at.held = true;
  else if (line === 'a=sendrecv' || line === 'a=recvonly') at.held = false;
  else if (/^c=IN IP4 0\.0\.0\.0\b/.test(line)) at.zero = true;
}

export function isAudioOnHold(ctx: RunCtx): number {
  const msg = ctx.msg as SipMsg;
  if (msg.body.length === 0) return -1;
  let type;
  try {
    type = msg.contentType();
  } catch {
    return -1;
  }
  if (type && type.mediaType !== 'application/sdp') return -1;
  const session: Level = { held: null, zero: false };
  let media: Level | null = null;
  let audio = false;
  const held = () => audio && media !== null && ((media.held ?? session.held ?? false) || media.zero || session.zero);
  for (const raw of msg.body.toString('latin1').split('\n')) {
    const line = raw.trimEnd();
    if (line.startsWith('m=')) {
      if (held()) return 1;
      media = { held: null, zero: false };
      audio = line.startsWith('m=audio ');
    } else scan(line, media ?? session);
  }
  return held() ? 1 : -1;
}
