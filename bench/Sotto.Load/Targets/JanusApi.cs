using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Sotto.Load.Targets;

/// <summary>
/// Janus's HTTP API (janus.transport.http, /janus): one session, one plugin handle per peer
/// connection. Synchronous plugin replies come back on the POST; asynchronous ones ("ack", then
/// an event) arrive on the session's long poll and are matched by transaction. A keepalive every
/// 15 s holds the session (session_timeout = 60 s in bench/janus/janus.jcfg).
/// </summary>
internal sealed class JanusApi : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly Dictionary<string, TaskCompletionSource<JsonObject>> _pending = [];
    private readonly CancellationTokenSource _stop = new();
    private long _session;
    private Task? _poll;
    private Timer? _keepAlive;
    private int _transaction;

    public JanusApi(Uri baseUri) => _http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(60) };

    public async Task<JsonObject> InfoAsync(CancellationToken cancellationToken)
        => await _http.GetFromJsonAsync<JsonObject>("/janus/info", cancellationToken) ?? throw new InvalidOperationException("Empty /janus/info.");

    public async Task CreateSessionAsync(CancellationToken cancellationToken)
    {
        JsonObject created = await PostAsync("/janus", new JsonObject { ["janus"] = "create" }, cancellationToken);
        _session = (long)created["data"]!["id"]!;
        _poll = Task.Run(PollAsync, CancellationToken.None);
        _keepAlive = new Timer(_ => _ = PostAsync($"/janus/{_session}", new JsonObject { ["janus"] = "keepalive" }, _stop.Token).ContinueWith(t => _ = t.Exception, TaskScheduler.Default), null, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(15));
    }

    public async Task<long> AttachVideoRoomAsync(CancellationToken cancellationToken)
    {
        JsonObject attached = await PostAsync($"/janus/{_session}", new JsonObject { ["janus"] = "attach", ["plugin"] = "janus.plugin.videoroom" }, cancellationToken);
        return (long)attached["data"]!["id"]!;
    }

    public Task DetachAsync(long handle, CancellationToken cancellationToken)
        => PostAsync($"/janus/{_session}/{handle}", new JsonObject { ["janus"] = "detach" }, cancellationToken);

    /// <summary>A plugin request: the synchronous reply, or the event that answers an "ack".</summary>
    public async Task<JsonObject> MessageAsync(long handle, JsonObject body, string? jsepType, string? sdp, CancellationToken cancellationToken)
    {
        var request = new JsonObject { ["janus"] = "message", ["body"] = body };
        if (jsepType is not null)
            request["jsep"] = new JsonObject { ["type"] = jsepType, ["sdp"] = sdp, ["trickle"] = false };
        string transaction = NextTransaction();
        var reply = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_pending)
            _pending[transaction] = reply;
        JsonObject response = await PostAsync($"/janus/{_session}/{handle}", request, cancellationToken, transaction);
        if ((string?)response["janus"] != "ack")
        {
            lock (_pending)
                _pending.Remove(transaction);
            return Check(response);
        }
        return Check(await reply.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken));
    }

    private static JsonObject Check(JsonObject reply)
    {
        if ((string?)reply["janus"] == "error")
            throw new InvalidOperationException("Janus error: " + reply["error"]?.ToJsonString());
        if (reply["plugindata"]?["data"] is JsonObject data && data["error"] is not null)
            throw new InvalidOperationException("VideoRoom error: " + data.ToJsonString());
        return reply;
    }

    private string NextTransaction() => "t" + Interlocked.Increment(ref _transaction).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private async Task<JsonObject> PostAsync(string path, JsonObject request, CancellationToken cancellationToken, string? transaction = null)
    {
        request["transaction"] = transaction ?? NextTransaction();
        using HttpResponseMessage response = await _http.PostAsJsonAsync(path, request, cancellationToken);
        response.EnsureSuccessStatusCode();
        JsonObject reply = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken) ?? throw new InvalidOperationException("Empty Janus reply.");
        if ((string?)reply["janus"] == "error")
            throw new InvalidOperationException("Janus error: " + reply["error"]?.ToJsonString());
        return reply;
    }

    private async Task PollAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            JsonNode? events;
            try
            {
                events = await _http.GetFromJsonAsync<JsonNode>($"/janus/{_session}?maxev=50", _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
                continue;
            }

            IEnumerable<JsonNode?> list = events is JsonArray array ? array : [events];
            foreach (JsonObject e in list.OfType<JsonObject>())
            {
                if ((string?)e["transaction"] is not { } transaction)
                    continue;
                TaskCompletionSource<JsonObject>? reply;
                lock (_pending)
                    _pending.Remove(transaction, out reply);
                reply?.TrySetResult(e);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_keepAlive is not null)
            await _keepAlive.DisposeAsync();
        if (_session != 0)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await PostAsync($"/janus/{_session}", new JsonObject { ["janus"] = "destroy" }, timeout.Token);
            }
            catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException or InvalidOperationException)
            {
            }
        }
        await _stop.CancelAsync();
        if (_poll is not null)
            await _poll;
        _http.Dispose();
        _stop.Dispose();
    }
}
