/** One stateless request over UDP from a fixed local port; resolves with the reply's first line. */
import { createSocket } from 'node:dgram';

export function ask(port: number, from: number, method: string, user: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    const timer = setTimeout(() => { s.close(); reject(new Error(`no reply to ${method} ${user}`)); }, 3000);
    s.on('message', (m) => {
      clearTimeout(timer);
      s.close();
      resolve(m.toString('latin1').split('\r\n')[0]);
    });
    s.bind(from, '127.0.0.1', () => {
      const id = `${user}-${Date.now()}`;
      const req = [
        `${method} sip:${user}@127.0.0.1:${port} SIP/2.0`, `Via: SIP/2.0/UDP 127.0.0.1:${from};branch=z9hG4bK-${id}`,
        'From: <sip:t@127.0.0.1>;tag=1', `To: <sip:${user}@127.0.0.1:${port}>`, `Call-ID: ${id}`, `CSeq: 1 ${method}`,
        'Max-Forwards: 70', 'Content-Length: 0', '', ''].join('\r\n');
      s.send(req, port, '127.0.0.1');
    });
  });
}

/**
 * $stat(inuse_transactions), for configs that answer `OPTIONS sip:stats@...` statelessly with
 * `200 inuse=$stat(inuse_transactions)`.
 */
export async function inUseTransactions(port: number, from: number): Promise<number> {
  const line = await ask(port, from, 'OPTIONS', 'stats');
  const r = /^SIP\/2\.0 200 inuse=(\d+)$/.exec(line);
  if (!r) throw new Error(`unexpected reply: ${line}`);
  return Number(r[1]);
}
