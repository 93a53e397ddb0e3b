/**
 * tm timer and behaviour settings. Values are milliseconds, as in Kamailio 3.0; under #!KAMAILIO
 * a timer modparam <= 120 is taken as seconds (configs written for OpenSER 1.x keep working).
 */
import { SiprError, ErrorCode, type CompatMode } from '@sipr/core';

export interface TmConfig {
  t1: number;
  t2: number;
  frTimer: number;
  frInvTimer: number;
  frInvTimerNext: number;
  wtTimer: number;
  deleteTimer: number;
  maxInvLifetime: number;
  maxNoninvLifetime: number;
  noisyCtimer: boolean;
  restartFrOnEachReply: boolean;
  autoInv100: boolean;
  autoInv100Reason: string;
  /** 0 fake 487, 1 wait for a provisional then CANCEL, 2 CANCEL at once */
  cancelBMethod: 0 | 1 | 2;
  /** 0 stateful, 1 stateless, 2 drop */
  unmatchedCancel: 0 | 1 | 2;
  ruriMatching: boolean;
  via1Matching: boolean;
  aggregateChallenges: boolean;
  disable6xxBlock: boolean;
  /** onreply_route run for replies no transaction matches */
  onSlReply: string | null;
}

export function defaultConfig(): TmConfig {
  return {
    t1: 500,
    t2: 4000,
    frTimer: 30000,
    frInvTimer: 120000,
    frInvTimerNext: 30000,
    wtTimer: 5000,
    deleteTimer: 200,
    maxInvLifetime: 180000,
    maxNoninvLifetime: 32000,
    noisyCtimer: true,
    restartFrOnEachReply: true,
    autoInv100: true,
    autoInv100Reason: 'trying -- your call is important to us',
    cancelBMethod: 1,
    unmatchedCancel: 0,
    ruriMatching: true,
    via1Matching: true,
    aggregateChallenges: true,
    disable6xxBlock: false,
    onSlReply: null,
  };
}

type Setter = (cfg: TmConfig, v: number | string, mode: CompatMode) => void;

/** Timer params that Kamailio reads as seconds when small in #!KAMAILIO mode. */
const secondsRule = new Set(['fr_timer', 'fr_inv_timer', 'wt_timer', 'delete_timer']);

function ms(key: keyof TmConfig, name: string): Setter {
  return (cfg, v, mode) => {
    let n = toInt(name, v);
    if (n < 0) throw new SiprError(ErrorCode.MODPARAM, `${name} must be >= 0 (got ${n})`);
    if (mode === 'kamailio' && secondsRule.has(name) && n > 0 && n <= 120) n *= 1000;
    (cfg as unknown as Record<string, number>)[key] = n;
  };
}

function bool(key: keyof TmConfig, name: string): Setter {
  return (cfg, v) => { (cfg as unknown as Record<string, boolean>)[key] = toInt(name, v) !== 0; };
}

function toInt(name: string, v: number | string): number {
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isInteger(n)) throw new SiprError(ErrorCode.MODPARAM, `${name} needs an integer (got "${v}")`);
  return n;
}

function choice(key: 'cancelBMethod' | 'unmatchedCancel', name: string): Setter {
  return (cfg, v) => {
    const n = toInt(name, v);
    if (n < 0 || n > 2) throw new SiprError(ErrorCode.MODPARAM, `${name} must be 0, 1 or 2 (got ${n})`);
    cfg[key] = n as 0 | 1 | 2;
  };
}

/** modparam("tm", name, value) and the runtime `tm` cfg group share these names. */
export const PARAMS: Record<string, { type: 'int' | 'str'; set: Setter }> = {
  retr_timer1: { type: 'int', set: ms('t1', 'retr_timer1') },
  retr_timer2: { type: 'int', set: ms('t2', 'retr_timer2') },
  fr_timer: { type: 'int', set: ms('frTimer', 'fr_timer') },
  fr_inv_timer: { type: 'int', set: ms('frInvTimer', 'fr_inv_timer') },
  fr_inv_timer_next: { type: 'int', set: ms('frInvTimerNext', 'fr_inv_timer_next') },
  wt_timer: { type: 'int', set: ms('wtTimer', 'wt_timer') },
  delete_timer: { type: 'int', set: ms('deleteTimer', 'delete_timer') },
  max_inv_lifetime: { type: 'int', set: ms('maxInvLifetime', 'max_inv_lifetime') },
  max_noninv_lifetime: { type: 'int', set: ms('maxNoninvLifetime', 'max_noninv_lifetime') },
  noisy_ctimer: { type: 'int', set: bool('noisyCtimer', 'noisy_ctimer') },
  restart_fr_on_each_reply: { type: 'int', set: bool('restartFrOnEachReply', 'restart_fr_on_each_reply') },
  auto_inv_100: { type: 'int', set: bool('autoInv100', 'auto_inv_100') },
  auto_inv_100_reason: { type: 'str', set: (cfg, v) => { cfg.autoInv100Reason = String(v); } },
  cancel_b_method: { type: 'int', set: choice('cancelBMethod', 'cancel_b_method') },
  unmatched_cancel: { type: 'int', set: choice('unmatchedCancel', 'unmatched_cancel') },
  ruri_matching: { type: 'int', set: bool('ruriMatching', 'ruri_matching') },
  via1_matching: { type: 'int', set: bool('via1Matching', 'via1_matching') },
  aggregate_challenges: { type: 'int', set: bool('aggregateChallenges', 'aggregate_challenges') },
  disable_6xx_block: { type: 'int', set: bool('disable6xxBlock', 'disable_6xx_block') },
  on_sl_reply: { type: 'str', set: (cfg, v) => { cfg.onSlReply = String(v) || null; } },
};
