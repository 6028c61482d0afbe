// The IPC messages between the load benchmark and its app process (bench/load/app-main.ts).
export interface ProcessMemory {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
}

export type AppRequest = { type: 'memory' };
export type AppMessage = { type: 'ready'; url: string } | { type: 'memory'; memory: ProcessMemory };
