// Typed clients for every hub, over the official SignalR client (npm install @microsoft/signalr).
import { HubConnectionBuilder, HttpTransportType } from '@microsoft/signalr';
import { GenerationHubClient, IncidentsHubClient, ProjectsHubClient, type IncidentFilter } from '../index.js';

const base = 'http://localhost:5000';
const connect = (path: string) =>
  new HubConnectionBuilder()
    // WebSockets without negotiation: works behind a load balancer without sticky sessions.
    .withUrl(base + path, { transport: HttpTransportType.WebSockets, skipNegotiation: true })
    .withAutomaticReconnect()
    .build();

// Incidents: a filtered subscription; events arrive typed.
const incidents = new IncidentsHubClient(connect(IncidentsHubClient.path));
incidents.onIncidentEvent((e) => console.log(e.message_id, e.event.priority, e.event.incident.title ?? e.event.incident.id));
await incidents.connection.start();
const filter: IncidentFilter = { severities: ['P0', 'P1'], event_types: ['incident_created', 'escalated'] };
const subscription = await incidents.subscribe('critical', filter);
console.log('subscribed', subscription.subscription_id, 'replayed', subscription.replayed);

// Projects: updates for one project, resuming after the last message_id seen.
const projects = new ProjectsHubClient(connect(ProjectsHubClient.path));
let lastSeen: string | null = null;
projects.onProjectUpdated((u) => { lastSeen = u.message_id; console.log(u.project_id, u.type, u.data); });
await projects.connection.start();
await projects.subscribe('apollo', lastSeen);

// Generation: a stream of typed updates.
const generation = new GenerationHubClient(connect(GenerationHubClient.path));
await generation.connection.start();
generation.generate({ prompt: 'Spring launch post', user_id: 'alice' }).subscribe({
  next: (u) => console.log(u.type, u.agent ?? '', u.content ?? u.message ?? ''),
  complete: () => console.log('done'),
  error: (err) => console.error(err),
});
