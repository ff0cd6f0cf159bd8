using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sotto.Server.Tests.Infrastructure;

/// <summary>
/// A real WebSocket client of /ws. Every received frame is kept in order; tests wait for conditions with a
/// timeout (never a fixed sleep as the assertion).
/// </summary>
internal sealed class SignalingClient : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    private readonly ClientWebSocket _socket;
    private readonly List<JsonObject> _seen = [];
    private readonly HashSet<JsonObject> _taken = new(ReferenceEqualityComparer.Instance);
    private readonly SemaphoreSlim _arrived = new(0);
    private volatile bool _ended;
    private readonly Task _receiveLoop;
    private readonly TaskCompletionSource<WebSocketCloseStatus?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _nextId;

    private SignalingClient(ClientWebSocket socket)
    {
        _socket = socket;
        _receiveLoop = Task.Run(ReceiveLoopAsync);
    }

    public string? Id { get; private set; }

    public int Slot { get; private set; }

    public string? ResumeToken { get; private set; }

    /// <summary>Every message received so far, in order.</summary>
    public IReadOnlyList<JsonObject> Seen
    {
        get { lock (_seen) return [.. _seen]; }
    }

    public Task<WebSocketCloseStatus?> Closed => _closed.Task;

    /// <summary>Why the receive loop ended without a close frame (diagnostics for failed assertions).</summary>
    public Exception? ReceiveError { get; private set; }

    public WebSocket Socket => _socket;

    public static async Task<SignalingClient> ConnectAsync(
        RunningServer server, IPAddress? from = null, string? origin = null, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        if (origin is not null)
            socket.Options.SetRequestHeader("Origin", origin);
        configure?.Invoke(socket.Options);
        using var cts = new CancellationTokenSource(DefaultTimeout);
        if (from is null)
        {
            await socket.ConnectAsync(server.WebSocketUri, cts.Token);
        }
        else
        {
            // Bind the client's end to a chosen loopback address (e.g. 127.0.0.2) so the server sees a
            // client address different from its own listening address.
            var handler = new SocketsHttpHandler
            {
                ConnectCallback = async (context, token) =>
                {
                    var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    try
                    {
                        s.Bind(new IPEndPoint(from, 0));
                        await s.ConnectAsync(context.DnsEndPoint, token);
                        return new NetworkStream(s, ownsSocket: true);
                    }
                    catch
                    {
                        s.Dispose();
                        throw;
                    }
                },
            };
            using var invoker = new HttpMessageInvoker(handler);
            await socket.ConnectAsync(server.WebSocketUri, invoker, cts.Token);
        }
        var client = new SignalingClient(socket);
        await client.WaitForTypeAsync("welcome");
        return client;
    }

    public string NextRequestId() => "r" + Interlocked.Increment(ref _nextId);

    public Task SendAsync(object message) => SendRawAsync(JsonSerializer.Serialize(message));

    public async Task SendRawAsync(string text)
    {
        using var cts = new CancellationTokenSource(DefaultTimeout);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cts.Token);
    }

    public async Task SendBytesAsync(byte[] data, WebSocketMessageType type)
    {
        using var cts = new CancellationTokenSource(DefaultTimeout);
        await _socket.SendAsync(data, type, true, cts.Token);
    }

    /// <summary>Sends a request with a fresh id and waits for the reply that echoes it (or any error for it).</summary>
    public async Task<JsonObject> RequestAsync(object message)
    {
        var node = JsonSerializer.SerializeToNode(message)!.AsObject();
        var id = NextRequestId();
        node["id"] = id;
        await SendRawAsync(node.ToJsonString());
        return await WaitForAsync(m => (string?)m["re"] == id);
    }

    public async Task<JsonObject> JoinAsync(string room, string? password = null, string expect = "joined")
    {
        var reply = await RequestAsync(password is null ? new { type = "join", room } : new { type = "join", room, password });
        Assert.True((string?)reply["type"] == expect, $"expected {expect}, got {reply.ToJsonString()}");
        Remember(reply);
        return reply;
    }

    public void Remember(JsonObject seat)
    {
        Id = (string?)seat["id"];
        Slot = (int)seat["slot"]!;
        ResumeToken = (string?)seat["resumeToken"];
    }

    /// <summary>
    /// Proves the server has handled everything this client sent before: replies come in order, so once
    /// the pong arrives, any reply or event caused by earlier messages has been queued before it.
    /// </summary>
    public Task<JsonObject> SyncAsync() => RequestAsync(new { type = "ping" });

    public Task<JsonObject> WaitForTypeAsync(string type, TimeSpan? timeout = null) =>
        WaitForAsync(m => (string?)m["type"] == type, timeout);

    /// <summary>
    /// Waits for the oldest message not yet taken by an earlier wait that matches the predicate, and takes it.
    /// Messages that do not match stay available to later waits.
    /// </summary>
    public async Task<JsonObject> WaitForAsync(Func<JsonObject, bool> predicate, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        while (true)
        {
            var ended = _ended;
            lock (_seen)
            {
                foreach (var message in _seen)
                {
                    if (!_taken.Contains(message) && predicate(message))
                    {
                        _taken.Add(message);
                        return message;
                    }
                }
            }
            if (ended)
                throw new InvalidOperationException("Connection closed (" + _socket.CloseStatus + "). Seen: " + Describe());
            try
            {
                await _arrived.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException("No matching message. Seen: " + Describe());
            }
        }
    }

    /// <summary>True when a message matching the predicate has been received (taken or not).</summary>
    public bool HasSeen(Func<JsonObject, bool> predicate) => Seen.Any(predicate);

    private string Describe() => string.Join(" ", Seen.Select(m => m.ToJsonString()));

    public async Task<WebSocketCloseStatus?> WaitClosedAsync(TimeSpan? timeout = null) =>
        await _closed.Task.WaitAsync(timeout ?? DefaultTimeout);

    /// <summary>Drops the TCP connection without a close frame, like a lost network.</summary>
    public void Drop() => _socket.Abort();

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[256 * 1024];
        try
        {
            while (true)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                        Array.Resize(ref buffer, buffer.Length * 2);
                    result = await _socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        _closed.TrySetResult(_socket.CloseStatus);
                        if (_socket.State == WebSocketState.CloseReceived)
                            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                        return;
                    }
                    length += result.Count;
                }
                while (!result.EndOfMessage);
                var message = JsonNode.Parse(buffer.AsSpan(0, length))!.AsObject();
                lock (_seen)
                    _seen.Add(message);
                _arrived.Release();
            }
        }
        catch (Exception ex)
        {
            ReceiveError = ex;
            _closed.TrySetResult(null);
        }
        finally
        {
            _ended = true;
            _arrived.Release();
        }
    }

    public async Task CloseAsync(WebSocketCloseStatus status = WebSocketCloseStatus.NormalClosure)
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var cts = new CancellationTokenSource(DefaultTimeout);
            try
            {
                await _socket.CloseOutputAsync(status, null, cts.Token);
            }
            catch (WebSocketException)
            {
            }
        }
        await Task.WhenAny(_closed.Task, Task.Delay(DefaultTimeout));
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        _socket.Abort();
        await Task.WhenAny(_receiveLoop, Task.Delay(TimeSpan.FromSeconds(5)));
        _socket.Dispose();
    }
}
