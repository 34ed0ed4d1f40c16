// Hand-written (not generated): declarations of resume.js.
import type { HubConnection, IRetryPolicy, RetryContext } from '@microsoft/signalr';
import type { ProjectSubscription, ProjectUpdate } from './projects.js';
import type { IncidentEventEnvelope, IncidentFilter, IncidentSubscription } from './incidents.js';

/** Orders message ids (`<milliseconds>-<sequence>`): negative, zero or positive. */
export function compareMessageIds(a: string, b: string): number;

/** Moves the connection to the next hub URL before every reconnect attempt (round robin). */
export class FailoverRetryPolicy implements IRetryPolicy {
  constructor(hubUrls: string[], delays?: number[]);
  attach(connection: HubConnection): HubConnection;
  nextRetryDelayInMilliseconds(context: RetryContext): number | null;
}

/** Events older than the server's retained history were lost for this subscription. */
export interface HistoryGap {
  subscription: string;
  since: string | null;
  duringResume: boolean;
}

export interface ResumableSubscriptionsOptions {
  onGap?: (gap: HistoryGap) => void;
  onResubscribeFailed?: (subscription: string, error: unknown) => void;
}

/** Subscriptions that survive withAutomaticReconnect(): resubscribe with `since`, de-duplicate, report gaps. */
export class ResumableSubscriptions {
  constructor(connection: HubConnection, options?: ResumableSubscriptionsOptions);
  readonly duplicatesDropped: number;
  onProjectUpdated(handler: (update: ProjectUpdate) => void): void;
  onIncidentEvent(handler: (envelope: IncidentEventEnvelope) => void): void;
  positions(): Record<string, string | null>;
  subscribeProject(projectId: string, since?: string | null): Promise<ProjectSubscription>;
  unsubscribeProject(projectId: string): Promise<ProjectSubscription>;
  subscribeIncidents(subscriptionId: string, filter?: IncidentFilter, since?: string | null): Promise<IncidentSubscription>;
  unsubscribeIncidents(subscriptionId: string): Promise<unknown>;
}
