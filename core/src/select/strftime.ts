/** The strftime(3) subset sipr formats times with (@sys.now.local, $Tf, $TF). */
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** strftime subset (%Y %m %d %H %M %S %a %b %e %j %y %Z %s %%); default is ctime's layout. */
export function formatTime(d: Date, fmt: string | null, utc: boolean): string {
  const Y = utc ? d.getUTCFullYear() : d.getFullYear();
  const m = utc ? d.getUTCMonth() : d.getMonth();
  const day = utc ? d.getUTCDate() : d.getDate();
  const H = utc ? d.getUTCHours() : d.getHours();
  const M = utc ? d.getUTCMinutes() : d.getMinutes();
  const S = utc ? d.getUTCSeconds() : d.getSeconds();
  const wd = utc ? d.getUTCDay() : d.getDay();
  const f = fmt ?? '%a %b %e %H:%M:%S %Y';
  return f.replace(/%([a-zA-Z%])/g, (all, c: string) => {
    switch (c) {
      case 'Y': return String(Y);
      case 'y': return pad(Y % 100);
      case 'm': return pad(m + 1);
      case 'd': return pad(day);
      case 'e': return String(day).padStart(2, ' ');
      case 'H': return pad(H);
      case 'M': return pad(M);
      case 'S': return pad(S);
      case 'a': return DAYS[wd];
      case 'b': return MONTHS[m];
      case 'j': {
        const start = utc ? Date.UTC(Y, 0, 1) : new Date(Y, 0, 1).getTime();
        return pad(Math.floor((d.getTime() - start) / 86400000) + 1, 3);
      }
      case 'Z': return utc ? 'UTC' : (Intl.DateTimeFormat().resolvedOptions().timeZone ?? '');
      case 's': return String(Math.floor(d.getTime() / 1000));
      case '%': return '%';
      default: return all;
    }
  });
}
