/** Core global parameters (`name = value` at top level): their types and where they are kept. */
import type { Core } from '../core';
import type { ParamItem } from './parser';

type Kind = 'int' | 'bool' | 'str' | 'hosts';

const KINDS: Record<string, Kind> = {};
function def(kind: Kind, names: string): void {
  for (const n of names.split(/\s+/)) if (n) KINDS[n] = kind;
}
def('int', `port children tcp_children debug max_while_loops udp_mtu tcp_max_connections tcp_connection_lifetime
  tcp_connect_timeout tcp_send_timeout shm_mem shm pkg_mem advertised_port tcp_keepidle tcp_keepintvl tcp_keepcnt
  server_id open_files_limit tos memlog memdbg mem_summary corelog tcp_rd_buf_size tcp_wq_max tcp_conn_wq_max
  tcp_accept_no_cl tcp_source_ipv4 dns_retr_time dns_retr_no dns_servers_no dns_cache_min_ttl dns_cache_max_ttl
  dns_cache_mem dns_cache_gc_interval dst_blacklist_expire dst_blacklist_mem sctp_children stat_sockets
  tls_port_no rt_prio rt_policy rt_timer1_prio rt_timer2_prio latency_log latency_limit_action latency_limit_db`);
def('bool', `log_stderror fork mhomed server_signature sip_warning check_via dns rev_dns force_rport disable_tcp
  tcp_async tcp_buf_write tcp_accept_aliases tcp_crlf_ping tcp_keepalive auto_aliases dns_try_ipv6 dns_try_naptr
  use_dns_cache use_dns_failover dns_srv_lb disable_tls enable_tls disable_sctp enable_sctp reply_to_via
  mlock_pages dns_use_search_list dns_cache_flags use_dst_blacklist dst_blacklist_init tcp_no_connect
  http_reply_parse sip_parser_log onsend_route_reply`);
def('str', `log_facility log_name log_prefix user uid group gid chroot workdir wdir server_header user_agent_header
  tcp_poll_method udp_mtu_try_proto advertised_address tcp_source_ipv6 pid_file pgid_file`);
def('hosts', 'listen alias');

export interface HostItem {
  readonly proto: string;
  readonly host: string;
  /** 0: not given */
  readonly port: number;
  /** the item as written (`udp:127.0.0.1:5060`), for the transport's own parser */
  readonly text: string;
  /** `listen=... advertise host[:port]` (later kamailio syntax): what Via/Record-Route show */
  advertise?: { readonly host: string; readonly port: number };
}

/** `[proto:]host[:port]`; IPv6 in brackets. */
export function parseHostItem(text: string): HostItem | null {
  const m = /^(?:(udp|tcp|tls|sctp|ws|wss|\*):)?(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9_.\-*]+)(?::(\d+))?$/i.exec(text);
  if (!m) return null;
  const proto = m[1] && m[1] !== '*' ? m[1].toLowerCase() : '';
  return { proto, host: m[2], port: m[3] ? Number(m[3]) : 0, text };
}

/** Apply one global param; returns an error message, or null. */
export function applyCoreParam(core: Core, name: string, items: readonly ParamItem[]): string | null {
  const kind = KINDS[name];
  if (kind === undefined) return `unknown config variable '${name}'`;
  if (kind === 'hosts') {
    const list = (core.globals.get(name) as HostItem[] | undefined) ?? [];
    const added: HostItem[] = [];
    for (let i = 0; i < items.length; i++) {
      const it = items[i];
      if (name === 'listen' && /^advertise$/i.test(it.text) && added.length > 0) {
        const a = items[++i] === undefined ? null : parseHostItem(items[i].text);
        if (!a || a.proto) return `listen: 'advertise' needs host[:port]`;
        added[added.length - 1].advertise = { host: a.host, port: a.port };
        continue;
      }
      const h = parseHostItem(it.text);
      if (!h) return `bad ${name} value '${it.text}'`;
      added.push(h);
    }
    list.push(...added);
    core.globals.set(name, list);
    return null;
  }
  if (items.length !== 1) return `${name} takes one value`;
  const it = items[0];
  if (kind === 'int' || kind === 'bool') {
    if (it.num === undefined) return `${name} needs ${kind === 'int' ? 'a number' : 'yes/no'}, found '${it.text}'`;
    core.globals.set(name, kind === 'bool' ? it.num !== 0 : it.num);
    if (name === 'debug') core.log.level = it.num;
    return null;
  }
  core.globals.set(name, it.text);
  return null;
}
