// Placeholder so the workspace compiles while the timer/tm helper writes the real wheel this session.
export class TimerWheel {}
