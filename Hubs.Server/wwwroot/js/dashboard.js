// The Hubs dashboard: plain ES module, no build step. The typed hub helpers in ./hubs/ are generated from
// Hubs.Contracts (dotnet run --project Hubs.Server -- generate-clients); signalR is the vendored browser client.
import {
  GenerationAgents, GenerationHubClient, IncidentEventTypes, IncidentsHubClient, ProjectsHubClient,
} from './hubs/index.js';

const signalR = globalThis.signalR;
const $ = (id) => document.getElementById(id);
if (!signalR) {
  const fatal = Object.assign(document.createElement('p'), { className: 'fatal', textContent: 'The SignalR client (lib/signalr/signalr.min.js) did not load.' });
  document.body.prepend(fatal);
  throw new Error('signalR is not loaded');
}
const MAX_FEED_ITEMS = 100;

// Every URL is relative to the page, so the dashboard works behind a proxy at any path prefix.
const urlFor = (path) => new URL(path.replace(/^\//, ''), document.baseURI).toString();
const pageParams = new URLSearchParams(location.search);
const negotiate = pageParams.get('transport') === 'negotiate';

const TOKEN_KEY = 'hubs.accessToken';
const token = () => sessionStorage.getItem(TOKEN_KEY) || '';
const authHeaders = () => (token() ? { authorization: `Bearer ${token()}` } : {});

// ------------------------------------------------------------------------------------------------------------
// Connections: one per hub, each with its own visible state. WebSockets without negotiation by default: no
// sticky sessions are needed behind a load balancer, and a reconnect may land on any instance.
// ------------------------------------------------------------------------------------------------------------
const RECONNECT_DELAYS = [0, 1000, 2000, 5000, 10000];
const GIVE_UP_AFTER_MS = 120000;

function buildConnection(path) {
  const options = { accessTokenFactory: () => token() };
  if (!negotiate) {
    options.transport = signalR.HttpTransportType.WebSockets;
    options.skipNegotiation = true;
  }
  return new signalR.HubConnectionBuilder()
    .withUrl(urlFor(path), options)
    .withAutomaticReconnect({
      nextRetryDelayInMilliseconds: (context) => (context.elapsedMilliseconds > GIVE_UP_AFTER_MS
        ? null
        : RECONNECT_DELAYS[Math.min(context.previousRetryCount, RECONNECT_DELAYS.length - 1)]),
    })
    .configureLogging(signalR.LogLevel.Warning)
    .build();
}

const hubs = {};

function setState(name, state, detail = '') {
  const badge = $(`state-${name}`);
  badge.dataset.state = state;
  badge.textContent = detail ? `${state} (${detail})` : state;
  $('reconnect').hidden = !Object.values(hubs).some((h) => h.state === 'closed');
}

function track(name, client, onReconnected) {
  const hub = { name, client, state: 'connecting', onReconnected, startAttempts: 0 };
  hubs[name] = hub;
  const connection = client.connection;
  connection.onreconnecting(() => { hub.state = 'reconnecting'; setState(name, 'reconnecting'); });
  connection.onreconnected(async () => {
    hub.state = 'connected';
    setState(name, 'connected');
    await onReconnected?.();
  });
  connection.onclose(() => {
    hub.state = 'closed';
    setState(name, 'closed');
    scheduleStart(hub);
  });
  return hub;
}

async function start(hub) {
  if (hub.client.connection.state !== signalR.HubConnectionState.Disconnected) return;
  hub.state = 'connecting';
  setState(hub.name, 'connecting');
  try {
    await hub.client.connection.start();
    hub.startAttempts = 0;
    hub.state = 'connected';
    setState(hub.name, 'connected');
    await hub.onReconnected?.();
  } catch (error) {
    hub.state = 'closed';
    setState(hub.name, 'closed', shortError(error));
    scheduleStart(hub);
  }
}

// A connection that could not start, or that automatic reconnection gave up on, is retried a few times more slowly;
// after that it stays closed until the Reconnect button.
function scheduleStart(hub) {
  if (hub.stopping || hub.startAttempts >= 5) return;
  hub.startAttempts += 1;
  setTimeout(() => start(hub), 2000 * hub.startAttempts);
}

$('reconnect').addEventListener('click', () => {
  for (const hub of Object.values(hubs)) {
    hub.startAttempts = 0;
    start(hub);
  }
});

function shortError(error) {
  const text = String(error?.message ?? error);
  // Hub errors are "CODE: message" after SignalR's own prefix; keep the useful end.
  const match = /HubException: (.*)$/.exec(text);
  return (match ? match[1] : text).slice(0, 160);
}

// ------------------------------------------------------------------------------------------------------------
// Live counters (GET api/stats).
// ------------------------------------------------------------------------------------------------------------
const COUNTERS = {
  'count-generation': (s) => s.connections.generation,
  'count-projects': (s) => s.connections.projects,
  'count-incidents': (s) => s.connections.incidents,
  'count-study': (s) => s.connections.study,
  'count-generations-running': (s) => s.generations_running,
  'count-generations-started': (s) => s.generations_started,
  'count-project-updates': (s) => s.project_updates,
  'count-incident-events': (s) => s.incident_events,
};

async function refreshCounters() {
  if (document.hidden) return;
  try {
    const response = await fetch(urlFor('api/stats'), { headers: authHeaders(), cache: 'no-store' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const stats = await response.json();
    for (const [id, read] of Object.entries(COUNTERS)) $(id).textContent = String(read(stats) ?? 0);
    $('counters-instance').textContent = `— instance ${stats.instance}`;
    $('counters-status').textContent = `Updated ${new Date(stats.now).toLocaleTimeString()}. Connections are this instance's; events count every instance's.`;
  } catch (error) {
    $('counters-status').textContent = `Counters unavailable: ${shortError(error)}`;
  }
}

// ------------------------------------------------------------------------------------------------------------
// Generation: stream one run at a time and show each agent's progress and text.
// ------------------------------------------------------------------------------------------------------------
const generation = track('generation', new GenerationHubClient(buildConnection(GenerationHubClient.path)));
let running = null;

function agentCard(agent) {
  const existing = document.querySelector(`#generation-agents li[data-agent="${CSS.escape(agent)}"]`);
  if (existing) return existing;
  const li = document.createElement('li');
  li.dataset.agent = agent;
  li.dataset.phase = 'waiting';
  const heading = document.createElement('h3');
  heading.textContent = agent;
  const phase = document.createElement('span');
  phase.className = 'phase';
  phase.textContent = 'waiting';
  heading.append(' ', phase);
  const message = document.createElement('p');
  message.className = 'agent-message muted small';
  const content = document.createElement('p');
  content.className = 'agent-content';
  content.append(document.createTextNode(''));
  li.append(heading, message, content);
  $('generation-agents').append(li);
  return li;
}

function setPhase(card, phase) {
  card.dataset.phase = phase;
  card.querySelector('.phase').textContent = phase;
}

$('generation-form').addEventListener('submit', (event) => {
  event.preventDefault();
  if (running) return;
  const request = { prompt: $('generation-prompt').value.trim(), user_id: $('generation-user').value.trim() };
  $('generation-agents').replaceChildren();
  for (const agent of GenerationAgents.Pipeline) agentCard(agent);
  $('generation-agents').setAttribute('aria-busy', 'true');
  $('generation-start').disabled = true;
  $('generation-stop').disabled = false;
  $('generation-status').textContent = 'Generating…';
  let chunks = 0;
  const finish = (text) => {
    running = null;
    $('generation-agents').setAttribute('aria-busy', 'false');
    $('generation-start').disabled = false;
    $('generation-stop').disabled = true;
    $('generation-status').textContent = text;
  };
  try {
    running = generation.client.generate(request).subscribe({
      next: (update) => {
        if (update.type === 'content_chunk') {
          chunks += 1;
          agentCard(update.agent).querySelector('.agent-content').firstChild.appendData(update.content ?? '');
          return;
        }
        if (update.type === 'agent_start' || update.type === 'agent_complete') {
          const card = agentCard(update.agent);
          setPhase(card, update.type === 'agent_start' ? 'running' : 'done');
          card.querySelector('.agent-message').textContent = update.message ?? '';
          $('generation-status').textContent = `${update.agent}: ${update.message ?? update.type}`;
          return;
        }
        if (update.type === 'complete') finish(`Complete: ${update.message ?? 'done'} (${chunks} chunks).`);
        if (update.type === 'error') finish(`Failed: ${update.message}`);
      },
      complete: () => { if (running) finish(`Complete (${chunks} chunks).`); },
      error: (error) => finish(`Stopped: ${shortError(error)}`),
    });
  } catch (error) {
    finish(`Could not start: ${shortError(error)}`);
  }
});

$('generation-stop').addEventListener('click', () => {
  const subscription = running;
  if (!subscription) return;
  subscription.dispose();
  running = null;
  $('generation-agents').setAttribute('aria-busy', 'false');
  $('generation-start').disabled = false;
  $('generation-stop').disabled = true;
  $('generation-status').textContent = 'Stopped by you.';
});

// ------------------------------------------------------------------------------------------------------------
// Projects: subscriptions survive reconnects; each resumes after the last message_id seen (no gap, no duplicate).
// ------------------------------------------------------------------------------------------------------------
const projectSubscriptions = new Map(); // project id -> last message_id seen (or null)

const projects = track('projects', new ProjectsHubClient(buildConnection(ProjectsHubClient.path)), async () => {
  for (const [projectId, since] of projectSubscriptions) {
    try {
      const result = await projects.client.subscribe(projectId, since);
      if (since) note('projects-status', `Resumed ${projectId}: ${result.replayed} missed update(s) replayed${result.history_truncated ? ', some were lost' : ''}.`);
    } catch (error) {
      note('projects-status', `Could not resubscribe to ${projectId}: ${shortError(error)}`);
    }
  }
});

projects.client.onProjectUpdated((update) => {
  if (projectSubscriptions.has(update.project_id)) projectSubscriptions.set(update.project_id, update.message_id);
  const li = document.createElement('li');
  li.dataset.projectId = update.project_id;
  const head = document.createElement('p');
  head.className = 'feed-head';
  head.append(tag(update.type), ' ', strong(update.project_id), ' ', muted(`#${update.message_id} · ${time(update.timestamp)}`));
  const data = document.createElement('pre');
  data.className = 'mono small';
  data.textContent = JSON.stringify(update.data);
  li.append(head, data);
  prepend($('project-updates'), li);
});

function renderProjectSubscriptions() {
  const list = $('project-subscriptions');
  list.replaceChildren();
  if (projectSubscriptions.size === 0) list.append(emptyItem());
  for (const projectId of projectSubscriptions.keys()) {
    const li = document.createElement('li');
    li.append(projectId, ' ');
    const remove = button(`Unsubscribe`, `Unsubscribe from ${projectId}`, async () => {
      projectSubscriptions.delete(projectId);
      renderProjectSubscriptions();
      try {
        await projects.client.unsubscribe(projectId);
        note('projects-status', `Unsubscribed from ${projectId}.`);
      } catch (error) {
        note('projects-status', `Unsubscribe failed: ${shortError(error)}`);
      }
    });
    li.append(remove);
    list.append(li);
  }
}

$('projects-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const projectId = $('project-id').value.trim();
  if (!projectId) return;
  try {
    await projects.client.subscribe(projectId, null);
    if (!projectSubscriptions.has(projectId)) projectSubscriptions.set(projectId, null);
    renderProjectSubscriptions();
    note('projects-status', `Subscribed to ${projectId}.`);
  } catch (error) {
    note('projects-status', `Subscribe failed: ${shortError(error)}`);
  }
});

$('project-publish-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const projectId = $('publish-project-id').value.trim();
  let data;
  try {
    data = JSON.parse($('publish-project-data').value);
  } catch {
    note('project-publish-status', 'Data must be valid JSON.');
    return;
  }
  const type = $('publish-project-type').value.trim() || undefined;
  await publish(`api/projects/${encodeURIComponent(projectId)}/updates`, { type, data }, 'project-publish-status');
});

// ------------------------------------------------------------------------------------------------------------
// Incidents: named, filtered subscriptions; events resume after the last message_id on reconnect.
// ------------------------------------------------------------------------------------------------------------
const incidentSubscriptions = new Map(); // subscription id -> normalized filter
let lastIncidentId = null;

const incidents = track('incidents', new IncidentsHubClient(buildConnection(IncidentsHubClient.path)), async () => {
  for (const [subscriptionId, filter] of incidentSubscriptions) {
    try {
      const result = await incidents.client.subscribe(subscriptionId, filter, lastIncidentId);
      if (lastIncidentId) note('incidents-status', `Resumed ${subscriptionId}: ${result.replayed} missed event(s) replayed${result.history_truncated ? ', some were lost' : ''}.`);
    } catch (error) {
      note('incidents-status', `Could not resubscribe ${subscriptionId}: ${shortError(error)}`);
    }
  }
});

incidents.client.onIncidentEvent((envelope) => {
  lastIncidentId = envelope.message_id;
  const { event } = envelope;
  const incident = event.incident;
  const li = document.createElement('li');
  li.dataset.incidentId = incident.id;
  li.dataset.priority = event.priority;
  const head = document.createElement('p');
  head.className = 'feed-head';
  const severity = tag(incident.severity);
  severity.classList.add(`severity-${incident.severity.toLowerCase()}`);
  head.append(severity, ' ', tag(event.event_type), ' ', strong(incident.title || incident.id));
  const meta = document.createElement('p');
  meta.className = 'muted small';
  const details = [incident.id, `priority ${event.priority}`, incident.state, incident.source, `#${envelope.message_id}`, time(envelope.timestamp)];
  meta.textContent = details.filter(Boolean).join(' · ');
  li.append(head, meta);
  prepend($('incident-events'), li);
});

function splitList(value) {
  return value.split(',').map((s) => s.trim()).filter(Boolean);
}

function readFilter() {
  const checked = (container) => [...$(container).querySelectorAll('input:checked')].map((i) => i.value);
  const filter = {};
  const add = (key, values) => { if (values.length) filter[key] = values; };
  add('severities', checked('severity-options'));
  add('event_types', checked('event-type-options'));
  add('sources', splitList($('filter-sources').value));
  add('states', splitList($('filter-states').value));
  add('affected_resources', splitList($('filter-resources').value));
  add('incident_ids', splitList($('filter-incident-ids').value));
  const labels = Object.fromEntries(splitList($('filter-labels').value)
    .map((pair) => pair.split('=').map((s) => s.trim()))
    .filter(([key, value]) => key && value !== undefined));
  if (Object.keys(labels).length) filter.labels = labels;
  return filter;
}

function describeFilter(filter) {
  const parts = Object.entries(filter).map(([key, value]) => `${key}: ${Array.isArray(value)
    ? value.join(', ')
    : Object.entries(value).map(([k, v]) => `${k}=${v}`).join(', ')}`);
  return parts.length ? parts.join('; ') : 'everything';
}

function renderIncidentSubscriptions() {
  const list = $('incident-subscriptions');
  list.replaceChildren();
  if (incidentSubscriptions.size === 0) list.append(emptyItem());
  for (const [subscriptionId, filter] of incidentSubscriptions) {
    const li = document.createElement('li');
    const text = document.createElement('span');
    text.append(strong(subscriptionId), ` — ${describeFilter(filter)} `);
    li.append(text, button('Remove', `Remove subscription ${subscriptionId}`, async () => {
      incidentSubscriptions.delete(subscriptionId);
      renderIncidentSubscriptions();
      try {
        await incidents.client.unsubscribe(subscriptionId);
        note('incidents-status', `Removed ${subscriptionId}.`);
      } catch (error) {
        note('incidents-status', `Remove failed: ${shortError(error)}`);
      }
    }));
    list.append(li);
  }
}

$('incidents-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const subscriptionId = $('subscription-id').value.trim();
  if (!subscriptionId) return;
  try {
    const result = await incidents.client.subscribe(subscriptionId, readFilter(), null);
    incidentSubscriptions.set(subscriptionId, result.filters);
    renderIncidentSubscriptions();
    note('incidents-status', `Subscribed ${subscriptionId}: ${describeFilter(result.filters)}.`);
  } catch (error) {
    note('incidents-status', `Subscribe failed: ${shortError(error)}`);
  }
});

$('incident-publish-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const incident = {
    id: $('publish-incident-id').value.trim(),
    title: $('publish-incident-title').value.trim() || undefined,
    severity: $('publish-severity').value,
    source: $('publish-incident-source').value.trim() || undefined,
  };
  await publish('api/incidents/events', { event_type: $('publish-event-type').value, incident }, 'incident-publish-status');
});

function checkbox(container, name, value, checked) {
  const id = `${name}-${value}`;
  const wrapper = document.createElement('div');
  wrapper.className = 'check';
  const input = document.createElement('input');
  Object.assign(input, { type: 'checkbox', id, name, value, checked });
  const label = document.createElement('label');
  label.htmlFor = id;
  // Long wire names wrap at their underscores on narrow screens, not mid-word.
  value.split('_').forEach((part, i) => {
    if (i > 0) label.append('_', document.createElement('wbr'));
    label.append(part);
  });
  wrapper.append(input, label);
  $(container).append(wrapper);
}

function option(select, value, selected) {
  const o = document.createElement('option');
  o.value = value;
  o.textContent = value;
  o.selected = selected;
  $(select).append(o);
}

for (const severity of IncidentEventTypes.Severities) {
  checkbox('severity-options', 'severity', severity, severity === 'P0' || severity === 'P1');
  option('publish-severity', severity, severity === 'P1');
}
for (const eventType of IncidentEventTypes.All) {
  checkbox('event-type-options', 'event-type', eventType, false);
  option('publish-event-type', eventType, eventType === IncidentEventTypes.IncidentCreated);
}

// ------------------------------------------------------------------------------------------------------------
// Shared helpers.
// ------------------------------------------------------------------------------------------------------------
async function publish(path, body, statusId) {
  note(statusId, 'Publishing…');
  try {
    const response = await fetch(urlFor(path), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authHeaders() },
      body: JSON.stringify(body),
    });
    const result = await response.json().catch(() => ({}));
    if (!response.ok) {
      const errors = result.errors ? Object.entries(result.errors).map(([k, v]) => `${k}: ${v}`).join('; ') : '';
      note(statusId, `Rejected (HTTP ${response.status}) ${errors || result.title || ''}`.trim());
      return;
    }
    note(statusId, `Published${result.message_id ? ` as #${result.message_id}` : ''}.`);
  } catch (error) {
    note(statusId, `Publish failed: ${shortError(error)}`);
  }
}

function note(id, text) { $(id).textContent = text; }

function prepend(list, item) {
  list.prepend(item);
  while (list.children.length > MAX_FEED_ITEMS) list.lastElementChild.remove();
}

function tag(text) {
  const span = document.createElement('span');
  span.className = 'tag';
  span.textContent = text;
  return span;
}

function strong(text) {
  const b = document.createElement('strong');
  b.textContent = text;
  return b;
}

function muted(text) {
  const span = document.createElement('span');
  span.className = 'muted small';
  span.textContent = text;
  return span;
}

function emptyItem() {
  const li = document.createElement('li');
  li.className = 'muted empty';
  li.textContent = 'None yet.';
  return li;
}

function button(text, label, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'link-button';
  b.textContent = text;
  b.setAttribute('aria-label', label);
  b.addEventListener('click', onClick);
  return b;
}

function time(timestamp) {
  const date = new Date(timestamp);
  return Number.isNaN(date.getTime()) ? String(timestamp ?? '') : date.toLocaleTimeString();
}

// ------------------------------------------------------------------------------------------------------------
// Settings and start-up.
// ------------------------------------------------------------------------------------------------------------
$('access-token').value = token();
$('settings-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, $('access-token').value.trim());
  for (const hub of Object.values(hubs)) {
    hub.stopping = true;
    await hub.client.connection.stop();
    hub.stopping = false;
    hub.startAttempts = 0;
    await start(hub);
  }
});

for (const hub of Object.values(hubs)) start(hub);
refreshCounters();
setInterval(refreshCounters, 2000);
document.addEventListener('visibilitychange', refreshCounters);
