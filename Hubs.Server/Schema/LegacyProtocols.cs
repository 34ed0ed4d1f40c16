namespace Hubs.Server.Schema;

/// <summary>
/// The four legacy raw-JSON WebSocket protocols (shared/protocols/LEGACY.md) as data, for the AsyncAPI document.
/// Where a contract record is the wire shape it is referenced (<c>#Name</c>), so the two cannot drift; the rest is
/// written here. Per channel: <c>client</c> = frames a client sends, <c>server</c> = frames the server sends.
/// A message is <c>{"payload": "#Name"}</c>, or <c>{"fields": {...}}</c>, optionally <c>"extends": "#Name"</c>.
/// Field notation: <c>=value</c> a constant; <c>string</c>, <c>integer</c>, <c>boolean</c>, <c>date-time</c>,
/// <c>uuid</c>, <c>json</c> (any value), <c>object</c>; <c>#Name</c> a contract type; <c>a|b|c</c> one of these
/// strings; <c>const:Class</c> one of the string constants of a contracts class; a trailing <c>?</c> = optional.
/// </summary>
internal static class LegacyProtocols
{
    public const string Json = """
    {
      "legacyGeneration": {
        "address": "/ws/stream-generation",
        "title": "Legacy generation streaming (seed 000)",
        "description": "One generation at a time per socket; closing the socket cancels it. Same pipeline as /hubs/generation.",
        "query": { "access_token": "string?", "token": "string?" },
        "client": {
          "generation_request": { "summary": "Starts a generation (no type field).", "payload": "#GenerationRequest" }
        },
        "server": {
          "connected": { "summary": "Sent on connect.", "fields": { "type": "=connected", "client_id": "uuid", "message": "string" } },
          "generation_update": { "summary": "Progress: agent_start, content_chunk, agent_complete per agent, then complete; or error.", "payload": "#GenerationUpdate" },
          "shutdown": { "summary": "Goodbye before a graceful server shutdown (close 1001).", "fields": { "type": "=shutdown", "message": "string" } }
        }
      },
      "legacyUser": {
        "address": "/api/ws/{user_id}",
        "title": "Legacy per-user channel (seed 001)",
        "description": "The token's user must equal {user_id}, otherwise close 1008. Same hub as /hubs/study.",
        "parameters": { "user_id": "The connecting user; must match the token's user id claim." },
        "query": { "token": "string?", "access_token": "string?" },
        "client": {
          "chat": { "summary": "A chat line for every connected user.", "fields": { "type": "=chat", "message": "string", "timestamp": "string?" } },
          "study_update": { "summary": "Study progress for the sender's own sockets.", "fields": { "type": "=study_update", "data": "json" } },
          "game_state": { "summary": "Game state for every other user.", "fields": { "type": "=game_state", "state": "json" } },
          "ping": { "summary": "Keep-alive; answered with pong.", "fields": { "type": "=ping", "timestamp": "string?" } }
        },
        "server": {
          "connection": { "summary": "Sent on connect.", "fields": { "type": "=connection", "message": "string", "user_id": "string" } },
          "chat": { "summary": "A chat line (the sender receives it too).", "extends": "#ChatMessage", "fields": { "type": "=chat" } },
          "study_update": { "summary": "Study progress from one of this user's sockets.", "fields": { "type": "=study_update", "data": "json" } },
          "game_state": { "summary": "Another user's game state.", "extends": "#GameStateUpdate", "fields": { "type": "=game_state" } },
          "user_disconnected": { "summary": "A user's last socket closed.", "extends": "#UserDisconnected", "fields": { "type": "=user_disconnected" } },
          "notification": { "summary": "A backend's message to this user; type is notification unless the publisher named another.", "payload": "#UserNotification" },
          "pong": { "summary": "Answer to ping, echoing its timestamp.", "fields": { "type": "=pong", "timestamp": "string?" } },
          "error": { "summary": "A frame was rejected (bad JSON, unknown type, rate limit); the socket stays open.", "fields": { "type": "=error", "message": "string" } }
        }
      },
      "legacyProjects": {
        "address": "/ws/projects",
        "title": "Legacy project subscriptions (seed 002)",
        "description": "Also served at /ws when the request has a project_id query parameter (see legacyProjectsQuery). Same hub as /hubs/projects.",
        "query": { "project_id": "string?", "access_token": "string?", "token": "string?" },
        "client": {
          "subscribe": { "summary": "Subscribe to a project's updates.", "fields": { "action": "=subscribe", "project_id": "string" } },
          "unsubscribe": { "summary": "Stop a project's updates.", "fields": { "action": "=unsubscribe", "project_id": "string" } },
          "forward": { "summary": "Append a message to an agent queue.", "extends": "#ForwardRequest", "fields": { "action": "=forward" } },
          "ping": { "summary": "Keep-alive; answered with pong.", "fields": { "action": "=ping" } }
        },
        "server": {
          "connected": { "summary": "Sent on connect.", "fields": { "type": "=connected", "message": "string", "timestamp": "date-time" } },
          "subscription_confirmed": { "summary": "Answer to subscribe.", "fields": { "type": "=subscription_confirmed", "project_id": "string" } },
          "unsubscription_confirmed": { "summary": "Answer to unsubscribe.", "fields": { "type": "=unsubscription_confirmed", "project_id": "string" } },
          "forwarded": { "summary": "Answer to forward.", "fields": { "type": "=forwarded", "message_id": "string", "queue": "const:AgentQueues" } },
          "project_update": { "summary": "A published update; type is the publisher's, project_updated by default.", "fields": { "type": "string", "project_id": "string", "data": "json", "message_id": "string", "timestamp": "date-time" } },
          "pong": { "summary": "Answer to ping.", "fields": { "type": "=pong", "timestamp": "date-time" } },
          "error": { "summary": "A frame was rejected; the socket stays open.", "fields": { "type": "=error", "message": "string" } },
          "shutdown": { "summary": "Goodbye before a graceful server shutdown (close 1001).", "fields": { "type": "=shutdown", "message": "string" } }
        }
      },
      "legacyProjectsQuery": {
        "address": "/ws",
        "title": "Legacy project subscriptions at /ws?project_id= (seed 002)",
        "description": "A /ws request with a project_id query parameter speaks the project protocol and is subscribed to that project at once.",
        "query": { "project_id": "string", "access_token": "string?", "token": "string?" },
        "sameAs": "legacyProjects"
      },
      "legacyIncidents": {
        "address": "/ws",
        "title": "Legacy incident events with filters (seed 004)",
        "description": "Plain /ws (no project_id query parameter). Same hub as /hubs/incidents.",
        "query": { "access_token": "string?", "token": "string?" },
        "client": {
          "subscribe": { "summary": "Add or replace a filtered subscription; since replays retained events after that message_id first.", "fields": { "type": "=subscribe", "subscription_id": "string", "filters": "#IncidentFilter?", "since": "string?" } },
          "unsubscribe": { "summary": "Remove a subscription.", "fields": { "type": "=unsubscribe", "subscription_id": "string" } },
          "ping": { "summary": "Keep-alive; answered with pong.", "fields": { "type": "=ping", "timestamp": "string?" } },
          "ack": { "summary": "Records the last event seen; no reply.", "fields": { "type": "=ack", "message_id": "string" } }
        },
        "server": {
          "welcome": { "summary": "Sent on connect.", "fields": { "type": "=welcome", "session_id": "uuid", "server_time": "date-time" } },
          "subscribed": { "summary": "Answer to subscribe, with the filters as normalized.", "fields": { "type": "=subscribed", "subscription_id": "string", "filters": "#IncidentFilter", "history_truncated": "boolean?" } },
          "unsubscribed": { "summary": "Answer to unsubscribe.", "fields": { "type": "=unsubscribed", "subscription_id": "string" } },
          "event": { "summary": "An incident event matching at least one subscription, once per socket.", "extends": "#IncidentEventEnvelope", "fields": { "type": "=event" } },
          "pong": { "summary": "Answer to ping.", "fields": { "type": "=pong", "timestamp": "string?", "server_time": "date-time" } },
          "error": { "summary": "A frame was rejected; the socket stays open.", "fields": { "type": "=error", "code": "const:HubErrorCodes", "message": "string" } },
          "closing": { "summary": "Sent before the server closes the socket.", "fields": { "type": "=closing", "reason": "server_shutdown|session_timeout|slow_consumer" } }
        }
      }
    }
    """;
}
