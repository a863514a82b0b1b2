/** The daemon shell: store, status server and loops, with one ordered shutdown. */
export { startDaemon } from './daemon.js';
export { ListenError, listenOn } from './listen.js';
export { storeOptionsFrom } from './store-options.js';
export type { Daemon, DaemonServerDeps, DaemonServers, Loop, LoopFactory, LoopSet, ServerFactory } from './types.js';
