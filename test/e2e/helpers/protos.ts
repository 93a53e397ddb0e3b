/** PROTOS c07-sip case files (test/corpus/protos): two length-prefixed records, placeholders filled in. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './sipr';

export const PROTOS_DIR = join(ROOT, 'test/corpus/protos/cases');

export function protosCases(): string[] {
  return readdirSync(PROTOS_DIR).sort();
}

function records(file: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let p = 0;
  while (p < file.length) {
    const sp = file.indexOf(32, p);
    const n = Number(file.toString('latin1', p, sp));
    out.push(file.subarray(sp + 1, sp + 1 + n));
    p = sp + 1 + n;
  }
  return out;
}

/** The INVITE and teardown of one case, addressed from 127.0.0.1:localPort. */
export function protosCase(name: string, localPort: number): Buffer[] {
  const index = Number(name);
  return records(readFileSync(join(PROTOS_DIR, name))).map((r) => {
    let s = r.toString('latin1')
      .replaceAll('<To>', 'bob@127.0.0.1')
      .replaceAll('<From>', 'alice@127.0.0.1')
      .replaceAll('<From-Address>', '127.0.0.1')
      .replaceAll('<From-IP>', '127.0.0.1')
      .replaceAll('<Local-Port>', String(localPort))
      .replaceAll('<Branch-ID>', String(index))
      .replaceAll('<Call-ID>', `protos-${index}`)
      .replaceAll('<CSeq>', '1')
      .replaceAll('<Teardown-Method>', 'CANCEL');
    const sep = s.indexOf('\r\n\r\n');
    s = s.replaceAll('<Content-Length>', String(sep < 0 ? 0 : s.length - sep - 4));
    return Buffer.from(s, 'latin1');
  });
}
