/**
 * Rewrites of one part of a URI as text (what $rU/$rd/$rp assignments do), keeping everything
 * else as written.
 */
export interface UriSpan {
  /** after `scheme:` */
  userStart: number;
  /** end of the user (before `:password` or `@`); equals userStart when there is no userinfo */
  userEnd: number;
  hostStart: number;
  hostEnd: number;
  /** end of `:port` (equals hostEnd without a port) */
  portEnd: number;
}

export function uriSpan(uri: string): UriSpan | null {
  const colon = uri.indexOf(':');
  if (colon <= 0) return null;
  const start = colon + 1;
  let endUserinfo = -1;
  for (let i = start; i < uri.length; i++) {
    const c = uri[i];
    if (c === '@') {
      endUserinfo = i;
      break;
    }
    if (c === '>' || c === '?') break;
  }
  let userEnd = start;
  let hostStart = start;
  if (endUserinfo >= 0) {
    const pw = uri.indexOf(':', start);
    userEnd = pw >= 0 && pw < endUserinfo ? pw : endUserinfo;
    hostStart = endUserinfo + 1;
  }
  let hostEnd = hostStart;
  if (uri[hostStart] === '[') {
    const e = uri.indexOf(']', hostStart);
    if (e < 0) return null;
    hostEnd = e + 1;
  } else {
    while (hostEnd < uri.length && !':;?>'.includes(uri[hostEnd])) hostEnd++;
  }
  let portEnd = hostEnd;
  if (uri[hostEnd] === ':') {
    portEnd = hostEnd + 1;
    while (portEnd < uri.length && !';?>'.includes(uri[portEnd])) portEnd++;
  }
  return { userStart: start, userEnd, hostStart, hostEnd, portEnd };
}

/** New user ('' removes the userinfo when there is no password). */
export function setUriUser(uri: string, user: string): string | null {
  const s = uriSpan(uri);
  if (!s) return null;
  const hasUserinfo = s.hostStart !== s.userStart;
  if (!hasUserinfo) return user ? uri.slice(0, s.userStart) + user + '@' + uri.slice(s.hostStart) : uri;
  const hasPassword = s.userEnd < s.hostStart - 1;
  if (!user && !hasPassword) return uri.slice(0, s.userStart) + uri.slice(s.hostStart);
  return uri.slice(0, s.userStart) + user + uri.slice(s.userEnd);
}

export function setUriHost(uri: string, host: string): string | null {
  const s = uriSpan(uri);
  return s ? uri.slice(0, s.hostStart) + host + uri.slice(s.hostEnd) : null;
}

/** null removes the port. */
export function setUriPort(uri: string, port: number | null): string | null {
  const s = uriSpan(uri);
  return s ? uri.slice(0, s.hostEnd) + (port === null ? '' : `:${port}`) + uri.slice(s.portEnd) : null;
}
