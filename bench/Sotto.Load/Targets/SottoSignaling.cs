using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sotto.Load.Targets;

/// <summary>
/// A headless client of Sotto's /ws signaling (docs/protocol.md): requests carry an "id" and are
/// completed by the frame whose "re" echoes it; events go to <see cref="OnEvent"/>, which runs on
/// the receive loop in arrival order (so subscribe offers are answered in order).
/// </summary>
internal sealed class SottoSignaling : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Dictionary<string, TaskCompletionSource<JsonObject>> _pending = [];
    private readonly CancellationTokenSource _stop = new();
    private Task? _receive;
    private int _nextId;
    private int _malformed;

    /// <summary>Frames that were not a JSON object (never expected from Sotto; counted, not fatal).</summary>
    public int MalformedFrames => Volatile.Read(ref _malformed);

    /// <summary>Called for every frame that is not a reply.</summary>
    public Func<JsonObject, Task>? OnEvent { get; set; }

    public async Task ConnectAsync(Uri uri, CancellationToken cancellationToken)
    {
        await _socket.ConnectAsync(uri, cancellationToken);
        _receive = Task.Run(ReceiveLoopAsync, CancellationToken.None);
    }

    /// <summary>Sends <paramref name="message"/> with a fresh id and returns the reply (an "error" reply throws).</summary>
    public async Task<JsonObject> RequestAsync(JsonObject message, CancellationToken cancellationToken)
    {
        string id = Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        message["id"] = id;
        var reply = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_pending)
            _pending[id] = reply;
        await SendAsync(message, cancellationToken);
        JsonObject result = await reply.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        if ((string?)result["type"] == "error")
            throw new InvalidOperationException($"Sotto refused {(string?)message["type"]}: {(string?)result["code"]} {(string?)result["message"]}");
        return result;
    }

    public async Task SendAsync(JsonObject message, CancellationToken cancellationToken)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(message.ToJsonString());
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, true, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                WebSocketReceiveResult result = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                    return;
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                    continue;
                JsonObject? frame;
                try
                {
                    frame = JsonNode.Parse(message.GetBuffer().AsSpan(0, (int)message.Length)) as JsonObject;
                }
                catch (JsonException)
                {
                    frame = null;
                    Interlocked.Increment(ref _malformed);
                }
                message.SetLength(0);
                if (frame is null)
                    continue;
                if (frame["re"] is JsonNode re)
                {
                    string key = re.GetValueKind() == JsonValueKind.String ? (string)re! : re.ToJsonString();
                    TaskCompletionSource<JsonObject>? reply;
                    lock (_pending)
                        _pending.Remove(key, out reply);
                    reply?.TrySetResult(frame);
                }
                else if (OnEvent is { } handler)
                {
                    await handler(frame);
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection ends with the step.
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
        }
        await _stop.CancelAsync();
        if (_receive is not null)
        {
            try
            {
                await _receive;
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // The step is over; what the loop died of was reported through the request that failed.
            }
        }
        _socket.Dispose();
        _stop.Dispose();
        _sendLock.Dispose();
    }
}
