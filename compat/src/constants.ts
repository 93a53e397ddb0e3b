/**
 * The C names modules of either tree use in their export tables, so a module's tables port from
 * C by changing syntax only. Route flags are Kamailio 3.0's values, which sipr's RouteType keeps.
 */
import { RouteType } from '@sipr/core';

export const REQUEST_ROUTE = RouteType.REQUEST;
export const FAILURE_ROUTE = RouteType.FAILURE;
export const ONREPLY_ROUTE = RouteType.ONREPLY;
export const BRANCH_ROUTE = RouteType.BRANCH;
export const ONSEND_ROUTE = RouteType.ONSEND;
export const ERROR_ROUTE = RouteType.ERROR;
export const LOCAL_ROUTE = RouteType.LOCAL;
/** 3.0 looks event_route bodies up as request routes; both bits so either convention finds them */
export const EVENT_ROUTE = RouteType.REQUEST | RouteType.EVENT;
export const ANY_ROUTE = RouteType.ANY;

/** param_no of a variadic function: fn(ctx, ...params) */
export const VAR_PARAM_NO = -128;
/** param_no of an API-only export, not callable from the script */
export const NO_SCRIPT = -1;

export const PARAM_STRING = 1 << 0;
export const PARAM_INT = 1 << 1;
export const PARAM_STR = 1 << 2;
/** the target is a function (type, value) => number called with the value */
export const PARAM_USE_FUNC = 1 << 31;
export const STR_PARAM = PARAM_STRING;
export const INT_PARAM = PARAM_INT;
export const USE_FUNC_PARAM = PARAM_USE_FUNC;

export const STAT_NO_RESET = 1;
export const STAT_NO_SYNC = 2;
export const STAT_SHM_NAME = 4;
/** the stat entry is a function computing the value */
export const STAT_IS_FUNC = 8;

export const MI_ASYNC_RPL_FLAG = 1;
export const MI_NO_INPUT_FLAG = 2;

/** child_init ranks besides the SIP workers 1..N */
export const PROC_INIT = -127;
export const PROC_MAIN = 0;
export const PROC_TIMER = -1;
export const PROC_RPC = -2;
export const PROC_NOCHLDINIT = -128;
