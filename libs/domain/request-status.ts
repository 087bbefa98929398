/** A request's status as clients see it (docs/ARCHITECTURE.md, "Statuses"). Persisted: never rename the values. */
export enum RequestStatus {
  NotStarted = 'NOT_STARTED',
  InProgress = 'IN_PROGRESS',
  Done = 'DONE',
  Canceled = 'CANCELED',
  Failed = 'FAILED',
}

export const REQUEST_STATUSES: readonly RequestStatus[] = Object.values(RequestStatus);
