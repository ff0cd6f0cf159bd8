using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Sotto.Client.Signaling;

/// <summary>
/// One /ws connection (docs/protocol.md): JSON text frames, requests with an <c>id</c> answered by a
/// frame with the same <c>re</c>, and everything else as events in arrival order. Every outgoing
/// frame goes through one queue and one writer, so e2ee blobs keep their order (FIFO per pair,
/// §S12) and a request never overtakes a blob sent before it.
/// </summary>
internal sealed class SignalingConnection : IAsyncDisposable
{
    private const int MaxMessageBytes = 128 * 1024;

    private readonly ClientWebSocket _socket;
    private readonly Channel<JsonObject> _events = Channel.CreateUnbounded<JsonObject>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<string> _outgoing = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<string, TaskCompletionSource<JsonObject>> _pending = [];
    private readonly Lock _pendingLock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiveLoop;
    private readonly Task _sendLoop;
    private int _nextId;

    private SignalingConnection(ClientWebSocket socket)
    {
        _socket = socket;
        _receiveLoop = Task.Run(ReceiveLoopAsync);
        _sendLoop = Task.Run(SendLoopAsync);
    }

    /// <summary>Every frame that is not a reply to a request, in arrival order; completes when the connection closes.</summary>
    public ChannelReader<JsonObject> Events => _events.Reader;

    /// <summary>The close code the server sent, once closed (4001: resumed elsewhere, 1000: removed/ended…).</summary>
    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public static async Task<SignalingConnection> ConnectAsync(Uri uri, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        try
        {
            await socket.ConnectAsync(uri, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new SignalingConnection(socket);
    }

    /// <summary>Queues one frame (no reply expected).</summary>
    public void Send(JsonObject message) => _outgoing.Writer.TryWrite(message.ToJsonString());

    /// <summary>Sends a request with a fresh id and waits for the frame with the same <c>re</c> (a reply or an error).</summary>
    public async Task<JsonObject> RequestAsync(JsonObject message, CancellationToken cancellationToken)
    {
        string id = Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var reply = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_pendingLock)
            _pending[id] = reply;
        message["id"] = id;
        Send(message);
        try
        {
            return await reply.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_pendingLock)
                _pending.Remove(id);
        }
    }

    private async Task ReceiveLoopAsync()
    {
        byte[] buffer = new byte[MaxMessageBytes];
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                int length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                        throw new InvalidDataException("server frame larger than 128 KiB");
                    result = await _socket.ReceiveAsync(buffer.AsMemory(length), _stop.Token).ConfigureAwait(false);
                    length += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
                if (result.MessageType == WebSocketMessageType.Close)
                    break;
                if (result.MessageType != WebSocketMessageType.Text || JsonNode.Parse(Encoding.UTF8.GetString(buffer, 0, length)) is not JsonObject message)
                    continue;
                if (message["re"] is JsonValue re && TryTakePending(re.ToString(), out TaskCompletionSource<JsonObject>? waiter))
                    waiter.TrySetResult(message);
                else
                    _events.Writer.TryWrite(message);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or JsonException or InvalidDataException)
        {
            // The connection is gone; the owner sees Events complete and may resume.
        }
        finally
        {
            _events.Writer.TryComplete();
            _outgoing.Writer.TryComplete();
            lock (_pendingLock)
            {
                foreach (TaskCompletionSource<JsonObject> waiter in _pending.Values)
                    waiter.TrySetException(new WebSocketException("the signaling connection closed"));
                _pending.Clear();
            }
        }
    }

    private bool TryTakePending(string id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TaskCompletionSource<JsonObject>? waiter)
    {
        lock (_pendingLock)
            return _pending.Remove(id, out waiter);
    }

    private async Task SendLoopAsync()
    {
        try
        {
            await foreach (string text in _outgoing.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
                await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    /// <summary>A normal close (1000): the server gives the seat up at once (docs/protocol.md).</summary>
    public async Task CloseAsync(CancellationToken cancellationToken)
    {
        _outgoing.Writer.TryComplete();
        try
        {
            await _sendLoop.WaitAsync(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
            if (_socket.State == WebSocketState.Open)
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "leave", cancellationToken).ConfigureAwait(false);
            await _receiveLoop.WaitAsync(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is WebSocketException or TimeoutException or OperationCanceledException)
        {
        }
    }

    /// <summary>Drops the connection without a close frame, as a lost network does: the seat waits for a resume.</summary>
    public void Abort()
    {
        _socket.Abort();
        _stop.Cancel();
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _socket.Abort();
        try
        {
            await Task.WhenAll(_receiveLoop, _sendLoop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _socket.Dispose();
        _stop.Dispose();
    }
}
