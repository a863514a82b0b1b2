/** One run of a sync loop as the store keeps it. */
export interface RunRecord {
  id: string;
  kind: string;
  startedAt: string;
  finishedAt: string | null;
  /** `abandoned`: its holder died or lost its lease mid-run; marked when another took the lease over. */
  status: 'running' | 'succeeded' | 'failed' | 'aborted' | 'abandoned';
  summary: Record<string, number>;
}
