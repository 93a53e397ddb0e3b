export { TimerWheel, Timer, type TimerFn, type TimerOptions, type TimerWheelOptions } from './wheel';
export { SystemClock, FakeClock, type Clock } from './clock';
