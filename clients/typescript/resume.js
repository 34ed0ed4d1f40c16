// Hand-written (not generated): resume helpers for @microsoft/signalr connections to /hubs/projects and
// /hubs/incidents. See resume.d.ts and docs/delivery-guarantees.md.
//
// SignalR's withAutomaticReconnect() brings the connection back but not its subscriptions, and nothing sent
// while it was down. ResumableSubscriptions remembers, per subscription, the last message_id up to which every
// matching event was received, and in onreconnected subscribes again with it as `since`: the server replays the
// gap, then goes live. Events are de-duplicated by id, events held during resubscription are released in id
// order, and a gap the server no longer retains is reported through onGap — never skipped silently.

const SEEN_CAPACITY = 10000;

/** Orders message ids (`<milliseconds>-<sequence>`). */
export function compareMessageIds(a, b) {
  const [am, as = '0'] = String(a).split('-');
  const [bm, bs = '0'] = String(b).split('-');
  const byTime = BigInt(am) - BigInt(bm);
  if (byTime !== 0n) return byTime < 0n ? -1 : 1;
  const bySeq = BigInt(as) - BigInt(bs);
  return bySeq === 0n ? 0 : bySeq < 0n ? -1 : 1;
}

function maxId(a, b) {
  if (a == null) return b ?? null;
  if (b == null) return a;
  return compareMessageIds(a, b) >= 0 ? a : b;
}

/**
 * A retry policy for withAutomaticReconnect that moves the connection to the next URL before every reconnect
 * attempt (round robin), so a client whose instance died or is draining reconnects to another one.
 */
export class FailoverRetryPolicy {
  constructor(hubUrls, delays = [0, 500, 1000, 2000, 5000]) {
    if (!Array.isArray(hubUrls) || hubUrls.length === 0) throw new Error('FailoverRetryPolicy needs at least one hub URL.');
    this.hubUrls = hubUrls;
    this.delays = delays;
    this.index = 0;
    this.connection = null;
  }

  /** Binds the policy to the connection it moves (call right after build()). */
  attach(connection) {
    this.connection = connection;
    // The first delay is asked for before the state is Reconnecting (when baseUrl cannot change yet), so the
    // first move happens in onreconnecting, the later ones when each further delay is asked for.
    connection.onreconnecting(() => this.#next());
    return connection;
  }

  nextRetryDelayInMilliseconds(context) {
    if (context.previousRetryCount > 0) this.#next();
    const i = Math.min(context.previousRetryCount, this.delays.length - 1);
    return this.delays[i];
  }

  #next() {
    if (!this.connection || this.hubUrls.length < 2 || this.connection.state !== 'Reconnecting') return;
    this.index = (this.index + 1) % this.hubUrls.length;
    this.connection.baseUrl = this.hubUrls[this.index];
  }
}

/**
 * Subscriptions to /hubs/projects or /hubs/incidents that survive reconnects. Create it right after building the
 * connection (before start) so its handlers are in place; subscribe through it instead of invoking directly.
 */
export class ResumableSubscriptions {
  /**
   * @param connection a @microsoft/signalr HubConnection built withAutomaticReconnect()
   * @param options.onGap (gap) => void: `{ subscription, since, duringResume }` when history no longer covers a gap
   * @param options.onResubscribeFailed (subscription, error) => void
   */
  constructor(connection, options = {}) {
    this.connection = connection;
    this.onGap = options.onGap ?? (() => {});
    this.onResubscribeFailed = options.onResubscribeFailed ?? (() => {});
    this.subscriptions = new Map(); // key -> { kind, resubscribe(since), last, live }
    this.handlers = { ProjectUpdated: [], IncidentEvent: [] };
    this.seen = new Set();
    this.seenOrder = [];
    this.held = null;
    this.duplicatesDropped = 0;
    this.resuming = Promise.resolve();
    connection.on('ProjectUpdated', (update) => this.#deliver('ProjectUpdated', update, update.project_id));
    connection.on('IncidentEvent', (envelope) => this.#deliver('IncidentEvent', envelope, null));
    connection.onreconnected(() => { this.resuming = this.resuming.then(() => this.#resume()); });
  }

  /** Handles project updates: each once, in order, across reconnects. */
  onProjectUpdated(handler) { this.handlers.ProjectUpdated.push(handler); }

  /** Handles incident events: each once, in order, across reconnects. */
  onIncidentEvent(handler) { this.handlers.IncidentEvent.push(handler); }

  /** The message_id each subscription would resume after. */
  positions() { return Object.fromEntries([...this.subscriptions].map(([k, s]) => [k, s.last])); }

  subscribeProject(projectId, since = null) {
    return this.#subscribe('project:' + projectId, since, (s) => this.connection.invoke('Subscribe', projectId, s), projectId);
  }

  unsubscribeProject(projectId) {
    this.subscriptions.delete('project:' + projectId);
    return this.connection.invoke('Unsubscribe', projectId);
  }

  subscribeIncidents(subscriptionId, filter = {}, since = null) {
    return this.#subscribe('incidents:' + subscriptionId, since, (s) => this.connection.invoke('Subscribe', subscriptionId, filter, s), subscriptionId);
  }

  unsubscribeIncidents(subscriptionId) {
    this.subscriptions.delete('incidents:' + subscriptionId);
    return this.connection.invoke('Unsubscribe', subscriptionId);
  }

  async #subscribe(key, since, invoke, name) {
    const entry = { name, route: key.startsWith('project:') ? name : null, resubscribe: invoke, last: since, live: false };
    this.subscriptions.set(key, entry);
    let result;
    try {
      result = await invoke(since);
    } catch (error) {
      // A refusal leaves nothing to resume; a lost connection keeps the entry for onreconnected.
      if (this.connection.state === 'Connected' && this.subscriptions.get(key) === entry) this.subscriptions.delete(key);
      throw error;
    }
    this.#markLive(entry, result);
    if (result.history_truncated) this.#gap(entry.name, since, false);
    return result;
  }

  #markLive(entry, result) {
    entry.live = true;
    entry.last = maxId(entry.last, result.position ?? null);
  }

  #gap(subscription, since, duringResume) {
    try { this.onGap({ subscription, since, duringResume }); } catch { /* the application's handler */ }
  }

  #deliver(method, item, route) {
    const key = (route ?? '') + '\n' + item.message_id;
    if (this.seen.has(key)) { this.duplicatesDropped++; return; }
    this.seen.add(key);
    this.seenOrder.push(key);
    if (this.seenOrder.length > SEEN_CAPACITY) this.seen.delete(this.seenOrder.shift());

    for (const entry of this.subscriptions.values()) {
      // A project's updates belong to its one subscription; an incident event advances every live subscription
      // (the server has sent all their matching events up to anything it sends after their subscribe returned).
      if (route !== null ? entry.route === route : entry.route === null && entry.live) entry.last = maxId(entry.last, item.message_id);
    }

    if (this.held) { this.held.push([method, item]); return; }
    this.#invoke(method, item);
  }

  #invoke(method, item) {
    for (const handler of this.handlers[method]) {
      try { handler(item); } catch (error) { console.error(`${method} handler threw`, error); }
    }
  }

  async #resume() {
    this.held ??= [];
    for (const entry of this.subscriptions.values()) entry.live = false;
    try {
      for (const [key, entry] of [...this.subscriptions]) {
        if (this.connection.state !== 'Connected') return;
        if (this.subscriptions.get(key) !== entry) continue;
        const since = entry.last;
        try {
          const result = await entry.resubscribe(since);
          this.#markLive(entry, result);
          if (result.history_truncated) this.#gap(entry.name, since, true);
        } catch (error) {
          try { this.onResubscribeFailed(entry.name, error); } catch { /* the application's handler */ }
        }
      }
    } finally {
      // Invocation results and events are handled in arrival order in the JS client, so everything the replays
      // sent is in `held` now: release it sorted (each replay is ordered, one after another would not be).
      const held = this.held;
      this.held = null;
      held.sort((a, b) => compareMessageIds(a[1].message_id, b[1].message_id));
      for (const [method, item] of held) this.#invoke(method, item);
    }
  }
}
