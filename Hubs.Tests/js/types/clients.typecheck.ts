// Compile-time checks of the generated declarations (clients/typescript). tsc fails when a line under an
// expect-error directive compiles, so these prove the types reject wrong calls, not only that they accept right ones.
import type { HubConnection } from '@microsoft/signalr';
import {
  GenerationHubClient, IncidentsHubClient, ProjectsHubClient, StudyHubClient, HubRoutes, IncidentEventTypes,
  type GenerationUpdate, type GenerationUpdateType, type IIncidentsHub, type IncidentEventEnvelope, type PublishIncidentEventRequest,
} from '../../../clients/typescript/index.js';

declare const connection: HubConnection;

const incidents = new IncidentsHubClient(connection);
const routes: '/hubs/incidents' = IncidentsHubClient.path;
const sameRoute: typeof routes = HubRoutes.Incidents;
void sameRoute;

async function typed(): Promise<void> {
  const subscription = await incidents.subscribe('s1', { severities: ['P0'], labels: { team: 'db' } });
  const replayed: number = subscription.replayed;
  void replayed;
  await incidents.subscribe('s1', {}, '42-0');
  // @ts-expect-error subscription ids are strings
  await incidents.subscribe(42, {});
  // @ts-expect-error filter lists hold strings
  await incidents.subscribe('s1', { severities: [1] });
  // @ts-expect-error Ack returns nothing
  const nothing: string = await incidents.ack('1-0');
  void nothing;

  const off = incidents.onIncidentEvent((e: IncidentEventEnvelope) => {
    const title: string | null | undefined = e.event.incident.title;
    void title;
    // @ts-expect-error no such field on the wire
    void e.event.incident.name;
  });
  off();

  const projects = new ProjectsHubClient(connection);
  const forwarded = await projects.forward({ type: 'dev', message_id: 'm1', project_id: 'p1', data: { step: 1 } });
  const queue: string = forwarded.queue;
  void queue;
  // @ts-expect-error data must be JSON, not a function
  await projects.forward({ type: 'dev', message_id: 'm1', project_id: 'p1', data: () => 1 });

  const generation = new GenerationHubClient(connection);
  generation.generate({ prompt: 'p', user_id: 'u' }).subscribe({
    next: (u: GenerationUpdate) => {
      const type: GenerationUpdateType = u.type;
      // @ts-expect-error the update type is a closed set of wire strings
      const wrong: typeof type = 'agent_started';
      void wrong;
    },
    complete: () => {},
    error: () => {},
  });
  // @ts-expect-error user_id is required
  generation.generate({ prompt: 'p' });

  const study = new StudyHubClient(connection);
  study.onChat((m) => { const user: string = m.user_id; void user; });
  await study.sendChat('hello');

  const hub: IIncidentsHub = {
    Subscribe: async (id, filter) => ({ subscription_id: id, filters: filter, replayed: 0, history_truncated: false }),
    Unsubscribe: async (id) => ({ subscription_id: id }),
    Ack: async () => {},
  };
  void hub;

  const publish: PublishIncidentEventRequest = { event_type: IncidentEventTypes.IncidentCreated, incident: { id: 'i1', severity: 'P1' } };
  void publish;
}

void typed;
